/**
 * The key management operations: CreateKey, DescribeKey, ListKeys, UpdateKeyDescription, EnableKey,
 * DisableKey, ScheduleKeyDeletion, CancelKeyDeletion and the tag operations. Each follows the pipeline of the
 * Kms class: the request is already validated when it arrives here; the handler resolves the key, authorizes,
 * checks the key state table and acts.
 */
import { isEccKeySpec, isKeySpec, isRsaKeySpec, type KeySpec } from '../../crypto/algorithms';
import type { CallContext, ResolvedKey } from '../callContext';
import { checkKeyPolicyDocument, defaultKeyPolicy } from '../keyPolicyDocument';
import { keyArnOf, keyMetadataOf, partitionOf, type KeyRecord, type KeyUsage, type Origin, type Tag } from '../keyRecord';
import { newKeyMaterial } from '../material';
import { page } from '../paging';
import { shape } from '../../model/apiModel';
import { MAX_TAGS } from '../requestValidation';
import { newUuid } from '../../uuid';
import { customKeyStoreInvalidState, customKeyStoreNotFound, limitExceeded, unsupported, validation } from '../serviceErrors';
import type { CustomKeyStoreRecord } from '../customKeyStores';
import { KmsError } from '../../errors';
import { newMultiRegionKeyId } from '../multiRegion';
import { proxyFailure, proxyOf } from '../xksCrypto';
import { XksProxyError } from '../xksProxy';
import type * as S from '../shapes';

const DAY_MS = 86_400_000;

/** The key usages AWS allows for each kind of key spec (AWS KMS Developer Guide, "Key spec reference"). */
function usagesFor(spec: KeySpec): KeyUsage[] {
  if (spec === 'SYMMETRIC_DEFAULT') return ['ENCRYPT_DECRYPT'];
  if (isRsaKeySpec(spec)) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
  if (spec === 'ECC_SECG_P256K1') return ['SIGN_VERIFY'];
  if (isEccKeySpec(spec)) return ['SIGN_VERIFY', 'KEY_AGREEMENT'];
  return ['GENERATE_VERIFY_MAC'];
}

function tagConditionKeys(tags: readonly Tag[]): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = { 'aws:TagKeys': tags.map((t) => t.TagKey) };
  for (const tag of tags) keys[`aws:RequestTag/${tag.TagKey}`] = tag.TagValue;
  return keys;
}

/** Checks of CreateKey for the key's origin and custom key store; returns the store for a key in one. */
function checkOrigin(ctx: CallContext, request: S.CreateKeyRequest, origin: Origin, spec: string, multiRegion: boolean): CustomKeyStoreRecord | undefined {
  if (origin === 'AWS_CLOUDHSM') throw unsupported('AWS CloudHSM key stores are not available in this KMS.');
  if (origin !== 'EXTERNAL_KEY_STORE') {
    if (request.XksKeyId !== undefined) throw validation('XksKeyId is valid only with Origin EXTERNAL_KEY_STORE.');
    // This KMS's custom key stores are all external key stores, whose keys have Origin EXTERNAL_KEY_STORE.
    if (request.CustomKeyStoreId !== undefined) throw validation('A KMS key in an external key store must have Origin EXTERNAL_KEY_STORE.');
    if (multiRegion && origin === 'EXTERNAL') throw unsupported('Multi-Region keys with imported key material are not available in this KMS yet.');
    return undefined;
  }
  if (request.CustomKeyStoreId === undefined || request.XksKeyId === undefined) throw validation('Origin EXTERNAL_KEY_STORE needs a CustomKeyStoreId and an XksKeyId.');
  // External key stores hold symmetric encryption keys only, and no multi-Region keys (Developer Guide, "External key stores").
  if (spec !== 'SYMMETRIC_DEFAULT') throw unsupported(`KeySpec ${spec} is not supported in an external key store: only SYMMETRIC_DEFAULT is.`);
  if (multiRegion) throw unsupported('Multi-Region keys are not supported in an external key store.');
  const store = ctx.parts.customKeyStores.get(ctx.region, ctx.account, request.CustomKeyStoreId);
  if (!store) throw customKeyStoreNotFound();
  if (store.connectionState !== 'CONNECTED') throw customKeyStoreInvalidState(`Custom key store ${store.id} is not connected: its ConnectionState is ${store.connectionState}.`);
  return store;
}

