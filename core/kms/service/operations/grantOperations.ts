/**
 * Grants (AWS KMS Developer Guide, "Grants in AWS KMS"): CreateGrant, ListGrants, ListRetirableGrants,
 * RetireGrant and RevokeGrant. A grant lets its grantee call the grant operations it names on one key, within
 * its encryption context constraints; grants only allow, and the evaluator weighs them with the key policy and
 * IAM policies (core/authz). This KMS is consistent: a grant works the moment CreateGrant returns, with or
 * without its grant token, and stops working the moment it is retired or revoked.
 *
 * The traps are AWS's: grant operations are exact (a GenerateDataKey grant does not allow
 * GenerateDataKeyWithoutPlaintext); a grant is for a key, never an alias (CreateGrant takes a key ID or ARN); who
 * may retire a grant is decided by the grant, not the key policy; a key has at most 50,000 grants.
 */
import type { CreateGrantParameters } from '../../../authz/request';
import { resolveCaller } from '../../../authz/arn';
import type { CallContext, ResolvedKey } from '../callContext';
import { decodeGrantToken, encodeGrantToken, isGrantId, newGrantId, newTokenId, tokenNamesGrant } from '../grantTokens';
import type { GrantRecord, KeyRecord } from '../keyRecord';
import { page } from '../paging';
import { grantNotFound, invalidGrantId, invalidGrantToken, limitExceeded, unsupported, validation } from '../serviceErrors';
import type * as S from '../shapes';
import { stopIfDryRun } from './symmetricOperations';

