/**
 * Audit events in the shape of AWS CloudTrail's records of AWS KMS calls, field for field and in CloudTrail's
 * order, so the log reads like the CloudTrail entries in the AWS KMS Developer Guide ("AWS KMS log entry
 * examples") and programs written for those work on it. One extension field, `kmsStudio`, carries what CloudTrail
 * cannot: the authorization decision and why, and the key spec that decides a request's price.
 */
import { createHash } from 'node:crypto';
import { parseArn, resolveCaller } from '../../authz/arn';
import type { Explanation, StatementRef } from '../../authz/explanation';
import type { Decision } from '../../authz/request';
import { redactFields, redactJsonFriendly } from './redact';
import { deepFreeze } from '../deepFreeze';
import { newUuid } from '../uuid';
import { flatData, fromFlat, sameFlat, type FlatData } from '../flatData';
import { markBuilt, shared } from './auditEventJson';

/** The eventVersion of the current CloudTrail KMS examples. */
export const CLOUDTRAIL_EVENT_VERSION = '1.11';

export interface SessionIssuer {
  type: 'Role';
  principalId: string;
  arn: string;
  accountId: string;
  userName: string;
}

export interface UserIdentity {
  type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'AWSService' | 'Unknown';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  sessionContext?: { sessionIssuer: SessionIssuer; attributes: { mfaAuthenticated: 'true' | 'false' } };
  invokedBy?: string;
}

export interface AuditResource {
  accountId: string;
  type: 'AWS::KMS::Key';
  ARN: string;
}

export interface AuthorizationSummary {
  decision: Decision;
  code: string;
  reason: string;
  /** The statements and grants that decided: `keyPolicy`, `identityPolicy:<name>` or `grant:<grantId>`, with Sid and index. */
  deciding: { source: string; index: number; sid?: string }[];
  crossAccount: boolean;
}

/** KMS Studio's extension of the CloudTrail record. */
export interface KmsStudioEventData {
  authorization?: AuthorizationSummary;
  /** The KeySpec of the KMS key used: what the request costs depends on it. */
  keySpec?: string;
  /** For GenerateDataKeyPair*: the KeyPairSpec requested. */
  keyPairSpec?: string;
}

export interface AuditEvent {
  eventVersion: string;
  userIdentity: UserIdentity;
  eventTime: string;
  eventSource: 'kms.amazonaws.com';
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: AuditResource[];
  eventType: 'AwsApiCall';
  managementEvent: true;
  recipientAccountId: string;
  eventCategory: 'Management';
  kmsStudio?: KmsStudioEventData;
}

/** What the KMS knows about a call when it records it. */
export interface AuditInput {
  /** The API operation, CloudTrail's eventName: `Decrypt`, `CreateKey`. */
  operation: string;
  region: string;
  /** The caller's principal ARN (or a service principal name) and the access key it signed with. */
  caller: { arn: string; accessKeyId?: string; roleArn?: string };
  /** The request as the API received it (PascalCase fields); redacted here. */
  requestParameters?: Readonly<Record<string, unknown>> | null;
  /** The response as the API returned it; redacted here, and always null for cryptographic operations. */
  responseElements?: Readonly<Record<string, unknown>> | null;
  /**
   * requestParameters and responseElements are the request and response exactly as the caller gave and got them,
   * Dates and all: they are logged as their JSON-friendly copy (dates as ISO text, see redact.ts) would be,
   * redacted in the same pass. Without it they are taken as already JSON-friendly.
   */
  asGiven?: boolean;
  error?: { code: string; message: string };
  /** The KMS key the call used, as an ARN. */
  keyArn?: string;
  /** With keyArn: the other keys the call used (ReEncrypt's destination key), listed after it in resources. */
  otherKeyArns?: readonly string[];
  sourceIPAddress?: string;
  userAgent?: string;
  /** The request ID the caller saw; a fresh UUID when absent. */
  requestId?: string;
  /** Overrides the operation's usual readOnly flag. */
  readOnly?: boolean;
  authorization?: Explanation;
  keySpec?: string;
  keyPairSpec?: string;
  additionalEventData?: Readonly<Record<string, unknown>>;
}

/**
 * Operations whose CloudTrail entry has `responseElements: null`: their responses hold plaintext, ciphertext,
 * signatures or public keys, none of which CloudTrail logs.
 */
