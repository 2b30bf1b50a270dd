/**
 * The in-process AWS KMS API: the one door the wire endpoint, the CLI and VS Code all go through.
 *
 * Every call runs the same pipeline, in AWS's order:
 *
 *   1. validate   the request against the API model (member types, lengths, ranges, enums, patterns:
 *                 SerializationException / ValidationException naming the member) and the rules the model
 *                 cannot express (exactly one of KeySpec and NumberOfBytes, 7 to 30 days, …);
 *   2. resolve    the key the request names (key ID, key ARN, alias name, alias ARN, where the operation takes
 *                 them), after a sweep that carries out what the KMS clock made due: deletion of keys whose
 *                 deletion date has passed (NotFoundException), automatic rotation, expiry of imported material.
 *                 Encrypt, Decrypt, ReEncrypt and GenerateDataKey* read keys and aliases through the read cache
 *                 (readCache.ts), which answers as the store would at the version the sweep just read;
 *   3. authorize  with core/authz: key policy, the caller's IAM policies, grants, and the request context
 *                 (encryption context, the alias named, source IP, kms:ViaService, the KMS clock's time);
 *                 AccessDeniedException in AWS's words, with the evaluator's explanation on `error.explanation`;
 *   4. key state  per the Developer Guide's key state table (DisabledException, KMSInvalidStateException, …);
 *   5. act        key usage and algorithm checks, then the cryptography or the change to the store;
 *   6. audit      a CloudTrail-shaped event for every call, allowed, denied or failed, with the decision.
 *
 * Everything the KMS uses is passed in (store, clock, audit recorder, crypto options, limits) or registered with
 * it (external key store proxies): there is no module state beyond caches of what never changes for a given input
 * (parsed policies, resolved principals). A call whose keys are in an external key store answers only after the
 * proxy's simulated latency.
 */
import { ValidationException as AuthzValidationException } from '../../authz/validateRequest';
import type { AuditInput } from '../audit/auditEvent';
import type { AuditRecorder } from '../audit/auditLog';
import type { Clock } from '../clock';
import { AuthenticationError, CryptoError, InvalidInputError, MalformedCiphertextError, UnsupportedAlgorithmError } from '../crypto/errors';
import { KmsError } from '../errors';
import { operationModel } from '../model/apiModel';
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import { isRegion } from '../store/kmsStore';
import { AliasTable } from './aliasTable';
import { Authorizer } from './authorizer';
import { CallContext, cryptoParts, DEFAULT_LIMITS, type KmsCryptoOptions, type KmsLimits, type KmsParts } from './callContext';
import { callerIdentityOf, DEFAULT_ACCOUNT, type Caller } from './caller';
import { CustomKeyStoreTable } from './customKeyStores';
import type { KeyRecord } from './keyRecord';
import { KeySweep } from './keySweep';
import { READ_ONLY_OPERATIONS, ReadCache } from './readCache';
import { OPERATIONS } from './operationTable';
import { checkRequest as checkRequestOf } from './requestValidation';
import { invalidCiphertext, notAvailableYet } from './serviceErrors';
import type * as S from './shapes';
import { XksProxyRegistry, type XksProxy } from './xksProxy';

export interface KmsOptions {
  store: KmsStore<KeyRecord, AliasRecord>;
  clock: Clock;
  audit: AuditRecorder;
  /** The region of calls that name none. */
  defaultRegion: string;
  /** The KMS's own account: acts for service principals, and its aliases are stored by name. */
  account?: string;
  crypto?: KmsCryptoOptions;
  /** AWS quotas to enforce instead of AWS's (a test lowers the 50,000 grants per key). */
  limits?: Partial<KmsLimits>;
}

export interface CallOptions {
  /** The region the request is sent to (the endpoint's region); the default region otherwise. */
  region?: string;
  /** The request ID the host already gave the caller (the wire endpoint's x-amzn-RequestId), for the audit event. */
  requestId?: string;
}

/**
 * CloudTrail logs CreateGrant's response as the grant ID alone (AWS KMS Developer Guide, CreateGrant log
 * entry): the grant token stays out of the log.
 */
function auditedResponse(operation: string, response: object): object {
  if (operation !== 'CreateGrant') return response;
  const { GrantToken: _token, ...rest } = response as { GrantToken?: string };
  return rest;
}