/** The grant operations each kind of key supports (API Reference, CreateGrant: others are a ValidationException). */
function operationsFor(key: KeyRecord): readonly string[] {
  const common = ['CreateGrant', 'RetireGrant', 'DescribeKey'];
  if (key.keySpec === 'SYMMETRIC_DEFAULT') {
    return [...common, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext'];
  }
  switch (key.keyUsage) {
    case 'ENCRYPT_DECRYPT':
      return [...common, 'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'];
    case 'SIGN_VERIFY':
      return [...common, 'Sign', 'Verify', 'GetPublicKey'];
    case 'GENERATE_VERIFY_MAC':
      return [...common, 'GenerateMac', 'VerifyMac'];
    case 'KEY_AGREEMENT':
      return [...common, 'DeriveSharedSecret', 'GetPublicKey'];
  }
}

function sameContext(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ea = Object.entries(a ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
  const eb = Object.entries(b ?? {}).sort(([x], [y]) => (x < y ? -1 : 1));
  return JSON.stringify(ea) === JSON.stringify(eb);
}

/** Whether an existing grant has exactly the parameters of a CreateGrant request (named CreateGrant's retry). */
function sameGrant(grant: GrantRecord, request: S.CreateGrantRequest): boolean {
  return (
    grant.GranteePrincipal === request.GranteePrincipal &&
    grant.RetiringPrincipal === request.RetiringPrincipal &&
    [...grant.Operations].sort().join() === [...request.Operations].sort().join() &&
    sameContext(grant.Constraints?.EncryptionContextEquals, request.Constraints?.EncryptionContextEquals) &&
    sameContext(grant.Constraints?.EncryptionContextSubset, request.Constraints?.EncryptionContextSubset)
  );
}

/** A grantee or retiring principal must be a principal AWS can name: an ARN of an account, user, role, session, or a service. */
/** An IAM role's ARN, with or without a path: a grantee AWS accepts, though only its sessions can call. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * GranteePrincipal and RetiringPrincipal name an account, IAM user, IAM role, federated user or role session
 * (CreateGrant, AWS KMS API Reference). A grant to a role applies to the role's sessions, as a policy's does.
 */
function checkPrincipal(member: string, value: string | undefined): void {
  if (value === undefined || ROLE_ARN.test(value)) return;
  if (typeof resolveCaller(value) === 'string') throw validation(`${member} ${value} is not a valid principal.`);
}

function grantTokens(request: { GrantTokens?: string[] }): { grantTokens?: string[] } {
  return request.GrantTokens ? { grantTokens: request.GrantTokens } : {};
}

export function createGrant(ctx: CallContext, request: S.CreateGrantRequest): S.CreateGrantResponse {
  // The 2025 service-principal grants (GranteeServicePrincipal with a SourceArn constraint) are not modelled.
  if (request.GranteeServicePrincipal !== undefined || request.RetiringServicePrincipal !== undefined || request.Constraints?.SourceArn !== undefined) {
    throw unsupported('Grants for service principals (GranteeServicePrincipal, RetiringServicePrincipal, SourceArn) are not available in this KMS yet.');
  }
  if (request.GranteePrincipal === undefined) throw validation('GranteePrincipal is required.');
  if (request.Operations.length === 0) throw validation('Operations must name at least one grant operation.');
  checkPrincipal('GranteePrincipal', request.GranteePrincipal);
  checkPrincipal('RetiringPrincipal', request.RetiringPrincipal);
  const constraints = request.Constraints ?? {};
  const parameters: CreateGrantParameters = {
    GranteePrincipal: request.GranteePrincipal,
    Operations: request.Operations,
    ...(request.RetiringPrincipal !== undefined ? { RetiringPrincipal: request.RetiringPrincipal } : {}),
    ...(request.Constraints ? { Constraints: { ...(constraints.EncryptionContextEquals ? { EncryptionContextEquals: constraints.EncryptionContextEquals } : {}), ...(constraints.EncryptionContextSubset ? { EncryptionContextSubset: constraints.EncryptionContextSubset } : {}) } } : {}),
  };
  return ctx.store.withLock(() => {
    // A grant is for a key: CreateGrant takes a key ID or key ARN, and an alias is refused as any other
    // identifier that is not a key's.
    const key = ctx.resolveKey(request.KeyId, { aliases: false });
    ctx.authorize('CreateGrant', key, { ...grantTokens(request), createGrant: parameters });
    ctx.checkState(key);
    const record = key.record;
    const supported = operationsFor(record);
    const unsupportedOps = request.Operations.filter((op) => !supported.includes(op));
    if (unsupportedOps.length > 0) {
      throw validation(`Grant operations ${unsupportedOps.join(', ')} are not valid for ${record.arn} (key spec ${record.keySpec}, key usage ${record.keyUsage}).`);
    }
    // Encryption context constraints apply only to operations that take an encryption context, which keys other
    // than symmetric encryption keys have none of (API Reference, GrantConstraints).
    if ((constraints.EncryptionContextEquals || constraints.EncryptionContextSubset) && record.keySpec !== 'SYMMETRIC_DEFAULT') {
      throw validation(`Encryption context grant constraints are not valid for ${record.arn}: a ${record.keySpec} key takes no encryption context.`);
    }
    stopIfDryRun(request);

    const tokenId = newTokenId();
    // A named CreateGrant retried with the same parameters returns the grant it made, with a new token.
    const existing = request.Name !== undefined ? record.grants.find((g) => g.Name === request.Name && sameGrant(g, request)) : undefined;
    let grant: GrantRecord;
    if (existing) {
      grant = existing;
      grant.tokenIds = [...(grant.tokenIds ?? []), tokenId];
    } else {
      const limit = ctx.parts.limits.grantsPerKey;
      if (record.grants.length >= limit) throw limitExceeded(`${record.arn} already has ${limit} grants, the most a KMS key can have.`);
      grant = {
        GrantId: newGrantId(),
        ...(request.Name !== undefined ? { Name: request.Name } : {}),
        GranteePrincipal: request.GranteePrincipal!,
        ...(request.RetiringPrincipal !== undefined ? { RetiringPrincipal: request.RetiringPrincipal } : {}),
        IssuingAccount: `arn:${record.arn.split(':')[1]}:iam::${ctx.account}:root`,
        Operations: [...request.Operations],
        ...(parameters.Constraints ? { Constraints: parameters.Constraints as GrantRecord['Constraints'] } : {}),
        CreationDate: ctx.now.toISOString(),
        tokenIds: [tokenId],
      };
      record.grants.push(grant);
    }
    ctx.store.writeKey(record.region, record.keyId, record);
    return { GrantToken: encodeGrantToken({ keyArn: record.arn, grantId: grant.GrantId, tokenId }), GrantId: grant.GrantId };
  });
}

function listEntry(key: KeyRecord, grant: GrantRecord): S.GrantListEntry {
  return {
    KeyId: key.arn,
    GrantId: grant.GrantId,
    ...(grant.Name !== undefined ? { Name: grant.Name } : {}),
    CreationDate: new Date(grant.CreationDate),
    GranteePrincipal: grant.GranteePrincipal,
    ...(grant.RetiringPrincipal !== undefined ? { RetiringPrincipal: grant.RetiringPrincipal } : {}),
    IssuingAccount: grant.IssuingAccount,
    Operations: [...grant.Operations],
    ...(grant.Constraints ? { Constraints: grant.Constraints } : {}),
  };
}

/** Grants in creation order; the marker names the last one returned. */
const grantOrder = (e: { key: KeyRecord; grant: GrantRecord }) => `${e.grant.CreationDate}|${e.key.arn}|${e.grant.GrantId}`;

function pageOf(entries: { key: KeyRecord; grant: GrantRecord }[], request: { Limit?: number; Marker?: string }): S.ListGrantsResponse {
  const sorted = [...entries].sort((a, b) => (grantOrder(a) < grantOrder(b) ? -1 : 1));
  const p = page(sorted, grantOrder, request.Limit ?? 50, request.Marker);
  return { Grants: p.items.map((e) => listEntry(e.key, e.grant)), Truncated: p.truncated, ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}) };
}

