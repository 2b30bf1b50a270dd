/**
 * The key specs and algorithms this KMS implements, named as AWS names them (botocore's KeySpec,
 * SigningAlgorithmSpec, EncryptionAlgorithmSpec, MacAlgorithmSpec, KeyAgreementAlgorithmSpec, AlgorithmSpec,
 * WrappingKeySpec and DataKeyPairSpec enums), and which algorithm goes with which spec, after the AWS KMS
 * Developer Guide's key spec reference:
 *
 * - RSA_2048/3072/4096: RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256 (ENCRYPT_DECRYPT), or RSASSA_PSS_SHA_* and
 *   RSASSA_PKCS1_V1_5_SHA_* (SIGN_VERIFY).
 * - ECC_NIST_P256/P384/P521: ECDSA with SHA-256/384/512 respectively (SIGN_VERIFY), or ECDH (KEY_AGREEMENT).
 * - ECC_SECG_P256K1: ECDSA_SHA_256 only; AWS offers no key agreement on secp256k1.
 * - HMAC_224/256/384/512: HMAC_SHA_224/256/384/512 respectively; the key length equals the digest length.
 * - SYMMETRIC_DEFAULT: AES-256-GCM (see core/kms/ciphertext.ts).
 *
 * Not implemented: SM2 (China Regions only), ML_DSA_*, ECC_NIST_EDWARDS25519. Requests for them get an
 * UnsupportedAlgorithmError.
 */
import { UnsupportedAlgorithmError } from './errors';

export type RsaKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096';
export type EccKeySpec = 'ECC_NIST_P256' | 'ECC_NIST_P384' | 'ECC_NIST_P521' | 'ECC_SECG_P256K1';
export type HmacKeySpec = 'HMAC_224' | 'HMAC_256' | 'HMAC_384' | 'HMAC_512';
export type AsymmetricKeySpec = RsaKeySpec | EccKeySpec;
export type KeySpec = 'SYMMETRIC_DEFAULT' | HmacKeySpec | AsymmetricKeySpec;
/** GenerateDataKeyPair's KeyPairSpec: the asymmetric key specs. */
export type DataKeyPairSpec = AsymmetricKeySpec;
/** GetParametersForImport's WrappingKeySpec (SM2 is not implemented). */
export type WrappingKeySpec = RsaKeySpec;

export type SigningAlgorithmSpec =
  | 'RSASSA_PSS_SHA_256'
  | 'RSASSA_PSS_SHA_384'
  | 'RSASSA_PSS_SHA_512'
  | 'RSASSA_PKCS1_V1_5_SHA_256'
  | 'RSASSA_PKCS1_V1_5_SHA_384'
  | 'RSASSA_PKCS1_V1_5_SHA_512'
  | 'ECDSA_SHA_256'
  | 'ECDSA_SHA_384'
  | 'ECDSA_SHA_512';
export type RsaEncryptionAlgorithmSpec = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256';
export type EncryptionAlgorithmSpec = 'SYMMETRIC_DEFAULT' | RsaEncryptionAlgorithmSpec;
export type MacAlgorithmSpec = 'HMAC_SHA_224' | 'HMAC_SHA_256' | 'HMAC_SHA_384' | 'HMAC_SHA_512';
export type KeyAgreementAlgorithmSpec = 'ECDH';
/** ImportKeyMaterial's wrapping algorithms (AlgorithmSpec). RSAES_PKCS1_V1_5 is deprecated by AWS and refused. */
export type WrappingAlgorithmSpec = 'RSAES_OAEP_SHA_1' | 'RSAES_OAEP_SHA_256' | 'RSA_AES_KEY_WRAP_SHA_1' | 'RSA_AES_KEY_WRAP_SHA_256';
/** Sign and Verify's MessageType. EXTERNAL_MU (ML-DSA only) is not implemented. */
export type MessageType = 'RAW' | 'DIGEST';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Digest length in bytes of each hash. */
export const HASH_BYTES: Readonly<Record<HashName, number>> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

export const RSA_KEY_BITS: Readonly<Record<RsaKeySpec, number>> = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 };

export interface CurveInfo {
  /** The curve's name in node:crypto (OpenSSL's short name). */
  nodeName: 'prime256v1' | 'secp384r1' | 'secp521r1' | 'secp256k1';
  /** The curve's name in JWK (RFC 7518 and the secp256k1 registration). */
  jwkName: 'P-256' | 'P-384' | 'P-521' | 'secp256k1';
  /** Bytes of a field element, so of an x coordinate and of an ECDH shared secret. */
  fieldBytes: number;
  /** The one hash AWS pairs with the curve for ECDSA. */
  hash: HashName;
}

export const CURVES: Readonly<Record<EccKeySpec, CurveInfo>> = {
  ECC_NIST_P256: { nodeName: 'prime256v1', jwkName: 'P-256', fieldBytes: 32, hash: 'sha256' },
  ECC_NIST_P384: { nodeName: 'secp384r1', jwkName: 'P-384', fieldBytes: 48, hash: 'sha384' },
  ECC_NIST_P521: { nodeName: 'secp521r1', jwkName: 'P-521', fieldBytes: 66, hash: 'sha512' },
  ECC_SECG_P256K1: { nodeName: 'secp256k1', jwkName: 'secp256k1', fieldBytes: 32, hash: 'sha256' },
};

/** Key length in bytes of generated HMAC key material: AWS sizes each HMAC key spec to its digest. */
export const HMAC_KEY_BYTES: Readonly<Record<HmacKeySpec, number>> = { HMAC_224: 28, HMAC_256: 32, HMAC_384: 48, HMAC_512: 64 };

