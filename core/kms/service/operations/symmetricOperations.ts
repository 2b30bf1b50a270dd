/**
 * The operations on encryption keys: Encrypt, Decrypt, ReEncrypt, GenerateDataKey,
 * GenerateDataKeyWithoutPlaintext, and GenerateRandom. Symmetric keys seal with the ciphertext blob format of
 * core/kms/ciphertext.ts, bound to the encryption context; RSA ENCRYPT_DECRYPT keys encrypt with OAEP.
 *
 * The traps are AWS's: at most 4096 bytes go through Encrypt (bigger data goes under a data key); the
 * encryption context is authenticated but not secret (it is in the audit log in the clear); Decrypt of a
 * symmetric ciphertext needs no KeyId, the ciphertext names its key, and naming another key is an
 * IncorrectKeyException; any mismatch of context or bytes is an InvalidCiphertextException with no message.
 */
import { randomBytes } from 'node:crypto';
import { CIPHERTEXT_OVERHEAD, MAX_PLAINTEXT_BYTES, openCiphertext, parseCiphertext, sealCiphertext, type ParsedCiphertext, type SealCiphertextInput } from '../../ciphertext';
import { isRsaKeySpec, isRsaEncryptionAlgorithm, type RsaEncryptionAlgorithmSpec, type RsaKeySpec } from '../../crypto/algorithms';
import { CryptoError } from '../../crypto/errors';
import { rsaOaepDecrypt, rsaOaepEncrypt, rsaOaepMaxPlaintext } from '../../crypto/rsaEncryption';
import type { AuthorizeOptions, CallContext, ResolvedKey } from '../callContext';
import { currentMaterial, currentPublicKey } from '../material';
import {
  ciphertextKeyUnknown,
  dryRunSucceeded,
  incompatibleAlgorithm,
  incorrectKey,
  invalidCiphertext,
  invalidKeySpec,
  invalidKeyUsage,
  unsupported,
  validation,
} from '../serviceErrors';
import type * as S from '../shapes';
import { isExternalKeyStoreKey, openOuter, sealOuter } from '../xksCrypto';

export function requireUsage(ctx: CallContext, key: ResolvedKey, usage: string): void {
  if (key.record.keyUsage !== usage) throw invalidKeyUsage(key.record.arn, key.record.keyUsage, ctx.operation);
}

/** Data keys and data key pairs are encrypted under a symmetric encryption key only. */
export function requireSymmetricEncryptionKey(ctx: CallContext, key: ResolvedKey): void {
  requireUsage(ctx, key, 'ENCRYPT_DECRYPT');
  if (key.record.keySpec !== 'SYMMETRIC_DEFAULT') throw invalidKeySpec(key.record.arn, key.record.keySpec, ctx.operation);
}

export function refuseRecipient(request: { Recipient?: object }): void {
  if (request.Recipient !== undefined) throw unsupported('Recipient (AWS Nitro Enclaves attestation) is not available in this KMS yet.');
}

/** DryRun: the request was valid and authorized, so it "would have succeeded" (DryRunOperationException). */
export function stopIfDryRun(request: { DryRun?: boolean }): void {
  if (request.DryRun) throw dryRunSucceeded();
}

function grantTokens(request: { GrantTokens?: string[] }): { grantTokens?: string[] } {
  return request.GrantTokens ? { grantTokens: request.GrantTokens } : {};
}

function contextOption(context: S.EncryptionContext | undefined): { encryptionContext?: S.EncryptionContext } {
  return context ? { encryptionContext: context } : {};
}

/** The authorization options of a cryptographic operation: its encryption context and grant tokens where given. */
function cryptoAuthorization(context: S.EncryptionContext | undefined, tokens: string[] | undefined, conditionKeys: Record<string, string | boolean>): AuthorizeOptions {
  const options: AuthorizeOptions = {};
  if (context) options.encryptionContext = context;
  if (tokens) options.grantTokens = tokens;
  options.conditionKeys = conditionKeys;
  return options;
}

/**
 * Seals under the key's current material: the version 1 blob, bound to the context. A key in an external key
 * store adds the proxy's layer over it (xksCrypto.ts).
 */
