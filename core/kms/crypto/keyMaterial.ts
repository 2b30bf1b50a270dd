/**
 * Generation of key material for each key spec, in the forms AWS uses on the wire:
 *
 * - SYMMETRIC_DEFAULT: 32 random bytes, an AES-256 key.
 * - HMAC_224/256/384/512: 28/32/48/64 random bytes; AWS sizes each HMAC key to its digest.
 * - RSA_* and ECC_*: the private key as PKCS#8 DER (GenerateDataKeyPair's PrivateKeyPlaintext) and the public key
 *   as SubjectPublicKeyInfo DER (GetPublicKey's PublicKey and GenerateDataKeyPair's PublicKey). RSA keys use the
 *   public exponent 65537. EC public keys are exported with the curve named and the point uncompressed.
 *
 * All randomness comes from node:crypto (the operating system's CSPRNG). RSA_4096 generation takes around a
 * second of CPU; callers on a request path may want to run it off the event loop.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import {
  CURVES,
  HMAC_KEY_BYTES,
  RSA_KEY_BITS,
  isAsymmetricKeySpec,
  isEccKeySpec,
  isHmacKeySpec,
  isKeySpec,
  requireKeySpec,
  type AsymmetricKeySpec,
  type DataKeyPairSpec,
  type HmacKeySpec,
  type KeySpec,
} from './algorithms';
import { keySpecOfKeyObject, loadPrivateKey, parsePrivateKey } from './asymmetricKeys';
import { plain } from './bytes';
import { InvalidKeyError } from './errors';

export const SYMMETRIC_KEY_BYTES = 32;

export interface KeyPair {
  /** PKCS#8 DER. Secret: never log it, wipe it when done. */
  privateKey: Uint8Array;
  /** SubjectPublicKeyInfo DER. */
  publicKey: Uint8Array;
}

export type KeyMaterial =
  | { keySpec: 'SYMMETRIC_DEFAULT' | HmacKeySpec; secret: Uint8Array }
  | ({ keySpec: AsymmetricKeySpec } & KeyPair);

/** Random secret key bytes for SYMMETRIC_DEFAULT (32) or an HMAC key spec (its digest length). */
export function generateSecretKey(spec: 'SYMMETRIC_DEFAULT' | HmacKeySpec): Uint8Array {
  const s = requireKeySpec(spec, (v): v is 'SYMMETRIC_DEFAULT' | HmacKeySpec => v === 'SYMMETRIC_DEFAULT' || isHmacKeySpec(v), 'a symmetric or HMAC key spec');
  return plain(randomBytes(s === 'SYMMETRIC_DEFAULT' ? SYMMETRIC_KEY_BYTES : HMAC_KEY_BYTES[s]));
}

function exportPair(privateKey: KeyObject, publicKey: KeyObject): KeyPair {
  return {
    privateKey: plain(privateKey.export({ format: 'der', type: 'pkcs8' })),
    publicKey: plain(publicKey.export({ format: 'der', type: 'spki' })),
  };
}

/** A fresh key pair of an RSA or ECC key spec. */
export function generateKeyPair(spec: AsymmetricKeySpec): KeyPair {
  const s = requireKeySpec(spec, isAsymmetricKeySpec, 'an asymmetric key spec');
  if (isEccKeySpec(s)) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVES[s].nodeName });
    return exportPair(privateKey, publicKey);
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: RSA_KEY_BITS[s], publicExponent: 0x10001 });
  return exportPair(privateKey, publicKey);
}

/** GenerateDataKeyPair's key pair. The same as generateKeyPair, named after the operation it serves. */
export function generateDataKeyPair(spec: DataKeyPairSpec): KeyPair {
  return generateKeyPair(spec);
}

/** Key material for a new KMS key of any implemented spec. */
export function generateKeyMaterial(spec: KeySpec): KeyMaterial {
  const s = requireKeySpec(spec, isKeySpec, 'a key spec this KMS implements');
  if (s === 'SYMMETRIC_DEFAULT' || isHmacKeySpec(s)) return { keySpec: s, secret: generateSecretKey(s) };
  return { keySpec: s, ...generateKeyPair(s) };
}

/** GetPublicKey: the SubjectPublicKeyInfo DER of the public half of a PKCS#8 private key of `spec`. */
export function publicKeyFromPrivateKey(spec: AsymmetricKeySpec, privateKey: Uint8Array): Uint8Array {
  const key = loadPrivateKey(spec, privateKey);
  return plain(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}

/**
 * The key spec of a PKCS#8 private key, for checking imported material against the KMS key it is imported into
 * (a mismatch is AWS's IncorrectKeyMaterialException). Throws InvalidKeyError for keys of no implemented spec.
 */
export function keySpecOfPrivateKey(privateKey: Uint8Array): AsymmetricKeySpec {
  const spec = keySpecOfKeyObject(parsePrivateKey(privateKey));
  if (!spec) throw new InvalidKeyError('the private key is not of an implemented key spec');
  return spec;
}