export const CRYPTOGRAPHIC_OPERATIONS: ReadonlySet<string> = new Set([
  'Encrypt',
  'Decrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateRandom',
  'GenerateMac',
  'VerifyMac',
  'Sign',
  'Verify',
  'DeriveSharedSecret',
  'GetPublicKey',
  'Decapsulate',
]);

/** CloudTrail marks reads and cryptographic operations (which change no resource) as readOnly. */
export function isReadOnlyOperation(operation: string): boolean {
  return CRYPTOGRAPHIC_OPERATIONS.has(operation) || /^(Describe|Get|List)/.test(operation);
}

/** The text of the second last formatted: events come many to a second, and each would format it anew. */
let lastSecond = Number.NaN;
let lastSecondText = '';

/** CloudTrail's timestamps have whole seconds: `2025-05-20T20:46:16Z`. */
export function cloudTrailTime(date: Date): string {
  const second = Math.floor(date.getTime() / 1000);
  // An invalid date is NaN, never equal: it goes on to toISOString, which throws for it as before.
  if (second === lastSecond) return lastSecondText;
  const text = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  lastSecond = second;
  lastSecondText = text;
  return text;
}

/**
 * A stable stand-in for IAM's unique ID (`AIDA…` for users, `AROA…` for roles): 4-letter prefix and 17 base32
 * characters derived from the ARN, the length and alphabet IAM uses.
 */
function uniqueIdFor(prefix: string, arn: string): string {
  const name = `${prefix}${arn}`;
  let id = uniqueIds.get(name);
  if (id === undefined) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const digest = createHash('sha256').update(arn).digest();
    id = prefix;
    for (let i = 0; i < 17; i++) id += alphabet[digest[i]! & 31];
    remember(uniqueIds, name, id);
  }
  return id;
}

/**
 * A process records events for a handful of principals, each many times: the digest behind a unique ID and the
 * resolved principal are kept per ARN rather than computed per event. Bounded, so a long-lived process calling
 * as ever new principals does not grow without end.
 */
const CACHE_SIZE = 1024;
const uniqueIds = new Map<string, string>();
const resolvedCallers = new Map<string, Map<string | undefined, ReturnType<typeof resolveCaller>>>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): void {
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, value);
}

/** resolveCaller's answer, kept per principal ARN and role ARN; the answers are only read here. */
function resolvedCaller(arn: string, roleArn: string | undefined): ReturnType<typeof resolveCaller> {
  let byRole = resolvedCallers.get(arn);
  if (!byRole) {
    byRole = new Map();
    remember(resolvedCallers, arn, byRole);
  }
  let resolved = byRole.get(roleArn);
  if (resolved === undefined) {
    resolved = resolveCaller(arn, roleArn);
    if (byRole.size >= 16) byRole.clear();
    byRole.set(roleArn, resolved);
  }
  return resolved;
}

/**
 * The userIdentity of a caller, made once per principal, role ARN and access key and shared, frozen, by every event
 * of that caller: a process records a handful of callers many times each, and auditEventJson writes a shared
 * object's JSON once.
 */
const userIdentities = new Map<string, UserIdentity>();
let last: { arn: string; roleArn: string | undefined; accessKeyId: string | undefined; identity: UserIdentity } | undefined;

export function userIdentityFor(caller: AuditInput['caller']): UserIdentity {
  const { arn, roleArn, accessKeyId } = caller;
  if (typeof arn !== 'string' || (roleArn !== undefined && typeof roleArn !== 'string') || (accessKeyId !== undefined && typeof accessKeyId !== 'string')) {
    return newUserIdentity(caller);
  }
  // The caller of the last event first: calls come in runs from one caller.
  if (last && last.arn === arn && last.roleArn === roleArn && last.accessKeyId === accessKeyId) return last.identity;
  const name = `${arn}\u0000${roleArn ?? ''}\u0000${accessKeyId ?? ''}`;
  let identity = userIdentities.get(name);
  if (!identity) {
    identity = shared(deepFreeze(newUserIdentity(caller)));
    remember(userIdentities, name, identity);
  }
  last = { arn, roleArn, accessKeyId, identity };
  return identity;
}

