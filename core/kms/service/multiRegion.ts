/**
 * Multi-Region keys (AWS KMS Developer Guide, "Multi-Region keys in AWS KMS"): a primary key and its replicas in
 * other Regions share a key ID (`mrk-` and 32 hex digits), their key material, key spec, key usage, origin and
 * automatic rotation, so a ciphertext of one decrypts under any other. Each has its own ARN, key policy, grants,
 * description, tags, aliases and key state.
 *
 * The related keys live side by side in the one store, keyed by Region. Every key of the set keeps the whole
 * MultiRegionConfiguration (primary and replicas), as DescribeKey shows it in each Region; a change to the set is
 * written to every member under the store's lock.
 */
import { randomBytes } from 'node:crypto';
import type { KmsStore } from '../store/kmsStore';
import type { AliasRecord } from '../store/kmsStore';
import type { KeyRecord, MultiRegionConfigurationRecord } from './keyRecord';

export function newMultiRegionKeyId(): string {
  return `mrk-${randomBytes(16).toString('hex')}`;
}

export function isReplica(record: KeyRecord): boolean {
  return record.multiRegionConfiguration?.MultiRegionKeyType === 'REPLICA';
}

/** The Regions of the other keys of a multi-Region key's set. */
export function relatedRegions(record: KeyRecord): string[] {
  const config = record.multiRegionConfiguration;
  if (!config) return [];
  return [config.PrimaryKey.Region, ...config.ReplicaKeys.map((r) => r.Region)].filter((region) => region !== record.region);
}

/** The configuration as the key in `region` shows it: its own type, the same primary and replicas. */
export function configurationFor(region: string, config: Omit<MultiRegionConfigurationRecord, 'MultiRegionKeyType'>): MultiRegionConfigurationRecord {
  return {
    MultiRegionKeyType: config.PrimaryKey.Region === region ? 'PRIMARY' : 'REPLICA',
    PrimaryKey: { ...config.PrimaryKey },
    ReplicaKeys: config.ReplicaKeys.map((r) => ({ ...r })),
  };
}

/**
 * Writes `config` to every key of the set in Regions other than `except` (whose caller writes it itself), and
 * applies `also` to each. Call holding the store's lock.
 */
export function updateRelated(
  store: KmsStore<KeyRecord, AliasRecord>,
  keyId: string,
  regions: readonly string[],
  change: (record: KeyRecord, material: Map<string, Uint8Array>) => Map<string, Uint8Array> | void,
): void {
  for (const region of regions) {
    const stored = store.readKey(region, keyId);
    if (!stored) continue;
    try {
      const material = change(stored.record, stored.material);
      store.writeKey(region, keyId, stored.record, material ?? undefined);
    } finally {
      stored.material.forEach((bytes) => bytes.fill(0));
    }
  }
}
