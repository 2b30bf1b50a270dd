/**
 * The KMS store as a folder that VS Code, the CLI and the local endpoint share.
 *
 * Layout of DIR:
 *
 *   store.json                  header: format, formatVersion, storeId (random, the salt of the key derivation),
 *                               created, keyCheckValue (tells a wrong root key apart from damage)
 *   version.json                {"version": "<counter>-<random>"}, replaced once per committed transaction; the
 *                               one file a watcher and version() look at
 *   keys/<region>/<keyId>.json  one key: {formatVersion, region, keyId, record, material: {name: wrapped blob}};
 *                               a change to one key rewrites that file only
 *   aliases/<region>.json       {formatVersion, region, aliases: {"alias/name": entry}}
 *   clock.json                  {"offsetMs": n}: the sandbox clock's offset from system time
 *   documents/<name>.json       {formatVersion, name, value}: the KMS layer's other state (custom key stores)
 *   identities.json             callers (principal, access key, IAM policies, tags); written by the user, only read
 *   audit/YYYY-MM-DD.jsonl      CloudTrail-shaped events, one per line, by UTC day (core/kms/audit)
 *   .lock                       the inter-process lock while someone holds it (fileLock.ts)
 *   .*.tmp                      temp files of writes in progress, or left by a killed process; never records,
 *                               removed when the store is next opened
 *
 * Key material is wrapped with AES-256-GCM under a key derived from the host's root key (keyWrapper.ts). The
 * AAD of each blob names its region, key ID and material name, so a blob copied into another key's file, or under
 * another name, fails to authenticate. The root key itself is never written here. Files are mode 0600, folders
 * 0700. Every write goes through atomicFile.ts (temp, fsync, rename, fsync folder) while holding the lock; reads
 * take no lock and always go to the file, so a long-running process never acts on a record another process has
 * since replaced. A damaged file raises StoreCorruptedError naming it, and writes refuse to replace a damaged
 * file: a person decides what happens to it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { atomicWriteFileSync, isTempFile, mkdirDurable, readTextIfExists, removeDurable, fsyncDir } from './atomicFile';
import { StoreCorruptedError, StoreNotFoundError, WrongRootKeyError } from './errors';
import { FileLock, isProcessAlive, type FileLockOptions } from './fileLock';
import { loadIdentities, type Identity } from './identities';
import { KeyWrapper, UnwrapError } from './keyWrapper';
import { readOrCreateHeader, type StoreHeader } from './storeHeader';
import { watchStoreVersion } from './storeWatcher';
import { isObject, parseJson, readDirNames, readSmallTextIfExists, validate } from './storeFiles';
import {
  assertNoBinary,
  assertSynchronous,
  checkDocumentName,
  checkKeyId,
  checkMaterialName,
  checkRegion,
  isKeyId,
  isRegion,
  type AliasRecord,
  type Disposable,
  type KeyListing,
  type KeyMaterial,
  type KmsStore,
  type StoreChange,
  type StoredKey,
} from './kmsStore';

const RECORD_FORMAT_VERSION = 1;

export interface FolderStoreOptions<K, A> {
  /** Create the store when the folder is missing or empty (default true). */
  create?: boolean;
  /** Names the root key in WrongRootKeyError (`KMS_STUDIO_ROOT_KEY`, a file path, "VS Code SecretStorage"). */
  rootKeySource?: string;
  /** Checks a key record read from disk and returns it typed; throw to report it damaged. */
  validateKeyRecord?: (value: unknown) => K;
  /** Checks an alias entry read from disk; throw to report it damaged. */
  validateAlias?: (value: unknown) => A;
  /** Read every record and unwrap all material when opening, so damage is found at once (default true). */
  verify?: boolean;
  lock?: FileLockOptions;
  /** Quiet time before a watcher reports a burst of changes; default 50 ms. */
  watchDebounceMs?: number;
}

interface KeyFile {
  formatVersion: number;
  region: string;
  keyId: string;
  record: unknown;
  material: Record<string, string>;
}

