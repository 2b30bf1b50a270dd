/**
 * Finding the root key that wraps the store's key material, for hosts without a secret store of their own (the
 * CLI; VS Code keeps it in SecretStorage and passes the bytes to FolderStore.open directly).
 *
 * In order: `--root-key-file FILE` (the most specific thing the user said), then `KMS_STUDIO_ROOT_KEY`, then the
 * user's key file `$XDG_CONFIG_HOME/kms-studio/root-key` (or `~/.config/kms-studio/root-key`), created with mode
 * 0600 when missing. A root key is 32 bytes written as standard base64 (44 characters). The key file never lives
 * inside the store: whoever has a copy of the store folder must not have the key with it.
 *
 * Everything the resolution reads from its surroundings (environment, home folder) arrives as arguments, so tests
 * point it at a temp folder and never touch the real home.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { DIR_MODE, FILE_MODE, createExclusiveFileSync, readTextIfExists } from './atomicFile';
import { RootKeyError } from './errors';
import { ROOT_KEY_BYTES } from './keyWrapper';

export const ROOT_KEY_ENV = 'KMS_STUDIO_ROOT_KEY';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface RootKeyOptions {
  /** The value of `--root-key-file`. */
  rootKeyFile?: string;
  /** The folder holding the default key file; defaults to `$XDG_CONFIG_HOME/kms-studio` or `<homeDir>/.config/kms-studio`. */
  configDir?: string;
  /** The user's home folder; defaults to os.homedir(). */
  homeDir?: string;
  /** The store the key is for: a key file inside it is refused. */
  storeDir?: string;
  /** Create the default key file when it is missing (default true). Pass false when opening a store that must already exist. */
  create?: boolean;
}

export interface ResolvedRootKey {
  key: Uint8Array;
  /** For messages: `--root-key-file /path`, `KMS_STUDIO_ROOT_KEY`, or the default file's path. */
  source: string;
  /** The file read or created, if any. */
  file?: string;
  /** The default key file did not exist and was created now. */
  created: boolean;
}

const BASE64_32_BYTES = /^[A-Za-z0-9+/]{43}=$/;

/** Parses a root key written as base64; `source` names where the text came from in the error. */
export function parseRootKey(text: string, source: string): Uint8Array {
  const trimmed = text.trim();
  if (!BASE64_32_BYTES.test(trimmed)) {
    throw new RootKeyError(
      `The root key from ${source} is not ${ROOT_KEY_BYTES} bytes of base64 (expected 44 characters ending in "="; ` +
        'generate one with `openssl rand -base64 32`)',
    );
  }
  return new Uint8Array(Buffer.from(trimmed, 'base64'));
}

export function generateRootKey(): Uint8Array {
  return new Uint8Array(randomBytes(ROOT_KEY_BYTES));
}

export function encodeRootKey(key: Uint8Array): string {
  return Buffer.from(key).toString('base64');
}

/** `$XDG_CONFIG_HOME/kms-studio/root-key`, or `<home>/.config/kms-studio/root-key`, or `<configDir>/root-key`. */
export function defaultRootKeyFile(env: Environment, options: Pick<RootKeyOptions, 'configDir' | 'homeDir'> = {}): string {
  if (options.configDir) return path.join(options.configDir, 'root-key');
  // XDG Base Directory spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  const configHome = xdg && path.isAbsolute(xdg) ? xdg : path.join(options.homeDir ?? os.homedir(), '.config');
  return path.join(configHome, 'kms-studio', 'root-key');
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function refuseInsideStore(file: string, storeDir: string | undefined): void {
  if (!storeDir) return;
  const store = realOrResolved(storeDir);
  const keyFile = path.join(realOrResolved(path.dirname(file)), path.basename(file));
  const relative = path.relative(store, keyFile);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new RootKeyError(`The root key file ${file} is inside the KMS store ${storeDir}; keep it outside, so a copy of the store does not carry its key`);
  }
}

/** Refuses a key file that others can read, as ssh does for private keys. */
function checkPrivate(file: string, source: string): void {
  if (process.platform === 'win32') return;
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) {
    throw new RootKeyError(`The root key file ${source} has mode ${mode.toString(8).padStart(3, '0')}; it must be readable by its owner only (chmod 600 ${file})`);
  }
}

function readKeyFile(file: string, source: string): Uint8Array {
  const text = readTextIfExists(file);
  if (text === undefined) throw new RootKeyError(`The root key file ${source} does not exist`);
  checkPrivate(file, source);
  return parseRootKey(text, source);
}

export function resolveRootKey(env: Environment, options: RootKeyOptions = {}): ResolvedRootKey {
  if (options.rootKeyFile !== undefined) {
    const source = `--root-key-file ${options.rootKeyFile}`;
    refuseInsideStore(options.rootKeyFile, options.storeDir);
    return { key: readKeyFile(options.rootKeyFile, source), source, file: options.rootKeyFile, created: false };
  }
  const fromEnv = env[ROOT_KEY_ENV];
  // An empty variable is how shells unset things; treat it as absent.
  if (fromEnv !== undefined && fromEnv !== '') {
    return { key: parseRootKey(fromEnv, ROOT_KEY_ENV), source: ROOT_KEY_ENV, created: false };
  }
  const file = defaultRootKeyFile(env, options);
  refuseInsideStore(file, options.storeDir);
  if (fs.existsSync(file)) return { key: readKeyFile(file, file), source: file, file, created: false };
  if (options.create === false) {
    throw new RootKeyError(`No root key: --root-key-file and ${ROOT_KEY_ENV} are not given and ${file} does not exist`);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: DIR_MODE });
  const key = generateRootKey();
  // Two processes may create it at once: the loser reads the winner's complete file instead.
  const created = createExclusiveFileSync(file, encodeRootKey(key) + '\n', FILE_MODE);
  if (!created) return { key: readKeyFile(file, file), source: file, file, created: false };
  return { key, source: file, file, created: true };
}

/** The part of VS Code's SecretStorage the root key needs; core does not import vscode. */
export interface SecretStorageLike {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
}

export const ROOT_KEY_SECRET = 'kmsStudio.rootKey';

/**
 * The root key for VS Code: kept in SecretStorage. When SecretStorage has none yet, the key is taken from
 * `fallback` (the CLI's resolution: KMS_STUDIO_ROOT_KEY or the user's key file) and remembered, so that VS Code and
 * the CLI open the same stores with the same key instead of each making its own.
 */
export async function rootKeyFromSecretStorage(
  secrets: SecretStorageLike,
  fallback: () => ResolvedRootKey,
  secretName = ROOT_KEY_SECRET,
): Promise<ResolvedRootKey> {
  const stored = await secrets.get(secretName);
  if (stored !== undefined && stored !== '') {
    return { key: parseRootKey(stored, 'VS Code SecretStorage'), source: 'VS Code SecretStorage', created: false };
  }
  const resolved = fallback();
  await secrets.store(secretName, encodeRootKey(resolved.key));
  return resolved;
}
