/**
 * Strict parsing of an elliptic-curve SubjectPublicKeyInfo (RFC 5480), the form of GetPublicKey's PublicKey and
 * of DeriveSharedSecret's peer PublicKey.
 *
 * Exactly one encoding is accepted per curve: DER, the id-ecPublicKey algorithm with the curve named by OID, and
 * an uncompressed point. With DER, named curve and uncompressed point fixed, everything before the point is a
 * constant byte string, so the check is a prefix comparison plus a length; there is no ASN.1 parser to get wrong.
 * Refused on purpose: BER length forms, explicit curve parameters (they let a peer smuggle in another curve,
 * generator or cofactor), compressed points, and trailing bytes. Project Wycheproof marks some of these
 * "acceptable"; a KMS gains nothing from accepting them.
 *
 * A point that passes the encoding check must then lie on the curve and not be the point at infinity: a point off
 * the curve is the classic invalid-curve attack on ECDH, which recovers the private key bit by bit.
 */
import { p256, p384, p521 } from '@noble/curves/nist';
import { secp256k1 } from '@noble/curves/secp256k1';
import { CURVES, type EccKeySpec } from './algorithms';
import { checkBytes, concatBytes } from './bytes';
import { InvalidKeyError } from './errors';

const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));

/**
 * SEQUENCE { SEQUENCE { OID id-ecPublicKey, OID <curve> }, BIT STRING (0 unused bits) } up to the point's 0x04.
 * Curve OIDs: prime256v1 1.2.840.10045.3.1.7, secp384r1 1.3.132.0.34, secp521r1 1.3.132.0.35,
 * secp256k1 1.3.132.0.10.
 */
const SPKI_PREFIX: Readonly<Record<EccKeySpec, Uint8Array>> = {
  ECC_NIST_P256: hex('3059301306072a8648ce3d020106082a8648ce3d030107034200'),
  ECC_NIST_P384: hex('3076301006072a8648ce3d020106052b81040022036200'),
  ECC_NIST_P521: hex('30819b301006072a8648ce3d020106052b8104002303818600'),
  ECC_SECG_P256K1: hex('3056301006072a8648ce3d020106052b8104000a034200'),
};

interface PointChecker {
  Point: { fromHex(bytes: Uint8Array): { assertValidity(): void; is0(): boolean } };
}

const NOBLE_CURVES: Readonly<Record<EccKeySpec, PointChecker>> = {
  ECC_NIST_P256: p256,
  ECC_NIST_P384: p384,
  ECC_NIST_P521: p521,
  ECC_SECG_P256K1: secp256k1,
};

/** Length of the uncompressed point 0x04 || X || Y on this curve. */
function uncompressedPointBytes(spec: EccKeySpec): number {
  return 1 + 2 * CURVES[spec].fieldBytes;
}

/**
 * Returns the uncompressed point (0x04 || X || Y) of a public key of curve `spec`, after checking the encoding
 * and that the point is on the curve. Throws InvalidKeyError for anything else, including a valid key of another
 * curve.
 */
export function parseEcPublicKey(spec: EccKeySpec, spki: unknown): Uint8Array {
  const prefix = SPKI_PREFIX[spec];
  const pointBytes = uncompressedPointBytes(spec);
  const der = checkBytes('an EC public key', spki, 0, 8192, InvalidKeyError);
  if (der.length !== prefix.length + pointBytes) throw new InvalidKeyError(`not a ${spec} public key in the expected encoding`);
  for (let i = 0; i < prefix.length; i++) {
    if (der[i] !== prefix[i]) throw new InvalidKeyError(`not a ${spec} public key in the expected encoding`);
  }
  const point = der.slice(prefix.length);
  if (point[0] !== 0x04) throw new InvalidKeyError('the public key point is not in uncompressed form');
  try {
    const p = NOBLE_CURVES[spec].Point.fromHex(point);
    p.assertValidity();
    if (p.is0()) throw new Error('infinity');
  } catch {
    throw new InvalidKeyError(`the public key is not a point on ${spec}`);
  }
  return point;
}

/** The SubjectPublicKeyInfo DER for an uncompressed point of curve `spec` (the inverse of parseEcPublicKey). */
export function encodeEcPublicKey(spec: EccKeySpec, point: Uint8Array): Uint8Array {
  if (point.length !== uncompressedPointBytes(spec) || point[0] !== 0x04) throw new InvalidKeyError('not an uncompressed point of this curve');
  return concatBytes(SPKI_PREFIX[spec], point);
}