function materialAad(region: string, keyId: string, name: string): string {
  return JSON.stringify(['kms-studio/key-material/v1', region, keyId, name]);
}

/**
 * Writes this process made to each store folder, by resolved path: module state, like the lock, because several
 * FolderStore objects of one folder in one process see the same files, and each must count the others' writes.
 */
const writeCounts = new Map<string, number>();

export class FolderStore<K = unknown, A = AliasRecord> implements KmsStore<K, A> {
  readonly auditDir: string;
  private readonly lock: FileLock;
  private readonly versionFile: string;
  private readonly clockFile: string;
  private readonly identitiesFile: string;
  private dirty = false;
  private depth = 0;

  private constructor(
    readonly dir: string,
    readonly header: StoreHeader,
    private readonly wrapper: KeyWrapper,
    private readonly options: FolderStoreOptions<K, A>,
    lock: FileLock,
  ) {
    this.lock = lock;
    this.auditDir = path.join(dir, 'audit');
    this.versionFile = path.join(dir, 'version.json');
    this.clockFile = path.join(dir, 'clock.json');
    this.identitiesFile = path.join(dir, 'identities.json');
  }

  /** Whether `dir` holds a store (has a header); says nothing of its health. */
  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, 'store.json'));
  }

  /**
   * Opens the store in `dir`, creating it when the folder is missing or empty (unless `create: false`). Throws
   * WrongRootKeyError for a root key other than the store's, StoreCorruptedError for damage.
   */
  static open<K = unknown, A = AliasRecord>(dir: string, rootKey: Uint8Array, options: FolderStoreOptions<K, A> = {}): FolderStore<K, A> {
    const root = path.resolve(dir);
    if (fs.existsSync(root) && !fs.statSync(root).isDirectory()) throw new StoreCorruptedError(root, 'it is a file, not a store folder');
    if (!fs.existsSync(root)) {
      if (options.create === false) throw new StoreNotFoundError(root);
      mkdirDurable(root);
    }
    const lock = new FileLock(path.join(root, '.lock'), options.lock);
    return lock.run(() => {
      const header = readOrCreateHeader(root, rootKey, options.create !== false);
      const wrapper = KeyWrapper.derive(rootKey, Buffer.from(header.storeId, 'base64'));
      if (!wrapper.matchesKeyCheckValue(header.keyCheckValue)) {
        throw new WrongRootKeyError(root, options.rootKeySource ?? 'the root key given');
      }
      const store = new FolderStore<K, A>(root, header, wrapper, options, lock);
      store.removeLeftoverTempFiles();
      if (options.verify !== false) store.verify();
      return store;
    });
  }

  /** A write reached the disk: announce it at the commit, and count it now (writeCount). */
  private markWritten(): void {
    this.dirty = true;
    this.countWrite();
  }

  /**
   * Counted before a file is replaced or removed as well as after: a write that fails half-way may still have
   * changed the file, and a count too many only costs a reader one re-read.
   */
  private countWrite(): void {
    writeCounts.set(this.dir, (writeCounts.get(this.dir) ?? 0) + 1);
  }

  writeCount(): number {
    return writeCounts.get(this.dir) ?? 0;
  }

  withLock<T>(fn: (tx: this) => T): T {
    if (this.depth > 0) {
      const result = fn(this);
      assertSynchronous(result);
      return result;
    }
    // Re-entrant at the lock too, so another FolderStore of this folder in this process may nest its transaction.
    return this.lock.run(() => {
      this.depth = 1;
      this.dirty = false;
      try {
        const result = fn(this);
        assertSynchronous(result);
        return result;
      } finally {
        this.depth = 0;
        // Even when fn failed part-way, what it wrote is on disk: announce it.
        if (this.dirty) this.bumpVersion();
        this.dirty = false;
      }
    });
  }

  // ---- keys

  private keyDir(region: string): string {
    return path.join(this.dir, 'keys', region);
  }

  private keyFile(region: string, keyId: string): string {
    checkRegion(region);
    checkKeyId(keyId);
    return path.join(this.keyDir(region), `${keyId}.json`);
  }

  /** Reads and checks a key file without unwrapping; undefined when it does not exist. */
  private readKeyFile(region: string, keyId: string): { file: string; content: KeyFile; record: K } | undefined {
    const file = this.keyFile(region, keyId);
    const text = readTextIfExists(file);
    if (text === undefined) return undefined;
    const value = parseJson(file, text);
    if (!isObject(value)) throw new StoreCorruptedError(file, 'expected a key object');
    if (value['formatVersion'] !== RECORD_FORMAT_VERSION) throw new StoreCorruptedError(file, `unknown record formatVersion ${JSON.stringify(value['formatVersion'])}`);
    if (value['region'] !== region || value['keyId'] !== keyId) {
      throw new StoreCorruptedError(file, `it names key ${String(value['keyId'])} in ${String(value['region'])} but is stored as ${keyId} in ${region}`);
    }
    if (!('record' in value)) throw new StoreCorruptedError(file, 'the key record is missing');
    const material = value['material'];
    if (!isObject(material) || Object.values(material).some((blob) => typeof blob !== 'string')) {
      throw new StoreCorruptedError(file, '"material" is not an object of wrapped blobs');
    }
    const record = validate(file, 'the key record', this.options.validateKeyRecord, value['record']);
    return { file, content: value as unknown as KeyFile, record };
  }

  private unwrapAll(file: string, content: KeyFile): Map<string, Uint8Array> {
    const material = new Map<string, Uint8Array>();
    for (const [name, blob] of Object.entries(content.material)) {
      try {
        material.set(name, this.wrapper.unwrap(blob, materialAad(content.region, content.keyId, name)));
      } catch (error) {
        if (error instanceof UnwrapError) throw new StoreCorruptedError(file, `material "${name}": ${error.message}`);
        throw error;
      }
    }
    return material;
  }

  readKey(region: string, keyId: string): StoredKey<K> | undefined {
    const read = this.readKeyFile(region, keyId);
    if (!read) return undefined;
    return { region, keyId, record: read.record, material: this.unwrapAll(read.file, read.content) };
  }

  writeKey(region: string, keyId: string, record: K, material?: KeyMaterial): void {
    assertNoBinary(record);
    if (material) for (const name of material.keys()) checkMaterialName(name);
    this.withLock(() => {
      const file = this.keyFile(region, keyId);
      // Reading first refuses to replace a damaged file, and supplies the blobs to keep when material is omitted.
      const existing = this.readKeyFile(region, keyId);
      let blobs: Record<string, string>;
      if (material) {
        blobs = Object.fromEntries([...material].map(([name, bytes]) => [name, this.wrapper.wrap(bytes, materialAad(region, keyId, name))]));
      } else {
        if (existing) this.unwrapAll(existing.file, existing.content).forEach((bytes) => bytes.fill(0));
        blobs = existing ? { ...existing.content.material } : {};
      }
      const content: KeyFile = { formatVersion: RECORD_FORMAT_VERSION, region, keyId, record, material: blobs };
      const text = JSON.stringify(content, null, 2) + '\n';
      validate(file, 'the key record', this.options.validateKeyRecord, JSON.parse(text).record);
      mkdirDurable(this.keyDir(region));
      this.countWrite();
      atomicWriteFileSync(file, text);
      this.markWritten();
    });
  }

  deleteKey(region: string, keyId: string): boolean {
    const file = this.keyFile(region, keyId);
    return this.withLock(() => {
      this.countWrite();
      const existed = removeDurable(file);
      if (existed) {
        this.markWritten();
        this.removeIfEmpty(this.keyDir(region));
      }
      return existed;
    });
  }

  private removeIfEmpty(dir: string): void {
    if (readDirNames(dir).length > 0) return;
    try {
      fs.rmdirSync(dir);
      fsyncDir(path.dirname(dir));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  }

  private keyRegions(): string[] {
    return readDirNames(path.join(this.dir, 'keys')).filter(isRegion).sort();
  }

  listKeys(region?: string): KeyListing<K>[] {
    if (region !== undefined) checkRegion(region);
    const listings: KeyListing<K>[] = [];
    for (const r of region !== undefined ? [region] : this.keyRegions()) {
      const ids = readDirNames(this.keyDir(r))
        .filter((name) => name.endsWith('.json') && !isTempFile(name))
        .map((name) => name.slice(0, -'.json'.length))
        .filter(isKeyId)
        .sort();
      for (const keyId of ids) {
        // A key deleted by another process since readdir is simply not listed.
        const read = this.readKeyFile(r, keyId);
        if (read) listings.push({ region: r, keyId, record: read.record });
      }
    }
    return listings;
  }

  listRegions(): string[] {
    const fromAliases = readDirNames(path.join(this.dir, 'aliases'))
      .filter((name) => name.endsWith('.json') && !isTempFile(name))
      .map((name) => name.slice(0, -'.json'.length))
      .filter(isRegion);
    return [...new Set([...this.keyRegions(), ...fromAliases])].sort();
  }

  // ---- aliases

  private aliasFile(region: string): string {
    checkRegion(region);
    return path.join(this.dir, 'aliases', `${region}.json`);
  }

  readAliases(region: string): Map<string, A> {
    const file = this.aliasFile(region);
    const text = readTextIfExists(file);
    if (text === undefined) return new Map();
    const value = parseJson(file, text);
    if (!isObject(value) || value['formatVersion'] !== RECORD_FORMAT_VERSION || value['region'] !== region || !isObject(value['aliases'])) {
      throw new StoreCorruptedError(file, `expected {"formatVersion": 1, "region": "${region}", "aliases": {...}}`);
    }
    const aliases = new Map<string, A>();
    for (const [name, entry] of Object.entries(value['aliases'])) {
      aliases.set(name, validate(file, `alias ${name}`, this.options.validateAlias, entry));
    }
    return aliases;
  }

  writeAliases(region: string, aliases: ReadonlyMap<string, A>): void {
    const file = this.aliasFile(region);
    const entries = [...aliases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, entry] of entries) assertNoBinary(entry, `alias ${name}`);
    this.withLock(() => {
      this.readAliases(region); // refuses to replace a damaged file
      this.countWrite();
      if (entries.length === 0) {
        if (removeDurable(file)) this.markWritten();
        return;
      }
      mkdirDurable(path.dirname(file));
      atomicWriteFileSync(file, JSON.stringify({ formatVersion: RECORD_FORMAT_VERSION, region, aliases: Object.fromEntries(entries) }, null, 2) + '\n');
      this.markWritten();
    });
  }

  // ---- documents

  private documentFile(name: string): string {
    checkDocumentName(name);
    return path.join(this.dir, 'documents', `${name}.json`);
  }

  readDocument(name: string): unknown {
    const file = this.documentFile(name);
    const text = readTextIfExists(file);
    if (text === undefined) return undefined;
    const value = parseJson(file, text);
    if (!isObject(value) || value['formatVersion'] !== RECORD_FORMAT_VERSION || value['name'] !== name || !('value' in value)) {
      throw new StoreCorruptedError(file, `expected {"formatVersion": 1, "name": "${name}", "value": ...}`);
    }
    return value['value'];
  }

  writeDocument(name: string, value: unknown): void {
    const file = this.documentFile(name);
    assertNoBinary(value, `document ${name}`);
    this.withLock(() => {
      this.readDocument(name); // refuses to replace a damaged file
      mkdirDurable(path.dirname(file));
      this.countWrite();
      atomicWriteFileSync(file, JSON.stringify({ formatVersion: RECORD_FORMAT_VERSION, name, value }, null, 2) + '\n');
      this.markWritten();
    });
  }

  // ---- clock, identities

  readClockOffset(): number {
    const text = readTextIfExists(this.clockFile);
    if (text === undefined) return 0;
    const value = parseJson(this.clockFile, text);
    const offset = isObject(value) ? value['offsetMs'] : undefined;
    if (typeof offset !== 'number' || !Number.isFinite(offset) || offset < 0) {
      throw new StoreCorruptedError(this.clockFile, 'expected {"offsetMs": <a number of milliseconds >= 0>}');
    }
    return offset;
  }

  writeClockOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs) || offsetMs < 0) throw new RangeError(`A clock offset is a number of milliseconds >= 0, got ${offsetMs}`);
    this.withLock(() => {
      this.countWrite();
      atomicWriteFileSync(this.clockFile, JSON.stringify({ offsetMs }) + '\n');
      this.markWritten();
    });
  }

  readIdentities(): Identity[] {
    return loadIdentities(this.identitiesFile);
  }

  // ---- wrapping for callers with secrets outside key records

  /**
   * Wraps bytes under the store's wrapping key with `aad` naming what they belong to. Kept apart from key material
   * by a prefix on the AAD, so no blob from wrap() opens as key material or the reverse.
   */
  wrap(plaintext: Uint8Array, aad: string): string {
    return this.wrapper.wrap(plaintext, JSON.stringify(['kms-studio/app/v1', aad]));
  }

  /** Throws UnwrapError when the blob was altered or wrapped under another AAD. */
  unwrap(blob: string, aad: string): Uint8Array {
    return this.wrapper.unwrap(blob, JSON.stringify(['kms-studio/app/v1', aad]));
  }

  // ---- change detection

  /** The version file's last text and what it says: the text is compared, and parsed only when it changed. */
  private versionText: string | undefined;
  private versionValue = '0';

  version(): string {
    // Every KMS call asks (the key sweep, and the read cache with it): the file is read whole each time, into a
    // buffer kept for it, and parsed only when its text differs from the last.
    const text = readSmallTextIfExists(this.versionFile);
    if (text === undefined) return '0';
    if (text === this.versionText) return this.versionValue;
    const value = parseJson(this.versionFile, text);
    if (!isObject(value) || typeof value['version'] !== 'string') throw new StoreCorruptedError(this.versionFile, 'expected {"version": "..."}');
    this.versionText = text;
    this.versionValue = value['version'];
    return value['version'];
  }

  private bumpVersion(): void {
    let counter = 0;
    try {
      counter = Number.parseInt(this.version(), 10) || 0;
    } catch {
      // A damaged version file is replaced: it holds no data, only a change marker.
    }
    // The random part keeps a version from repeating after a crash lost the latest bump.
    atomicWriteFileSync(this.versionFile, JSON.stringify({ version: `${counter + 1}-${randomBytes(6).toString('hex')}` }) + '\n');
  }

  /**
   * Every committed transaction replaces version.json at the top of the folder, so a non-recursive watch of the
   * folder sees every change; events for temp and lock files are filtered out by comparing versions.
   */
  watch(listener: (change: StoreChange) => void): Disposable {
    return watchStoreVersion(this.dir, () => this.version(), this.options.watchDebounceMs ?? 50, listener);
  }

  // ---- maintenance

  /**
   * Reads every record and unwraps every blob once, so a damaged store is reported when it is opened rather than
   * half-way through an operation.
   */
  verify(): void {
    this.version();
    this.readClockOffset();
    for (const region of this.listRegions()) {
      for (const { keyId } of this.listKeys(region)) this.readKey(region, keyId)?.material.forEach((bytes) => bytes.fill(0));
      this.readAliases(region);
    }
  }

  /**
   * Removes temp files of writes that will never finish. Runs holding the lock, when no record write is in
   * progress; the lock's own temp files of live processes (made before they hold the lock) are left alone.
   */
  private removeLeftoverTempFiles(): void {
    const folders = [this.dir, path.join(this.dir, 'aliases'), path.join(this.dir, 'documents'), path.join(this.dir, 'keys'), ...this.keyRegions().map((r) => this.keyDir(r))];
    for (const folder of folders) {
      for (const name of readDirNames(folder)) {
        if (!isTempFile(name)) continue;
        const pid = Number(/\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
        if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid)) continue;
        fs.rmSync(path.join(folder, name), { force: true });
      }
    }
  }
}