export function sealUnder(ctx: CallContext, key: ResolvedKey, plaintext: Uint8Array, context: S.EncryptionContext | undefined): { blob: Uint8Array; materialId: string } {
  const material = currentMaterial(key);
  const aes = ctx.parts.crypto.aes;
  const input: SealCiphertextInput = { keyId: key.record.keyId, materialId: material.id, key: material.bytes, plaintext, messageKeys: ctx.parts.crypto.messageKeys };
  if (context) input.encryptionContext = context;
  if (aes) input.aes = aes;
  const blob = sealCiphertext(input);
  return { blob: isExternalKeyStoreKey(key) ? sealOuter(ctx, key, blob) : blob, materialId: material.id };
}

/** The longest version 1 blob; a longer one can only be a blob with an external key store's layer. */
const MAX_INNER_BLOB = CIPHERTEXT_OVERHEAD + MAX_PLAINTEXT_BYTES;

/** The algorithm a request names must be one the key's spec supports. */
function checkAlgorithm(key: ResolvedKey, algorithm: string): void {
  const symmetric = key.record.keySpec === 'SYMMETRIC_DEFAULT';
  const fits = symmetric ? algorithm === 'SYMMETRIC_DEFAULT' : isRsaKeySpec(key.record.keySpec) && isRsaEncryptionAlgorithm(algorithm);
  if (!fits) throw incompatibleAlgorithm(algorithm, key.record.keySpec);
}

function encryptUnder(ctx: CallContext, key: ResolvedKey, algorithm: string, plaintext: Uint8Array, context: S.EncryptionContext | undefined, dryRun: { DryRun?: boolean }): { blob: Uint8Array; materialId?: string } {
  checkAlgorithm(key, algorithm);
  if (key.record.keySpec === 'SYMMETRIC_DEFAULT') {
    stopIfDryRun(dryRun);
    return sealUnder(ctx, key, plaintext, context);
  }
  const spec = key.record.keySpec as RsaKeySpec;
  const alg = algorithm as RsaEncryptionAlgorithmSpec;
  // The encryption context binds symmetric ciphertexts only; RSA-OAEP has no place for it.
  if (context && Object.keys(context).length > 0) throw validation('EncryptionContext is supported only with symmetric encryption KMS keys.');
  const max = rsaOaepMaxPlaintext(spec, alg);
  if (plaintext.length > max) throw validation(`Algorithm ${alg} and key spec ${spec} cannot encrypt data larger than ${max} bytes.`);
  stopIfDryRun(dryRun);
  return { blob: rsaOaepEncrypt(spec, currentPublicKey(key), alg, plaintext) };
}

export function encrypt(ctx: CallContext, request: S.EncryptRequest): S.EncryptResponse {
  const algorithm = request.EncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize('Encrypt', key, cryptoAuthorization(request.EncryptionContext, request.GrantTokens, { 'kms:EncryptionAlgorithm': algorithm }));
  ctx.checkState(key);
  requireUsage(ctx, key, 'ENCRYPT_DECRYPT');
  const { blob } = encryptUnder(ctx, key, algorithm, request.Plaintext, request.EncryptionContext, request);
  return { CiphertextBlob: blob, KeyId: key.record.arn, EncryptionAlgorithm: algorithm };
}

interface Opened {
  key: ResolvedKey;
  plaintext: Uint8Array;
  algorithm: string;
  materialId?: string;
}

interface DecryptSide {
  blob: Uint8Array;
  keyId?: string;
  algorithm?: string;
  context?: S.EncryptionContext;
  grantTokens?: string[];
  dryRun?: boolean;
}

/**
 * Decrypt's half, shared with ReEncrypt: find the key (named, or from the ciphertext), authorize `action` on
 * it with the operation's own condition keys, check it against the key state table's `row` and its usage,
 * then open the ciphertext.
 */