/** CreateKey in an external key store asks the proxy about the external key, and refuses one already in use. */
function checkExternalKey(ctx: CallContext, store: CustomKeyStoreRecord, xksKeyId: string): void {
  if (ctx.parts.customKeyStores.keysIn(store).some((k) => k.xksKeyId === xksKeyId)) {
    throw new KmsError('XksKeyAlreadyInUseException', `The external key ${xksKeyId} is already associated with a KMS key in custom key store ${store.id}.`);
  }
  const { proxy, credential } = proxyOf(ctx, store);
  try {
    ctx.xksLatencyMs += proxy.keyMetadata(credential, xksKeyId);
  } catch (error) {
    if (error instanceof XksProxyError && error.failure === 'KEY_NOT_FOUND') throw new KmsError('XksKeyNotFoundException', `The external key store proxy did not find an external key with ID ${xksKeyId}.`);
    if (error instanceof XksProxyError && error.failure === 'KEY_DISABLED') throw new KmsError('XksKeyInvalidConfigurationException', `The external key ${xksKeyId} is not enabled for encryption and decryption.`);
    throw proxyFailure(store, error);
  }
}

export function createKey(ctx: CallContext, request: S.CreateKeyRequest): S.CreateKeyResponse {
  const origin = (request.Origin ?? 'AWS_KMS') as Origin;
  const multiRegion = request.MultiRegion ?? false;

  const spec = request.KeySpec ?? request.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  // SM2 (China Regions only), ML-DSA and Ed25519 keys are in the API model but not in this KMS.
  if (!isKeySpec(spec)) throw unsupported(`KeySpec ${spec} is not available in this KMS yet.`);
  if (request.KeyUsage === undefined && spec !== 'SYMMETRIC_DEFAULT') {
    throw validation('You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
  }
  const usage = (request.KeyUsage ?? 'ENCRYPT_DECRYPT') as KeyUsage;
  if (!usagesFor(spec).includes(usage)) throw validation(`KeyUsage ${usage} is not compatible with KeySpec ${spec}`);
  const customKeyStore = checkOrigin(ctx, request, origin, spec, multiRegion);

  const tags = request.Tags ?? [];
  ctx.authorize('CreateKey', undefined, {
    conditionKeys: {
      'kms:KeySpec': spec,
      'kms:KeyUsage': usage,
      'kms:KeyOrigin': origin,
      'kms:MultiRegion': multiRegion,
      ...(multiRegion ? { 'kms:MultiRegionKeyType': 'PRIMARY' } : {}),
      'kms:BypassPolicyLockoutSafetyCheck': request.BypassPolicyLockoutSafetyCheck ?? false,
      ...(tags.length > 0 ? tagConditionKeys(tags) : {}),
    },
  });
  if (customKeyStore) checkExternalKey(ctx, customKeyStore, request.XksKeyId!);

  // A multi-Region key's ID says so (mrk-), and is the same in every Region of its set.
  const keyId = multiRegion ? newMultiRegionKeyId() : newUuid();
  const arn = keyArnOf(ctx.region, ctx.account, keyId);
  const policy = request.Policy ?? defaultKeyPolicy(ctx.account, partitionOf(ctx.region));
  const keyTags = tags.map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue }));
  if (request.Policy !== undefined) {
    checkKeyPolicyDocument(policy);
    if (!request.BypassPolicyLockoutSafetyCheck) {
      // The key as the authorizer will see it once it exists: what its policy may condition on.
      const planned = { keyId, arn, account: ctx.account, region: ctx.region, keySpec: spec, keyUsage: usage, origin, multiRegion, tags: keyTags, grants: [], policy } as unknown as KeyRecord;
      ctx.checkLockout(planned, policy);
    }
  }

  const created = ctx.now.toISOString();
  // An EXTERNAL key has no material until ImportKeyMaterial gives it some (AWS KMS Developer Guide, importing key
  // material). A key in an external key store has material of its own in AWS KMS besides the external key: the
  // inner layer of double encryption.
  const generated = origin !== 'EXTERNAL' ? newKeyMaterial(ctx.parts.crypto.generateKeyMaterial(spec), created) : undefined;
  const record: KeyRecord = {
    keyId,
    arn,
    account: ctx.account,
    region: ctx.region,
    creationDate: created,
    description: request.Description ?? '',
    keySpec: spec,
    keyUsage: usage,
    origin,
    keyManager: 'CUSTOMER',
    keyState: generated ? 'Enabled' : 'PendingImport',
    policy,
    tags: keyTags,
    multiRegion,
    ...(multiRegion ? { multiRegionConfiguration: { MultiRegionKeyType: 'PRIMARY' as const, PrimaryKey: { Arn: arn, Region: ctx.region }, ReplicaKeys: [] } } : {}),
    ...(generated ? { currentKeyMaterialId: generated.entry.id } : {}),
    materials: generated ? [generated.entry] : [],
    rotation: { enabled: false, periodInDays: 365 },
    grants: [],
    ...(customKeyStore ? { customKeyStoreId: customKeyStore.id, xksKeyId: request.XksKeyId! } : {}),
  };
  try {
    ctx.store.withLock(() => ctx.store.writeKey(ctx.region, keyId, record, generated?.material ?? new Map()));
  } finally {
    generated?.material.forEach((bytes) => bytes.fill(0));
  }
  ctx.auditKey = record;
  return { KeyMetadata: keyMetadataOf(record) };
}