export const MAC_ALGORITHM_OF: Readonly<Record<HmacKeySpec, MacAlgorithmSpec>> = {
  HMAC_224: 'HMAC_SHA_224',
  HMAC_256: 'HMAC_SHA_256',
  HMAC_384: 'HMAC_SHA_384',
  HMAC_512: 'HMAC_SHA_512',
};

export const MAC_HASH: Readonly<Record<MacAlgorithmSpec, HashName>> = {
  HMAC_SHA_224: 'sha224',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export interface SigningAlgorithmInfo {
  family: 'RSASSA_PSS' | 'RSASSA_PKCS1_V1_5' | 'ECDSA';
  hash: HashName;
}

export const SIGNING_ALGORITHMS: Readonly<Record<SigningAlgorithmSpec, SigningAlgorithmInfo>> = {
  RSASSA_PSS_SHA_256: { family: 'RSASSA_PSS', hash: 'sha256' },
  RSASSA_PSS_SHA_384: { family: 'RSASSA_PSS', hash: 'sha384' },
  RSASSA_PSS_SHA_512: { family: 'RSASSA_PSS', hash: 'sha512' },
  RSASSA_PKCS1_V1_5_SHA_256: { family: 'RSASSA_PKCS1_V1_5', hash: 'sha256' },
  RSASSA_PKCS1_V1_5_SHA_384: { family: 'RSASSA_PKCS1_V1_5', hash: 'sha384' },
  RSASSA_PKCS1_V1_5_SHA_512: { family: 'RSASSA_PKCS1_V1_5', hash: 'sha512' },
  ECDSA_SHA_256: { family: 'ECDSA', hash: 'sha256' },
  ECDSA_SHA_384: { family: 'ECDSA', hash: 'sha384' },
  ECDSA_SHA_512: { family: 'ECDSA', hash: 'sha512' },
};

/** The one ECDSA algorithm AWS allows on each curve: the curve fixes the hash. */
export const ECDSA_ALGORITHM_OF: Readonly<Record<EccKeySpec, SigningAlgorithmSpec>> = {
  ECC_NIST_P256: 'ECDSA_SHA_256',
  ECC_NIST_P384: 'ECDSA_SHA_384',
  ECC_NIST_P521: 'ECDSA_SHA_512',
  ECC_SECG_P256K1: 'ECDSA_SHA_256',
};

export const OAEP_HASH: Readonly<Record<RsaEncryptionAlgorithmSpec, HashName>> = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' };

const KEY_SPECS: ReadonlySet<string> = new Set<KeySpec>([
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
]);

// Own-property checks, not `in`: a spec named "toString" or "__proto__" must not find Object.prototype's members.
const has = (table: object, key: unknown): boolean => typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);

export const isKeySpec = (v: unknown): v is KeySpec => typeof v === 'string' && KEY_SPECS.has(v);
export const isRsaKeySpec = (v: unknown): v is RsaKeySpec => has(RSA_KEY_BITS, v);
export const isEccKeySpec = (v: unknown): v is EccKeySpec => has(CURVES, v);
export const isHmacKeySpec = (v: unknown): v is HmacKeySpec => has(HMAC_KEY_BYTES, v);
export const isAsymmetricKeySpec = (v: unknown): v is AsymmetricKeySpec => isRsaKeySpec(v) || isEccKeySpec(v);
export const isSigningAlgorithm = (v: unknown): v is SigningAlgorithmSpec => has(SIGNING_ALGORITHMS, v);
export const isRsaEncryptionAlgorithm = (v: unknown): v is RsaEncryptionAlgorithmSpec => has(OAEP_HASH, v);
export const isMacAlgorithm = (v: unknown): v is MacAlgorithmSpec => has(MAC_HASH, v);

/** The signing algorithms a key of this spec supports, in AWS's order (DescribeKey's SigningAlgorithms). */
export function signingAlgorithmsFor(spec: KeySpec): SigningAlgorithmSpec[] {
  if (isRsaKeySpec(spec)) {
    return [
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
    ];
  }
  if (isEccKeySpec(spec)) return [ECDSA_ALGORITHM_OF[spec]];
  return [];
}

/** The encryption algorithms a key of this spec supports (DescribeKey's EncryptionAlgorithms). */
export function encryptionAlgorithmsFor(spec: KeySpec): EncryptionAlgorithmSpec[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['SYMMETRIC_DEFAULT'];
  if (isRsaKeySpec(spec)) return ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
  return [];
}

/** The MAC algorithms a key of this spec supports (DescribeKey's MacAlgorithms): exactly one per HMAC spec. */
export function macAlgorithmsFor(spec: KeySpec): MacAlgorithmSpec[] {
  return isHmacKeySpec(spec) ? [MAC_ALGORITHM_OF[spec]] : [];
}

/** The key agreement algorithms a key of this spec supports (DescribeKey's KeyAgreementAlgorithms). */
export function keyAgreementAlgorithmsFor(spec: KeySpec): KeyAgreementAlgorithmSpec[] {
  return spec === 'ECC_NIST_P256' || spec === 'ECC_NIST_P384' || spec === 'ECC_NIST_P521' ? ['ECDH'] : [];
}

/** Throws UnsupportedAlgorithmError unless `spec` is a key spec this layer implements. */
export function requireKeySpec<T extends KeySpec>(spec: unknown, accept: (v: unknown) => v is T, what: string): T {
  if (accept(spec)) return spec;
  throw new UnsupportedAlgorithmError(`${describeValue(spec)} is not ${what}`);
}

/** A short, safe rendering of an unknown argument for error messages: never the whole of a huge string. */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return typeof v;
}
