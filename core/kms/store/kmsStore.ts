/**
 * The interface the KMS layer keeps its state through. Two implementations: FolderStore (a folder shared by
 * processes, material wrapped under a root key) and MemoryStore (for unit tests of the KMS layer).
 *
 * The store is generic over the key record `K` (metadata, policy, grants, as the KMS layer defines them) and the
 * alias entry `A`. Key material is not part of the record: it goes in `material`, a map from names the KMS layer
 * chooses (one per material version, a private key, ...) to bytes, which the folder store wraps before writing.
 * A record holding binary values is refused, so material cannot slip into the clear by way of the record.
 *
 * Consistency: every single write is atomic, and reads always see the latest committed write of any process
 * (the stores cache nothing). `withLock` gives mutual exclusion between processes for read-modify-write sequences
 * (a counter, an alias list, a key and its alias), not atomicity across files: a crash between two writes of one
 * transaction leaves the first in place.
 *
 * A reader that keeps what it read (the KMS's read cache, service/readCache.ts) knows it is still current while
 * both version() and writeCount() are unchanged: version() moves when any process commits, writeCount() when
 * this process writes, before the commit too.
 */
import type { ClockOffsetStore } from '../clock';
import { InvalidStoreNameError as InvalidName } from './errors';
import type { Identity } from './identities';

export type KeyMaterial = ReadonlyMap<string, Uint8Array>;

export interface StoredKey<K> {
  region: string;
  keyId: string;
  record: K;
  /** Unwrapped material, by name. The caller owns these copies. */
  material: Map<string, Uint8Array>;
}

/** A key as listed: its record without the material. */
export interface KeyListing<K> {
  region: string;
  keyId: string;
  record: K;
}

/** The default alias entry: what ListAliases reports besides the alias name and ARN. */
export interface AliasRecord {
  targetKeyId: string;
  creationDate: string;
  lastUpdatedDate: string;
}

export interface StoreChange {
  /** The store's version after the change. */
  version: string;
}

export interface Disposable {
  dispose(): void;
}

export interface KmsStore<K, A = AliasRecord> extends ClockOffsetStore {
  /**
   * Runs `fn` holding the store's lock, shutting out other processes. Re-entrant. `fn` must be synchronous: a
   * promise returned from it is refused, since the lock would be released before the promise settles.
   */
  withLock<T>(fn: (tx: this) => T): T;

  readKey(region: string, keyId: string): StoredKey<K> | undefined;
  /** Creates or replaces a key. Without `material`, the key keeps the material it has. */
  writeKey(region: string, keyId: string, record: K, material?: KeyMaterial): void;
  /** Returns whether the key existed. */
  deleteKey(region: string, keyId: string): boolean;
  /** Keys of one region, or of all regions; sorted by region then key ID. */
  listKeys(region?: string): KeyListing<K>[];
  /** Regions with at least one key or alias, sorted. */
  listRegions(): string[];

  /** The region's aliases by alias name (`alias/example`). */
  readAliases(region: string): Map<string, A>;
  /** Replaces the region's aliases. */
  writeAliases(region: string, aliases: ReadonlyMap<string, A>): void;

  /**
   * A small JSON document the KMS layer keeps beside keys and aliases (custom key stores), by name; undefined when
   * never written. Binary values are refused, as in records.
   */
  readDocument(name: string): unknown;
  /** Creates or replaces a document. */
  writeDocument(name: string, value: unknown): void;

  /** The callers the store's owner declared (identities.json); the store never writes them. */
  readIdentities(): Identity[];

  /** A token that changes whenever any process commits a change; compare it to know whether to re-read. */
  version(): string;
  /**
   * A number that changes whenever this process writes to the store, through this object or any other of the
   * same store, committed or not: inside a transaction version() stays put until the commit, this does not.
   * Optional: without it a reader cannot tell, and must not keep what it read.
   */
  writeCount?(): number;
  /** Calls `listener` after changes by this or any other process, debounced. */
  watch(listener: (change: StoreChange) => void): Disposable;
}

/** Refuses binary values anywhere in a record: material belongs in `material`, where it is wrapped. */
export function assertNoBinary(value: unknown, where = 'record'): void {
  if (value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    throw new TypeError(`${where} holds binary data; key material goes in the material map, where the store wraps it`);
  }
  if (Array.isArray(value)) value.forEach((item, i) => assertNoBinary(item, `${where}[${i}]`));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) assertNoBinary(item, `${where}.${key}`);
  }
}

/** Refuses a promise returned to withLock. */
export function assertSynchronous(result: unknown): void {
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    throw new TypeError('withLock(fn): fn returned a promise; store transactions are synchronous');
  }
}

// A region or key ID becomes a file name, so both are restricted to what cannot climb out of the folder.
const REGION = /^[a-z0-9][a-z0-9-]{0,49}$/;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
const MATERIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DOCUMENT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function checkDocumentName(name: string): void {
  if (typeof name !== 'string' || !DOCUMENT_NAME.test(name)) throw new InvalidName(`"${name}" is not a document name (lowercase letters, digits and dashes)`);
}

export function checkRegion(region: string): void {
  if (typeof region !== 'string' || !REGION.test(region)) throw new InvalidName(`"${region}" is not a region name (lowercase letters, digits and dashes, like us-east-1)`);
}

export function checkKeyId(keyId: string): void {
  if (typeof keyId !== 'string' || !KEY_ID.test(keyId)) throw new InvalidName(`"${keyId}" is not a key ID (letters, digits, dashes and underscores)`);
}

export function checkMaterialName(name: string): void {
  if (typeof name !== 'string' || !MATERIAL_NAME.test(name)) throw new InvalidName(`"${name}" is not a material name (letters, digits, ".", "_", "-")`);
}

export function isKeyId(keyId: string): boolean {
  return KEY_ID.test(keyId);
}

export function isRegion(region: string): boolean {
  return REGION.test(region);
}
