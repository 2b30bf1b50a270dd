/**
 * The custom key stores the KMS knows, kept in the store's `custom-key-stores` document so every process that
 * shares a store folder sees the same ones. Only external key stores (CustomKeyStoreType EXTERNAL_KEY_STORE,
 * public endpoint connectivity) exist here; AWS CloudHSM key stores need a cluster this KMS cannot simulate.
 *
 * The proxy authentication credential's secret is not kept: the record holds a digest of it, which is enough to
 * present the credential to the in-process proxy (which compares digests) and keeps the secret out of a file
 * that is not wrapped under the root key.
 */
import { randomBytes } from 'node:crypto';
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import type { KeyRecord } from './keyRecord';

const DOCUMENT = 'custom-key-stores';

export type ConnectionState = 'CONNECTED' | 'CONNECTING' | 'DISCONNECTED' | 'DISCONNECTING' | 'FAILED';

export interface CustomKeyStoreRecord {
  id: string;
  name: string;
  account: string;
  region: string;
  creationDate: string;
  connectionState: ConnectionState;
  connectionErrorCode?: string;
  uriEndpoint: string;
  uriPath: string;
  connectivity: 'PUBLIC_ENDPOINT';
  accessKeyId: string;
  /** See the file comment: a digest of RawSecretAccessKey, never the secret. */
  secretDigest: string;
}

/** AWS's custom key store IDs: `cks-` and 17 lowercase hex digits. */
export function newCustomKeyStoreId(): string {
  return `cks-${randomBytes(9).toString('hex').slice(0, 17)}`;
}

export class CustomKeyStoreTable {
  constructor(private readonly store: KmsStore<KeyRecord, AliasRecord>) {}

  /** Every custom key store of every account and Region, in creation order. */
  all(): CustomKeyStoreRecord[] {
    const value = this.store.readDocument(DOCUMENT);
    return Array.isArray(value) ? (value as CustomKeyStoreRecord[]) : [];
  }

  /** The stores of one account in one Region. */
  list(region: string, account: string): CustomKeyStoreRecord[] {
    return this.all().filter((s) => s.region === region && s.account === account);
  }

  get(region: string, account: string, id: string): CustomKeyStoreRecord | undefined {
    return this.list(region, account).find((s) => s.id === id);
  }

  /** Creates or replaces a store's record. Call holding the store's lock. */
  put(record: CustomKeyStoreRecord): void {
    const all = this.all().filter((s) => s.id !== record.id);
    all.push(record);
    all.sort((a, b) => (a.creationDate < b.creationDate ? -1 : a.creationDate > b.creationDate ? 1 : a.id < b.id ? -1 : 1));
    this.store.writeDocument(DOCUMENT, all);
  }

  delete(id: string): void {
    this.store.writeDocument(
      DOCUMENT,
      this.all().filter((s) => s.id !== id),
    );
  }

  /** The KMS keys in a custom key store, in its Region. */
  keysIn(record: CustomKeyStoreRecord): KeyRecord[] {
    return this.store
      .listKeys(record.region)
      .map((k) => k.record)
      .filter((k) => k.customKeyStoreId === record.id);
  }
}
