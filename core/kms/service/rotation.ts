/**
 * Key rotation (AWS KMS Developer Guide, "Rotate AWS KMS keys"): a rotation adds a new version of the key's
 * material and makes it current. New ciphertexts use the current material; every earlier version is kept for
 * as long as the key exists, so a ciphertext made before the rotation still decrypts (its header names the
 * material that sealed it). The key ID, ARN, policy, grants and aliases do not change.
 *
 * Only symmetric encryption keys with material that AWS KMS generated rotate: not asymmetric or HMAC keys, not
 * keys with imported material, not keys in a custom key store. A multi-Region key rotates at its primary; the
 * new material goes to every replica in the same transaction, so the keys of the set keep sharing material.
 */
import type { KeyMaterial as CryptoKeyMaterial } from '../crypto/keyMaterial';
import type { KmsStore } from '../store/kmsStore';
import type { AliasRecord } from '../store/kmsStore';
import type { KeyRecord, MaterialEntry } from './keyRecord';
import { newMaterialId, withMaterial } from './material';
import { relatedRegions, updateRelated } from './multiRegion';

export const DAY_MS = 86_400_000;
/** EnableKeyRotation's default period (AWS KMS API Reference, RotationPeriodInDays). */
export const DEFAULT_ROTATION_PERIOD_DAYS = 365;
/**
 * On-demand rotations allowed per key. The API Reference said 10 when RotateKeyOnDemand came out (April 2024);
 * the current Developer Guide ("Perform on-demand key rotation") says 25, which is what AWS enforces now.
 */
export const MAX_ON_DEMAND_ROTATIONS = 25;

/** Why a key cannot rotate at all, in AWS's words; undefined for a key that can. */
export function rotationRefusal(record: KeyRecord): string | undefined {
  if (record.keySpec !== 'SYMMETRIC_DEFAULT') return `key spec is ${record.keySpec}`;
  if (record.origin !== 'AWS_KMS') return `origin is ${record.origin}`;
  if (record.customKeyStoreId) return `is in custom key store ${record.customKeyStoreId}`;
  return undefined;
}

export function nextRotationDate(from: Date, periodInDays: number): string {
  return new Date(from.getTime() + periodInDays * DAY_MS).toISOString();
}

/**
 * Adds a fresh version of material to the key (and to its multi-Region replicas) and makes it current; writes
 * every changed record. `record` and `material` are the key as read under the lock, and are updated in place.
 * Call holding the store's lock.
 */
export function rotateMaterial(
  store: KmsStore<KeyRecord, AliasRecord>,
  record: KeyRecord,
  material: ReadonlyMap<string, Uint8Array>,
  generate: () => CryptoKeyMaterial,
  type: 'AUTOMATIC' | 'ON_DEMAND',
  now: Date,
): MaterialEntry {
  const fresh = generate();
  if (!('secret' in fresh)) throw new TypeError('only symmetric keys rotate');
  const entry: MaterialEntry = { id: newMaterialId(), createdAt: now.toISOString(), rotationType: type };
  try {
    record.materials.push(entry);
    record.currentKeyMaterialId = entry.id;
    store.writeKey(record.region, record.keyId, record, withMaterial(material, entry.id, fresh.secret));
    updateRelated(store, record.keyId, relatedRegions(record), (replica, replicaMaterial) => {
      replica.materials.push({ ...entry });
      replica.currentKeyMaterialId = entry.id;
      replica.rotation = { ...record.rotation };
      return withMaterial(replicaMaterial, entry.id, fresh.secret);
    });
  } finally {
    fresh.secret.fill(0);
  }
  return entry;
}
