/**
 * Sign and Verify with asymmetric SIGN_VERIFY keys, as AWS KMS does them:
 *
 * - RSASSA_PSS_SHA_256/384/512: PSS with MGF1 over the same hash and a salt as long as the digest.
 * - RSASSA_PKCS1_V1_5_SHA_256/384/512.
 * - ECDSA_SHA_256/384/512: the hash is fixed by the curve (P-256 and secp256k1 SHA-256, P-384 SHA-384, P-521
 *   SHA-512); the signature is DER-encoded (ANSI X9.62 Ecdsa-Sig-Value). Signatures are not normalised to low S,
 *   and verification accepts either S, as AWS does; secp256k1 users who need low S normalise themselves.
 *
 * MessageType RAW: `message` (1 to 4096 bytes) is hashed with the algorithm's hash. MessageType DIGEST: `message`
 * is the digest and must be exactly the hash's length. A signature over a message and one over its digest are
 * the same signature, so either verifies the other.
 *
 * RAW goes through node:crypto. DIGEST goes through rsaSignatureEncoding.ts (RSA) or @noble/curves (ECDSA),
 * because node:crypto cannot sign a digest it did not compute. The tests run Wycheproof's vectors through both.
 *
 * Verify answers false for any signature that does not verify, however malformed; it throws only for problems
 * with the key, the algorithm or the message, which are the caller's errors rather than the signer's.
 */