export function describeKey(ctx: CallContext, request: S.DescribeKeyRequest): S.DescribeKeyResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: true });
  ctx.authorize('DescribeKey', key, { ...(request.GrantTokens ? { grantTokens: request.GrantTokens } : {}) });
  ctx.checkState(key);
  return { KeyMetadata: keyMetadataOf(key.record) };
}

/** The operations whose success GetKeyLastUsage reports: the model's KeyLastUsageTrackingOperation values. */
const TRACKED_OPERATIONS: readonly string[] = shape('KeyLastUsageTrackingOperation').enum ?? [];

/**
 * GetKeyLastUsage: the key's last successful cryptographic operation, read from the audit log (the CloudTrail
 * event ID it names is that event's eventID; ReEncrypt counts for both its keys, as AWS counts it). Tracking starts
 * when the key was created or when the log's oldest event was recorded, whichever is later: a log that was
 * cleared since cannot say the key was never used before. Key IDs and key ARNs only, as AWS takes; any key state,
 * as DescribeKey.
 */
export function getKeyLastUsage(ctx: CallContext, request: S.GetKeyLastUsageRequest): S.GetKeyLastUsageResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: false });
  ctx.authorize('GetKeyLastUsage', key);
  ctx.checkState(key, 'DescribeKey');
  const { record } = key;
  const events = ctx.auditLog?.read() ?? [];
  const used = events.filter(
    (event) => event.errorCode === undefined && TRACKED_OPERATIONS.includes(event.eventName) && event.resources?.some((resource) => resource.ARN === record.arn),
  );
  const last = used[used.length - 1];
  const created = new Date(record.creationDate);
  const oldest = events[0] ? new Date(events[0].eventTime) : undefined;
  const trackingStart = oldest && oldest > created ? oldest : created;
  return {
    KeyId: record.keyId,
    ...(last
      ? {
          KeyLastUsage: {
            Operation: last.eventName,
            Timestamp: new Date(last.eventTime),
            CloudTrailEventId: last.eventID,
            KmsRequestId: last.requestID,
          },
        }
      : {}),
    TrackingStartDate: trackingStart,
    KeyCreationDate: created,
  };
}

export function listKeys(ctx: CallContext, request: S.ListKeysRequest): S.ListKeysResponse {
  ctx.authorize('ListKeys', undefined);
  const keys = ctx.store
    .listKeys(ctx.region)
    .filter((k) => k.record.account === ctx.account)
    .map((k) => ({ KeyId: k.record.keyId, KeyArn: k.record.arn }));
  const p = page(keys, (k) => k.KeyId, request.Limit ?? 100, request.Marker);
  return { Keys: p.items, Truncated: p.truncated, ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}) };
}

/** Resolve (key ID or ARN only), authorize, check state, then change the record and write it, all under the lock. */
function changeKey(ctx: CallContext, keyId: string, conditionKeys: Record<string, string | number | string[]> | undefined, change: (record: KeyRecord, key: ResolvedKey) => void): KeyRecord {
  return ctx.store.withLock(() => {
    const key = ctx.resolveKey(keyId, { aliases: false });
    ctx.authorize(ctx.operation, key, conditionKeys ? { conditionKeys } : {});
    ctx.checkState(key);
    const record = key.record;
    change(record, key);
    ctx.store.writeKey(ctx.region, record.keyId, record);
    ctx.auditKey = record;
    return record;
  });
}

export function updateKeyDescription(ctx: CallContext, request: S.UpdateKeyDescriptionRequest): S.EmptyResponse {
  changeKey(ctx, request.KeyId, undefined, (record) => {
    record.description = request.Description;
  });
  return {};
}

