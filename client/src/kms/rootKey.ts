/**
 * The root key that wraps the store's key material, for the editor. KMS_STUDIO_ROOT_KEY wins when set, as it
 * does for the CLI, so a terminal and the editor can share a store; otherwise VS Code's SecretStorage keeps it,
 * generated on first use. It is never written into the store folder or the settings.
 *
 * SecretStorage is shared by every window of the user, and has no "store if absent": two windows activating at
 * once could each store a key of their own, the second overwriting the first after the first made a store with
 * it, leaving that store unreadable for good. So a key is created only under a lock file shared by the windows,
 * an existing secret is never overwritten, and what SecretStorage kept is read back and used.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { FolderStore, ROOT_KEY_BYTES, ROOT_KEY_ENV, ROOT_KEY_SECRET, StoreNotFoundError, WrongRootKeyError, parseRootKey } from '../../../core/kms/store';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
}

export interface RootKey {
  key: Uint8Array;
  source: string;
  /** Generated now, on first use. */
  created: boolean;
}

export interface RootKeyCreation {
  /** The lock file the windows share while one creates the key (in the extension's globalStorage folder). */
  lockFile: string;
  /** The store the key is for: when it exists already, a new key must open it before it is kept. */
  storeDir?: string;
  /** How long to wait for another window's lock before taking it as left behind; default 10 s. */
  lockWaitMs?: number;
}

export const SECRET_SOURCE = 'VS Code SecretStorage';

const LOCK_RETRY_MS = 25;

async function storedKey(secrets: SecretStore): Promise<Uint8Array | undefined> {
  const stored = await secrets.get(ROOT_KEY_SECRET);
  return stored !== undefined && stored !== '' ? parseRootKey(stored, SECRET_SOURCE) : undefined;
}

/**
 * Runs `task` holding `lockFile`, created exclusively ('wx'), so one window at a time creates the key. A lock
 * older than `waitMs` was left by a window that died while holding it, and is taken over.
 */
async function withLockFile<T>(lockFile: string, waitMs: number, task: () => Promise<T>): Promise<T> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lockFile, 'wx', 0o600));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (Date.now() >= deadline) {
        const stat = fs.statSync(lockFile, { throwIfNoEntry: false });
        if (stat && Date.now() - stat.mtimeMs >= waitMs) fs.rmSync(lockFile, { force: true });
        else if (stat) throw new Error(`Another VS Code window holds ${lockFile} while it creates the KMS root key; try again, or remove the file if no window is starting`);
      }
      await delay(LOCK_RETRY_MS);
    }
  }
  try {
    return await task();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

/**
 * A new key cannot open a store some other key made: keeping it would only hide the store's real key. A store
 * that does not exist yet is fine (whoever opens it first creates it with the kept key).
 */
function checkAgainstStore(key: Uint8Array, storeDir: string | undefined): void {
  if (storeDir === undefined || !FolderStore.exists(storeDir)) return;
  try {
    FolderStore.open(storeDir, key, { create: false, verify: false, rootKeySource: `a new key for ${SECRET_SOURCE}` });
  } catch (error) {
    if (error instanceof StoreNotFoundError) return;
    if (error instanceof WrongRootKeyError) {
      throw new WrongRootKeyError(error.storeDir, `${SECRET_SOURCE} (which holds none yet; set ${ROOT_KEY_ENV} to the key the store was made with)`);
    }
    throw error;
  }
}

export async function rootKeyFor(secrets: SecretStore, env: Readonly<Record<string, string | undefined>>, creation: RootKeyCreation): Promise<RootKey> {
  const fromEnv = env[ROOT_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { key: parseRootKey(fromEnv, ROOT_KEY_ENV), source: ROOT_KEY_ENV, created: false };
  const stored = await storedKey(secrets);
  if (stored) return { key: stored, source: SECRET_SOURCE, created: false };
  return withLockFile(creation.lockFile, creation.lockWaitMs ?? 10_000, async () => {
    // Another window may have created it while this one waited for the lock.
    const meanwhile = await storedKey(secrets);
    if (meanwhile) return { key: meanwhile, source: SECRET_SOURCE, created: false };
    const fresh = new Uint8Array(randomBytes(ROOT_KEY_BYTES));
    checkAgainstStore(fresh, creation.storeDir);
    await secrets.store(ROOT_KEY_SECRET, Buffer.from(fresh).toString('base64'));
    fresh.fill(0);
    // Use what SecretStorage kept, not what was given it: that is what every later window reads.
    const kept = await storedKey(secrets);
    if (!kept) throw new Error('VS Code SecretStorage did not keep the root key it was given');
    return { key: kept, source: SECRET_SOURCE, created: true };
  });
}
