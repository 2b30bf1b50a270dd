/**
 * Encrypt and Decrypt with asymmetric ENCRYPT_DECRYPT RSA keys: RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256, which
 * AWS defines as OAEP (RFC 8017, 7.1) with the same hash for the label hash and MGF1, and an empty label.
 *
 * Plaintext caps are AWS's: k - 2*hLen - 2 bytes for a k-byte modulus, so 214/342/470 bytes with SHA-1 and
 * 190/318/446 with SHA-256 for RSA_2048/3072/4096. The ciphertext is exactly k bytes.
 *
 * Misuse to avoid: decryption failures must all look alike. Every failure here (wrong length, value above the
 * modulus, bad padding, wrong key, wrong hash) is one AuthenticationError with one message; telling them apart is
 * Manger's attack on OAEP.
 */
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import {
  HASH_BYTES,
  OAEP_HASH,
  RSA_KEY_BITS,
  describeValue,
  isRsaEncryptionAlgorithm,
  isRsaKeySpec,
  requireKeySpec,
  type RsaEncryptionAlgorithmSpec,
  type RsaKeySpec,
} from './algorithms';
import { loadPrivateKey, loadPublicKey } from './asymmetricKeys';
import { checkBytes, plain } from './bytes';
import { AuthenticationError, UnsupportedAlgorithmError } from './errors';

function checkAlgorithm(algorithm: unknown): RsaEncryptionAlgorithmSpec {
  if (!isRsaEncryptionAlgorithm(algorithm)) throw new UnsupportedAlgorithmError(`${describeValue(algorithm)} is not an RSA encryption algorithm`);
  return algorithm;
}

/** The largest plaintext, in bytes, that Encrypt takes for this RSA key spec and OAEP algorithm. */
export function rsaOaepMaxPlaintext(keySpec: RsaKeySpec, algorithm: RsaEncryptionAlgorithmSpec): number {
  const spec = requireKeySpec(keySpec, isRsaKeySpec, 'an RSA key spec');
  const hLen = HASH_BYTES[OAEP_HASH[checkAlgorithm(algorithm)]];
  return RSA_KEY_BITS[spec] / 8 - 2 * hLen - 2;
}

/** Encrypts 1 to rsaOaepMaxPlaintext bytes under a SubjectPublicKeyInfo public key; returns k bytes. */
export function rsaOaepEncrypt(keySpec: RsaKeySpec, publicKey: Uint8Array, algorithm: RsaEncryptionAlgorithmSpec, plaintext: Uint8Array): Uint8Array {
  const max = rsaOaepMaxPlaintext(keySpec, algorithm);
  const key = loadPublicKey(keySpec, publicKey);
  const data = checkBytes(`the plaintext for ${algorithm} with ${keySpec}`, plaintext, 1, max);
  return plain(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[algorithm] }, data));
}

/**
 * Decrypts a k-byte OAEP ciphertext with a PKCS#8 private key. Throws AuthenticationError for every ciphertext
 * that does not decrypt, whatever the reason.
 */
export function rsaOaepDecrypt(keySpec: RsaKeySpec, privateKey: Uint8Array, algorithm: RsaEncryptionAlgorithmSpec, ciphertext: Uint8Array): Uint8Array {
  const spec = requireKeySpec(keySpec, isRsaKeySpec, 'an RSA key spec');
  const alg = checkAlgorithm(algorithm);
  const key = loadPrivateKey(spec, privateKey);
  const data = checkBytes('the ciphertext', ciphertext);
  // RFC 8017, 7.1.2 step 1: a ciphertext of any length other than k is a decryption error. OpenSSL would
  // left-pad a short one instead.
  if (data.length !== RSA_KEY_BITS[spec] / 8) throw new AuthenticationError();
  try {
    return plain(privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: OAEP_HASH[alg] }, data));
  } catch {
    throw new AuthenticationError();
  }
}
