/**
 * Audit events in the shape of AWS CloudTrail's records of AWS KMS calls, field for field and in CloudTrail's
 * order, so the log reads like the CloudTrail entries in the AWS KMS Developer Guide ("AWS KMS log entry
 * examples") and programs written for those work on it. One extension field, `kmsStudio`, carries what CloudTrail
 * cannot: the authorization decision and why, and the key spec that decides a request's price.
 */
import { createHash, randomUUID } from 'node:crypto';
import { parseArn, resolveCaller } from '../../authz/arn';
import type { Explanation, StatementRef } from '../../authz/explanation';
import type { Decision } from '../../authz/request';
import { redactFields } from './redact';

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
  error?: { code: string; message: string };
  /** The KMS key the call used, as an ARN. */
  keyArn?: string;
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

/** CloudTrail's timestamps have whole seconds: `2025-05-20T20:46:16Z`. */
export function cloudTrailTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A stable stand-in for IAM's unique ID (`AIDA…` for users, `AROA…` for roles): 4-letter prefix and 17 base32
 * characters derived from the ARN, the length and alphabet IAM uses.
 */
function uniqueIdFor(prefix: string, arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += alphabet[digest[i]! & 31];
  return id;
}

export function userIdentityFor(caller: AuditInput['caller']): UserIdentity {
  const resolved = resolveCaller(caller.arn, caller.roleArn);
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

export function summarizeAuthorization(explanation: Explanation): AuthorizationSummary {
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

/** Builds the CloudTrail-shaped record of one call at `now` (the KMS clock's time). */
export function buildAuditEvent(input: AuditInput, now: Date, ids: EventIds = { uuid: randomUUID }): AuditEvent {
  const userIdentity = userIdentityFor(input.caller);
  const keyAccount = input.keyArn ? parseArn(input.keyArn)?.account : undefined;
  const studio: KmsStudioEventData = {
    ...(input.authorization ? { authorization: summarizeAuthorization(input.authorization) } : {}),
    ...(input.keySpec ? { keySpec: input.keySpec } : {}),
    ...(input.keyPairSpec ? { keyPairSpec: input.keyPairSpec } : {}),
  };
  const response = CRYPTOGRAPHIC_OPERATIONS.has(input.operation) || !input.responseElements ? null : redactFields(input.responseElements);
  // Built in CloudTrail's field order, so a line of the log reads like the AWS examples.
  return {
    eventVersion: CLOUDTRAIL_EVENT_VERSION,
    userIdentity,
    eventTime: cloudTrailTime(now),
    eventSource: 'kms.amazonaws.com',
    eventName: input.operation,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIPAddress ?? '127.0.0.1',
    userAgent: input.userAgent ?? 'kms-studio',
    ...(input.error ? { errorCode: input.error.code, errorMessage: input.error.message } : {}),
    requestParameters: input.requestParameters ? redactFields(input.requestParameters) : null,
    responseElements: response,
    ...(input.additionalEventData ? { additionalEventData: redactFields(input.additionalEventData) } : {}),
    requestID: input.requestId ?? ids.uuid(),
    eventID: ids.uuid(),
    readOnly: input.readOnly ?? isReadOnlyOperation(input.operation),
    ...(input.keyArn && keyAccount ? { resources: [{ accountId: keyAccount, type: 'AWS::KMS::Key' as const, ARN: input.keyArn }] } : {}),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: keyAccount ?? userIdentity.accountId ?? '',
    eventCategory: 'Management',
    ...(Object.keys(studio).length > 0 ? { kmsStudio: studio } : {}),
  };
}
