/**
 * Key records, their unwrapped material and the alias tables, kept between calls for the operations that only read
 * them: Encrypt, Decrypt, ReEncrypt, GenerateDataKey and GenerateDataKeyWithoutPlaintext (READ_ONLY_OPERATIONS).
 * Reading a key from a folder store means reading and parsing its file and unwrapping every material version; from
 * a memory store, parsing the record and copying the material. A busy application pays that on every request for
 * the same few keys.
 *
 * What is kept is exactly what the store would answer, for as long as the store would answer it:
 *
 * - every entry carries the store's version() and writeCount() it was read at, and is used only while both are
 *   unchanged. version() moves when any process commits a change (another process disabling the key, a key policy
 *   put by VS Code while the CLI runs), writeCount() when this process writes, committed or not. A call after
 *   another process's commit reads the key again: it is refused at once if the key was disabled, as without the
 *   cache;
 * - the version is the one the key sweep reads at the start of every call (keySweep.ts), so the cache costs no
 *   read of its own: a call sees the store as it was committed when the call began, which is what a call that
 *   started a moment earlier would have seen anyway;
 * - operations that change keys, and anything inside a store transaction, read the store itself: a cached read
 *   there could miss a commit made between the start of the call and taking the lock;
 * - records are frozen, since many calls share one; material is never handed out beyond the cryptography of the
 *   call that uses it.
 *
 * Unwrapped material stays in memory while it is cached (as it always does in a memory store). It is wiped once
 * no call can be using it: when a newer version replaced it, at the end of the call that replaced it. A change
 * made behind the store's back (a key file edited by hand, a process that died between writing a file and
 * committing) is seen once the version next moves.
 */
import type { AliasRecord, KmsStore, StoredKey } from '../store/kmsStore';
import type { KeyRecord } from './keyRecord';
import { deepFreeze } from '../deepFreeze';

/** The operations whose calls read keys and aliases through the cache. None of them writes a key or an alias. */
export const READ_ONLY_OPERATIONS: ReadonlySet<string> = new Set(['Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext']);

/** What a call reads keys and aliases from: the store, or the cache standing in for it. */
export type KeyReads = Pick<KmsStore<KeyRecord, AliasRecord>, 'readKey' | 'readAliases'>;

/** The most keys and regions kept; beyond that everything is dropped and read again. */
const MAX_ENTRIES = 1024;

interface Stamp {
  version: string;
  writes: number;
}

interface KeyEntry extends Stamp {
  stored: StoredKey<KeyRecord>;
}

interface AliasEntry extends Stamp {
  aliases: ReadonlyMap<string, AliasRecord>;
  /** Values derived from the aliases by the alias table (a key's alias names), made once per entry. */
  derived: Map<string, unknown>;
}

/** The key records the cache froze through before handing them out. */
const cachedRecords = new WeakSet<KeyRecord>();

/** Whether `record` is one the read cache handed out: frozen through, so it can never change. */
export function isUnchangeableRecord(record: KeyRecord): boolean {
  return cachedRecords.has(record);
}

export class ReadCache implements KeyReads {
  private readonly keys = new Map<string, KeyEntry>();
  private readonly aliasTables = new Map<string, AliasEntry>();
  /** Material of entries replaced during the current call: wiped when it ends (release()). */
  private readonly retired: Map<string, Uint8Array>[] = [];
  private version: string | undefined;

  constructor(private readonly store: KmsStore<KeyRecord, AliasRecord>) {}

  /** Whether the store can say when what was read is still current; without writeCount() nothing is kept. */
  get usable(): boolean {
    return typeof this.store.writeCount === 'function';
  }

  /** Starts a call that reads through the cache: `version` is the store's version as the call began. */
  begin(version: string): void {
    this.version = version;
  }

  private current(entry: Stamp | undefined): boolean {
    return entry !== undefined && this.version !== undefined && entry.version === this.version && entry.writes === this.store.writeCount!();
  }

  private stamp(): Stamp {
    return { version: this.version!, writes: this.store.writeCount!() };
  }

  readKey(region: string, keyId: string): StoredKey<KeyRecord> | undefined {
    // Outside a call there is no version to vouch for what is kept.
    if (this.version === undefined) throw new Error('ReadCache.readKey outside a call');
    const name = `${region}/${keyId}`;
    const entry = this.keys.get(name);
    if (this.current(entry)) return entry!.stored;
    const stamp = this.stamp();
    const stored = this.store.readKey(region, keyId);
    if (entry) {
      this.keys.delete(name);
      this.retired.push(entry.stored.material);
    }
    // A missing key is not kept: it is the rare case, and a key created meanwhile must be found at once.
    if (!stored) return undefined;
    if (this.keys.size >= MAX_ENTRIES) this.dropKeys();
    deepFreeze(stored.record);
    cachedRecords.add(stored.record);
    this.keys.set(name, { ...stamp, stored });
    return stored;
  }

  readAliases(region: string): Map<string, AliasRecord> {
    return this.aliasEntry(region).aliases as Map<string, AliasRecord>;
  }

  /** A value derived from the region's aliases, computed once per version of them. Treat it as read-only. */
  derivedFromAliases<T>(region: string, name: string, compute: (aliases: ReadonlyMap<string, AliasRecord>) => T): T {
    const entry = this.aliasEntry(region);
    if (entry.derived.has(name)) return entry.derived.get(name) as T;
    const value = compute(entry.aliases);
    entry.derived.set(name, value);
    return value;
  }

  private aliasEntry(region: string): AliasEntry {
    if (this.version === undefined) throw new Error('ReadCache.readAliases outside a call');
    const entry = this.aliasTables.get(region);
    if (this.current(entry)) return entry!;
    const stamp = this.stamp();
    const aliases = this.store.readAliases(region);
    for (const record of aliases.values()) deepFreeze(record);
    if (this.aliasTables.size >= MAX_ENTRIES) this.aliasTables.clear();
    const fresh: AliasEntry = { ...stamp, aliases, derived: new Map() };
    this.aliasTables.set(region, fresh);
    return fresh;
  }

  private dropKeys(): void {
    for (const entry of this.keys.values()) this.retired.push(entry.stored.material);
    this.keys.clear();
  }

  /** Ends a call: wipes the material of entries it replaced, which no later call can reach. */
  release(): void {
    for (const material of this.retired) for (const bytes of material.values()) bytes.fill(0);
    this.retired.length = 0;
    this.version = undefined;
  }
}
