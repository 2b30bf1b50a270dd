/**
 * What happens to keys with the passing of time on the KMS clock, done at the start of every call (so a clock
 * moved forward by `kms-studio clock advance` takes effect on the next request, as it would in AWS):
 *
 * - deletion: once a key's DeletionDate passes, the key, its material and its aliases are removed for good
 *   (Developer Guide, "Deleting AWS KMS keys"). A multi-Region primary waits for its replicas to go first
 *   (PendingReplicaDeletion), and a deleted replica leaves its set;
 * - automatic rotation: once NextRotationDate passes, an Enabled key with rotation on gets new material
 *   ("Rotate AWS KMS keys"); a disabled key does not rotate, and rotates at the first sweep after it is enabled
 *   again if its date has passed meanwhile;
 * - expiry of imported material: once ValidTo passes, the material is deleted and the key is PendingImport
 *   until the same material is imported again ("Setting an expiration time").
 *
 * CloudTrail records each as an event KMS performs itself: DeleteKey, RotateKey, DeleteExpiredKeyMaterial. The
 * sweep lists the store only when the store changed or the next due time came since it last looked, so a quiet
 * store costs one version check.
 */
import type { AuditRecorder } from '../audit/auditLog';
import type { AliasRecord, KmsStore } from '../store/kmsStore';
import type { AliasTable } from './aliasTable';
import type { KmsParts } from './callContext';
import type { KeyRecord } from './keyRecord';
import { deleteCurrentImportedMaterial } from './importedMaterial';
import { relatedRegions, updateRelated } from './multiRegion';
import { rotateMaterial, rotationRefusal } from './rotation';

const PENDING = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

function deletionDue(record: KeyRecord): number | undefined {
  return PENDING.has(record.keyState) && record.deletionDate !== undefined ? Date.parse(record.deletionDate) : undefined;
}

function rotationDue(record: KeyRecord): number | undefined {
  const r = record.rotation;
  if (!r.enabled || !r.nextRotationDate || record.keyState !== 'Enabled') return undefined;
  if (record.multiRegionConfiguration?.MultiRegionKeyType === 'REPLICA' || rotationRefusal(record)) return undefined;
  return Date.parse(r.nextRotationDate);
}

function expiryDue(record: KeyRecord): number | undefined {
  if (record.expirationModel !== 'KEY_MATERIAL_EXPIRES' || !record.validTo || record.currentKeyMaterialId === undefined) return undefined;
  if (record.keyState === 'PendingImport') return undefined;
  return Date.parse(record.validTo);
}

function nextDueTime(records: readonly KeyRecord[]): number {
  let next = Number.POSITIVE_INFINITY;
  for (const record of records) {
    for (const t of [deletionDue(record), rotationDue(record), expiryDue(record)]) if (t !== undefined) next = Math.min(next, t);
  }
  return next;
}

type Event = { operation: 'DeleteKey' | 'RotateKey' | 'DeleteExpiredKeyMaterial'; region: string; arn: string };

export class KeySweep {
  private seenVersion: string | undefined;
  /** The store's version as the last sweep began: what a call that follows it may read at (readCache.ts). */
  lastVersion: string | undefined;
  private nextDue = Number.POSITIVE_INFINITY;

  constructor(
    private readonly parts: KmsParts,
    private readonly aliases: AliasTable,
    private readonly audit: AuditRecorder,
  ) {}

  private get store(): KmsStore<KeyRecord, AliasRecord> {
    return this.parts.store;
  }

  /** Carries out everything due at or before `now`; returns what it did. */
  sweep(now: Date): Event[] {
    const time = now.getTime();
    // Read before listing: a change another process commits while we list makes the next call look again.
    const version = this.store.version();
    this.lastVersion = version;
    if (version === this.seenVersion && time < this.nextDue) return [];
    const isDue = (r: KeyRecord) => [deletionDue(r), rotationDue(r), expiryDue(r)].some((t) => t !== undefined && t <= time);
    const listing = this.store.listKeys();
    const due = listing.filter((k) => isDue(k.record));
    const events: Event[] = [];
    if (due.length > 0) {
      this.store.withLock(() => {
        for (const { region, keyId } of due) {
          // Re-read under the lock: another process may have acted on the key since.
          const current = this.store.readKey(region, keyId);
          if (!current) continue;
          try {
            const event = this.act(current.record, current.material, now);
            if (event) events.push(event);
          } finally {
            current.material.forEach((bytes) => bytes.fill(0));
          }
        }
      });
      for (const event of events) {
        this.audit.record({
          operation: event.operation,
          region: event.region,
          caller: { arn: 'kms.amazonaws.com' },
          keyArn: event.arn,
          sourceIPAddress: 'AWS Internal',
          userAgent: 'AWS Internal',
          readOnly: false,
        });
      }
    }
    // What was done changed the store: the next call looks again, and finds the next due time then.
    this.seenVersion = events.length > 0 ? undefined : version;
    this.nextDue = events.length > 0 ? time : nextDueTime(listing.map((k) => k.record));
    return events;
  }

  private act(record: KeyRecord, material: Map<string, Uint8Array>, now: Date): Event | undefined {
    const time = now.getTime();
    const at = (t: number | undefined) => t !== undefined && t <= time;
    if (at(deletionDue(record))) return this.deleteKey(record);
    if (at(expiryDue(record))) {
      deleteCurrentImportedMaterial(this.store, record, material);
      return { operation: 'DeleteExpiredKeyMaterial', region: record.region, arn: record.arn };
    }
    if (at(rotationDue(record))) {
      record.rotation.nextRotationDate = new Date(time + record.rotation.periodInDays * 86_400_000).toISOString();
      rotateMaterial(this.store, record, material, () => this.parts.crypto.generateKeyMaterial('SYMMETRIC_DEFAULT'), 'AUTOMATIC', now);
      return { operation: 'RotateKey', region: record.region, arn: record.arn };
    }
    return undefined;
  }

  private deleteKey(record: KeyRecord): Event | undefined {
    const config = record.multiRegionConfiguration;
    // A primary key is deleted only after its replicas (Developer Guide, "Deleting multi-Region keys").
    if (config?.MultiRegionKeyType === 'PRIMARY' && config.ReplicaKeys.length > 0) {
      if (record.keyState !== 'PendingReplicaDeletion') {
        record.keyState = 'PendingReplicaDeletion';
        this.store.writeKey(record.region, record.keyId, record);
      }
      return undefined;
    }
    this.store.deleteKey(record.region, record.keyId);
    this.parts.crypto.messageKeys.forgetKey(record.keyId);
    this.aliases.deleteAliasesOf(record);
    if (config) {
      // The deleted key leaves the set: the other keys no longer list it.
      updateRelated(this.store, record.keyId, relatedRegions(record), (other) => {
        if (other.multiRegionConfiguration) other.multiRegionConfiguration.ReplicaKeys = other.multiRegionConfiguration.ReplicaKeys.filter((r) => r.Region !== record.region);
      });
    }
    return { operation: 'DeleteKey', region: record.region, arn: record.arn };
  }
}
