/**
 * EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand and ListKeyRotations (AWS KMS
 * Developer Guide, "Rotate AWS KMS keys"). Automatic rotation itself happens in the key sweep (keySweep.ts) when
 * the KMS clock passes NextRotationDate; the material a rotation adds is made and shared by rotation.ts.
 *
 * Which keys rotate: symmetric encryption keys whose material AWS KMS generated. Asymmetric and HMAC keys are
 * refused with UnsupportedOperationException, as are keys with imported material and keys in a custom key store
 * (key state table, note 7). AWS managed keys rotate every year, always: their rotation cannot be changed. A
 * multi-Region key's rotation is a property shared by its set and is changed at the primary only.
 */
import type { CallContext, ResolvedKey } from '../callContext';
import { isReplica, relatedRegions, updateRelated } from '../multiRegion';
import { page } from '../paging';
import { DEFAULT_ROTATION_PERIOD_DAYS, MAX_ON_DEMAND_ROTATIONS, nextRotationDate, rotateMaterial } from '../rotation';
import { limitExceeded, notValidFor, unsupported } from '../serviceErrors';
import type * as S from '../shapes';

/** Resolves (key ID or ARN), authorizes and checks the key state table. */
function rotationKey(ctx: CallContext, keyId: string): ResolvedKey {
  const key = ctx.resolveKey(keyId, { aliases: false });
  ctx.authorize(ctx.operation, key);
  ctx.checkState(key);
  // Only symmetric encryption keys rotate (the state table's note 7 has refused imported and custom store keys).
  if (key.record.keySpec !== 'SYMMETRIC_DEFAULT') throw notValidFor(key.record.arn, `key spec is ${key.record.keySpec}`);
  return key;
}

/** What only the key's owner may change: not an AWS managed key, not a multi-Region replica. */
function refuseManagedOrReplica(key: ResolvedKey): void {
  if (key.record.keyManager === 'AWS') throw unsupported(`${key.record.arn} is an AWS managed key: AWS rotates it every year and its rotation cannot be changed.`);
  if (isReplica(key.record)) {
    throw unsupported(`${key.record.arn} is a multi-Region replica key: rotation is shared by the multi-Region key and is managed on its primary key ${key.record.multiRegionConfiguration!.PrimaryKey.Arn}.`);
  }
}

/** Writes the rotation settings to the key and every replica of its set. */
function writeRotation(ctx: CallContext, key: ResolvedKey): void {
  const record = key.record;
  ctx.store.writeKey(record.region, record.keyId, record);
  updateRelated(ctx.store, record.keyId, relatedRegions(record), (replica) => {
    replica.rotation = { ...record.rotation };
  });
}

export function enableKeyRotation(ctx: CallContext, request: S.EnableKeyRotationRequest): S.EmptyResponse {
  return ctx.store.withLock(() => {
    const key = rotationKey(ctx, request.KeyId);
    refuseManagedOrReplica(key);
    const rotation = key.record.rotation;
    const period = request.RotationPeriodInDays ?? DEFAULT_ROTATION_PERIOD_DAYS;
    // Enabling again with the same period keeps the schedule; a new period starts counting from now.
    if (!rotation.enabled || rotation.periodInDays !== period || !rotation.nextRotationDate) {
      key.record.rotation = { ...rotation, enabled: true, periodInDays: period, nextRotationDate: nextRotationDate(ctx.now, period) };
      writeRotation(ctx, key);
    }
    return {};
  });
}

export function disableKeyRotation(ctx: CallContext, request: S.KeyIdRequest): S.EmptyResponse {
  return ctx.store.withLock(() => {
    const key = rotationKey(ctx, request.KeyId);
    refuseManagedOrReplica(key);
    const { nextRotationDate: _dropped, ...rest } = key.record.rotation;
    key.record.rotation = { ...rest, enabled: false };
    writeRotation(ctx, key);
    return {};
  });
}

export function getKeyRotationStatus(ctx: CallContext, request: S.KeyIdRequest): S.GetKeyRotationStatusResponse {
  const key = rotationKey(ctx, request.KeyId);
  const r = key.record.rotation;
  return {
    KeyRotationEnabled: r.enabled,
    KeyId: key.record.arn,
    ...(r.enabled ? { RotationPeriodInDays: r.periodInDays } : {}),
    ...(r.enabled && r.nextRotationDate ? { NextRotationDate: new Date(r.nextRotationDate) } : {}),
    // An on-demand rotation completes within the RotateKeyOnDemand call here, so none is ever in progress.
  };
}

export function rotateKeyOnDemand(ctx: CallContext, request: S.KeyIdRequest): S.RotateKeyOnDemandResponse {
  return ctx.store.withLock(() => {
    const key = rotationKey(ctx, request.KeyId);
    refuseManagedOrReplica(key);
    const count = key.record.rotation.onDemandCount ?? 0;
    if (count >= MAX_ON_DEMAND_ROTATIONS) {
      throw limitExceeded(`${key.record.arn} has been rotated on demand ${count} times, the most a KMS key can be.`);
    }
    // On-demand rotations do not move the automatic schedule (Developer Guide, "Perform on-demand key rotation").
    key.record.rotation = { ...key.record.rotation, onDemandCount: count + 1 };
    rotateMaterial(ctx.store, key.record, key.material, () => ctx.parts.crypto.generateKeyMaterial('SYMMETRIC_DEFAULT'), 'ON_DEMAND', ctx.now);
    return { KeyId: key.record.keyId };
  });
}

export function listKeyRotations(ctx: CallContext, request: S.ListKeyRotationsRequest): S.ListKeyRotationsResponse {
  const key = rotationKey(ctx, request.KeyId);
  const record = key.record;
  // ROTATIONS_ONLY (the default) lists the versions rotations made; ALL_KEY_MATERIAL adds the key's first one.
  const all = request.IncludeKeyMaterial === 'ALL_KEY_MATERIAL';
  // In the order the versions were made: their place in the record, zero-padded so the marker sorts.
  const versions = record.materials.map((m, i) => ({ ...m, order: String(i).padStart(8, '0') })).filter((m) => all || m.rotationType !== undefined);
  const p = page(versions, (m) => m.order, request.Limit ?? 100, request.Marker);
  return {
    Rotations: p.items.map((m) => ({
      KeyId: record.keyId,
      KeyMaterialId: m.id,
      KeyMaterialState: m.id === record.currentKeyMaterialId ? 'CURRENT' : 'NON_CURRENT',
      ...(m.rotationType ? { RotationDate: new Date(m.createdAt), RotationType: m.rotationType } : {}),
    })),
    Truncated: p.truncated,
    ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}),
  };
}
