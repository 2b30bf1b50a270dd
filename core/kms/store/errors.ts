/**
 * Errors of the key store. Each names the file and the problem, because the person reading it has to decide
 * what to do with a folder of their own (restore a backup, find the right root key), and the store never repairs
 * or overwrites a damaged file on its own.
 */

/** A file of the store is truncated, not JSON, of the wrong shape, or holds a wrapped blob that does not authenticate. */
export class StoreCorruptedError extends Error {
  override readonly name = 'StoreCorruptedError';

  constructor(
    /** The damaged file. */
    readonly file: string,
    /** What is wrong with it, without the file name. */
    readonly problem: string,
  ) {
    super(`KMS store file ${file} is damaged: ${problem}. The store will not use or overwrite it; restore it from a backup or remove it.`);
  }
}

/** The root key given does not match the key check value in the store's header: another key made this store. */
export class WrongRootKeyError extends Error {
  override readonly name = 'WrongRootKeyError';

  constructor(
    readonly storeDir: string,
    /** Where the root key came from (`KMS_STUDIO_ROOT_KEY`, a file path, VS Code SecretStorage). */
    readonly rootKeySource: string,
  ) {
    super(
      `The root key from ${rootKeySource} is not the root key of the KMS store ${storeDir} (its key check value differs). ` +
        'Use the root key the store was created with; the store is left untouched.',
    );
  }
}

/** The root key could not be found, read or parsed, or its file is unsafe. */
export class RootKeyError extends Error {
  override readonly name = 'RootKeyError';
}

/** Another process held the store's lock for longer than the timeout. */
export class StoreLockTimeoutError extends Error {
  override readonly name = 'StoreLockTimeoutError';

  constructor(
    readonly lockFile: string,
    readonly timeoutMs: number,
    readonly holder?: { pid: number; hostname: string; acquiredAt: string },
  ) {
    super(
      `Timed out after ${timeoutMs} ms waiting for the KMS store lock ${lockFile}` +
        (holder ? `, held by process ${holder.pid} on ${holder.hostname} since ${holder.acquiredAt}` : ''),
    );
  }
}

/** A region, key ID, alias name or material name that cannot be a file name in the store. */
export class InvalidStoreNameError extends Error {
  override readonly name = 'InvalidStoreNameError';
}

/** identities.json is not valid; `jsonPath` says where (`$.identities[2].policies[0]`). */
export class IdentitiesFileError extends Error {
  override readonly name = 'IdentitiesFileError';

  constructor(
    readonly file: string,
    readonly jsonPath: string,
    readonly problem: string,
  ) {
    super(`${file}: ${jsonPath}: ${problem}`);
  }
}

/** open() with `create: false` on a folder that holds no store. */
export class StoreNotFoundError extends Error {
  override readonly name = 'StoreNotFoundError';

  constructor(readonly storeDir: string) {
    super(`There is no KMS store in ${storeDir} (no store.json)`);
  }
}