export function listGrants(ctx: CallContext, request: S.ListGrantsRequest): S.ListGrantsResponse {
  if (request.GranteeServicePrincipal !== undefined) throw unsupported('Grants for service principals are not available in this KMS yet.');
  const key = ctx.resolveKey(request.KeyId, { aliases: false });
  ctx.authorize('ListGrants', key);
  ctx.checkState(key);
  if (request.GrantId !== undefined && !isGrantId(request.GrantId)) throw invalidGrantId(request.GrantId);
  const grants = key.record.grants
    .filter((g) => request.GrantId === undefined || g.GrantId === request.GrantId)
    .filter((g) => request.GranteePrincipal === undefined || g.GranteePrincipal === request.GranteePrincipal);
  return pageOf(
    grants.map((grant) => ({ key: key.record, grant })),
    request,
  );
}

/** ListRetirableGrants: the grants of the caller's account in this Region that name the retiring principal. */
export function listRetirableGrants(ctx: CallContext, request: S.ListRetirableGrantsRequest): S.ListGrantsResponse {
  if (request.RetiringServicePrincipal !== undefined) throw unsupported('Grants for service principals are not available in this KMS yet.');
  if (request.RetiringPrincipal === undefined) throw validation('RetiringPrincipal is required.');
  ctx.authorize('ListRetirableGrants', undefined);
  const entries = ctx.store
    .listKeys(ctx.region)
    .map((k) => k.record)
    .filter((k) => k.account === ctx.account)
    .flatMap((key) => key.grants.filter((g) => g.RetiringPrincipal === request.RetiringPrincipal).map((grant) => ({ key, grant })));
  return pageOf(entries, request);
}

/** Removes a grant from its key, authorizing `action` with the grant named, under the store's lock. */
function removeGrant(ctx: CallContext, find: () => { key: ResolvedKey; grantId: string }, action: 'RetireGrant' | 'RevokeGrant', dryRun: { DryRun?: boolean }): void {
  ctx.store.withLock(() => {
    const { key, grantId } = find();
    ctx.authorize(action, key, action === 'RetireGrant' ? { grantId } : {});
    ctx.checkState(key);
    const record = key.record;
    if (!record.grants.some((g) => g.GrantId === grantId)) throw grantNotFound(grantId, record.arn);
    stopIfDryRun(dryRun);
    record.grants = record.grants.filter((g) => g.GrantId !== grantId);
    ctx.store.writeKey(record.region, record.keyId, record);
  });
}

export function retireGrant(ctx: CallContext, request: S.RetireGrantRequest): S.EmptyResponse {
  const byId = request.KeyId !== undefined && request.GrantId !== undefined;
  if (request.GrantToken === undefined && !byId) throw validation('Specify either GrantToken, or both KeyId and GrantId.');
  removeGrant(
    ctx,
    () => {
      if (request.GrantToken !== undefined) {
        const parts = decodeGrantToken(request.GrantToken);
        if (!parts) throw invalidGrantToken();
        const key = ctx.resolveKey(parts.keyArn, { aliases: false });
        const grant = key.record.grants.find((g) => tokenNamesGrant(parts, key.record.arn, g));
        if (!grant) throw grantNotFound(parts.grantId, key.record.arn);
        if (request.GrantId !== undefined && request.GrantId !== grant.GrantId) throw validation('GrantId does not name the grant of the GrantToken.');
        return { key, grantId: grant.GrantId };
      }
      if (!isGrantId(request.GrantId!)) throw invalidGrantId(request.GrantId!);
      return { key: ctx.resolveKey(request.KeyId!, { aliases: false }), grantId: request.GrantId! };
    },
    'RetireGrant',
    request,
  );
  return {};
}

export function revokeGrant(ctx: CallContext, request: S.RevokeGrantRequest): S.EmptyResponse {
  removeGrant(
    ctx,
    () => {
      if (!isGrantId(request.GrantId)) throw invalidGrantId(request.GrantId);
      return { key: ctx.resolveKey(request.KeyId, { aliases: false }), grantId: request.GrantId };
    },
    'RevokeGrant',
    request,
  );
  return {};
}
