/**
 * Key material as the KMS stores it: each version under its KeyMaterialId in the store's material map (where
 * the folder store wraps it under the root key), the record listing the versions. Secret and private key bytes
 * never leave this layer except through the cryptographic operations that use them.
 */
import { randomBytes } from 'node:crypto';
import type { KeyMaterial as CryptoKeyMaterial } from '../crypto/keyMaterial';
import { toHex } from '../crypto/bytes';
import { KmsError } from '../errors';
import type { ResolvedKey } from './callContext';
import type { MaterialEntry } from './keyRecord';

/** A fresh KeyMaterialId: random, so it reveals nothing about the material it names. */
export function newMaterialId(): string {
  return toHex(randomBytes(32));
}

/** The store entry and the record entry for freshly generated material. */
export function newKeyMaterial(material: CryptoKeyMaterial, createdAt: string): { entry: MaterialEntry; material: Map<string, Uint8Array> } {
  const id = newMaterialId();
  if ('secret' in material) return { entry: { id, createdAt }, material: new Map([[id, material.secret]]) };
  return {
    entry: { id, createdAt, publicKey: Buffer.from(material.publicKey).toString('base64') },
    material: new Map([[id, material.privateKey]]),
  };
}

/** The current material of a key: the secret key, or the PKCS#8 private key. */
export function currentMaterial(key: ResolvedKey): { id: string; bytes: Uint8Array } {
  const id = key.record.currentKeyMaterialId;
  const bytes = id !== undefined ? key.material.get(id) : undefined;
  // The key state table keeps keys without material (PendingImport) away from here; this is damage.
  if (id === undefined || !bytes) throw new KmsError('KMSInternalException', `The key material of ${key.record.arn} is missing from the store.`);
  return { id, bytes };
}

/** The public key (SubjectPublicKeyInfo DER) of an asymmetric key's current material. */
export function currentPublicKey(key: ResolvedKey): Uint8Array {
  const id = key.record.currentKeyMaterialId;
  const entry = key.record.materials.find((m) => m.id === id);
  if (!entry?.publicKey) throw new KmsError('KMSInternalException', `The public key of ${key.record.arn} is missing from the store.`);
  return new Uint8Array(Buffer.from(entry.publicKey, 'base64'));
}

/** A copy of a key's material map with one version added: what writeKey takes to add a version. */
export function withMaterial(existing: ReadonlyMap<string, Uint8Array>, id: string, bytes: Uint8Array): Map<string, Uint8Array> {
  const map = new Map<string, Uint8Array>();
  for (const [name, value] of existing) map.set(name, value);
  map.set(id, bytes);
  return map;
}

/** A copy of a key's material map without the versions named. */
export function withoutMaterial(existing: ReadonlyMap<string, Uint8Array>, ids: readonly string[]): Map<string, Uint8Array> {
  return new Map([...existing].filter(([name]) => !ids.includes(name)));
}
