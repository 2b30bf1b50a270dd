/**
 * Loading of stored asymmetric key material into node:crypto key objects, with the one check every caller needs:
 * that the key is of the spec the KMS key claims. An RSA_3072 blob handed to an operation on an RSA_2048 key, a
 * P-384 key under ECC_NIST_P256, an RSA-PSS-restricted key, or DER that does not parse all become InvalidKeyError
 * here, before any primitive runs.
 *
 * Private keys are PKCS#8 DER (GenerateDataKeyPair's PrivateKeyPlaintext), public keys SubjectPublicKeyInfo DER
 * (GetPublicKey's PublicKey).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { CURVES, RSA_KEY_BITS, isAsymmetricKeySpec, isEccKeySpec, requireKeySpec, type AsymmetricKeySpec } from './algorithms';
import { checkBytes } from './bytes';
import { InvalidKeyError } from './errors';

/** PublicKeyType's AWS maximum; a PKCS#8 RSA_4096 key is about 2.4 KB. Larger DER is refused before parsing. */
export const MAX_KEY_DER_BYTES = 8192;

/** The key spec of a loaded key, or undefined for a key of any other kind. */
export function keySpecOfKeyObject(key: KeyObject): AsymmetricKeySpec | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength;
    for (const [spec, b] of Object.entries(RSA_KEY_BITS)) if (b === bits) return spec as AsymmetricKeySpec;
    return undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    for (const [spec, curve] of Object.entries(CURVES)) if (curve.nodeName === details?.namedCurve) return spec as AsymmetricKeySpec;
  }
  return undefined;
}

function expectSpec(key: KeyObject, spec: AsymmetricKeySpec, what: string): KeyObject {
  const actual = keySpecOfKeyObject(key);
  if (actual !== spec) throw new InvalidKeyError(`${what} is ${actual ? `a ${actual} key` : 'not a key of a supported spec'}, expected ${spec}`);
  return key;
}

/** Parses PKCS#8 DER into a key object without checking its spec; loadPrivateKey is what operations use. */
export function parsePrivateKey(pkcs8: unknown): KeyObject {
  const der = checkBytes('a PKCS#8 private key', pkcs8, 1, MAX_KEY_DER_BYTES, InvalidKeyError);
  try {
    return createPrivateKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'pkcs8' });
  } catch {
    throw new InvalidKeyError('the private key is not PKCS#8 DER of a supported key type');
  }
}

/** Loads a PKCS#8 DER private key and checks that it is a key of `spec`. */
export function loadPrivateKey(spec: unknown, pkcs8: unknown): KeyObject {
  const s = requireKeySpec(spec, isAsymmetricKeySpec, 'an asymmetric key spec');
  return expectSpec(parsePrivateKey(pkcs8), s, 'the private key');
}

/** Loads a SubjectPublicKeyInfo DER public key and checks that it is a key of `spec`. */
export function loadPublicKey(spec: unknown, spki: unknown): KeyObject {
  const s = requireKeySpec(spec, isAsymmetricKeySpec, 'an asymmetric key spec');
  const der = checkBytes('a SubjectPublicKeyInfo public key', spki, 1, MAX_KEY_DER_BYTES, InvalidKeyError);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(der.buffer, der.byteOffset, der.byteLength), format: 'der', type: 'spki' });
  } catch {
    throw new InvalidKeyError('the public key is not SubjectPublicKeyInfo DER of a supported key type');
  }
  return expectSpec(key, s, 'the public key');
}

/** The raw private scalar of an EC private key, big-endian, padded to the curve's field length. */
export function ecPrivateScalar(key: KeyObject): Uint8Array {
  const spec = keySpecOfKeyObject(key);
  if (!isEccKeySpec(spec)) throw new InvalidKeyError('not an EC private key');
  const d = key.export({ format: 'jwk' }).d;
  if (typeof d !== 'string') throw new InvalidKeyError('not an EC private key');
  const raw = Buffer.from(d, 'base64url');
  const out = new Uint8Array(CURVES[spec].fieldBytes);
  if (raw.length > out.length) throw new InvalidKeyError('the EC private scalar is longer than the field');
  out.set(raw, out.length - raw.length);
  raw.fill(0);
  return out;
}
