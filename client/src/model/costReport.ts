/**
 * The cost estimate as the editor shows it: what the store's keys and the audit log's requests would cost in
 * AWS KMS at list prices (core/kms/audit/pricing.ts), from the first event (or the oldest key) until now.
 */
import type { AuditEvent } from '../../../core/kms/audit/auditEvent';
import { estimateCost, type CostEstimate, type KeyUsage } from '../../../core/kms/audit/pricing';
import { countRequests, requestUsageOf } from '../../../core/kms/audit/requestCounters';
import type { KeyRecord } from '../../../core/kms/service/keyRecord';

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;
const HOURS_PER_MONTH = 730;

export interface CostReport {
  start: string;
  end: string;
  months: number;
  keys: Array<KeyUsage & { arn: string; state: string }>;
  estimate: CostEstimate;
  requests: ReturnType<typeof countRequests>;
  events: number;
}

/** When the key stopped being billable: AWS does not charge for a key pending deletion. */
function billableUntil(record: KeyRecord, now: number): number {
  const pending = record.keyState === 'PendingDeletion' || record.keyState === 'PendingReplicaDeletion';
  if (pending && record.deletionDate && record.pendingDeletionWindowInDays) {
    return Date.parse(record.deletionDate) - record.pendingDeletionWindowInDays * MS_PER_DAY;
  }
  return now;
}

export function costReport(records: readonly KeyRecord[], events: readonly AuditEvent[], now: Date): CostReport {
  const end = now.getTime();
  const times = [...events.map((e) => Date.parse(e.eventTime)), ...records.map((r) => Date.parse(r.creationDate))].filter(Number.isFinite);
  const start = Math.min(end, ...times);
  const months = Math.max(1, Math.ceil((end - start) / MS_PER_HOUR / HOURS_PER_MONTH));
  const keys = records.map((r) => ({
    keyId: r.keyId,
    arn: r.arn,
    state: r.keyState,
    hours: Math.max(0, (Math.min(end, billableUntil(r, end)) - Date.parse(r.creationDate)) / MS_PER_HOUR),
    rotations: r.materials.filter((m) => m.rotationType !== undefined).length,
    awsManaged: r.keyManager === 'AWS',
  }));
  return {
    start: new Date(start).toISOString(),
    end: now.toISOString(),
    months,
    keys,
    estimate: estimateCost({ keys, requests: requestUsageOf(events), months }),
    requests: countRequests(events),
    events: events.length,
  };
}

function money(amount: number, currency: string): string {
  return `${amount.toFixed(amount !== 0 && Math.abs(amount) < 0.01 ? 6 : 2)} ${currency}`;
}

/** The report as Markdown. */
export function costMarkdown(report: CostReport): string {
  const { estimate } = report;
  const lines = [
    '# KMS cost estimate',
    '',
    `From ${report.start} to ${report.end} (sandbox time), at AWS KMS list prices in ${estimate.currency}. Failed requests are counted, so this is an upper bound.`,
    '',
    `**Total: ${money(estimate.total, estimate.currency)}**`,
    '',
    '## Keys',
    '',
    '| key | state | billable hours | rotations |',
    '| --- | --- | ---: | ---: |',
  ];
  for (const k of report.keys) {
    lines.push(`| ${k.keyId}${k.awsManaged ? ' (AWS managed, free)' : ''} | ${k.state} | ${Math.ceil(k.hours)} | ${k.rotations ?? 0} |`);
  }
  if (report.keys.length === 0) lines.push('| (none) | | | |');
  lines.push('', `Keys: ${money(estimate.keys, estimate.currency)}`, '', '## Requests', '', '| price class | requests | after the free tier | cost |', '| --- | ---: | ---: | ---: |');
  for (const [priceClass, entry] of Object.entries(estimate.requests)) {
    if (entry.requests === 0) continue;
    lines.push(`| ${priceClass} | ${entry.requests} | ${entry.billable} | ${money(entry.cost, estimate.currency)} |`);
  }
  lines.push('', `Free requests used: ${estimate.freeRequestsUsed} (20,000 a month).`, '', '## Requests by key and operation', '', '| key | operation | requests | failed |', '| --- | --- | ---: | ---: |');
  for (const r of report.requests) {
    const key = r.keyArn ? r.keyArn.slice(r.keyArn.indexOf(':key/') + 5) : '(no key)';
    lines.push(`| ${key} | ${r.operation} | ${r.requests} | ${r.failures} |`);
  }
  if (report.requests.length === 0) lines.push('| (none) | | | |');
  return `${lines.join('\n')}\n`;
}
