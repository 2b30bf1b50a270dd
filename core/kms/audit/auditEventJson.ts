/**
 * Audit events as JSON Lines: the same text as JSON.stringify(event), written faster for the event
 * buildAuditEvent (auditEvent.ts) made last, member by member in its order, with the JSON of the frozen parts
 * many events share (userIdentity, resources, authorization summaries) kept from when they were made.
 */
import type { AuditEvent } from './auditEvent';

/** The JSON text of frozen objects that many events share (userIdentity, authorization summaries). */
const sharedJson = new WeakMap<object, string>();

/** Keeps the JSON of a frozen part that many events will share; `json` when the caller wrote it already. */
export function shared<T extends object>(value: T, json: string = JSON.stringify(value)): T {
  sharedJson.set(value, json);
  return value;
}

/**
 * The event buildAuditEvent made last (frozen, so its members stay in its order, which auditEventJson writes).
 * Logs append an event right after it is built: knowing the last one by identity is enough for them, and costs
 * nothing per event, where a mark on each event (a symbol member defined on it) or a WeakSet of every event
 * recorded cost more than the rest of the event's building, or slowed every collection.
 */
let lastBuilt: AuditEvent | undefined;

/** Records `event`, frozen and made of JSON data only, as the one buildAuditEvent made last. */
export function markBuilt(event: AuditEvent): AuditEvent {
  lastBuilt = event;
  return event;
}

const q = JSON.stringify;

/** Strings JSON writes as they are, between quotes: printable ASCII without `"` and `\`. Most of an event's are. */
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function str(value: unknown): string {
  return typeof value === 'string' && PLAIN_STRING.test(value) ? `"${value}"` : q(value);
}

function jsonOf(value: unknown): string {
  return (typeof value === 'object' && value !== null ? sharedJson.get(value) : undefined) ?? q(value);
}

/**
 * Whether the event is the one buildAuditEvent made last, whose members are JSON data as they are (no dates, no
 * undefined members, no methods): JSON.parse(JSON.stringify(event)) would give an equal event back. Any other
 * event takes the general path, which gives the same result.
 */
export function isAuditEventJson(e: AuditEvent): boolean {
  return e === lastBuilt;
}

/**
 * The event as one line of JSON: the same text as JSON.stringify(event), written faster for the event
 * buildAuditEvent made last (member by member in its order, with the JSON of the parts every event of a caller or a
 * decision shares kept from when they were made); JSON.stringify for any other.
 */
export function auditEventJson(e: AuditEvent): string {
  if (!isAuditEventJson(e)) return q(e);
  return membersJson(e as unknown as Record<string, unknown>, EVENT_MEMBERS);
}

/** How a member is written: `s` a string (or what JSON makes of another value), `j` JSON kept or written, `q` JSON. */
type MemberKind = 's' | 'j' | 'q' | 'studio';

/** The members of buildAuditEvent's events, in the order it sets them; those it leaves undefined are left out. */
const EVENT_MEMBERS: ReadonlyArray<readonly [string, MemberKind]> = [
  ['eventVersion', 's'],
  ['userIdentity', 'j'],
  ['eventTime', 's'],
  ['eventSource', 's'],
  ['eventName', 's'],
  ['awsRegion', 's'],
  ['sourceIPAddress', 's'],
  ['userAgent', 's'],
  ['errorCode', 's'],
  ['errorMessage', 's'],
  ['requestParameters', 'j'],
  ['responseElements', 'j'],
  ['additionalEventData', 'q'],
  ['requestID', 's'],
  ['eventID', 's'],
  ['readOnly', 'q'],
  ['resources', 'j'],
  ['eventType', 's'],
  ['managementEvent', 'q'],
  ['recipientAccountId', 's'],
  ['eventCategory', 's'],
  ['kmsStudio', 'studio'],
];

const STUDIO_MEMBERS: ReadonlyArray<readonly [string, MemberKind]> = [
  ['authorization', 'j'],
  ['keySpec', 's'],
  ['keyPairSpec', 's'],
];

/** `"name":` of every member name above, written once. */
const MEMBER_KEYS = new Map([...EVENT_MEMBERS, ...STUDIO_MEMBERS].map(([name]) => [name, `${q(name)}:`]));

function membersJson(value: Record<string, unknown>, members: ReadonlyArray<readonly [string, MemberKind]>): string {
  // Parts joined at the end rather than concatenated: join makes one flat string, where concatenation makes a
  // rope of every part, which a log that keeps its lines then holds and the collector copies, part by part.
  const parts: string[] = [];
  let separator = '{';
  for (const [name, kind] of members) {
    const member = value[name];
    if (member === undefined) continue;
    const text = kind === 's' ? str(member) : kind === 'j' ? jsonOf(member) : kind === 'studio' ? membersJson(member as Record<string, unknown>, STUDIO_MEMBERS) : q(member);
    parts.push(separator, MEMBER_KEYS.get(name)!, text);
    separator = ',';
  }
  parts.push(separator === '{' ? '{}' : '}');
  return parts.join('');
}
