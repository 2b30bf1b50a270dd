/**
 * Key deletion: once the KMS clock passes a key's DeletionDate, the key, its material and its aliases are
 * removed for good (AWS KMS Developer Guide, "Deleting AWS KMS keys"), and everything encrypted under it can no
 * longer be decrypted. The sweep runs at the start of every call; it lists the store only when the store
 * changed or the next deletion came due since it last looked, so a quiet store costs one version check.
 */
import type { AuditRecorder } from '../audit/auditLog';
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import type { AliasTable } from './aliasTable';
import type { KeyRecord } from './keyRecord';

function isDue(record: KeyRecord, now: number): boolean {
  return (record.keyState === 'PendingDeletion' || record.keyState === 'PendingReplicaDeletion') && record.deletionDate !== undefined && Date.parse(record.deletionDate) <= now;
}

export class DeletionSweep {
  private seenVersion: string | undefined;
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly store: KmsStore<KeyRecord, AliasRecord>,
    private readonly aliases: AliasTable,
    private readonly audit: AuditRecorder,
  ) {}

  /** Deletes every key whose deletion date is at or before `now`; returns their ARNs. */
  sweep(now: Date): string[] {
    const time = now.getTime();
    // Read before listing: a change another process commits while we list makes the next call look again.
    const version = this.store.version();
    if (version === this.seenVersion && time < this.nextDue) return [];
    const listing = this.store.listKeys().map((k) => k.record);
    const due = listing.filter((r) => isDue(r, time));
    const deleted: string[] = [];
    if (due.length > 0) {
      this.store.withLock(() => {
        for (const { region, keyId } of due) {
          // Re-read under the lock: another process may have cancelled the deletion or deleted the key since.
          const current = this.store.readKey(region, keyId);
          if (!current) continue;
          current.material.forEach((bytes) => bytes.fill(0));
          if (!isDue(current.record, time)) continue;
          this.store.deleteKey(region, keyId);
          this.aliases.deleteAliasesOf(current.record);
          deleted.push(current.record.arn);
        }
      });
      // CloudTrail records the deletion as a DeleteKey event that KMS itself performs.
      for (const arn of deleted) {
        this.audit.record({
          operation: 'DeleteKey',
          region: arn.split(':')[3]!,
          caller: { arn: 'kms.amazonaws.com' },
          keyArn: arn,
          sourceIPAddress: 'AWS Internal',
          userAgent: 'AWS Internal',
          readOnly: false,
        });
      }
    }
    this.seenVersion = version;
    const gone = new Set(deleted);
    let next = Number.POSITIVE_INFINITY;
    for (const r of listing) {
      const pending = r.keyState === 'PendingDeletion' || r.keyState === 'PendingReplicaDeletion';
      if (pending && r.deletionDate !== undefined && !gone.has(r.arn)) next = Math.min(next, Date.parse(r.deletionDate));
    }
    this.nextDue = next;
    return deleted;
  }
}
