/**
 * Aliases as the KMS sees them: per account and region, as AWS scopes them. The store keeps one alias map per
 * region; an alias of the KMS's own account is stored under its name (`alias/example`), which is what the
 * store's other readers expect, and an alias of another account under its alias ARN, which cannot collide with
 * a name.
 */
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import { aliasArnOf, type KeyRecord } from './keyRecord';
import { ReadCache, type KeyReads } from './readCache';

export interface AliasEntry {
  aliasName: string;
  aliasArn: string;
  account: string;
  region: string;
  targetKeyId: string;
  creationDate: string;
  lastUpdatedDate: string;
}

export class AliasTable {
  constructor(
    private readonly store: KmsStore<KeyRecord, AliasRecord>,
    /** The KMS's own account, whose aliases are stored by name. */
    private readonly account: string,
  ) {}

  private storageKey(region: string, account: string, aliasName: string): string {
    return account === this.account ? aliasName : aliasArnOf(region, account, aliasName);
  }

  private entryOf(region: string, key: string, record: AliasRecord): AliasEntry {
    let account = this.account;
    let aliasName = key;
    if (key.startsWith('arn:')) {
      const parts = key.split(':');
      account = parts[4]!;
      aliasName = parts.slice(5).join(':');
    }
    return { aliasName, aliasArn: aliasArnOf(region, account, aliasName), account, region, ...record };
  }

  /** The aliases of `account` in `region`, sorted by name; read from `reads` (the store unless told). */
  list(region: string, account: string, reads: KeyReads = this.store): AliasEntry[] {
    return [...reads.readAliases(region)]
      .map(([key, record]) => this.entryOf(region, key, record))
      .filter((e) => e.account === account)
      .sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
  }

  get(region: string, account: string, aliasName: string, reads: KeyReads = this.store): AliasEntry | undefined {
    const key = this.storageKey(region, account, aliasName);
    const record = reads.readAliases(region).get(key);
    return record ? this.entryOf(region, key, record) : undefined;
  }

  /** Alias names pointing at the key: its `kms:ResourceAliases`. */
  namesOf(key: KeyRecord, reads: KeyReads = this.store): string[] {
    const names = (): string[] =>
      this.list(key.region, key.account, reads)
        .filter((e) => e.targetKeyId === key.keyId)
        .map((e) => e.aliasName);
    // Through the read cache the names are worked out once per version of the aliases; a copy goes out.
    if (reads instanceof ReadCache) return reads.derivedFromAliases(key.region, `names ${key.account} ${key.keyId}`, names).slice();
    return names();
  }

  put(entry: AliasEntry): void {
    const aliases = this.store.readAliases(entry.region);
    const { targetKeyId, creationDate, lastUpdatedDate } = entry;
    aliases.set(this.storageKey(entry.region, entry.account, entry.aliasName), { targetKeyId, creationDate, lastUpdatedDate });
    this.store.writeAliases(entry.region, aliases);
  }

  delete(region: string, account: string, aliasName: string): void {
    const aliases = this.store.readAliases(region);
    if (aliases.delete(this.storageKey(region, account, aliasName))) this.store.writeAliases(region, aliases);
  }

  /** Removes every alias of a deleted key. */
  deleteAliasesOf(key: KeyRecord): void {
    const aliases = this.store.readAliases(key.region);
    let changed = false;
    for (const [name, record] of aliases) {
      if (record.targetKeyId === key.keyId && this.entryOf(key.region, name, record).account === key.account) {
        aliases.delete(name);
        changed = true;
      }
    }
    if (changed) this.store.writeAliases(key.region, aliases);
  }
}