function newUserIdentity(caller: AuditInput['caller']): UserIdentity {
  // Only strings are cached: anything else takes the path it always took, errors included.
  const resolved = typeof caller.arn === 'string' && (caller.roleArn === undefined || typeof caller.roleArn === 'string') ? resolvedCaller(caller.arn, caller.roleArn) : resolveCaller(caller.arn, caller.roleArn);
  const accessKey = caller.accessKeyId ? { accessKeyId: caller.accessKeyId } : {};
  if (typeof resolved === 'string') return { type: 'Unknown', ...(caller.arn ? { arn: caller.arn } : {}), ...accessKey };
  const accountId = resolved.account ?? '';
  switch (resolved.kind) {
    case 'Account':
      return { type: 'Root', principalId: accountId, arn: resolved.arn, accountId, ...accessKey };
    case 'User':
      return { type: 'IAMUser', principalId: uniqueIdFor('AIDA', resolved.arn), arn: resolved.arn, accountId, ...accessKey, userName: resolved.name! };
    case 'AssumedRole': {
      const roleArn = resolved.roleArn!;
      const roleId = uniqueIdFor('AROA', roleArn);
      return {
        type: 'AssumedRole',
        principalId: `${roleId}:${resolved.sessionName}`,
        arn: resolved.arn,
        accountId,
        ...accessKey,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: roleArn, accountId, userName: resolved.name! },
          attributes: { mfaAuthenticated: 'false' },
        },
      };
    }
    case 'FederatedUser':
      return { type: 'FederatedUser', principalId: `${accountId}:${resolved.name}`, arn: resolved.arn, accountId, ...accessKey };
    case 'Service':
      return { type: 'AWSService', invokedBy: resolved.service! };
  }
}

function sourceOf(ref: StatementRef): string {
  switch (ref.source.kind) {
    case 'keyPolicy':
      return 'keyPolicy';
    case 'identityPolicy':
      return `identityPolicy:${ref.source.name}`;
    case 'grant':
      return `grant:${ref.source.grantId}`;
  }
}

/**
 * The summary of the last explanation: the decision cache hands out one explanation to every call it decides
 * alike, and calls come in runs.
 */
let lastExplanation: { explanation: Explanation; summary: AuthorizationSummary } | undefined;

/**
 * Summaries by their JSON: calls decided alike share one frozen summary, even when each was evaluated afresh (an
 * encryption context that names each message), rather than each event keeping its own. Bounded, as reasons name
 * principals and conditions.
 */
const summariesByJson = new Map<string, AuthorizationSummary>();

export function summarizeAuthorization(explanation: Explanation): AuthorizationSummary {
  if (lastExplanation?.explanation === explanation) return lastExplanation.summary;
  const made = newSummary(explanation);
  const json = JSON.stringify(made);
  let summary = summariesByJson.get(json);
  if (!summary) {
    summary = shared(deepFreeze(made), json);
    if (summariesByJson.size >= CACHE_SIZE) summariesByJson.clear();
    summariesByJson.set(json, summary);
  }
  lastExplanation = { explanation, summary };
  return summary;
}

function newSummary(explanation: Explanation): AuthorizationSummary {
  return {
    decision: explanation.decision,
    code: explanation.code,
    reason: explanation.reason,
    deciding: explanation.deciding.map((ref) => ({ source: sourceOf(ref), index: ref.index, ...(ref.sid !== undefined ? { sid: ref.sid } : {}) })),
    crossAccount: explanation.crossAccount,
  };
}

export interface EventIds {
  uuid(): string;
}

const DEFAULT_IDS: EventIds = { uuid: newUuid };