/** Who the audit event names: the principal, and the access key and role ARN where the Caller has them. */
function auditCaller(caller: Caller): { arn: string; accessKeyId?: string; roleArn?: string } {
  const who: { arn: string; accessKeyId?: string; roleArn?: string } = { arn: caller.principal };
  if (caller.accessKeyId) who.accessKeyId = caller.accessKeyId;
  if (caller.roleArn) who.roleArn = caller.roleArn;
  return who;
}

/** Errors of the layers below, as the KMS exceptions AWS would answer with. */
function asKmsError(error: unknown): KmsError | undefined {
  if (error instanceof KmsError) return error;
  if (error instanceof AuthenticationError || error instanceof MalformedCiphertextError) return invalidCiphertext();
  if (error instanceof InvalidInputError) return new KmsError('ValidationException', error.message);
  if (error instanceof UnsupportedAlgorithmError) return new KmsError('InvalidKeyUsageException', error.message);
  if (error instanceof CryptoError) return new KmsError('KMSInternalException', error.message);
  if (error instanceof AuthzValidationException) return new KmsError('KMSInternalException', error.message);
  return undefined;
}

export class Kms {
  readonly account: string;
  readonly defaultRegion: string;
  private readonly parts: KmsParts;
  private readonly audit: AuditRecorder;
  private readonly sweep: KeySweep;
  private readonly cache: ReadCache;

  constructor(options: KmsOptions) {
    if (!isRegion(options.defaultRegion)) throw new RangeError(`"${options.defaultRegion}" is not a region name`);
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.defaultRegion = options.defaultRegion;
    this.audit = options.audit;
    const aliases = new AliasTable(options.store, this.account);
    this.parts = {
      store: options.store,
      clock: options.clock,
      account: this.account,
      aliases,
      authorizer: new Authorizer(),
      crypto: cryptoParts(options.crypto),
      customKeyStores: new CustomKeyStoreTable(options.store),
      xks: new XksProxyRegistry(),
      auditLog: options.audit.log,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
    };
    this.sweep = new KeySweep(this.parts, aliases, options.audit);
    this.cache = new ReadCache(options.store);
  }

  /**
   * Makes an external key store proxy reachable at its URI endpoint and path. Proxies are objects of the host
   * process, not of the store: each process that opens a store registers the proxies it simulates.
   */
  registerXksProxy(proxy: XksProxy): void {
    this.parts.xks.register(proxy);
  }

  unregisterXksProxy(proxy: XksProxy): void {
    this.parts.xks.unregister(proxy);
  }

  /**
   * Calls `operation` (`Encrypt`, `CreateKey`, …) with a request in AWS's shape as `caller`. Resolves with the
   * response in AWS's shape; rejects with a KmsError named after AWS's exception. A Caller that is not a
   * principal is the host's mistake and throws TypeError, unaudited.
   */
  call(operation: string, request: object, caller: Caller, options: CallOptions = {}): Promise<object> {
    const latency = { ms: 0 };
    let response: object;
    try {
      response = this.callNow(operation, request, caller, options, latency);
    } catch (error) {
      return this.after(latency.ms).then(() => Promise.reject(error));
    }
    return latency.ms > 0 ? this.after(latency.ms).then(() => response) : Promise.resolve(response);
  }

