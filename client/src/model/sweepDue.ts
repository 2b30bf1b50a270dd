/**
 * Whether the KMS clock has made something due that the KMS carries out at its next call (core/kms/service/
 * keySweep.ts): a deletion date passed, a rotation date passed, imported material expired. The key explorer asks
 * this before listing, so a key whose waiting period is over disappears without waiting for some other call.
 */
import type { KeyRecord } from '../../../core/kms/service/keyRecord';

export function sweepDue(records: readonly KeyRecord[], now: Date): boolean {
  const t = now.getTime();
  const passed = (date: string | undefined): boolean => date !== undefined && Date.parse(date) <= t;
  return records.some((r) => {
    if ((r.keyState === 'PendingDeletion' || r.keyState === 'PendingReplicaDeletion') && passed(r.deletionDate)) return true;
    if (r.rotation.enabled && r.keyState === 'Enabled' && r.multiRegionConfiguration?.MultiRegionKeyType !== 'REPLICA' && passed(r.rotation.nextRotationDate)) return true;
    return r.expirationModel === 'KEY_MATERIAL_EXPIRES' && r.keyState !== 'PendingImport' && r.currentKeyMaterialId !== undefined && passed(r.validTo);
  });
}
