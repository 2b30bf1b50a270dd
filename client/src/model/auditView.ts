/**
 * The audit log as the editor shows it: a filter by key, operation and outcome (carried in the view's URI query,
 * so each filtered view is its own document), and the CloudTrail-shaped events as readable blocks.
 */
import type { AuditEvent } from '../../../core/kms/audit/auditEvent';
import { filterAuditEvents, type AuditOutcome } from '../../../core/kms/audit/auditLog';

export interface AuditViewFilter {
  /** A key ID or key ARN. */
  keyId?: string;
  operation?: string;
  outcome?: AuditOutcome;
}

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'accessDenied'];

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === 'string' && (AUDIT_OUTCOMES as readonly string[]).includes(value);
}

/** The filter as a URI query (`key=…&operation=…&outcome=…`), in a fixed order so equal filters give equal URIs. */
export function auditQueryOf(filter: AuditViewFilter): string {
  const params = new URLSearchParams();
  if (filter.keyId) params.set('key', filter.keyId);
  if (filter.operation) params.set('operation', filter.operation);
  if (filter.outcome) params.set('outcome', filter.outcome);
  return params.toString();
}

/** The filter a view's URI query holds; unknown parameters and outcomes are ignored. */
export function auditFilterOf(query: string): AuditViewFilter {
  const params = new URLSearchParams(query);
  const filter: AuditViewFilter = {};
  const key = params.get('key');
  const operation = params.get('operation');
  const outcome = params.get('outcome');
  if (key) filter.keyId = key;
  if (operation) filter.operation = operation;
  if (isAuditOutcome(outcome)) filter.outcome = outcome;
  return filter;
}

export function describeAuditFilter(filter: AuditViewFilter): string {
  const parts: string[] = [];
  if (filter.keyId) parts.push(`key ${filter.keyId}`);
  if (filter.operation) parts.push(`operation ${filter.operation}`);
  if (filter.outcome) parts.push(filter.outcome === 'accessDenied' ? 'access denied' : filter.outcome === 'failure' ? 'failed' : 'succeeded');
  return parts.length > 0 ? parts.join(', ') : 'all events';
}

/** The events the filter keeps, oldest first (the audit log's own filter, so the CLI and the editor agree). */
export function filterAudit(events: readonly AuditEvent[], filter: AuditViewFilter): AuditEvent[] {
  return filterAuditEvents(events, {
    ...(filter.keyId ? { keyId: filter.keyId } : {}),
    ...(filter.operation ? { operation: filter.operation } : {}),
    ...(filter.outcome ? { outcome: filter.outcome } : {}),
  });
}

function keyOf(event: AuditEvent): string | undefined {
  const arn = event.resources?.[0]?.ARN;
  if (arn) return arn;
  const requested = event.requestParameters?.['keyId'];
  return typeof requested === 'string' ? requested : undefined;
}

function who(event: AuditEvent): string {
  const id = event.userIdentity;
  return id.arn ?? id.invokedBy ?? id.type;
}

/** One event as a block of lines: the headline, then who, which key, the contexts and the decision. */
export function auditEntryLines(event: AuditEvent): string[] {
  const outcome = event.errorCode ?? 'OK';
  const lines = [`${event.eventTime}  ${event.eventName}  ${outcome}  (${event.awsRegion})`];
  lines.push(`  caller    ${who(event)}${event.userIdentity.accessKeyId ? ` (access key ${event.userIdentity.accessKeyId})` : ''}`);
  const key = keyOf(event);
  if (key) lines.push(`  key       ${key}`);
  for (const [name, value] of Object.entries(event.requestParameters ?? {})) {
    if (/encryptionContext$/i.test(name) && value && typeof value === 'object') lines.push(`  ${name}  ${JSON.stringify(value)}`);
  }
  if (event.errorMessage) lines.push(`  error     ${event.errorMessage}`);
  const authz = event.kmsStudio?.authorization;
  if (authz) {
    lines.push(`  decision  ${authz.decision} (${authz.code}): ${authz.reason}`);
    for (const d of authz.deciding) {
      lines.push(`  decided by ${d.source}${d.sid ? ` "${d.sid}"` : ` #${d.index + 1}`}`);
    }
  }
  lines.push(`  request   ${event.requestID}`);
  return lines;
}

/** The whole view: a header naming the filter and the counts, then one block per event, newest last. */
export function auditText(events: readonly AuditEvent[], filter: AuditViewFilter, storeDir: string): string {
  const shown = filterAudit(events, filter);
  const header = [
    `KMS audit log of ${storeDir}`,
    `Showing ${shown.length} of ${events.length} events: ${describeAuditFilter(filter)}.`,
    'Run "KMS: Show Audit Log" again to filter by key, operation or outcome.',
    '',
  ];
  if (shown.length === 0) return [...header, '(no events)', ''].join('\n');
  return [...header, ...shown.flatMap((event) => [...auditEntryLines(event), '']), ''].join('\n');
}
