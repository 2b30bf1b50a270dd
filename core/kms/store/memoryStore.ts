/**
 * The store interface in memory, for unit tests of the KMS layer. It keeps the folder store's observable
 * behaviour: records go through JSON (a caller mutating what it read or wrote does not change the store, and a
 * Date comes back as a string), material is copied in and out, binary values in records are refused, names are
 * checked the same way, and listeners hear about each committed transaction asynchronously.
 */
import type { Identity } from './identities';
import {
  assertNoBinary,
  assertSynchronous,
  checkDocumentName,
  checkKeyId,
  checkMaterialName,
  checkRegion,
  type AliasRecord,
  type Disposable,
  type KeyListing,
  type KeyMaterial,
  type KmsStore,
  type StoreChange,
  type StoredKey,
} from './kmsStore';

interface MemoryKey {
  recordJson: string;
  material: Map<string, Uint8Array>;
}

export interface MemoryStoreOptions {
  identities?: Identity[];
  clockOffsetMs?: number;
}

function copyMaterial(material: ReadonlyMap<string, Uint8Array>): Map<string, Uint8Array> {
  return new Map([...material].map(([name, bytes]) => [name, new Uint8Array(bytes)]));
}

function byString(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export class MemoryStore<K = unknown, A = AliasRecord> implements KmsStore<K, A> {
  private readonly keys = new Map<string, Map<string, MemoryKey>>();
  private readonly aliases = new Map<string, string>();
  private readonly documents = new Map<string, string>();
  private readonly identities: string;
  private clockOffsetMs: number;
  private counter = 0;
  /** Writes so far, committed or not: see writeCount(). */
  private writes = 0;
  private depth = 0;
  private dirty = false;
  private readonly listeners = new Set<(change: StoreChange) => void>();

  constructor(options: MemoryStoreOptions = {}) {
    this.identities = JSON.stringify(options.identities ?? []);
    this.clockOffsetMs = options.clockOffsetMs ?? 0;
  }

  withLock<T>(fn: (tx: this) => T): T {
    if (this.depth > 0) {
      const result = fn(this);
      assertSynchronous(result);
      return result;
    }
    this.depth = 1;
    this.dirty = false;
    try {
      const result = fn(this);
      assertSynchronous(result);
      return result;
    } finally {
      this.depth = 0;
      if (this.dirty) this.commit();
      this.dirty = false;
    }
  }

  private commit(): void {
    this.counter++;
    const change = { version: this.version() };
    for (const listener of this.listeners) queueMicrotask(() => listener(change));
  }

  private mutate(fn: () => void): void {
    this.withLock(() => {
      fn();
      this.dirty = true;
      this.writes++;
    });
  }

  readKey(region: string, keyId: string): StoredKey<K> | undefined {
    checkRegion(region);
    checkKeyId(keyId);
    const key = this.keys.get(region)?.get(keyId);
    if (!key) return undefined;
    return { region, keyId, record: JSON.parse(key.recordJson) as K, material: copyMaterial(key.material) };
  }

  writeKey(region: string, keyId: string, record: K, material?: KeyMaterial): void {
    checkRegion(region);
    checkKeyId(keyId);
    assertNoBinary(record);
    if (material) for (const name of material.keys()) checkMaterialName(name);
    this.mutate(() => {
      const keys = this.keys.get(region) ?? new Map<string, MemoryKey>();
      this.keys.set(region, keys);
      const kept = keys.get(keyId)?.material ?? new Map<string, Uint8Array>();
      keys.set(keyId, { recordJson: JSON.stringify(record), material: material ? copyMaterial(material) : kept });
    });
  }

  deleteKey(region: string, keyId: string): boolean {
    checkRegion(region);
    checkKeyId(keyId);
    const keys = this.keys.get(region);
    if (!keys?.has(keyId)) return false;
    this.mutate(() => {
      keys.delete(keyId);
      if (keys.size === 0) this.keys.delete(region);
    });
    return true;
  }

  listKeys(region?: string): KeyListing<K>[] {
    if (region !== undefined) checkRegion(region);
    const regions = region !== undefined ? [region] : [...this.keys.keys()].sort(byString);
    return regions.flatMap((r) =>
      [...(this.keys.get(r) ?? new Map<string, MemoryKey>())]
        .sort(([a], [b]) => byString(a, b))
        .map(([keyId, key]) => ({ region: r, keyId, record: JSON.parse(key.recordJson) as K })),
    );
  }

  listRegions(): string[] {
    return [...new Set([...this.keys.keys(), ...this.aliases.keys()])].sort(byString);
  }

  readAliases(region: string): Map<string, A> {
    checkRegion(region);
    const json = this.aliases.get(region);
    return new Map(json ? (JSON.parse(json) as [string, A][]) : []);
  }

  writeAliases(region: string, aliases: ReadonlyMap<string, A>): void {
    checkRegion(region);
    const entries = [...aliases].sort(([a], [b]) => byString(a, b));
    for (const [name, entry] of entries) assertNoBinary(entry, `alias ${name}`);
    this.mutate(() => {
      if (entries.length === 0) this.aliases.delete(region);
      else this.aliases.set(region, JSON.stringify(entries));
    });
  }

  readDocument(name: string): unknown {
    checkDocumentName(name);
    const json = this.documents.get(name);
    return json === undefined ? undefined : JSON.parse(json);
  }

  writeDocument(name: string, value: unknown): void {
    checkDocumentName(name);
    assertNoBinary(value, `document ${name}`);
    const json = JSON.stringify(value);
    this.mutate(() => {
      this.documents.set(name, json);
    });
  }

  readClockOffset(): number {
    return this.clockOffsetMs;
  }

  writeClockOffset(offsetMs: number): void {
    if (!Number.isFinite(offsetMs) || offsetMs < 0) throw new RangeError(`A clock offset is a number of milliseconds >= 0, got ${offsetMs}`);
    this.mutate(() => {
      this.clockOffsetMs = offsetMs;
    });
  }

  readIdentities(): Identity[] {
    return JSON.parse(this.identities) as Identity[];
  }

  version(): string {
    return String(this.counter);
  }

  writeCount(): number {
    return this.writes;
  }

  watch(listener: (change: StoreChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
