/**
 * `kms-studio audit`: the audit log of a store folder, and what its requests would cost in AWS KMS.
 *
 * The listing reads DIR/audit only and needs no root key: the log holds no plaintext, ciphertext or key
 * material, just as CloudTrail can be read without access to the keys it names. The summary also opens the
 * store (so it needs the root key) for what the log cannot say: which keys exist now, since when, and in which
 * state, which is what a key costs per hour.
 */
import {
  compareDataKeyCaching,
  countRequests,
  estimateCost,
  filterAuditEvents,
  requestUsageOf,
  type AuditEvent,
  type AuditFilter,
  type AuditOutcome,
  type CachingComparison,
  type CostEstimate,
  type KeyUsage,
  type RequestCount,
  type Usage,
} from '../kms/audit';
import { SandboxClock } from '../kms/clock';
import type { KeyRecord } from '../kms/service';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, parseCommandArgs } from './io';
import type { Command } from './main';
import { asStoreProblem, auditLogOf, openStore } from './openKms';

const OUTCOMES: Record<string, AuditOutcome> = { success: 'success', failure: 'failure', denied: 'accessDenied' };
const MS_PER_HOUR = 60 * 60 * 1000;
const MS_PER_DAY = 24 * MS_PER_HOUR;
/** AWS's pricing calculator counts a month as 730 hours; so does estimateCost. */
const HOURS_PER_MONTH = 730;

/** The key's ID from its ARN, else what the request named (an ID, ARN or alias), else "-". */
function keyOf(event: AuditEvent): string {
  const arn = event.resources?.[0]?.ARN;
  if (arn) return arn.slice(arn.indexOf(':key/') + ':key/'.length) || arn;
  const requested = event.requestParameters?.['keyId'];
  return typeof requested === 'string' ? requested : '-';
}

function principalOf(event: AuditEvent): string {
  return event.userIdentity.arn ?? event.userIdentity.invokedBy ?? event.userIdentity.type;
}

/** Every encryption context of the request (ReEncrypt has two), as the log keeps them. */
function contextsOf(event: AuditEvent): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(event.requestParameters ?? {})) {
    if (/encryptionContext$/i.test(name) && value && typeof value === 'object') parts.push(`${name} ${JSON.stringify(value)}`);
  }
  return parts.length > 0 ? `  ${parts.join('  ')}` : '';
}

/** One line per event: time, principal, operation, key, outcome (OK or the error code), decision and why. */
export function eventLine(event: AuditEvent): string {
  const outcome = event.errorCode ?? 'OK';
  const authz = event.kmsStudio?.authorization;
  const decision = authz ? `${authz.decision} (${authz.code})` : '-';
  return `${event.eventTime}  ${principalOf(event)}  ${event.eventName}  ${keyOf(event)}  ${outcome}  ${decision}${contextsOf(event)}`;
}

function parseSince(value: string): Date {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`--since: "${value}" is not an ISO time (like 2024-05-01 or 2024-05-01T12:00:00Z)`);
  return new Date(ms);
}

