/**
 * The cryptographic layer of the embedded KMS: primitives with AWS's parameters, key material in AWS's formats,
 * typed errors. Key state, policy and storage live above it; nothing here knows about KMS keys, only bytes.
 */
export {
  CryptoError,
  AuthenticationError,
  MalformedCiphertextError,
  InvalidKeyError,
  UnsupportedAlgorithmError,
  InvalidInputError,
} from './errors';
export {
  signingAlgorithmsFor,
  encryptionAlgorithmsFor,
  macAlgorithmsFor,
  keyAgreementAlgorithmsFor,
  isKeySpec,
  isAsymmetricKeySpec,
  isRsaKeySpec,
  isEccKeySpec,
  isHmacKeySpec,
  isSigningAlgorithm,
  isMacAlgorithm,
  isRsaEncryptionAlgorithm,
  HMAC_KEY_BYTES,
  type KeySpec,
  type RsaKeySpec,
  type EccKeySpec,
  type HmacKeySpec,
  type AsymmetricKeySpec,
  type DataKeyPairSpec,
  type WrappingKeySpec,
  type SigningAlgorithmSpec,
  type EncryptionAlgorithmSpec,
  type RsaEncryptionAlgorithmSpec,
  type MacAlgorithmSpec,
  type KeyAgreementAlgorithmSpec,
  type WrappingAlgorithmSpec,
  type MessageType,
} from './algorithms';
export { defaultAesGcm, nodeAesGcm, nobleAesGcm, type AesGcm } from './aesGcm';
export { hkdfSha256, nodeHkdfSha256, nobleHkdfSha256, type HkdfSha256 } from './hkdf';
export {
  generateKeyMaterial,
  generateSecretKey,
  generateKeyPair,
  generateDataKeyPair,
  publicKeyFromPrivateKey,
  keySpecOfPrivateKey,
  SYMMETRIC_KEY_BYTES,
  type KeyMaterial,
  type KeyPair,
} from './keyMaterial';
export { sign, verify } from './signing';
export { rsaOaepEncrypt, rsaOaepDecrypt, rsaOaepMaxPlaintext } from './rsaEncryption';
export { generateMac, verifyMac } from './hmac';
export { deriveSharedSecret, type KeyAgreementKeySpec } from './ecdh';
export { generateWrappingKeyPair, wrapKeyMaterial, unwrapKeyMaterial } from './importWrapping';
