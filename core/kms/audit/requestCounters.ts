/**
 * Request counters per key and operation, derived from the audit log rather than kept beside it: the log is
 * already the complete, cross-process record of every call, and a second counter file would need its own lock
 * and could drift from it.
 */
import type { AuditEvent } from './auditEvent';
import type { RequestUsage } from './pricing';

export interface RequestCount {
  /** The key's ARN; undefined for calls without a key (ListKeys, GenerateRandom, CreateKey that failed). */
  keyArn?: string;
  operation: string;
  requests: number;
  failures: number;
}

function keyArnOf(event: AuditEvent): string | undefined {
  return event.resources?.[0]?.ARN;
}

/** Counts by key and operation, sorted by key ARN then operation. */
export function countRequests(events: Iterable<AuditEvent>): RequestCount[] {
  const counts = new Map<string, RequestCount>();
  for (const event of events) {
    const keyArn = keyArnOf(event);
    const id = `${keyArn ?? ''}\u0000${event.eventName}`;
    let entry = counts.get(id);
    if (!entry) {
      entry = { ...(keyArn !== undefined ? { keyArn } : {}), operation: event.eventName, requests: 0, failures: 0 };
      counts.set(id, entry);
    }
    entry.requests++;
    if (event.errorCode !== undefined) entry.failures++;
  }
  return [...counts.values()].sort((a, b) => (a.keyArn ?? '').localeCompare(b.keyArn ?? '') || a.operation.localeCompare(b.operation));
}

/**
 * Requests as the price estimate wants them: by operation and key spec. Every logged request is counted, failed
 * ones included, so the estimate is an upper bound where AWS would not bill a rejected call.
 */
export function requestUsageOf(events: Iterable<AuditEvent>): RequestUsage[] {
  const usage = new Map<string, RequestUsage>();
  for (const event of events) {
    const keySpec = event.kmsStudio?.keySpec;
    const keyPairSpec = event.kmsStudio?.keyPairSpec;
    const id = `${event.eventName}\u0000${keySpec ?? ''}\u0000${keyPairSpec ?? ''}`;
    let entry = usage.get(id);
    if (!entry) {
      entry = { operation: event.eventName, ...(keySpec ? { keySpec } : {}), ...(keyPairSpec ? { keyPairSpec } : {}), count: 0 };
      usage.set(id, entry);
    }
    entry.count++;
  }
  return [...usage.values()];
}
