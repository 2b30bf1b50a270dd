import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RootKeyError } from '../../../../core/kms/store/errors';
import { defaultRootKeyFile, encodeRootKey, parseRootKey, resolveRootKey, rootKeyFromSecretStorage } from '../../../../core/kms/store/rootKey';
import { OTHER_ROOT_KEY, ROOT_KEY, ROOT_KEY_BASE64, tempDir } from './helpers';

/** A home folder of its own for each test, so the real one is never read or written. */
function home(): string {
  return tempDir('kms-home');
}

function writeKeyFile(file: string, key: Uint8Array, mode = 0o600): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, encodeRootKey(key) + '\n', { mode });
  fs.chmodSync(file, mode);
  return file;
}

describe('resolveRootKey', () => {
  it('takes KMS_STUDIO_ROOT_KEY when no file is named', () => {
    const resolved = resolveRootKey({ KMS_STUDIO_ROOT_KEY: ROOT_KEY_BASE64 }, { homeDir: home() });
    assert.deepEqual(resolved.key, ROOT_KEY);
    assert.equal(resolved.source, 'KMS_STUDIO_ROOT_KEY');
    assert.equal(resolved.created, false);
  });

  it('prefers --root-key-file to the environment', () => {
    const file = writeKeyFile(path.join(home(), 'mine.key'), OTHER_ROOT_KEY);
    const resolved = resolveRootKey({ KMS_STUDIO_ROOT_KEY: ROOT_KEY_BASE64 }, { rootKeyFile: file, homeDir: home() });
    assert.deepEqual(resolved.key, OTHER_ROOT_KEY);
    assert.equal(resolved.source, `--root-key-file ${file}`);
  });

  it('creates the default key file in $XDG_CONFIG_HOME with mode 0600, then reads the same key back', () => {
    const config = tempDir('kms-xdg');
    const first = resolveRootKey({ XDG_CONFIG_HOME: config }, { homeDir: home() });
    const file = path.join(config, 'kms-studio', 'root-key');
    assert.equal(first.file, file);
    assert.equal(first.created, true);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.match(fs.readFileSync(file, 'utf8'), /^[A-Za-z0-9+/]{43}=\n$/);
    const second = resolveRootKey({ XDG_CONFIG_HOME: config }, { homeDir: home() });
    assert.equal(second.created, false);
    assert.deepEqual(second.key, first.key);
  });

  it('falls back to ~/.config when XDG_CONFIG_HOME is unset or relative', () => {
    const homeDir = home();
    assert.equal(defaultRootKeyFile({}, { homeDir }), path.join(homeDir, '.config', 'kms-studio', 'root-key'));
    assert.equal(defaultRootKeyFile({ XDG_CONFIG_HOME: 'relative/dir' }, { homeDir }), path.join(homeDir, '.config', 'kms-studio', 'root-key'));
    const resolved = resolveRootKey({}, { homeDir });
    assert.equal(resolved.file, path.join(homeDir, '.config', 'kms-studio', 'root-key'));
  });

  it('lets configDir override where the default key file lives', () => {
    const configDir = tempDir('kms-config');
    assert.equal(resolveRootKey({ XDG_CONFIG_HOME: tempDir() }, { configDir }).file, path.join(configDir, 'root-key'));
  });

  it('treats an empty KMS_STUDIO_ROOT_KEY as unset', () => {
    const resolved = resolveRootKey({ KMS_STUDIO_ROOT_KEY: '' }, { homeDir: home() });
    assert.equal(resolved.created, true);
  });

  it('refuses to create a key file when told the store must already exist', () => {
    const homeDir = home();
    assert.throws(() => resolveRootKey({}, { homeDir, create: false }), (error: unknown) => error instanceof RootKeyError && /does not exist/.test(error.message));
    assert.equal(fs.existsSync(path.join(homeDir, '.config')), false);
  });

  it('refuses a key file others can read, as ssh does', () => {
    const file = writeKeyFile(path.join(home(), 'loose.key'), ROOT_KEY, 0o644);
    assert.throws(() => resolveRootKey({}, { rootKeyFile: file }), /mode 644; it must be readable by its owner only/);
  });

  it('refuses a key file inside the store it protects', () => {
    const store = tempDir('kms-store');
    const file = writeKeyFile(path.join(store, 'root-key'), ROOT_KEY);
    assert.throws(() => resolveRootKey({}, { rootKeyFile: file, storeDir: store }), /is inside the KMS store/);
    assert.throws(() => resolveRootKey({}, { configDir: path.join(store, 'config'), storeDir: store }), /is inside the KMS store/);
    assert.equal(fs.existsSync(path.join(store, 'config')), false);
  });

  it('names a missing --root-key-file', () => {
    assert.throws(() => resolveRootKey({}, { rootKeyFile: path.join(home(), 'absent') }), /--root-key-file .*absent does not exist/);
  });
});

describe('parseRootKey', () => {
  const bad: [string, string][] = [
    ['too short', Buffer.alloc(16).toString('base64')],
    ['too long', Buffer.alloc(48).toString('base64')],
    ['not base64', '!'.repeat(43) + '='],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url') + '='],
    ['hex', Buffer.alloc(32).toString('hex')],
    ['empty', ''],
  ];
  for (const [what, text] of bad) {
    it(`refuses a key that is ${what}, naming where it came from`, () => {
      assert.throws(() => parseRootKey(text, 'KMS_STUDIO_ROOT_KEY'), (error: unknown) => error instanceof RootKeyError && /KMS_STUDIO_ROOT_KEY is not 32 bytes of base64/.test(error.message));
    });
  }

  it('accepts 32 bytes of base64 with surrounding whitespace', () => {
    assert.deepEqual(parseRootKey(`  ${ROOT_KEY_BASE64}\n`, 'test'), ROOT_KEY);
  });
});

describe('rootKeyFromSecretStorage', () => {
  function secrets(initial?: string) {
    const map = new Map<string, string>(initial ? [['kmsStudio.rootKey', initial]] : []);
    return { map, get: async (k: string) => map.get(k), store: async (k: string, v: string) => void map.set(k, v) };
  }

  it('uses the key VS Code keeps in SecretStorage, without consulting the fallback', async () => {
    const resolved = await rootKeyFromSecretStorage(secrets(ROOT_KEY_BASE64), () => assert.fail('fallback used'));
    assert.deepEqual(resolved.key, ROOT_KEY);
    assert.equal(resolved.source, 'VS Code SecretStorage');
  });

  it("adopts the CLI's key when SecretStorage has none, so both open the same stores", async () => {
    const store = secrets();
    const config = tempDir('kms-xdg');
    const resolved = await rootKeyFromSecretStorage(store, () => resolveRootKey({ XDG_CONFIG_HOME: config }, { homeDir: home() }));
    assert.equal(store.map.get('kmsStudio.rootKey'), encodeRootKey(resolved.key));
    assert.deepEqual(resolveRootKey({ XDG_CONFIG_HOME: config }, { homeDir: home() }).key, resolved.key);
  });

  it('refuses a damaged secret, naming SecretStorage', async () => {
    await assert.rejects(rootKeyFromSecretStorage(secrets('short'), () => assert.fail('fallback used')), /VS Code SecretStorage is not 32 bytes/);
  });
});
