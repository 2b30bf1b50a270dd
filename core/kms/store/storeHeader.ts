import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { atomicWriteFileSync, isTempFile, readTextIfExists } from './atomicFile';
import { StoreCorruptedError, StoreNotFoundError } from './errors';
import { KeyWrapper } from './keyWrapper';
import { isObject, parseJson, readDirNames } from './storeFiles';

/**
 * The store's header, store.json: its format and version, the random store ID that salts the key derivation, and
 * a key check value that tells a wrong root key apart from damage.
 */
export const STORE_FORMAT = 'kms-studio-store';
export const STORE_FORMAT_VERSION = 1;

export interface StoreHeader {
  format: typeof STORE_FORMAT;
  formatVersion: number;
  storeId: string;
  created: string;
  keyCheckValue: string;
}

/**
 * Reads the header of the store in `root`, or writes a new one when the folder is empty (and `create` allows).
 * A folder that holds files but no header is damage, never silently made into a store.
 */
export function readOrCreateHeader(root: string, rootKey: Uint8Array, create: boolean): StoreHeader {
  const file = path.join(root, 'store.json');
  const text = readTextIfExists(file);
  if (text !== undefined) return parseHeader(file, text);
  // identities.json is the user's input and may be written before the store is first opened.
  const others = readDirNames(root).filter((name) => !['.lock', '.lock.break', 'identities.json'].includes(name) && !isTempFile(name));
  if (others.length > 0) {
    throw new StoreCorruptedError(
      file,
      `it is missing, yet the folder holds ${others.slice(0, 5).join(', ')}; a new store is created only in a missing or empty folder`,
    );
  }
  if (!create) throw new StoreNotFoundError(root);
  const storeId = randomBytes(16);
  const header: StoreHeader = {
    format: STORE_FORMAT,
    formatVersion: STORE_FORMAT_VERSION,
    storeId: storeId.toString('base64'),
    created: new Date().toISOString(),
    keyCheckValue: KeyWrapper.derive(rootKey, storeId).keyCheckValue,
  };
  atomicWriteFileSync(file, JSON.stringify(header, null, 2) + '\n');
  return header;
}

export function parseHeader(file: string, text: string): StoreHeader {
  const value = parseJson(file, text);
  if (!isObject(value) || value['format'] !== STORE_FORMAT) throw new StoreCorruptedError(file, `it is not a KMS Studio store header (no "format": "${STORE_FORMAT}")`);
  const version = value['formatVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version)) throw new StoreCorruptedError(file, 'formatVersion is not an integer');
  if (version > STORE_FORMAT_VERSION) {
    throw new StoreCorruptedError(file, `format version ${version} is newer than this KMS Studio reads (${STORE_FORMAT_VERSION}); upgrade KMS Studio`);
  }
  for (const field of ['storeId', 'created', 'keyCheckValue'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') throw new StoreCorruptedError(file, `"${field}" is missing`);
  }
  if (Buffer.from(value['storeId'] as string, 'base64').length < 16) throw new StoreCorruptedError(file, 'storeId is shorter than 16 bytes');
  return value as unknown as StoreHeader;
}
