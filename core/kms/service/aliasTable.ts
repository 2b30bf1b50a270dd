/**
 * Aliases as the KMS sees them: per account and region, as AWS scopes them. The store keeps one alias map per
 * region; an alias of the KMS's own account is stored under its name (`alias/example`), which is what the
 * store's other readers expect, and an alias of another account under its alias ARN, which cannot collide with
 * a name.
 */
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import { aliasArnOf, type KeyRecord } from './keyRecord';

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

  /** The aliases of `account` in `region`, sorted by name. */
  list(region: string, account: string): AliasEntry[] {
    return [...this.store.readAliases(region)]
      .map(([key, record]) => this.entryOf(region, key, record))
      .filter((e) => e.account === account)
      .sort((a, b) => (a.aliasName < b.aliasName ? -1 : a.aliasName > b.aliasName ? 1 : 0));
  }

  get(region: string, account: string, aliasName: string): AliasEntry | undefined {
    const key = this.storageKey(region, account, aliasName);
    const record = this.store.readAliases(region).get(key);
    return record ? this.entryOf(region, key, record) : undefined;
  }

  /** Alias names pointing at the key: its `kms:ResourceAliases`. */
  namesOf(key: KeyRecord): string[] {
    return this.list(key.region, key.account)
      .filter((e) => e.targetKeyId === key.keyId)
      .map((e) => e.aliasName);
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