export function decryptSide(ctx: CallContext, side: DecryptSide, action: string, row: string, conditionKeys: (key: ResolvedKey) => Record<string, string | boolean>): Opened {
  const algorithm = side.algorithm ?? 'SYMMETRIC_DEFAULT';
  const named = side.keyId !== undefined ? ctx.resolveKey(side.keyId, { aliases: true }) : undefined;
  const authorize = (key: ResolvedKey) => {
    ctx.authorize(action, key, cryptoAuthorization(side.context, side.grantTokens, { 'kms:EncryptionAlgorithm': algorithm, ...conditionKeys(key) }));
    ctx.checkState(key, row);
    requireUsage(ctx, key, 'ENCRYPT_DECRYPT');
    checkAlgorithm(key, algorithm);
  };

  if (algorithm !== 'SYMMETRIC_DEFAULT') {
    // An asymmetric ciphertext does not name its key: AWS needs KeyId and EncryptionAlgorithm for it.
    if (!named) throw validation('KeyId is required to decrypt with an asymmetric encryption algorithm.');
    authorize(named);
    if (side.context && Object.keys(side.context).length > 0) throw validation('EncryptionContext is supported only with symmetric encryption KMS keys.');
    if (side.dryRun) throw dryRunSucceeded();
    try {
      const plaintext = rsaOaepDecrypt(named.record.keySpec as RsaKeySpec, currentMaterial(named).bytes, algorithm as RsaEncryptionAlgorithmSpec, side.blob);
      return { key: named, plaintext, algorithm };
    } catch (error) {
      if (error instanceof CryptoError) throw invalidCiphertext();
      throw error;
    }
  }

  if (named) authorize(named);
  const parse = (blob: Uint8Array): ParsedCiphertext => {
    try {
      return parseCiphertext(blob);
    } catch (error) {
      if (error instanceof CryptoError) throw invalidCiphertext();
      throw error;
    }
  };
  // The header names the key; it reads the same with or without an external key store's layer.
  let parsed = parse(side.blob.length > MAX_INNER_BLOB ? side.blob.subarray(0, MAX_INNER_BLOB) : side.blob);
  let key: ResolvedKey;
  if (named) {
    if (parsed.keyId !== named.record.keyId) throw incorrectKey();
    key = named;
  } else {
    // The key the ciphertext names; AWS answers a key that is gone (or in another region) with this AccessDeniedException.
    const found = ctx.findKey(parsed.keyId);
    if (!found) throw ciphertextKeyUnknown();
    key = found;
    authorize(key);
  }
  if (side.dryRun) throw dryRunSucceeded();
  if (isExternalKeyStoreKey(key)) parsed = parse(openOuter(ctx, key, side.blob));
  else if (side.blob.length > MAX_INNER_BLOB) throw invalidCiphertext();
  const material = key.material.get(parsed.materialId);
  if (!material) throw invalidCiphertext();
  try {
    const aes = ctx.parts.crypto.aes;
    return { key, plaintext: openCiphertext(parsed, material, side.context, aes, ctx.parts.crypto.messageKeys), algorithm, materialId: parsed.materialId };
  } catch (error) {
    if (error instanceof CryptoError) throw invalidCiphertext();
    throw error;
  }
}

export function decrypt(ctx: CallContext, request: S.DecryptRequest): S.DecryptResponse {
  refuseRecipient(request);
  const opened = decryptSide(
    ctx,
    {
      blob: request.CiphertextBlob,
      ...(request.KeyId !== undefined ? { keyId: request.KeyId } : {}),
      ...(request.EncryptionAlgorithm !== undefined ? { algorithm: request.EncryptionAlgorithm } : {}),
      ...(request.EncryptionContext ? { context: request.EncryptionContext } : {}),
      ...(request.GrantTokens ? { grantTokens: request.GrantTokens } : {}),
      ...(request.DryRun ? { dryRun: true } : {}),
    },
    'Decrypt',
    'Decrypt',
    () => ({}),
  );
  return {
    KeyId: opened.key.record.arn,
    Plaintext: opened.plaintext,
    EncryptionAlgorithm: opened.algorithm,
    ...(opened.materialId ? { KeyMaterialId: opened.materialId } : {}),
  };
}

