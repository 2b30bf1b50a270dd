/**
 * ReplicateKey and UpdatePrimaryRegion (AWS KMS Developer Guide, "Multi-Region keys in AWS KMS"). CreateKey with
 * MultiRegion true makes the primary key; ReplicateKey makes a replica in another Region with the same key ID and
 * the same key material, so the replica decrypts what the primary encrypted (and the reverse) without calling
 * across Regions. Each related key has its own key policy, description, tags, grants and aliases: ReplicateKey
 * takes the replica's policy (the default key policy otherwise), description and tags. UpdatePrimaryRegion makes
 * a replica the primary and the primary a replica. Replication is immediate here: the replica is never seen in
 * the Creating state, nor the keys in Updating.
 */
import type { CallContext, ResolvedKey } from '../callContext';
import { checkKeyPolicyDocument, defaultKeyPolicy } from '../keyPolicyDocument';
import { keyArnOf, keyMetadataOf, partitionOf, type KeyRecord } from '../keyRecord';
import { configurationFor, updateRelated } from '../multiRegion';
import { WRAPPING_KEY_NAME } from '../importedMaterial';
import { KmsError } from '../../errors';
import { keyNotFound, notValidFor, unsupported, validation } from '../serviceErrors';
import type * as S from '../shapes';

/** The key must be a multi-Region primary key (UnsupportedOperationException otherwise, in AWS's words). */
function requirePrimary(key: ResolvedKey): void {
  const config = key.record.multiRegionConfiguration;
  if (!key.record.multiRegion || !config) throw unsupported(`${key.record.arn} is not a multi-Region key.`);
  if (config.MultiRegionKeyType !== 'PRIMARY') throw unsupported(`${key.record.arn} is not a multi-Region primary key.`);
}

export function replicateKey(ctx: CallContext, request: S.ReplicateKeyRequest): S.ReplicateKeyResponse {
  return ctx.store.withLock(() => {
    const primary = ctx.resolveKey(request.KeyId, { aliases: false });
    ctx.authorize('ReplicateKey', primary);
    ctx.checkState(primary);
    requirePrimary(primary);
    const source = primary.record;
    const region = request.ReplicaRegion;
    if (region === source.region) throw validation(`ReplicaRegion ${region} is the Region of the primary key ${source.arn}.`);
    if (partitionOf(region) !== partitionOf(source.region)) throw unsupported(`The replica Region ${region} is not in the AWS partition of ${source.arn}.`);
    if (ctx.store.readKey(region, source.keyId)) throw new KmsError('AlreadyExistsException', `${keyArnOf(region, source.account, source.keyId)} already exists.`);

    const arn = keyArnOf(region, source.account, source.keyId);
    // Creating the replica is creating a key in the replica Region: the caller needs kms:CreateKey there too
    // (Developer Guide, "Controlling access to multi-Region keys").
    ctx.authorize('CreateKey', undefined, { conditionKeys: { 'kms:MultiRegion': true, 'kms:MultiRegionKeyType': 'REPLICA', 'kms:ReplicaRegion': region, 'kms:KeyOrigin': source.origin } });
    const policy = request.Policy ?? defaultKeyPolicy(source.account, partitionOf(region));
    const tags = (request.Tags ?? []).map((t) => ({ TagKey: t.TagKey, TagValue: t.TagValue }));
    if (request.Policy !== undefined) {
      checkKeyPolicyDocument(policy);
      // The replica as the authorizer will see it: the primary's key, in its Region, with its own tags.
      if (!request.BypassPolicyLockoutSafetyCheck) ctx.checkLockout({ ...source, arn, region, tags, grants: [] }, policy);
    }
    const set = { PrimaryKey: { ...source.multiRegionConfiguration!.PrimaryKey }, ReplicaKeys: [...source.multiRegionConfiguration!.ReplicaKeys, { Arn: arn, Region: region }] };
    const replica: KeyRecord = {
      keyId: source.keyId,
      arn,
      account: source.account,
      region,
      creationDate: ctx.now.toISOString(),
      description: request.Description ?? '',
      // Shared properties: key spec, key usage, origin, material and automatic rotation.
      keySpec: source.keySpec,
      keyUsage: source.keyUsage,
      origin: source.origin,
      keyManager: 'CUSTOMER',
      keyState: 'Enabled',
      policy,
      tags,
      multiRegion: true,
      multiRegionConfiguration: configurationFor(region, set),
      ...(source.currentKeyMaterialId !== undefined ? { currentKeyMaterialId: source.currentKeyMaterialId } : {}),
      materials: source.materials.map((m) => ({ ...m })),
      rotation: { ...source.rotation },
      grants: [],
    };
    const material = new Map([...primary.material].filter(([name]) => name !== WRAPPING_KEY_NAME));
    ctx.store.writeKey(region, replica.keyId, replica, material);
    source.multiRegionConfiguration = configurationFor(source.region, set);
    ctx.store.writeKey(source.region, source.keyId, source);
    updateRelated(
      ctx.store,
      source.keyId,
      set.ReplicaKeys.map((r) => r.Region).filter((r) => r !== region),
      (other) => {
        other.multiRegionConfiguration = configurationFor(other.region, set);
      },
    );
    return { ReplicaKeyMetadata: keyMetadataOf(replica), ReplicaPolicy: policy, ReplicaTags: tags };
  });
}

export function updatePrimaryRegion(ctx: CallContext, request: S.UpdatePrimaryRegionRequest): S.EmptyResponse {
  return ctx.store.withLock(() => {
    const primary = ctx.resolveKey(request.KeyId, { aliases: false });
    ctx.authorize('UpdatePrimaryRegion', primary);
    ctx.checkState(primary);
    requirePrimary(primary);
    const source = primary.record;
    const config = source.multiRegionConfiguration!;
    if (request.PrimaryRegion === source.region) return {};
    const target = config.ReplicaKeys.find((r) => r.Region === request.PrimaryRegion);
    if (!target) throw keyNotFound(keyArnOf(request.PrimaryRegion, source.account, source.keyId));
    // The caller needs kms:UpdatePrimaryRegion on the replica that becomes the primary, too.
    const stored = ctx.store.readKey(request.PrimaryRegion, source.keyId);
    if (!stored) throw keyNotFound(target.Arn);
    stored.material.forEach((bytes) => bytes.fill(0));
    ctx.authorize('UpdatePrimaryRegion', { record: stored.record, material: new Map() });
    if (stored.record.keyState !== 'Enabled' && stored.record.keyState !== 'Disabled') throw notValidFor(target.Arn, `is ${stored.record.keyState}`);
    const set = {
      PrimaryKey: { Arn: target.Arn, Region: target.Region },
      ReplicaKeys: [{ Arn: source.arn, Region: source.region }, ...config.ReplicaKeys.filter((r) => r.Region !== target.Region)],
    };
    source.multiRegionConfiguration = configurationFor(source.region, set);
    ctx.store.writeKey(source.region, source.keyId, source);
    updateRelated(
      ctx.store,
      source.keyId,
      config.ReplicaKeys.map((r) => r.Region),
      (other) => {
        other.multiRegionConfiguration = configurationFor(other.region, set);
      },
    );
    return {};
  });
}