function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag}: "${value}" is not a whole number >= 0`);
  return Number(value);
}

interface KeyLife {
  keyId: string;
  arn: string;
  hours: number;
  rotations: number;
  awsManaged: boolean;
  state: string;
}

/** The part of [from, to] that overlaps [start, end], in hours. */
function overlapHours(from: number, to: number, start: number, end: number): number {
  return Math.max(0, Math.min(to, end) - Math.max(from, start)) / MS_PER_HOUR;
}

/**
 * How long each key was billable within the period: from its creation until it was scheduled for deletion
 * (AWS does not charge for a key pending deletion) or until now. Keys still in the store come from their
 * records; keys already deleted are found in the log, from their CreateKey to their ScheduleKeyDeletion.
 */
function keyLives(records: readonly KeyRecord[], allEvents: readonly AuditEvent[], start: number, now: number): KeyLife[] {
  const lives: KeyLife[] = [];
  const present = new Set<string>();
  for (const record of records) {
    present.add(record.arn);
    const pending = record.keyState === 'PendingDeletion' || record.keyState === 'PendingReplicaDeletion';
    const scheduledAt =
      pending && record.deletionDate && record.pendingDeletionWindowInDays
        ? Date.parse(record.deletionDate) - record.pendingDeletionWindowInDays * MS_PER_DAY
        : now;
    lives.push({
      keyId: record.keyId,
      arn: record.arn,
      hours: overlapHours(Date.parse(record.creationDate), scheduledAt, start, now),
      rotations: record.materials.filter((m) => m.rotationType !== undefined).length,
      awsManaged: record.keyManager === 'AWS',
      state: record.keyState,
    });
  }
  const created = new Map<string, number>();
  const scheduled = new Map<string, number>();
  const deleted = new Map<string, number>();
  for (const event of allEvents) {
    const arn = event.resources?.[0]?.ARN;
    if (!arn || present.has(arn) || event.errorCode !== undefined) continue;
    const time = Date.parse(event.eventTime);
    if (event.eventName === 'CreateKey') created.set(arn, time);
    else if (event.eventName === 'ScheduleKeyDeletion') scheduled.set(arn, time);
    else if (event.eventName === 'CancelKeyDeletion') scheduled.delete(arn);
    else if (event.eventName === 'DeleteKey') deleted.set(arn, time);
  }
  for (const [arn, deletedAt] of deleted) {
    const from = created.get(arn) ?? start;
    lives.push({
      keyId: arn.slice(arn.indexOf(':key/') + ':key/'.length),
      arn,
      hours: overlapHours(from, scheduled.get(arn) ?? deletedAt, start, now),
      rotations: 0,
      awsManaged: false,
      state: 'Deleted',
    });
  }
  return lives;
}

interface Summary {
  period: { start: string; end: string; months: number };
  events: number;
  requests: RequestCount[];
  keys: KeyLife[];
  cost: CostEstimate;
  caching?: CachingComparison & { cacheHits: number; operation: string };
}

const CACHED_OPERATION = 'GenerateDataKey';

function summarize(events: AuditEvent[], allEvents: AuditEvent[], records: KeyRecord[], now: Date, filter: AuditFilter, cacheHits: number | undefined): Summary {
  const nowMs = now.getTime();
  const first = allEvents.length > 0 ? Date.parse(allEvents[0]!.eventTime) : nowMs;
  const start = filter.since !== undefined ? new Date(filter.since).getTime() : Math.min(first, nowMs);
  const periodHours = Math.max(0, nowMs - start) / MS_PER_HOUR;
  // The free tier is per month: a log spanning more than a month gets a month's free requests for each.
  const months = Math.max(1, Math.ceil(periodHours / HOURS_PER_MONTH));
  let lives = keyLives(records, allEvents, start, nowMs);
  if (filter.keyId !== undefined) {
    const wanted = filter.keyId;
    lives = lives.filter((k) => k.keyId === wanted || k.arn === wanted);
  }
  const keys: KeyUsage[] = lives.map((k) => ({ keyId: k.keyId, hours: k.hours, rotations: k.rotations, awsManaged: k.awsManaged }));
  const usage: Usage = { keys, requests: requestUsageOf(events), months };
  const summary: Summary = {
    period: { start: new Date(start).toISOString(), end: now.toISOString(), months },
    events: events.length,
    requests: countRequests(events),
    keys: lives,
    cost: estimateCost(usage),
  };
  if (cacheHits !== undefined) summary.caching = { ...compareDataKeyCaching(usage, [{ operation: CACHED_OPERATION, count: cacheHits }]), cacheHits, operation: CACHED_OPERATION };
  return summary;
}

const money = (amount: number, currency: string): string => `${amount.toFixed(amount !== 0 && Math.abs(amount) < 0.01 ? 6 : 2)} ${currency}`;

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => '  ' + r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function summaryText(summary: Summary): string {
  const lines: string[] = [];
  lines.push(`Requests by key and operation: ${summary.events} events from ${summary.period.start} to ${summary.period.end}`);
  if (summary.requests.length === 0) lines.push('  (none)');
  else {
    const rows = [['KEY', 'OPERATION', 'REQUESTS', 'FAILED']];
    for (const r of summary.requests) rows.push([r.keyArn ? r.keyArn.slice(r.keyArn.indexOf(':key/') + 5) : '(no key)', r.operation, String(r.requests), String(r.failures)]);
    lines.push(...table(rows, new Set([2, 3])));
  }
  const { cost } = summary;
  lines.push('');
  lines.push(`Cost estimate at AWS KMS list prices (${cost.currency}; failed requests counted, so an upper bound):`);
  const billableKeys = summary.keys.filter((k) => !k.awsManaged && k.hours > 0);
  const keyHours = billableKeys.reduce((n, k) => n + Math.ceil(k.hours), 0);
  const rows = [[`keys (${billableKeys.length}, ${keyHours} key-hours)`, money(cost.keys, cost.currency)]];
  for (const [priceClass, entry] of Object.entries(cost.requests)) {
    if (entry.requests === 0) continue;
    rows.push([`${priceClass} requests (${entry.requests}, ${entry.billable} after the free tier)`, money(entry.cost, cost.currency)]);
  }
  rows.push([`total (the free tier of ${summary.period.months} month${summary.period.months === 1 ? '' : 's'} applied)`, money(cost.total, cost.currency)]);
  lines.push(...table(rows, new Set([1])));
  if (summary.caching) {
    const c = summary.caching;
    const logged = summary.requests.filter((r) => r.operation === c.operation).reduce((n, r) => n + r.requests, 0);
    lines.push('');
    lines.push(
      `With ${c.cacheHits} ${c.operation} requests answered from a data key cache: ${money(c.withCache.total, cost.currency)} instead of ` +
        `${money(c.withoutCache.total, cost.currency)}, saving ${money(c.saved, cost.currency)}` +
        // A cache cannot answer more requests than were made.
        (c.cacheHits > logged ? ` (the log has only ${logged} ${c.operation} requests, so at most those are saved)` : ''),
    );
  }
  return lines.join('\n') + '\n';
}

export const auditCommand: Command = {
  summary: 'show the audit log of a KMS store (CloudTrail-shaped events), or request counts and a cost estimate',
  usage:
    'kms-studio audit --store DIR [--json] [--key ID] [--since ISO] [--operation NAME] [--outcome success|failure|denied]\n' +
    '       kms-studio audit --store DIR summary [--cache-hits N] [--json] [--root-key-file FILE] [filters]   (or --summary)',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseCommandArgs(args, {
          store: { type: 'string' },
          json: { type: 'boolean' },
          key: { type: 'string' },
          since: { type: 'string' },
          operation: { type: 'string' },
          outcome: { type: 'string' },
          summary: { type: 'boolean' },
          'cache-hits': { type: 'string' },
          'root-key-file': { type: 'string' },
        });
    const { values, positionals } = parsed;
    if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'summary')) {
      throw new UsageError(`unexpected ${positionals.map((p) => `'${p}'`).join(' ')}; the one subcommand is 'summary'`);
    }
    const wantsSummary = values.summary === true || positionals[0] === 'summary';
    if (values.store === undefined || values.store === '') throw new UsageError('--store DIR is required');
    if (values.outcome !== undefined && !(values.outcome in OUTCOMES)) throw new UsageError(`--outcome must be one of ${Object.keys(OUTCOMES).join(', ')}`);
    if (values.key === '') throw new UsageError('--key needs a key ID or key ARN');
    if (values.operation === '') throw new UsageError('--operation needs an operation name, such as Decrypt');
    const cacheHits = values['cache-hits'] !== undefined ? parseCount(values['cache-hits'], '--cache-hits') : undefined;
    if (cacheHits !== undefined && !wantsSummary) throw new UsageError('--cache-hits goes with the summary: audit --store DIR summary --cache-hits N');
    const filter: AuditFilter = {
      ...(values.key !== undefined ? { keyId: values.key } : {}),
      ...(values.since !== undefined ? { since: parseSince(values.since) } : {}),
      ...(values.operation !== undefined ? { operation: values.operation } : {}),
      ...(values.outcome !== undefined ? { outcome: OUTCOMES[values.outcome]! } : {}),
    };

    try {
      const log = auditLogOf(io, values.store);
      const reportSkipped = () => log.skipped.forEach((s) => io.stderr(`kms-studio audit: ${s.file}:${s.line}: ${s.problem}; skipped\n`));

      if (wantsSummary) {
        // Key lifetimes need the whole log (a key's CreateKey may precede --since); the counts take the filter.
        const allEvents = log.read();
        reportSkipped();
        const events = filterAuditEvents(allEvents, filter);
        const store = openStore(io, { store: values.store, ...(values['root-key-file'] !== undefined ? { rootKeyFile: values['root-key-file'] } : {}), create: false });
        const now = new SandboxClock(store).now();
        const summary = summarize(events, allEvents, store.listKeys().map((k) => k.record), now, filter, cacheHits);
        io.stdout(values.json ? JSON.stringify(summary, null, 2) + '\n' : summaryText(summary));
        return EXIT_OK;
      }
      // The log reader skips whole day files before --since.
      const events = log.read(filter);
      reportSkipped();
      if (values.json) {
        for (const event of events) io.stdout(JSON.stringify(event) + '\n');
      } else {
        for (const event of events) io.stdout(eventLine(event) + '\n');
        if (events.length === 0) io.stderr('kms-studio audit: no events match\n');
      }
      return EXIT_OK;
    } catch (e) {
      const problem = asStoreProblem(e);
      if (!problem) throw e;
      io.stderr(`kms-studio audit: ${problem.message}\n`);
      return EXIT_USAGE;
    }
  },
};
