/**
 * The operations on signing, MAC and key agreement keys, and the data key pairs: Sign, Verify, GetPublicKey,
 * GenerateMac, VerifyMac, DeriveSharedSecret, GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext.
 * A signature or MAC that does not verify is an exception (KMSInvalidSignatureException, KMSInvalidMacException)
 * with no message, as AWS answers, never a `false` in a successful response.
 */
import {
  isAsymmetricKeySpec,
  isHmacKeySpec,
  macAlgorithmsFor,
  signingAlgorithmsFor,
  type AsymmetricKeySpec,
  type DataKeyPairSpec,
  type HmacKeySpec,
  type MacAlgorithmSpec,
  type MessageType,
  type SigningAlgorithmSpec,
} from '../../crypto/algorithms';
import { deriveSharedSecret as ecdh, type KeyAgreementKeySpec } from '../../crypto/ecdh';
import { InvalidInputError, InvalidKeyError } from '../../crypto/errors';
import { generateMac as hmacGenerate, verifyMac as hmacVerify } from '../../crypto/hmac';
import { sign as signMessage, verify as verifySignature } from '../../crypto/signing';
import { KmsError } from '../../errors';
import type { CallContext, ResolvedKey } from '../callContext';
import { algorithmsOf } from '../keyRecord';
import { currentMaterial, currentPublicKey } from '../material';
import { incompatibleAlgorithm, unsupported, validation } from '../serviceErrors';
import type * as S from '../shapes';
import { refuseRecipient, requireSymmetricEncryptionKey, requireUsage, sealUnder, stopIfDryRun } from './symmetricOperations';

function grantTokens(request: { GrantTokens?: string[] }): { grantTokens?: string[] } {
  return request.GrantTokens ? { grantTokens: request.GrantTokens } : {};
}

/** A key for Sign or Verify: SIGN_VERIFY, with a signing algorithm its spec supports. */
function signingKey(ctx: CallContext, request: S.SignRequest): { key: ResolvedKey; spec: AsymmetricKeySpec; messageType: MessageType } {
  const messageType = (request.MessageType ?? 'RAW') as MessageType;
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize(ctx.operation, key, { ...grantTokens(request), conditionKeys: { 'kms:SigningAlgorithm': request.SigningAlgorithm, 'kms:MessageType': messageType } });
  ctx.checkState(key);
  requireUsage(ctx, key, 'SIGN_VERIFY');
  const spec = key.record.keySpec;
  if (!signingAlgorithmsFor(spec).includes(request.SigningAlgorithm as SigningAlgorithmSpec)) throw incompatibleAlgorithm(request.SigningAlgorithm, spec);
  // EXTERNAL_MU is for ML-DSA keys, which this KMS does not have.
  if (messageType !== 'RAW' && messageType !== 'DIGEST') throw incompatibleAlgorithm(`MessageType ${messageType}`, spec);
  stopIfDryRun(request);
  return { key, spec: spec as AsymmetricKeySpec, messageType };
}

/** A digest of the wrong length for the algorithm's hash is the caller's mistake: ValidationException. */
function asValidation<T>(algorithm: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof InvalidInputError) throw validation(`Digest is invalid length for algorithm ${algorithm}.`);
    throw error;
  }
}

export function sign(ctx: CallContext, request: S.SignRequest): S.SignResponse {
  const { key, spec, messageType } = signingKey(ctx, request);
  const algorithm = request.SigningAlgorithm as SigningAlgorithmSpec;
  const signature = asValidation(algorithm, () => signMessage(spec, currentMaterial(key).bytes, algorithm, messageType, request.Message));
  return { KeyId: key.record.arn, Signature: signature, SigningAlgorithm: algorithm };
}

export function verify(ctx: CallContext, request: S.VerifyRequest): S.VerifyResponse {
  const { key, spec, messageType } = signingKey(ctx, request);
  const algorithm = request.SigningAlgorithm as SigningAlgorithmSpec;
  const valid = asValidation(algorithm, () => verifySignature(spec, currentPublicKey(key), algorithm, messageType, request.Message, request.Signature));
  if (!valid) throw new KmsError('KMSInvalidSignatureException', '');
  return { KeyId: key.record.arn, SignatureValid: true, SigningAlgorithm: algorithm };
}

export function getPublicKey(ctx: CallContext, request: S.GetPublicKeyRequest): S.GetPublicKeyResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize('GetPublicKey', key, grantTokens(request));
  ctx.checkState(key);
  const { keySpec, keyUsage, arn } = key.record;
  // Symmetric and HMAC keys have no public half.
  if (!isAsymmetricKeySpec(keySpec)) throw unsupported(`${arn} key spec is ${keySpec} which is not valid for GetPublicKey.`);
  const algorithms = algorithmsOf(keySpec, keyUsage);
  return {
    KeyId: arn,
    PublicKey: currentPublicKey(key),
    CustomerMasterKeySpec: keySpec,
    KeySpec: keySpec,
    KeyUsage: keyUsage,
    ...(algorithms.EncryptionAlgorithms ? { EncryptionAlgorithms: algorithms.EncryptionAlgorithms } : {}),
    ...(algorithms.SigningAlgorithms ? { SigningAlgorithms: algorithms.SigningAlgorithms } : {}),
    ...(algorithms.KeyAgreementAlgorithms ? { KeyAgreementAlgorithms: algorithms.KeyAgreementAlgorithms } : {}),
  };
}

