import type { CallerIdentity } from './arn';
import type { GrantEvaluation } from './explanation';
import { accountOfPrincipalValue, namesCaller } from './principalMatcher';
import type { CreateGrantParameters, Grant, GrantConstraints } from './request';
import type { ValidatedRequest } from './validateRequest';

/**
 * Grants only allow, never deny (AWS KMS Developer Guide, grants). A grant needs no IAM policy, even for a
 * grantee in another account: the external account's principals can use a key through "IAM policies … or
 * grants" (AWS KMS Developer Guide, allowing users in other accounts to use a KMS key, step 2).
 */
export function analyzeGrants(grants: readonly Grant[], v: ValidatedRequest): GrantEvaluation[] {
  return grants.map((grant, index) => {
    const base = { grantId: grant.GrantId, ...(grant.Name ? { name: grant.Name } : {}), index };
    const refusal = whyNot(grant, v);
    if (!refusal) return { ...base, allows: true, note: allowNote(grant, v) };
    const isRetired = v.action.name === 'RetireGrant' && isForKey(grant, v) && retires(grant, v);
    const retiringAccount = isRetired ? retiringAccountOf(grant, v.caller) : undefined;
    if (!retiringAccount) return { ...base, allows: false, note: refusal };
    const note = `${refusal}; its retiring principal is account ${retiringAccount}, whose IAM policies can let ${v.caller.arn} retire it`;
    return { ...base, allows: false, note, retiringAccount };
  });
}

/** Whether the request retires this grant: it names this grant, or names none. */
function retires(grant: Grant, v: ValidatedRequest): boolean {
  return v.request.grantId === undefined || v.request.grantId === grant.GrantId;
}

/**
 * The caller's account when the grant's retiring principal is that account (`arn:aws:iam::<account>:root` or the
 * bare ID): the account's administrators can then delegate retiring to its IAM principals (AWS KMS Developer
 * Guide, retiring and revoking grants).
 */
function retiringAccountOf(grant: Grant, caller: CallerIdentity): string | undefined {
  const account = grant.RetiringPrincipal ? accountOfPrincipalValue(grant.RetiringPrincipal, caller.partition) : undefined;
  return account !== undefined && account === caller.account ? account : undefined;
}

/** A grantee or retiring principal names the caller: its ARN, its role for a session, or its service. */
export function principalNamesCaller(principal: string | undefined, caller: CallerIdentity): boolean {
  if (!principal) return false;
  if (caller.kind === 'Service') return principal === caller.service;
  return namesCaller(principal, caller);
}

function isForKey(grant: Grant, v: ValidatedRequest): boolean {
  return grant.KeyId === v.key.arn || grant.KeyId === v.key.keyId;
}

function whyNot(grant: Grant, v: ValidatedRequest): string | undefined {
  const { action, caller, request } = v;
  if (!isForKey(grant, v)) return `it is for ${grant.KeyId}, not this key`;
  if (!action.grantOperation) return `${action.fullName} cannot be allowed by a grant`;

  if (action.name === 'RetireGrant') {
    // The retiring principal may retire the grant; the grantee may when the grant allows RetireGrant
    // (AWS KMS Developer Guide, retiring and revoking grants).
    if (!retires(grant, v)) return 'the request retires a different grant';
    if (principalNamesCaller(grant.RetiringPrincipal, caller)) return undefined;
    if (!principalNamesCaller(grant.GranteePrincipal, caller)) return `neither its grantee nor its retiring principal is ${caller.arn}`;
    return grant.Operations.includes('RetireGrant') ? undefined : 'its operations do not include RetireGrant';
  }

  if (!principalNamesCaller(grant.GranteePrincipal, caller)) return `its grantee is ${grant.GranteePrincipal}, not ${caller.arn}`;
  // Operation names are exact: a GenerateDataKey grant does not allow GenerateDataKeyWithoutPlaintext.
  if (!grant.Operations.includes(action.name)) return `its operations (${grant.Operations.join(', ')}) do not include ${action.name}`;

  if (constraintsApply(v)) {
    const unmet = unmetConstraint(grant.Constraints, request.encryptionContext ?? {});
    if (unmet) return unmet;
  }
  if (action.name === 'CreateGrant') return narrowerGrantProblem(grant, request.createGrant);
  return undefined;
}

