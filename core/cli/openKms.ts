/**
 * Opening the KMS of a store folder for the `kms`, `audit` and `clock` commands: the root key (resolveRootKey's
 * order: --root-key-file, KMS_STUDIO_ROOT_KEY, the per-user key file), the FolderStore, its sandbox clock and its
 * audit log, wired into a Kms as every other host wires them.
 *
 * Everything that can be wrong with a store or its key (no store, a damaged file, the wrong root key, an unsafe
 * key file, a lock held too long, an invalid identities file) is something the user has to fix by hand, not a
 * KMS answer, so it becomes a StoreProblem: one clear message and exit 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditRecorder, FileAuditLog } from '../kms/audit/auditLog';
import { SandboxClock } from '../kms/clock';
import { Kms, validateKeyRecord, type KeyRecord } from '../kms/service';
import {
  FolderStore,
  IdentitiesFileError,
  InvalidStoreNameError,
  RootKeyError,
  StoreCorruptedError,
  StoreLockTimeoutError,
  StoreNotFoundError,
  WrongRootKeyError,
  resolveRootKey,
} from '../kms/store';
import type { CliIo } from './io';

/** The region of requests that name none (`--region` overrides it per call). */
export const DEFAULT_REGION = 'us-east-1';

/** A store, root key or identities problem: printed as it is, exit 2. */
export class StoreProblem extends Error {
  override readonly name = 'StoreProblem';
}

export interface StoreLocation {
  /** `--store DIR`, relative to the current folder. */
  store: string;
  /** `--root-key-file FILE`, relative to the current folder. */
  rootKeyFile?: string;
  /** Create the store (and the per-user root key) when missing; only the `kms` command does. */
  create: boolean;
}

export interface OpenedKms {
  kms: Kms;
  store: FolderStore<KeyRecord>;
  clock: SandboxClock;
  log: FileAuditLog;
}

/** The store folder as an absolute path. */
export function storeDirOf(io: CliIo, store: string): string {
  return path.resolve(io.cwd, store);
}

/**
 * Turns the store layer's errors (and the file system's, for a store folder that cannot be read or made) into
 * StoreProblem; anything else is left for the caller, as a bug should not be dressed up as a user error.
 */
export function asStoreProblem(error: unknown): StoreProblem | undefined {
  if (error instanceof StoreProblem) return error;
  if (
    error instanceof RootKeyError ||
    error instanceof WrongRootKeyError ||
    error instanceof StoreCorruptedError ||
    error instanceof StoreNotFoundError ||
    error instanceof StoreLockTimeoutError ||
    error instanceof IdentitiesFileError ||
    error instanceof InvalidStoreNameError
  ) {
    return new StoreProblem(error.message);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && ['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'ENOSPC', 'EISDIR', 'ELOOP', 'ENAMETOOLONG'].includes(code)) {
    return new StoreProblem(`${(error as Error).message}`);
  }
  return undefined;
}

/** Opens the FolderStore named by `--store`, creating it only when `location.create` says so. */
export function openStore(io: CliIo, location: StoreLocation): FolderStore<KeyRecord> {
  const dir = storeDirOf(io, location.store);
  if (!location.create && !FolderStore.exists(dir)) {
    throw new StoreProblem(`There is no KMS store in ${dir} (no store.json); the first \`kms-studio kms <Operation> --store ${location.store}\` creates it`);
  }
  const resolved = resolveRootKey(io.env, {
    ...(location.rootKeyFile !== undefined ? { rootKeyFile: path.resolve(io.cwd, location.rootKeyFile) } : {}),
    // The home folder comes from the environment the command was given, so a test's HOME is honoured.
    ...(io.env['HOME'] ? { homeDir: io.env['HOME'] } : {}),
    storeDir: dir,
    create: location.create,
  });
  if (resolved.created) {
    io.stderr(`kms-studio: created a root key in ${resolved.file} (mode 0600); stores made with it open only with it, so keep it\n`);
  }
  return FolderStore.open<KeyRecord>(dir, resolved.key, {
    create: location.create,
    rootKeySource: resolved.source,
    validateKeyRecord,
  });
}

/** The KMS of a store: its sandbox clock, and its audit log in DIR/audit. */
export function openKms(io: CliIo, location: StoreLocation): OpenedKms {
  const store = openStore(io, location);
  const clock = new SandboxClock(store);
  const log = new FileAuditLog(store.auditDir);
  const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: DEFAULT_REGION });
  return { kms, store, clock, log };
}

/**
 * The audit log of a store folder, for reading only. Reading needs no root key: the log holds no secrets (the
 * KMS never writes plaintext, ciphertext or key material to it), as CloudTrail can be read without KMS access.
 */
export function auditLogOf(io: CliIo, store: string): FileAuditLog {
  const dir = storeDirOf(io, store);
  if (!FolderStore.exists(dir)) {
    const what = fs.existsSync(dir) ? 'no store.json' : 'the folder does not exist';
    throw new StoreProblem(`There is no KMS store in ${dir} (${what})`);
  }
  return new FileAuditLog(path.join(dir, 'audit'));
}
