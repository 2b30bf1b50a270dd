/**
 * DeriveSharedSecret with KEY_AGREEMENT keys: ECDH on ECC_NIST_P256, ECC_NIST_P384 or ECC_NIST_P521 (AWS offers
 * no key agreement on secp256k1). The result is what AWS returns: the raw shared secret of the Elliptic Curve
 * Cryptography Cofactor Diffie-Hellman primitive of NIST SP 800-56A, which is the x coordinate of d * Q as a
 * big-endian byte string of the field's length (32, 48 or 66 bytes). The NIST curves have cofactor 1, so cofactor
 * ECDH and plain ECDH agree.
 *
 * The peer's public key is SubjectPublicKeyInfo DER and is checked strictly (ecPublicKey.ts): the same curve as
 * our key, named, uncompressed, and on the curve. Skipping the on-curve check is the invalid-curve attack.
 *
 * Misuse to avoid: the raw secret is not a key. Run it through a KDF (NIST SP 800-56C, or HKDF) with context
 * naming both parties before using it, as AWS's documentation also advises.
 */
import { createPublicKey, diffieHellman } from 'node:crypto';
import { describeValue, keyAgreementAlgorithmsFor, requireKeySpec, type EccKeySpec, type KeyAgreementAlgorithmSpec } from './algorithms';
import { loadPrivateKey } from './asymmetricKeys';
import { plain } from './bytes';
import { encodeEcPublicKey, parseEcPublicKey } from './ecPublicKey';
import { UnsupportedAlgorithmError } from './errors';

export type KeyAgreementKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521';

const isKeyAgreementKeySpec = (v: unknown): v is KeyAgreementKeySpec => typeof v === 'string' && keyAgreementAlgorithmsFor(v as EccKeySpec).length > 0;

/** The raw ECDH shared secret between our PKCS#8 private key and the peer's SubjectPublicKeyInfo public key. */
export function deriveSharedSecret(
  keySpec: KeyAgreementKeySpec,
  privateKey: Uint8Array,
  algorithm: KeyAgreementAlgorithmSpec,
  peerPublicKey: Uint8Array,
): Uint8Array {
  const spec = requireKeySpec(keySpec, isKeyAgreementKeySpec, 'a key spec that supports key agreement');
  if (algorithm !== 'ECDH') throw new UnsupportedAlgorithmError(`${describeValue(algorithm)} is not a key agreement algorithm`);
  const ours = loadPrivateKey(spec, privateKey);
  const point = parseEcPublicKey(spec, peerPublicKey);
  // Re-encode from the checked point rather than hand OpenSSL the caller's bytes: it parses only what we vetted.
  const theirs = createPublicKey({ key: Buffer.from(encodeEcPublicKey(spec, point)), format: 'der', type: 'spki' });
  return plain(diffieHellman({ privateKey: ours, publicKey: theirs }));
}