function macKey(ctx: CallContext, request: S.GenerateMacRequest): { key: ResolvedKey; spec: HmacKeySpec; algorithm: MacAlgorithmSpec } {
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize(ctx.operation, key, { ...grantTokens(request), conditionKeys: { 'kms:MacAlgorithm': request.MacAlgorithm } });
  ctx.checkState(key);
  requireUsage(ctx, key, 'GENERATE_VERIFY_MAC');
  const spec = key.record.keySpec;
  if (!isHmacKeySpec(spec) || !macAlgorithmsFor(spec).includes(request.MacAlgorithm as MacAlgorithmSpec)) throw incompatibleAlgorithm(request.MacAlgorithm, spec);
  stopIfDryRun(request);
  return { key, spec, algorithm: request.MacAlgorithm as MacAlgorithmSpec };
}

export function generateMac(ctx: CallContext, request: S.GenerateMacRequest): S.GenerateMacResponse {
  const { key, spec, algorithm } = macKey(ctx, request);
  return { Mac: hmacGenerate(spec, currentMaterial(key).bytes, algorithm, request.Message), MacAlgorithm: algorithm, KeyId: key.record.arn };
}

export function verifyMac(ctx: CallContext, request: S.VerifyMacRequest): S.VerifyMacResponse {
  const { key, spec, algorithm } = macKey(ctx, request);
  if (!hmacVerify(spec, currentMaterial(key).bytes, algorithm, request.Message, request.Mac)) throw new KmsError('KMSInvalidMacException', '');
  return { KeyId: key.record.arn, MacValid: true, MacAlgorithm: algorithm };
}

export function deriveSharedSecret(ctx: CallContext, request: S.DeriveSharedSecretRequest): S.DeriveSharedSecretResponse {
  refuseRecipient(request);
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize('DeriveSharedSecret', key, { ...grantTokens(request), conditionKeys: { 'kms:KeyAgreementAlgorithm': request.KeyAgreementAlgorithm } });
  ctx.checkState(key);
  requireUsage(ctx, key, 'KEY_AGREEMENT');
  stopIfDryRun(request);
  try {
    const secret = ecdh(key.record.keySpec as KeyAgreementKeySpec, currentMaterial(key).bytes, 'ECDH', request.PublicKey);
    return { KeyId: key.record.arn, SharedSecret: secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: key.record.origin };
  } catch (error) {
    // The peer's public key is the caller's input: not a key of the key's curve, or not a point on it.
    if (error instanceof InvalidKeyError) throw validation(`PublicKey is not a valid ${key.record.keySpec} public key (SubjectPublicKeyInfo DER).`);
    throw error;
  }
}

function dataKeyPair(ctx: CallContext, request: S.GenerateDataKeyPairWithoutPlaintextRequest & { Recipient?: object }) {
  refuseRecipient(request);
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.keyPairSpec = request.KeyPairSpec;
  ctx.authorize(ctx.operation, key, {
    ...(request.EncryptionContext ? { encryptionContext: request.EncryptionContext } : {}),
    ...grantTokens(request),
    conditionKeys: { 'kms:DataKeyPairSpec': request.KeyPairSpec, 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' },
  });
  ctx.checkState(key);
  requireSymmetricEncryptionKey(ctx, key);
  // SM2 data key pairs exist in China Regions only; Ed25519 pairs are not implemented.
  if (!isAsymmetricKeySpec(request.KeyPairSpec)) {
    throw unsupported(`KeyPairSpec ${request.KeyPairSpec} is not available in this KMS yet.`);
  }
  stopIfDryRun(request);
  const pair = ctx.parts.crypto.generateDataKeyPair(request.KeyPairSpec as DataKeyPairSpec);
  const { blob, materialId } = sealUnder(ctx, key, pair.privateKey, request.EncryptionContext);
  return { key, pair, blob, materialId };
}

export function generateDataKeyPair(ctx: CallContext, request: S.GenerateDataKeyPairRequest): S.GenerateDataKeyPairResponse {
  const d = dataKeyPair(ctx, request);
  return {
    PrivateKeyCiphertextBlob: d.blob,
    PrivateKeyPlaintext: d.pair.privateKey,
    PublicKey: d.pair.publicKey,
    KeyId: d.key.record.arn,
    KeyPairSpec: request.KeyPairSpec,
    KeyMaterialId: d.materialId,
  };
}

export function generateDataKeyPairWithoutPlaintext(ctx: CallContext, request: S.GenerateDataKeyPairWithoutPlaintextRequest): S.GenerateDataKeyPairWithoutPlaintextResponse {
  const d = dataKeyPair(ctx, request);
  d.pair.privateKey.fill(0);
  return { PrivateKeyCiphertextBlob: d.blob, PublicKey: d.pair.publicKey, KeyId: d.key.record.arn, KeyPairSpec: request.KeyPairSpec, KeyMaterialId: d.materialId };
}
