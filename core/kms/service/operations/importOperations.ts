/**
 * GetParametersForImport, ImportKeyMaterial and DeleteImportedKeyMaterial (AWS KMS Developer Guide, "Importing
 * key material for AWS KMS keys"). A key created with Origin EXTERNAL is PendingImport until key material is
 * imported: the caller asks for a wrapping public key and an import token, encrypts the material under the
 * public key (core/kms/crypto/importWrapping.ts does both sides), and imports it with the token.
 *
 * The rules are AWS's: the token and public key are good for 24 hours, and only the latest pair of a key works
 * (an older token is an InvalidImportTokenException, a stale one an ExpiredImportTokenException); a key takes
 * only the material it first had, for ever (IncorrectKeyMaterialException); the material may expire (ValidTo, at
 * most 365 days ahead), after which the key is PendingImport again and its ciphertexts undecryptable until the
 * same material is imported again. Symmetric encryption, HMAC and asymmetric keys can all be imported into; the
 * 2025 import of new material for on-demand rotation (ImportType NEW_KEY_MATERIAL) is not implemented.
 */
import { randomBytes } from 'node:crypto';
import type { WrappingAlgorithmSpec, WrappingKeySpec } from '../../crypto/algorithms';
import { unwrapKeyMaterial } from '../../crypto/importWrapping';
import { KmsError } from '../../errors';
import type { CallContext, ResolvedKey } from '../callContext';
import { checkImportedMaterial, deleteCurrentImportedMaterial, materialDigest, WRAPPING_KEY_NAME } from '../importedMaterial';
import type { MaterialEntry } from '../keyRecord';
import { newMaterialId, withMaterial } from '../material';
import { DAY_MS } from '../rotation';
import { unsupported, validation } from '../serviceErrors';
import type * as S from '../shapes';

const TOKEN_PREFIX = 'kms-studio/import-token/1\n';
/** Import parameters are valid for 24 hours (API Reference, GetParametersForImport: ParametersValidTo). */
const PARAMETERS_VALID_MS = DAY_MS;
/** ValidTo may be at most 365 days ahead (API Reference, ImportKeyMaterial). */
const MAX_VALID_TO_MS = 365 * DAY_MS;

function importKey(ctx: CallContext, keyId: string): ResolvedKey {
  const key = ctx.resolveKey(keyId, { aliases: false });
  ctx.authorize(ctx.operation, key);
  // The state table's note 9 refuses keys whose origin is not EXTERNAL with UnsupportedOperationException.
  ctx.checkState(key);
  return key;
}