  /** The answer, or the error, comes after the external key store proxy answered: `ms` later. */
  private after(ms: number): Promise<void> {
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  private callNow(operation: string, request: object, caller: Caller, options: CallOptions, latency: { ms: number }): object {
    const region = options.region ?? this.defaultRegion;
    if (!isRegion(region)) throw new RangeError(`"${region}" is not a region name`);
    callerIdentityOf(caller);
    const ctx = new CallContext(this.parts, operation, caller, region);
    let response: object | undefined;
    let failure: { code: string; message: string } | undefined;
    try {
      const handler = Object.prototype.hasOwnProperty.call(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
      if (!handler && !operationModel(operation)) throw new KmsError('UnknownOperationException', `${operation} is not an AWS KMS operation.`);
      this.sweep.sweep(ctx.now);
      // The sweep read the store's version as the call began: what the read cache checks its entries against.
      if (READ_ONLY_OPERATIONS.has(operation) && this.cache.usable && this.sweep.lastVersion !== undefined) {
        this.cache.begin(this.sweep.lastVersion);
        ctx.readThrough(this.cache);
      }
      const checked = checkRequestOf(operation, request);
      if (!handler) throw notAvailableYet(operation);
      response = handler(ctx, checked);
      return response;
    } catch (error) {
      const kmsError = asKmsError(error);
      failure = kmsError ? { code: kmsError.name, message: kmsError.message } : { code: 'KMSInternalException', message: String((error as Error)?.message ?? error) };
      throw kmsError ?? error;
    } finally {
      ctx.wipe();
      latency.ms = ctx.xksLatencyMs;
      // The request and response as given: the recorder logs their JSON-friendly copy (dates as ISO text),
      // redacting as it copies. Optional members are set only when there is something to say.
      const input: AuditInput = {
        operation,
        region,
        caller: auditCaller(caller),
        asGiven: true,
        requestParameters: request as Record<string, unknown>,
        responseElements: response ? (auditedResponse(operation, response) as Record<string, unknown>) : null,
        requestId: options.requestId ?? ctx.requestId,
      };
      if (failure) input.error = failure;
      if (ctx.auditKey) {
        input.keyArn = ctx.auditKey.arn;
        input.keySpec = ctx.auditKey.keySpec;
        if (ctx.otherAuditKeys.length > 0) input.otherKeyArns = ctx.otherAuditKeys;
      }
      if (caller.context?.sourceIp) input.sourceIPAddress = caller.context.sourceIp;
      if (caller.context?.userAgent) input.userAgent = caller.context.userAgent;
      if (ctx.explanation) input.authorization = ctx.explanation;
      if (ctx.keyPairSpec) input.keyPairSpec = ctx.keyPairSpec;
      this.audit.record(input);
    }
  }

  private invoke<T>(operation: string, request: object, caller: Caller, options?: CallOptions): Promise<T> {
    return this.call(operation, request, caller, options) as Promise<T>;
  }

  createKey(request: S.CreateKeyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.CreateKeyResponse>('CreateKey', request, caller, options);
  }
  describeKey(request: S.DescribeKeyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.DescribeKeyResponse>('DescribeKey', request, caller, options);
  }
  getKeyLastUsage(request: S.GetKeyLastUsageRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GetKeyLastUsageResponse>('GetKeyLastUsage', request, caller, options);
  }
  listKeys(request: S.ListKeysRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListKeysResponse>('ListKeys', request, caller, options);
  }
  updateKeyDescription(request: S.UpdateKeyDescriptionRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('UpdateKeyDescription', request, caller, options);
  }
  enableKey(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('EnableKey', request, caller, options);
  }
  disableKey(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('DisableKey', request, caller, options);
  }
  scheduleKeyDeletion(request: S.ScheduleKeyDeletionRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ScheduleKeyDeletionResponse>('ScheduleKeyDeletion', request, caller, options);
  }
  cancelKeyDeletion(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.CancelKeyDeletionResponse>('CancelKeyDeletion', request, caller, options);
  }
  tagResource(request: S.TagResourceRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('TagResource', request, caller, options);
  }
  untagResource(request: S.UntagResourceRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('UntagResource', request, caller, options);
  }
  listResourceTags(request: S.ListResourceTagsRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListResourceTagsResponse>('ListResourceTags', request, caller, options);
  }
  encrypt(request: S.EncryptRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EncryptResponse>('Encrypt', request, caller, options);
  }
  decrypt(request: S.DecryptRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.DecryptResponse>('Decrypt', request, caller, options);
  }
  reEncrypt(request: S.ReEncryptRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ReEncryptResponse>('ReEncrypt', request, caller, options);
  }
  generateDataKey(request: S.GenerateDataKeyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateDataKeyResponse>('GenerateDataKey', request, caller, options);
  }
  generateDataKeyWithoutPlaintext(request: S.GenerateDataKeyWithoutPlaintextRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateDataKeyWithoutPlaintextResponse>('GenerateDataKeyWithoutPlaintext', request, caller, options);
  }
  generateDataKeyPair(request: S.GenerateDataKeyPairRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateDataKeyPairResponse>('GenerateDataKeyPair', request, caller, options);
  }
  generateDataKeyPairWithoutPlaintext(request: S.GenerateDataKeyPairWithoutPlaintextRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateDataKeyPairWithoutPlaintextResponse>('GenerateDataKeyPairWithoutPlaintext', request, caller, options);
  }
  generateRandom(request: S.GenerateRandomRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateRandomResponse>('GenerateRandom', request, caller, options);
  }
  sign(request: S.SignRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.SignResponse>('Sign', request, caller, options);
  }
  verify(request: S.VerifyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.VerifyResponse>('Verify', request, caller, options);
  }
  getPublicKey(request: S.GetPublicKeyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GetPublicKeyResponse>('GetPublicKey', request, caller, options);
  }
  generateMac(request: S.GenerateMacRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GenerateMacResponse>('GenerateMac', request, caller, options);
  }
  verifyMac(request: S.VerifyMacRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.VerifyMacResponse>('VerifyMac', request, caller, options);
  }
  deriveSharedSecret(request: S.DeriveSharedSecretRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.DeriveSharedSecretResponse>('DeriveSharedSecret', request, caller, options);
  }
  createAlias(request: S.AliasRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('CreateAlias', request, caller, options);
  }
  updateAlias(request: S.AliasRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('UpdateAlias', request, caller, options);
  }
  deleteAlias(request: S.DeleteAliasRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('DeleteAlias', request, caller, options);
  }
  listAliases(request: S.ListAliasesRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListAliasesResponse>('ListAliases', request, caller, options);
  }
  getKeyPolicy(request: S.GetKeyPolicyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GetKeyPolicyResponse>('GetKeyPolicy', request, caller, options);
  }
  putKeyPolicy(request: S.PutKeyPolicyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('PutKeyPolicy', request, caller, options);
  }
  listKeyPolicies(request: S.ListKeyPoliciesRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListKeyPoliciesResponse>('ListKeyPolicies', request, caller, options);
  }
  createGrant(request: S.CreateGrantRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.CreateGrantResponse>('CreateGrant', request, caller, options);
  }
  listGrants(request: S.ListGrantsRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListGrantsResponse>('ListGrants', request, caller, options);
  }
  listRetirableGrants(request: S.ListRetirableGrantsRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListGrantsResponse>('ListRetirableGrants', request, caller, options);
  }
  retireGrant(request: S.RetireGrantRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('RetireGrant', request, caller, options);
  }
  revokeGrant(request: S.RevokeGrantRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('RevokeGrant', request, caller, options);
  }
  enableKeyRotation(request: S.EnableKeyRotationRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('EnableKeyRotation', request, caller, options);
  }
  disableKeyRotation(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('DisableKeyRotation', request, caller, options);
  }
  getKeyRotationStatus(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GetKeyRotationStatusResponse>('GetKeyRotationStatus', request, caller, options);
  }
  rotateKeyOnDemand(request: S.KeyIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.RotateKeyOnDemandResponse>('RotateKeyOnDemand', request, caller, options);
  }
  listKeyRotations(request: S.ListKeyRotationsRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ListKeyRotationsResponse>('ListKeyRotations', request, caller, options);
  }
  getParametersForImport(request: S.GetParametersForImportRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.GetParametersForImportResponse>('GetParametersForImport', request, caller, options);
  }
  importKeyMaterial(request: S.ImportKeyMaterialRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ImportKeyMaterialResponse>('ImportKeyMaterial', request, caller, options);
  }
  deleteImportedKeyMaterial(request: S.DeleteImportedKeyMaterialRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.DeleteImportedKeyMaterialResponse>('DeleteImportedKeyMaterial', request, caller, options);
  }
  replicateKey(request: S.ReplicateKeyRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.ReplicateKeyResponse>('ReplicateKey', request, caller, options);
  }
  updatePrimaryRegion(request: S.UpdatePrimaryRegionRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('UpdatePrimaryRegion', request, caller, options);
  }
  createCustomKeyStore(request: S.CreateCustomKeyStoreRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.CreateCustomKeyStoreResponse>('CreateCustomKeyStore', request, caller, options);
  }
  describeCustomKeyStores(request: S.DescribeCustomKeyStoresRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.DescribeCustomKeyStoresResponse>('DescribeCustomKeyStores', request, caller, options);
  }
  connectCustomKeyStore(request: S.CustomKeyStoreIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('ConnectCustomKeyStore', request, caller, options);
  }
  disconnectCustomKeyStore(request: S.CustomKeyStoreIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('DisconnectCustomKeyStore', request, caller, options);
  }
  updateCustomKeyStore(request: S.UpdateCustomKeyStoreRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('UpdateCustomKeyStore', request, caller, options);
  }
  deleteCustomKeyStore(request: S.CustomKeyStoreIdRequest, caller: Caller, options?: CallOptions) {
    return this.invoke<S.EmptyResponse>('DeleteCustomKeyStore', request, caller, options);
  }
}