/** Builds the CloudTrail-shaped record of one call at `now` (the KMS clock's time). */
export function buildAuditEvent(input: AuditInput, now: Date, ids: EventIds = DEFAULT_IDS): AuditEvent {
  const userIdentity = userIdentityFor(input.caller);
  const keyAccount = input.keyArn ? keyAccountOf(input.keyArn) : undefined;
  let studio: KmsStudioEventData | undefined;
  if (input.authorization || input.keySpec || input.keyPairSpec) {
    studio = {};
    if (input.authorization) studio.authorization = summarizeAuthorization(input.authorization);
    if (input.keySpec) studio.keySpec = input.keySpec;
    if (input.keyPairSpec) studio.keyPairSpec = input.keyPairSpec;
  }
  const cryptographic = CRYPTOGRAPHIC_OPERATIONS.has(input.operation);
  // Fields are read request first for a request and response as given (as the API saw them happen), response
  // first otherwise: the order each was always read in.
  let requestParameters: Record<string, unknown> | null = null;
  let responseElements: Record<string, unknown> | null = null;
  if (input.asGiven) {
    requestParameters = requestParametersAsGiven(input.requestParameters);
    if (!cryptographic && input.responseElements) responseElements = redactJsonFriendly(input.responseElements);
  } else {
    if (!cryptographic && input.responseElements) responseElements = redactFields(input.responseElements);
    if (input.requestParameters) requestParameters = redactFields(input.requestParameters);
  }
  // Built field by field in CloudTrail's order, so a line of the log reads like the AWS examples; optional fields
  // are added in their place, or left out.
  const event = {
    eventVersion: CLOUDTRAIL_EVENT_VERSION,
    userIdentity,
    eventTime: cloudTrailTime(now),
    eventSource: 'kms.amazonaws.com',
    eventName: input.operation,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIPAddress ?? '127.0.0.1',
    userAgent: input.userAgent ?? 'kms-studio',
  } as AuditEvent;
  if (input.error) {
    event.errorCode = input.error.code;
    event.errorMessage = input.error.message;
  }
  event.requestParameters = requestParameters;
  event.responseElements = responseElements;
  if (input.additionalEventData) event.additionalEventData = redactFields(input.additionalEventData);
  event.requestID = input.requestId ?? ids.uuid();
  event.eventID = ids.uuid();
  event.readOnly = input.readOnly ?? isReadOnlyOperation(input.operation);
  if (input.keyArn && keyAccount) {
    event.resources = input.otherKeyArns?.length
      ? [input.keyArn, ...input.otherKeyArns].map((arn) => ({ accountId: keyAccountOf(arn) ?? keyAccount, type: 'AWS::KMS::Key', ARN: arn }))
      : resourcesOf(input.keyArn, keyAccount);
  }
  event.eventType = 'AwsApiCall';
  event.managementEvent = true;
  event.recipientAccountId = keyAccount ?? userIdentity.accountId ?? '';
  event.eventCategory = 'Management';
  if (studio) event.kmsStudio = studio;
  // Frozen through, so what was recorded cannot be changed by whoever holds the event, whichever log keeps it:
  // the parts made here are frozen with what they hold; userIdentity, a single key's resources and the
  // authorization summary are shared and were frozen when made.
  deepFreeze(event.requestParameters);
  deepFreeze(event.responseElements);
  deepFreeze(event.additionalEventData);
  deepFreeze(event.resources);
  if (studio) Object.freeze(studio);
  return markBuilt(Object.freeze(event));
}

/**
 * The request parameters of the last event, frozen, with a flat copy of the request they were made from: a run of
 * calls mostly repeats one request, whose parameters are then shared rather than copied and redacted again. The
 * request is read once, into the flat copy, and the parameters are made from that copy, so what is logged and
 * what a later request is compared with are the same data. Redaction is a pure function of that data (bytes are
 * left out whatever they hold), so a request that holds the same data gets the same parameters.
 */
let lastParameters: { flat: FlatData; parameters: Record<string, unknown> | null } | undefined;

function requestParametersAsGiven(request: unknown): Record<string, unknown> | null {
  const plain = typeof request === 'object' && request !== null && !Array.isArray(request) && !(request instanceof Date) && !(request instanceof Uint8Array);
  const flat = plain ? flatData(request, true) : undefined;
  if (!flat) return redactJsonFriendly(request);
  if (lastParameters && sameFlat(lastParameters.flat, flat)) return lastParameters.parameters;
  const parameters = deepFreeze(redactJsonFriendly(fromFlat(flat)));
  lastParameters = { flat, parameters };
  return parameters;
}

/** The resources member of the last key's events, shared (frozen) by them. */
let lastResources: { keyArn: string; account: string; resources: AuditResource[] } | undefined;

function resourcesOf(keyArn: string, account: string): AuditResource[] {
  if (lastResources?.keyArn !== keyArn || lastResources.account !== account) {
    lastResources = { keyArn, account, resources: shared(deepFreeze([{ accountId: account, type: 'AWS::KMS::Key', ARN: keyArn }])) };
  }
  return lastResources.resources;
}

/** The account of the last key ARN seen: a run of calls mostly names one key. */
let lastKeyArn: string | undefined;
let lastKeyAccount: string | undefined;

function keyAccountOf(keyArn: string): string | undefined {
  if (keyArn !== lastKeyArn) {
    lastKeyAccount = parseArn(keyArn)?.account;
    lastKeyArn = keyArn;
  }
  return lastKeyAccount;
}