import { sign as nodeSign, verify as nodeVerify, constants, type KeyObject } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import {
  CURVES,
  ECDSA_ALGORITHM_OF,
  HASH_BYTES,
  SIGNING_ALGORITHMS,
  describeValue,
  isAsymmetricKeySpec,
  isEccKeySpec,
  isRsaKeySpec,
  isSigningAlgorithm,
  requireKeySpec,
  type AsymmetricKeySpec,
  type EccKeySpec,
  type HashName,
  type MessageType,
  type SigningAlgorithmInfo,
  type SigningAlgorithmSpec,
} from './algorithms';
import { ecPrivateScalar, loadPrivateKey, loadPublicKey } from './asymmetricKeys';
import { checkBytes, plain } from './bytes';
import { InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from './errors';
import { signPkcs1v15Digest, signPssDigest, verifyPkcs1v15Digest, verifyPssDigest } from './rsaSignatureEncoding';

/** Sign's Message limit (PlaintextType). */
export const MAX_MESSAGE_BYTES = 4096;
/** Far above any DER signature this KMS makes (an RSA_4096 signature is 512 bytes); longer input is not read. */
const MAX_SIGNATURE_BYTES = 6144;

interface EcdsaCurve {
  sign(digest: Uint8Array, secret: Uint8Array, opts: { prehash: false; lowS: false }): { toBytes(format: 'der'): Uint8Array };
  verify(signature: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, opts: { prehash: false; lowS: false; format: 'der' }): boolean;
}

const NOBLE_ECDSA: Readonly<Record<EccKeySpec, EcdsaCurve>> = {
  ECC_NIST_P256: p256,
  ECC_NIST_P384: p384,
  ECC_NIST_P521: p521,
  ECC_SECG_P256K1: secp256k1,
};

interface Checked {
  spec: AsymmetricKeySpec;
  algorithm: SigningAlgorithmInfo;
  digestMode: boolean;
  message: Uint8Array;
}

/** The checks Sign and Verify share: spec, algorithm for the spec, message type and message length. */
function checkRequest(keySpec: unknown, algorithm: unknown, messageType: unknown, message: unknown): Checked {
  const spec = requireKeySpec(keySpec, isAsymmetricKeySpec, 'an asymmetric key spec');
  if (!isSigningAlgorithm(algorithm)) throw new UnsupportedAlgorithmError(`${describeValue(algorithm)} is not a signing algorithm`);
  const info = SIGNING_ALGORITHMS[algorithm];
  const fits = isRsaKeySpec(spec) ? info.family !== 'ECDSA' : isEccKeySpec(spec) && ECDSA_ALGORITHM_OF[spec] === algorithm;
  if (!fits) throw new UnsupportedAlgorithmError(`${algorithm} is not supported by ${spec} keys`);
  if (messageType !== 'RAW' && messageType !== 'DIGEST') throw new InvalidInputError(`${describeValue(messageType)} is not a message type (RAW or DIGEST)`);
  const digestMode = messageType === 'DIGEST';
  const bytes = digestMode
    ? checkBytes(`a ${info.hash.toUpperCase()} digest`, message, HASH_BYTES[info.hash], HASH_BYTES[info.hash])
    : checkBytes('the message', message, 1, MAX_MESSAGE_BYTES);
  return { spec, algorithm: info, digestMode, message: bytes };
}

function nodeOptions(key: KeyObject, info: SigningAlgorithmInfo) {
  if (info.family === 'RSASSA_PSS') return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_BYTES[info.hash] };
  if (info.family === 'RSASSA_PKCS1_V1_5') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

/**
 * Signs with a PKCS#8 private key of `keySpec`. Returns the signature as AWS returns it: raw (k bytes) for RSA,
 * DER for ECDSA.
 */
export function sign(
  keySpec: AsymmetricKeySpec,
  privateKey: Uint8Array,
  algorithm: SigningAlgorithmSpec,
  messageType: MessageType,
  message: Uint8Array,
): Uint8Array {
  const c = checkRequest(keySpec, algorithm, messageType, message);
  const key = loadPrivateKey(c.spec, privateKey);
  if (!c.digestMode) return plain(nodeSign(c.algorithm.hash, c.message, nodeOptions(key, c.algorithm)));
  return signDigest(c.spec, key, c.algorithm.family, c.algorithm.hash, c.message);
}

function signDigest(spec: AsymmetricKeySpec, key: KeyObject, family: SigningAlgorithmInfo['family'], hash: HashName, digest: Uint8Array): Uint8Array {
  if (family === 'RSASSA_PSS') return signPssDigest(key, hash, digest);
  if (family === 'RSASSA_PKCS1_V1_5') return signPkcs1v15Digest(key, hash, digest);
  const secret = ecPrivateScalar(key);
  try {
    // RFC 6979 deterministic nonces: no dependence on the RNG at signing time.
    return NOBLE_ECDSA[spec as EccKeySpec].sign(digest, secret, { prehash: false, lowS: false }).toBytes('der');
  } finally {
    secret.fill(0);
  }
}

/**
 * Verifies with a SubjectPublicKeyInfo public key of `keySpec`. Returns false for any signature that does not
 * verify (wrong key, wrong message, malformed DER, wrong length); throws only for an unusable key, algorithm or
 * message.
 */
export function verify(
  keySpec: AsymmetricKeySpec,
  publicKey: Uint8Array,
  algorithm: SigningAlgorithmSpec,
  messageType: MessageType,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const c = checkRequest(keySpec, algorithm, messageType, message);
  const key = loadPublicKey(c.spec, publicKey);
  const sig = checkBytes('the signature', signature);
  if (sig.length === 0 || sig.length > MAX_SIGNATURE_BYTES) return false;
  if (!c.digestMode) {
    try {
      return nodeVerify(c.algorithm.hash, c.message, nodeOptions(key, c.algorithm), sig);
    } catch {
      return false;
    }
  }
  return verifyDigest(c, key, sig);
}

/** 0x04 || X || Y of an EC public key object, each coordinate padded to the field length. */
function uncompressedPoint(spec: EccKeySpec, key: KeyObject): Uint8Array {
  const { x, y } = key.export({ format: 'jwk' });
  const n = CURVES[spec].fieldBytes;
  const out = new Uint8Array(1 + 2 * n);
  out[0] = 0x04;
  const xs = Buffer.from(x ?? '', 'base64url');
  const ys = Buffer.from(y ?? '', 'base64url');
  if (xs.length > n || ys.length > n) throw new InvalidKeyError('the public key coordinates are longer than the field');
  out.set(xs, 1 + n - xs.length);
  out.set(ys, 1 + 2 * n - ys.length);
  return out;
}

function verifyDigest(c: Checked, key: KeyObject, sig: Uint8Array): boolean {
  const digest = c.message;
  if (c.algorithm.family === 'RSASSA_PSS') return verifyPssDigest(key, c.algorithm.hash, digest, sig);
  if (c.algorithm.family === 'RSASSA_PKCS1_V1_5') return verifyPkcs1v15Digest(key, c.algorithm.hash, digest, sig);
  const spec = c.spec as EccKeySpec;
  // The point from the key node already loaded, so RAW and DIGEST accept exactly the same public keys.
  const point = uncompressedPoint(spec, key);
  try {
    return NOBLE_ECDSA[spec].verify(sig, digest, point, { prehash: false, lowS: false, format: 'der' });
  } catch {
    return false;
  }
}
