/** A KMS on a MemoryStore with a ManualClock, for the client's pure helpers to be tested on real KMS output. */
import { AuditRecorder, MemoryAuditLog } from '../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../core/kms/clock';
import { KmsError } from '../../../core/kms/errors';
import { Kms, rootCaller, type Caller, type KeyRecord } from '../../../core/kms/service';
import { MemoryStore } from '../../../core/kms/store/memoryStore';

export const ROOT: Caller = rootCaller('111122223333');
export const BOB: Caller = { principal: 'arn:aws:iam::111122223333:user/bob' };

export interface Fixture {
  kms: Kms;
  store: MemoryStore<KeyRecord>;
  clock: ManualClock;
  log: MemoryAuditLog;
}

export function fixture(): Fixture {
  const clock = new ManualClock('2024-01-01T00:00:00.000Z');
  const log = new MemoryAuditLog();
  const store = new MemoryStore<KeyRecord>();
  const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: 'us-east-1' });
  return { kms, store, clock, log };
}

/** The KmsError a call rejects with; fails when it succeeds. */
export async function rejection(promise: Promise<unknown>): Promise<KmsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KmsError) return error;
    throw error;
  }
  throw new Error('the call was expected to fail');
}

export function recordOf(f: Fixture, keyId: string): KeyRecord {
  const record = f.store.listKeys().find((k) => k.keyId === keyId)?.record;
  if (!record) throw new Error(`no key ${keyId}`);
  return record;
}