function encodeToken(keyArn: string, tokenId: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${TOKEN_PREFIX}${keyArn}\n${tokenId}`, 'utf8'));
}

function decodeToken(token: Uint8Array): { keyArn: string; tokenId: string } | undefined {
  const text = Buffer.from(token).toString('utf8');
  if (!text.startsWith(TOKEN_PREFIX)) return undefined;
  const [keyArn, tokenId, ...rest] = text.slice(TOKEN_PREFIX.length).split('\n');
  return keyArn && tokenId && rest.length === 0 ? { keyArn, tokenId } : undefined;
}

function invalidImportToken(): KmsError {
  return new KmsError('InvalidImportTokenException', 'The import token is not valid for the specified KMS key.');
}

export function getParametersForImport(ctx: CallContext, request: S.GetParametersForImportRequest): S.GetParametersForImportResponse {
  return ctx.store.withLock(() => {
    const key = importKey(ctx, request.KeyId);
    // PKCS #1 v1.5 padding is a decryption oracle: AWS stopped accepting it for new imports (October 2023).
    if (request.WrappingAlgorithm === 'RSAES_PKCS1_V1_5') throw unsupported('The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.');
    if (request.WrappingAlgorithm === 'SM2PKE' || request.WrappingKeySpec === 'SM2') throw unsupported('SM2 wrapping is available in China Regions only.');
    const pair = ctx.parts.crypto.generateWrappingKeyPair(request.WrappingKeySpec as WrappingKeySpec);
    try {
      const tokenId = randomBytes(16).toString('hex');
      const validTo = new Date(ctx.now.getTime() + PARAMETERS_VALID_MS);
      const record = key.record;
      // Only the latest parameters work: the new pair replaces any earlier one.
      record.importParameters = { tokenId, wrappingAlgorithm: request.WrappingAlgorithm, wrappingKeySpec: request.WrappingKeySpec, validTo: validTo.toISOString() };
      ctx.store.writeKey(record.region, record.keyId, record, withMaterial(key.material, WRAPPING_KEY_NAME, pair.privateKey));
      return { KeyId: record.arn, ImportToken: encodeToken(record.arn, tokenId), PublicKey: pair.publicKey, ParametersValidTo: validTo };
    } finally {
      pair.privateKey.fill(0);
    }
  });
}

/** ExpirationModel and ValidTo as AWS pairs them: ValidTo exactly when the material expires. */
function expiration(ctx: CallContext, request: S.ImportKeyMaterialRequest): { model: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE'; validTo?: string } {
  const model = (request.ExpirationModel ?? (request.ValidTo ? 'KEY_MATERIAL_EXPIRES' : 'KEY_MATERIAL_DOES_NOT_EXPIRE')) as 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  if (model === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (request.ValidTo) throw validation('ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
    return { model };
  }
  if (!request.ValidTo) throw validation('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.');
  const ms = request.ValidTo.getTime();
  if (ms <= ctx.now.getTime()) throw validation('ValidTo must be in the future.');
  if (ms > ctx.now.getTime() + MAX_VALID_TO_MS) throw validation('ValidTo must be at most 365 days from now.');
  return { model, validTo: request.ValidTo.toISOString() };
}

export function importKeyMaterial(ctx: CallContext, request: S.ImportKeyMaterialRequest): S.ImportKeyMaterialResponse {
  if (request.ImportType === 'NEW_KEY_MATERIAL') throw unsupported('Importing new key material for on-demand rotation (ImportType NEW_KEY_MATERIAL) is not available in this KMS yet.');
  return ctx.store.withLock(() => {
    const key = importKey(ctx, request.KeyId);
    const record = key.record;
    const { model, validTo } = expiration(ctx, request);
    const token = decodeToken(request.ImportToken);
    const parameters = record.importParameters;
    const wrappingKey = key.material.get(WRAPPING_KEY_NAME);
    if (!token || token.keyArn !== record.arn || !parameters || token.tokenId !== parameters.tokenId || !wrappingKey) throw invalidImportToken();
    if (ctx.now.getTime() > Date.parse(parameters.validTo)) throw new KmsError('ExpiredImportTokenException', 'The import token has expired. Call GetParametersForImport for a new one.');

    const material = unwrapKeyMaterial(parameters.wrappingKeySpec as WrappingKeySpec, wrappingKey, parameters.wrappingAlgorithm as WrappingAlgorithmSpec, request.EncryptedKeyMaterial);
    try {
      const { publicKey } = checkImportedMaterial(record, material);
      const digest = materialDigest(material);
      // A key keeps the material it first had: a re-import must bring the same (Developer Guide, "Reimport").
      const previous = record.materials.find((m) => m.importedDigest !== undefined);
      if (previous && previous.importedDigest !== digest) {
        throw new KmsError('IncorrectKeyMaterialException', `The key material is not the key material that was previously imported into ${record.arn}.`);
      }
      if (request.KeyMaterialId !== undefined && request.KeyMaterialId !== previous?.id) throw validation(`KeyMaterialId ${request.KeyMaterialId} does not name key material of ${record.arn}.`);
      const entry: MaterialEntry = previous ?? { id: newMaterialId(), createdAt: ctx.now.toISOString(), importedDigest: digest, ...(publicKey ? { publicKey } : {}) };
      if (!previous) record.materials.push(entry);
      record.currentKeyMaterialId = entry.id;
      record.expirationModel = model;
      if (validTo) record.validTo = validTo;
      else delete record.validTo;
      if (record.keyState === 'PendingImport') record.keyState = 'Enabled';
      ctx.store.writeKey(record.region, record.keyId, record, withMaterial(key.material, entry.id, material));
      return { KeyId: record.arn, KeyMaterialId: entry.id };
    } finally {
      material.fill(0);
    }
  });
}

export function deleteImportedKeyMaterial(ctx: CallContext, request: S.DeleteImportedKeyMaterialRequest): S.DeleteImportedKeyMaterialResponse {
  return ctx.store.withLock(() => {
    const key = importKey(ctx, request.KeyId);
    const record = key.record;
    const current = record.currentKeyMaterialId;
    if (request.KeyMaterialId !== undefined && request.KeyMaterialId !== current) throw validation(`KeyMaterialId ${request.KeyMaterialId} is not the current key material of ${record.arn}.`);
    // A key pending import has no material to delete: the key state table's "OK (no effect)".
    if (current === undefined) return { KeyId: record.arn, KeyMaterialId: '' };
    deleteCurrentImportedMaterial(ctx.store, record, key.material);
    ctx.parts.crypto.messageKeys.forgetKey(record.keyId);
    return { KeyId: record.arn, KeyMaterialId: current };
  });
}