/**
 * Grant constraints apply only to operations that take an encryption context, which are the cryptographic
 * operations with a symmetric encryption key: not DescribeKey or RetireGrant, and not Encrypt or Decrypt with an
 * asymmetric key (API reference, GrantConstraints). A key whose spec is not given is taken to be symmetric, the
 * default.
 */
function constraintsApply(v: ValidatedRequest): boolean {
  const spec = v.request.key.keySpec;
  return v.action.takesEncryptionContext && (spec === undefined || spec === 'SYMMETRIC_DEFAULT');
}

function allowNote(grant: Grant, v: ValidatedRequest): string {
  if (v.action.name === 'RetireGrant' && principalNamesCaller(grant.RetiringPrincipal, v.caller)) {
    return `${v.caller.arn} is its retiring principal`;
  }
  const constrained = grant.Constraints && Object.keys(grant.Constraints).length > 0;
  if (constrained && !constraintsApply(v)) {
    const why = v.action.takesEncryptionContext ? `a ${v.request.key.keySpec} key takes no encryption context` : 'an operation without an encryption context';
    return `it allows ${v.action.name}; its encryption context constraints do not apply to ${why}`;
  }
  return `it allows ${v.action.name} to ${grant.GranteePrincipal}`;
}

/** Encryption context with keys folded to lower case: in a grant constraint the key is not case-sensitive. */
function folded(context: Readonly<Record<string, string>>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [k, value] of Object.entries(context)) {
    const list = map.get(k.toLowerCase()) ?? [];
    list.push(value);
    map.set(k.toLowerCase(), list);
  }
  return map;
}

/** Whether `context` holds every pair of `required` (keys case-insensitive, values case-sensitive). */
function includesPairs(context: Readonly<Record<string, string>>, required: Readonly<Record<string, string>>): boolean {
  const have = folded(context);
  return Object.entries(required).every(([k, value]) => have.get(k.toLowerCase())?.includes(value) ?? false);
}

function sameContext(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return folded(a).size === folded(b).size && includesPairs(a, b) && includesPairs(b, a);
}

/** API reference, GrantConstraints: EncryptionContextEquals needs exactly these pairs, Subset at least these. */
function unmetConstraint(constraints: GrantConstraints | undefined, context: Readonly<Record<string, string>>): string | undefined {
  const equals = constraints?.EncryptionContextEquals;
  const subset = constraints?.EncryptionContextSubset;
  if (equals && !sameContext(context, equals)) {
    return `its EncryptionContextEquals constraint ${JSON.stringify(equals)} does not equal the request's encryption context ${JSON.stringify(context)}`;
  }
  if (subset && !includesPairs(context, subset)) {
    return `the request's encryption context ${JSON.stringify(context)} does not include its EncryptionContextSubset constraint ${JSON.stringify(subset)}`;
  }
  return undefined;
}

/**
 * A grant that allows CreateGrant lets the grantee create only grants that are as restrictive or more: a subset
 * of its operations, and constraints at least as strict (AWS KMS Developer Guide, granting CreateGrant
 * permission: a child may add pairs to a Subset constraint or turn it into Equals, never the reverse).
 */
function narrowerGrantProblem(parent: Grant, child: CreateGrantParameters | undefined): string | undefined {
  if (!child) return 'the requested grant is not described, so it cannot be checked to be no wider than this grant';
  const extra = child.Operations.filter((op) => !parent.Operations.includes(op));
  if (extra.length) return `the requested grant adds operations this grant does not have: ${extra.join(', ')}`;
  const parentEquals = parent.Constraints?.EncryptionContextEquals;
  const parentSubset = parent.Constraints?.EncryptionContextSubset;
  const childEquals = child.Constraints?.EncryptionContextEquals;
  const childSubset = child.Constraints?.EncryptionContextSubset;
  if (parentEquals && !(childEquals && sameContext(childEquals, parentEquals))) {
    return 'the requested grant does not keep this grant\'s EncryptionContextEquals constraint';
  }
  if (parentSubset) {
    const strictEnough = (childEquals && includesPairs(childEquals, parentSubset)) || (childSubset && includesPairs(childSubset, parentSubset));
    if (!strictEnough) return 'the requested grant\'s constraints are less strict than this grant\'s EncryptionContextSubset';
  }
  return undefined;
}