export function reEncrypt(ctx: CallContext, request: S.ReEncryptRequest): S.ReEncryptResponse {
  const destination = ctx.resolveKey(request.DestinationKeyId, { aliases: true });
  const destinationAlgorithm = request.DestinationEncryptionAlgorithm ?? 'SYMMETRIC_DEFAULT';
  const sameKey = (key: ResolvedKey) => ({ 'kms:ReEncryptOnSameKey': key.record.keyId === destination.record.keyId });
  // ReEncrypt needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key.
  const opened = decryptSide(
    ctx,
    {
      blob: request.CiphertextBlob,
      ...(request.SourceKeyId !== undefined ? { keyId: request.SourceKeyId } : {}),
      ...(request.SourceEncryptionAlgorithm !== undefined ? { algorithm: request.SourceEncryptionAlgorithm } : {}),
      ...(request.SourceEncryptionContext ? { context: request.SourceEncryptionContext } : {}),
      ...(request.GrantTokens ? { grantTokens: request.GrantTokens } : {}),
    },
    'ReEncryptFrom',
    'ReEncrypt',
    sameKey,
  );
  try {
    ctx.authorize('ReEncryptTo', destination, {
      ...contextOption(request.DestinationEncryptionContext),
      ...grantTokens(request),
      conditionKeys: { 'kms:EncryptionAlgorithm': destinationAlgorithm, ...sameKey(opened.key) },
    });
    ctx.checkState(destination, 'ReEncrypt');
    requireUsage(ctx, destination, 'ENCRYPT_DECRYPT');
    const sealed = encryptUnder(ctx, destination, destinationAlgorithm, opened.plaintext, request.DestinationEncryptionContext, request);
    return {
      CiphertextBlob: sealed.blob,
      SourceKeyId: opened.key.record.arn,
      KeyId: destination.record.arn,
      SourceEncryptionAlgorithm: opened.algorithm,
      DestinationEncryptionAlgorithm: destinationAlgorithm,
      ...(opened.materialId ? { SourceKeyMaterialId: opened.materialId } : {}),
      ...(sealed.materialId ? { DestinationKeyMaterialId: sealed.materialId } : {}),
    };
  } finally {
    opened.plaintext.fill(0);
  }
}

function dataKey(ctx: CallContext, request: S.GenerateDataKeyWithoutPlaintextRequest & { Recipient?: object }): { key: ResolvedKey; plaintext: Uint8Array; blob: Uint8Array; materialId: string } {
  refuseRecipient(request);
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize(ctx.operation, key, cryptoAuthorization(request.EncryptionContext, request.GrantTokens, { 'kms:EncryptionAlgorithm': 'SYMMETRIC_DEFAULT' }));
  ctx.checkState(key);
  requireSymmetricEncryptionKey(ctx, key);
  stopIfDryRun(request);
  const plaintext = new Uint8Array(randomBytes(request.NumberOfBytes ?? (request.KeySpec === 'AES_128' ? 16 : 32)));
  const { blob, materialId } = sealUnder(ctx, key, plaintext, request.EncryptionContext);
  return { key, plaintext, blob, materialId };
}

export function generateDataKey(ctx: CallContext, request: S.GenerateDataKeyRequest): S.GenerateDataKeyResponse {
  const d = dataKey(ctx, request);
  return { CiphertextBlob: d.blob, Plaintext: d.plaintext, KeyId: d.key.record.arn, KeyMaterialId: d.materialId };
}

export function generateDataKeyWithoutPlaintext(ctx: CallContext, request: S.GenerateDataKeyWithoutPlaintextRequest): S.GenerateDataKeyWithoutPlaintextResponse {
  const d = dataKey(ctx, request);
  d.plaintext.fill(0);
  return { CiphertextBlob: d.blob, KeyId: d.key.record.arn, KeyMaterialId: d.materialId };
}

export function generateRandom(ctx: CallContext, request: S.GenerateRandomRequest): S.GenerateRandomResponse {
  // Only AWS CloudHSM key stores generate random bytes (API Reference, GenerateRandom); external key stores do not.
  if (request.CustomKeyStoreId !== undefined) throw unsupported('GenerateRandom with a CustomKeyStoreId needs an AWS CloudHSM key store, which this KMS does not have.');
  refuseRecipient(request);
  ctx.authorize('GenerateRandom', undefined);
  return { Plaintext: new Uint8Array(randomBytes(request.NumberOfBytes!)) };
}
