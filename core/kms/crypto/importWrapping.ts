/**
 * The cryptography of importing key material (GetParametersForImport and ImportKeyMaterial).
 *
 * GetParametersForImport hands out the public half of an RSA wrapping key pair (WrappingKeySpec RSA_2048, 3072
 * or 4096) as SubjectPublicKeyInfo DER. The caller encrypts the key material with it under one of the wrapping
 * algorithms, and ImportKeyMaterial unwraps it with the private half:
 *
 * - RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256: the material itself is RSA-OAEP encrypted (MGF1 over the same hash,
 *   empty label), so it must fit the OAEP cap (rsaEncryption.ts); RSA private keys and, with RSA_2048, P-521
 *   keys do not.
 * - RSA_AES_KEY_WRAP_SHA_1, RSA_AES_KEY_WRAP_SHA_256: the caller makes a random 256-bit AES key, RSA-OAEP
 *   encrypts it (k bytes), wraps the material with AES key wrap with padding (RFC 5649, OpenSSL's
 *   id-aes256-wrap-pad), and sends the two concatenated: OAEP(aesKey) || KWP(aesKey, material). This is the
 *   PKCS #11 CKM_RSA_AES_KEY_WRAP mechanism and takes material of any size.
 *
 * RSAES_PKCS1_V1_5 is refused: AWS stopped accepting it in 2023 because PKCS#1 v1.5 decryption is a padding
 * oracle. SM2PKE (China Regions) is not implemented.
 *
 * Every failure to unwrap is the same AuthenticationError (ImportKeyMaterial's InvalidCiphertextException).
 */
import { randomBytes } from 'node:crypto';
import { aeskwp } from '@noble/ciphers/aes';
import { RSA_KEY_BITS, describeValue, isRsaKeySpec, requireKeySpec, type RsaEncryptionAlgorithmSpec, type WrappingAlgorithmSpec, type WrappingKeySpec } from './algorithms';
import { loadPrivateKey } from './asymmetricKeys';
import { checkBytes, concatBytes, plain } from './bytes';
import { AuthenticationError, UnsupportedAlgorithmError } from './errors';
import { generateKeyPair, type KeyPair } from './keyMaterial';
import { rsaOaepDecrypt, rsaOaepEncrypt } from './rsaEncryption';

/** EncryptedKeyMaterial's AWS limit (CiphertextType). */
export const MAX_ENCRYPTED_KEY_MATERIAL_BYTES = 6144;
/** Bytes of the ephemeral AES key of the RSA_AES_KEY_WRAP algorithms: AES-256. */
export const EPHEMERAL_AES_KEY_BYTES = 32;

interface WrappingAlgorithmInfo {
  oaep: RsaEncryptionAlgorithmSpec;
  aesKeyWrap: boolean;
}

const WRAPPING_ALGORITHMS: Readonly<Record<WrappingAlgorithmSpec, WrappingAlgorithmInfo>> = {
  RSAES_OAEP_SHA_1: { oaep: 'RSAES_OAEP_SHA_1', aesKeyWrap: false },
  RSAES_OAEP_SHA_256: { oaep: 'RSAES_OAEP_SHA_256', aesKeyWrap: false },
  RSA_AES_KEY_WRAP_SHA_1: { oaep: 'RSAES_OAEP_SHA_1', aesKeyWrap: true },
  RSA_AES_KEY_WRAP_SHA_256: { oaep: 'RSAES_OAEP_SHA_256', aesKeyWrap: true },
};

function algorithmInfo(algorithm: unknown): WrappingAlgorithmInfo {
  if (typeof algorithm === 'string' && Object.prototype.hasOwnProperty.call(WRAPPING_ALGORITHMS, algorithm)) {
    return WRAPPING_ALGORITHMS[algorithm as WrappingAlgorithmSpec];
  }
  throw new UnsupportedAlgorithmError(`${describeValue(algorithm)} is not a wrapping algorithm this KMS accepts`);
}

/** GetParametersForImport: a fresh RSA wrapping key pair (private PKCS#8 DER, public SubjectPublicKeyInfo DER). */
export function generateWrappingKeyPair(wrappingKeySpec: WrappingKeySpec): KeyPair {
  return generateKeyPair(requireKeySpec(wrappingKeySpec, isRsaKeySpec, 'a wrapping key spec (RSA_2048, RSA_3072 or RSA_4096)'));
}

/**
 * What a caller of ImportKeyMaterial does on their side: encrypts `keyMaterial` under the wrapping public key.
 * The KMS never needs this; the CLI and the tests do.
 */
export function wrapKeyMaterial(
  wrappingKeySpec: WrappingKeySpec,
  wrappingPublicKey: Uint8Array,
  algorithm: WrappingAlgorithmSpec,
  keyMaterial: Uint8Array,
): Uint8Array {
  const spec = requireKeySpec(wrappingKeySpec, isRsaKeySpec, 'a wrapping key spec');
  const info = algorithmInfo(algorithm);
  if (!info.aesKeyWrap) return rsaOaepEncrypt(spec, wrappingPublicKey, info.oaep, keyMaterial);
  const material = checkBytes('the key material', keyMaterial, 1, 4096);
  const aesKey = plain(randomBytes(EPHEMERAL_AES_KEY_BYTES));
  try {
    return concatBytes(rsaOaepEncrypt(spec, wrappingPublicKey, info.oaep, aesKey), aeskwp(aesKey).encrypt(material));
  } finally {
    aesKey.fill(0);
  }
}

/** ImportKeyMaterial: recovers the key material. Throws AuthenticationError for anything that does not unwrap. */
export function unwrapKeyMaterial(
  wrappingKeySpec: WrappingKeySpec,
  wrappingPrivateKey: Uint8Array,
  algorithm: WrappingAlgorithmSpec,
  encryptedKeyMaterial: Uint8Array,
): Uint8Array {
  const spec = requireKeySpec(wrappingKeySpec, isRsaKeySpec, 'a wrapping key spec');
  const info = algorithmInfo(algorithm);
  // A wrapping key that does not load is the KMS's own fault, not the caller's: let its InvalidKeyError through
  // before any failure that depends on the caller's bytes.
  loadPrivateKey(spec, wrappingPrivateKey);
  const encrypted = checkBytes('the encrypted key material', encryptedKeyMaterial, 1, MAX_ENCRYPTED_KEY_MATERIAL_BYTES);
  if (!info.aesKeyWrap) return rsaOaepDecrypt(spec, wrappingPrivateKey, info.oaep, encrypted);
  const k = RSA_KEY_BITS[spec] / 8;
  // KWP output is at least 16 bytes and a whole number of 8-byte blocks.
  const wrapped = encrypted.subarray(k);
  if (wrapped.length < 16 || wrapped.length % 8 !== 0) {
    // Still run the RSA step, so a short blob costs what a long one does and the failure says nothing more.
    try {
      rsaOaepDecrypt(spec, wrappingPrivateKey, info.oaep, encrypted.subarray(0, k)).fill(0);
    } catch {
      // the answer is the same either way
    }
    throw new AuthenticationError();
  }
  const aesKey = rsaOaepDecrypt(spec, wrappingPrivateKey, info.oaep, encrypted.subarray(0, k));
  try {
    if (aesKey.length !== EPHEMERAL_AES_KEY_BYTES) throw new AuthenticationError();
    return aeskwp(aesKey).decrypt(wrapped);
  } catch {
    throw new AuthenticationError();
  } finally {
    aesKey.fill(0);
  }
}
