/**
 * Imported key material (AWS KMS Developer Guide, "Importing key material for AWS KMS keys"): the checks and
 * changes ImportKeyMaterial, DeleteImportedKeyMaterial and the expiry sweep share.
 *
 * A key with imported material is tied to that material for good: once deleted (by DeleteImportedKeyMaterial
 * or because its ValidTo passed) the key is PendingImport, and only the same material can be imported again
 * (IncorrectKeyMaterialException otherwise); data encrypted under it decrypts again once it is. So the record
 * keeps, for each version, a digest of the material it had. The digest is SHA-256 over a label and the material:
 * it identifies the material without revealing anything usable about it.
 */
import { createHash } from 'node:crypto';
import { isAsymmetricKeySpec, isHmacKeySpec, type AsymmetricKeySpec, type HmacKeySpec } from '../crypto/algorithms';
import { InvalidKeyError } from '../crypto/errors';
import { keySpecOfPrivateKey, publicKeyFromPrivateKey } from '../crypto/keyMaterial';
import { KmsError } from '../errors';
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import type { KeyRecord } from './keyRecord';
import { withoutMaterial } from './material';
import { validation } from './serviceErrors';

/** The name of the wrapping private key of the latest GetParametersForImport in the key's material map. */
export const WRAPPING_KEY_NAME = 'import-wrapping-key';

export function materialDigest(material: Uint8Array): string {
  return createHash('sha256').update('kms-studio/imported-key-material/v1\n').update(material).digest('hex');
}

/**
 * Key material sizes AWS accepts (Developer Guide, "Requirements for imported key material"): 256 bits for a
 * symmetric encryption key; for HMAC keys from the digest length up to the hash's block size; for asymmetric
 * keys a PKCS #8 private key of the key's spec.
 */
const HMAC_KEY_RANGE: Readonly<Record<HmacKeySpec, [number, number]>> = { HMAC_224: [28, 64], HMAC_256: [32, 64], HMAC_384: [48, 128], HMAC_512: [64, 128] };

/** Checks unwrapped material against the key; returns the public key of an asymmetric key (base64 SPKI). */
export function checkImportedMaterial(record: KeyRecord, material: Uint8Array): { publicKey?: string } {
  const spec = record.keySpec;
  if (spec === 'SYMMETRIC_DEFAULT') {
    if (material.length !== 32) throw validation('The key material of a SYMMETRIC_DEFAULT key must be 256 bits (32 bytes).');
    return {};
  }
  if (isHmacKeySpec(spec)) {
    const [min, max] = HMAC_KEY_RANGE[spec];
    if (material.length < min || material.length > max) throw validation(`The key material of an ${spec} key must be ${min} to ${max} bytes.`);
    return {};
  }
  if (isAsymmetricKeySpec(spec)) {
    let actual: AsymmetricKeySpec;
    try {
      actual = keySpecOfPrivateKey(material);
    } catch (error) {
      if (error instanceof InvalidKeyError) throw new KmsError('IncorrectKeyMaterialException', `The key material is not a PKCS #8 private key of key spec ${spec}.`);
      throw error;
    }
    if (actual !== spec) throw new KmsError('IncorrectKeyMaterialException', `The key material is a ${actual} private key; ${record.arn} has key spec ${spec}.`);
    return { publicKey: Buffer.from(publicKeyFromPrivateKey(spec, material)).toString('base64') };
  }
  throw validation(`Key material cannot be imported into a key of spec ${spec}.`);
}

/**
 * Deletes the key's current imported material: the key becomes PendingImport, keeping the record of which
 * material it had. Writes the record; call holding the store's lock.
 */
export function deleteCurrentImportedMaterial(store: KmsStore<KeyRecord, AliasRecord>, record: KeyRecord, material: ReadonlyMap<string, Uint8Array>): string | undefined {
  const id = record.currentKeyMaterialId;
  delete record.currentKeyMaterialId;
  delete record.validTo;
  delete record.expirationModel;
  // A key pending deletion stays so; its material is gone either way (key state table, DeleteImportedKeyMaterial).
  if (record.keyState !== 'PendingDeletion') record.keyState = 'PendingImport';
  store.writeKey(record.region, record.keyId, record, withoutMaterial(material, id !== undefined ? [id] : []));
  return id;
}