export function enableKey(ctx: CallContext, request: S.KeyIdRequest): S.EmptyResponse {
  changeKey(ctx, request.KeyId, undefined, (record) => {
    // An unavailable key takes the new state when it becomes available again (key state table, note 12).
    if (record.keyState === 'Unavailable' && record.stateWhenAvailable === 'Disabled') record.stateWhenAvailable = 'Enabled';
    if (record.keyState === 'Disabled') record.keyState = 'Enabled';
  });
  return {};
}

export function disableKey(ctx: CallContext, request: S.KeyIdRequest): S.EmptyResponse {
  changeKey(ctx, request.KeyId, undefined, (record) => {
    if (record.keyState === 'Unavailable' && record.stateWhenAvailable === 'Enabled') record.stateWhenAvailable = 'Disabled';
    if (record.keyState === 'Enabled') record.keyState = 'Disabled';
  });
  return {};
}

export function scheduleKeyDeletion(ctx: CallContext, request: S.ScheduleKeyDeletionRequest): S.ScheduleKeyDeletionResponse {
  const days = request.PendingWindowInDays ?? 30;
  const record = changeKey(ctx, request.KeyId, { 'kms:ScheduleKeyDeletionPendingWindowInDays': days }, (r) => {
    // A multi-Region primary key with replicas waits for them to be deleted first (Developer Guide, "Deleting
    // multi-Region keys").
    const replicas = r.multiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY' ? r.multiRegionConfiguration.ReplicaKeys.length : 0;
    r.keyState = replicas > 0 ? 'PendingReplicaDeletion' : 'PendingDeletion';
    r.deletionDate = new Date(ctx.now.getTime() + days * DAY_MS).toISOString();
    r.pendingDeletionWindowInDays = days;
  });
  return { KeyId: record.arn, DeletionDate: new Date(record.deletionDate!), KeyState: record.keyState, PendingWindowInDays: days };
}

export function cancelKeyDeletion(ctx: CallContext, request: S.KeyIdRequest): S.CancelKeyDeletionResponse {
  const record = changeKey(ctx, request.KeyId, undefined, (r) => {
    // A key whose deletion is cancelled is Disabled (AWS KMS Developer Guide, "Cancel key deletion"); one that
    // never had material still awaits it.
    r.keyState = r.currentKeyMaterialId === undefined && r.origin === 'EXTERNAL' ? 'PendingImport' : 'Disabled';
    // A key of a disconnected custom key store comes back Unavailable, Disabled once the store reconnects.
    if (r.customKeyStoreId && !isConnected(ctx, r)) {
      r.stateWhenAvailable = r.keyState;
      r.keyState = 'Unavailable';
    }
    delete r.deletionDate;
    delete r.pendingDeletionWindowInDays;
  });
  return { KeyId: record.arn };
}

function isConnected(ctx: CallContext, record: KeyRecord): boolean {
  return ctx.parts.customKeyStores.get(record.region, record.account, record.customKeyStoreId!)?.connectionState === 'CONNECTED';
}

export function tagResource(ctx: CallContext, request: S.TagResourceRequest): S.EmptyResponse {
  changeKey(ctx, request.KeyId, tagConditionKeys(request.Tags), (record) => {
    const tags = new Map(record.tags.map((t) => [t.TagKey, t.TagValue]));
    // An existing key gets the new value (AWS KMS API Reference, TagResource).
    for (const tag of request.Tags) tags.set(tag.TagKey, tag.TagValue);
    if (tags.size > MAX_TAGS) throw limitExceeded(`A KMS key has at most ${MAX_TAGS} tags; ${record.arn} would have ${tags.size}.`);
    record.tags = [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
  });
  return {};
}

export function untagResource(ctx: CallContext, request: S.UntagResourceRequest): S.EmptyResponse {
  changeKey(ctx, request.KeyId, { 'aws:TagKeys': request.TagKeys }, (record) => {
    // Removing a tag the key does not have is not an error.
    record.tags = record.tags.filter((t) => !request.TagKeys.includes(t.TagKey));
  });
  return {};
}

export function listResourceTags(ctx: CallContext, request: S.ListResourceTagsRequest): S.ListResourceTagsResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: false });
  ctx.authorize('ListResourceTags', key);
  ctx.checkState(key);
  const tags = [...key.record.tags].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : 0));
  const p = page(tags, (t) => t.TagKey, request.Limit ?? 50, request.Marker);
  return { Tags: p.items, Truncated: p.truncated, ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}) };
}
