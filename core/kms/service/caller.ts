/**
 * Who is calling the KMS: the principal the request is signed as, its IAM policies and tags, and what AWS
 * knows about the connection (source IP, TLS, the service calling on the principal's behalf). The KMS takes
 * a Caller with every request; the wire endpoint builds it from the SigV4-authenticated identity, the CLI and
 * VS Code from identities.json or the default root user.
 */
import type { ContextValue, NamedPolicy } from '../../authz/request';
import { lastSegment, parseArn, resolveCaller, type CallerIdentity } from '../../authz/arn';
import type { Policy } from '../../policy/model';
import { parsePolicy } from '../../policy/policyModel';
import type { Identity } from '../store/identities';

/** The account the KMS serves when nothing else says: the account of AWS's documentation examples. */
export const DEFAULT_ACCOUNT = '111122223333';

export interface CallerContext {
  /** `aws:SourceIp`. */
  sourceIp?: string;
  userAgent?: string;
  /** `aws:SecureTransport`: whether the request came over TLS. */
  secureTransport?: boolean;
  /** `kms:ViaService`: the service calling KMS on the principal's behalf, e.g. `s3.us-east-1.amazonaws.com`. */
  viaService?: string;
  sourceVpc?: string;
  sourceVpce?: string;
  principalOrgId?: string;
  multiFactorAuthPresent?: boolean;
  /** Any other condition key, spelled as AWS spells it (`aws:PrincipalOrgPaths`, ...). */
  conditionKeys?: Readonly<Record<string, ContextValue>>;
}

/** An IAM policy of the caller: a document (JSON text or object) with a name, or an already parsed model. */
export type CallerPolicy = { name: string; document: string | object } | NamedPolicy;

export interface Caller {
  /** An IAM user, an assumed-role session, an account root user, or a service principal (`s3.amazonaws.com`). */
  principal: string;
  /** For a session of a role with a path: the role's full ARN. */
  roleArn?: string;
  userId?: string;
  /** The access key the request was signed with, for the audit log. */
  accessKeyId?: string;
  policies?: readonly CallerPolicy[];
  tags?: Readonly<Record<string, string>>;
  context?: CallerContext;
}

/** The root user of `account`: what a KMS without identities acts as. */
export function rootCaller(account: string = DEFAULT_ACCOUNT, context?: CallerContext): Caller {
  return { principal: `arn:aws:iam::${account}:root`, ...(context ? { context: frozenContext(context) } : {}) };
}

/**
 * A frozen copy of a request context: the Callers made here keep contexts no one can change afterwards, which lets
 * the KMS keep what it works out from them per Caller (see the Authorizer's decision keys).
 */
export function frozenContext(context: CallerContext): CallerContext {
  const copy: CallerContext = { ...context };
  if (context.conditionKeys) {
    copy.conditionKeys = Object.freeze(
      Object.fromEntries(Object.entries(context.conditionKeys).map(([key, value]) => [key, Array.isArray(value) ? Object.freeze([...value]) : value])),
    );
  }
  return Object.freeze(copy);
}

/** The session name of a role's requests when identities.json names the role itself. */
export const ROLE_SESSION_NAME = 'kms-studio';

/**
 * A Caller for an identities.json entry. Its policies are named after their place in the file
 * (`policies[0]`), so an explanation that names one points back at it. A role cannot sign a request, only a
 * session of it can (IAM User Guide, roles), so an entry naming a role calls as the session
 * `arn:aws:sts::<account>:assumed-role/<role>/kms-studio`, with the role's ARN (and its path) kept beside it.
 */
export function callerFromIdentity(identity: Identity, context?: CallerContext): Caller {
  const arn = parseArn(identity.principal);
  const isRole = arn?.service === 'iam' && arn.resource.startsWith('role/');
  const principal = isRole ? `arn:${arn.partition}:sts::${arn.account}:assumed-role/${lastSegment(arn.resource)}/${ROLE_SESSION_NAME}` : identity.principal;
  return {
    principal,
    ...(isRole ? { roleArn: identity.principal } : {}),
    accessKeyId: identity.accessKeyId,
    policies: identity.policies.map((document, i) => ({ name: `policies[${i}]`, document })),
    tags: Object.freeze({ ...identity.tags }),
    ...(context ? { context: frozenContext(context) } : {}),
  };
}

/**
 * Identities resolved per Caller object: a host builds a Caller once and calls with it many times. Each entry
 * remembers the principal and role ARN it was resolved from, so a Caller whose fields were changed since is
 * resolved again rather than answered from the cache.
 */
const resolvedIdentities = new WeakMap<Caller, { principal: string; roleArn: string | undefined; identity: CallerIdentity }>();

/**
 * The caller's identity as the evaluator resolves it; TypeError when the principal is not one. The identity is
 * shared by the calls of one Caller and frozen: read it, never change it.
 */
export function callerIdentityOf(caller: Caller): CallerIdentity {
  if (!caller || typeof caller !== 'object' || typeof caller.principal !== 'string') throw new TypeError('a Caller needs a principal');
  const cached = resolvedIdentities.get(caller);
  if (cached && cached.principal === caller.principal && cached.roleArn === caller.roleArn) return cached.identity;
  const resolved = resolveCaller(caller.principal, caller.roleArn);
  if (typeof resolved === 'string') throw new TypeError(`Caller: ${resolved}`);
  resolvedIdentities.set(caller, { principal: caller.principal, roleArn: caller.roleArn, identity: Object.freeze(resolved) });
  return resolved;
}

function isModel(policy: CallerPolicy): policy is NamedPolicy {
  return 'policy' in policy && typeof policy.policy === 'object' && policy.policy !== null && Array.isArray((policy.policy as Policy).statements);
}

/**
 * Policy models of the caller's IAM policies, parsed once per policies list: a Caller built once and used for
 * many requests pays for parsing once.
 */
const parsedPolicies = new WeakMap<readonly CallerPolicy[], NamedPolicy[]>();

export function identityPoliciesOf(caller: Caller): NamedPolicy[] {
  const policies = caller.policies;
  if (!policies || policies.length === 0) return [];
  let parsed = parsedPolicies.get(policies);
  if (!parsed) {
    parsed = policies.map((p) => {
      if (isModel(p)) return p;
      const text = typeof p.document === 'string' ? p.document : JSON.stringify(p.document);
      return { name: p.name, policy: parsePolicy(text).policy };
    });
    parsedPolicies.set(policies, parsed);
  }
  return parsed;
}

/** The Caller of the identities.json entry that owns `accessKeyId`, as the wire endpoint finds a signer; or undefined. */
export function callerForAccessKey(identities: readonly Identity[], accessKeyId: string, context?: CallerContext): Caller | undefined {
  const identity = identities.find((i) => i.accessKeyId === accessKeyId);
  return identity ? callerFromIdentity(identity, context) : undefined;
}
