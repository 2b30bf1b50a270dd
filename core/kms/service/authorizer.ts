/**
 * Authorization of each KMS request with the core/authz evaluator: the key policy (parsed once per policy text),
 * the caller's IAM policies and the key's grants, against a request context built the way AWS builds it. A
 * denial becomes AWS's AccessDeniedException, worded as AWS words it, carrying the evaluator's explanation.
 */
import { evaluate } from '../../authz/evaluate';
import type { AuthorizationResult, Explanation } from '../../authz/explanation';
import type { AuthorizationRequest, ContextValue, CreateGrantParameters, Grant, NamedPolicy } from '../../authz/request';
import type { Policy } from '../../policy/model';
import { parsePolicy } from '../../policy/policyModel';
import { identityPoliciesOf, type Caller } from './caller';
import { partitionOf, type KeyRecord } from './keyRecord';
import { isUnchangeableRecord } from './readCache';
import { checkGrantTokens } from './grantTokens';
import { accessDenied } from './serviceErrors';
import { flatData, sameData, type FlatData } from '../flatData';

export interface AuthorizationAsk {
  /** The API operation's action without prefix: `Encrypt`, `ReEncryptFrom`. */
  action: string;
  caller: Caller;
  /** The account the request acts in: the key's for account-level actions' placeholder key. */
  account: string;
  region: string;
  now: Date;
  /** The key acted on; absent for account-level actions (CreateKey, ListKeys, ListAliases, GenerateRandom). */
  key?: KeyRecord;
  /** The alias names of the key: `kms:ResourceAliases`. */
  keyAliases?: readonly string[];
  /** The alias the caller named the key by (`kms:RequestAlias`), or the alias an alias operation acts on. */
  aliasArn?: string;
  encryptionContext?: Readonly<Record<string, string>>;
  grantTokens?: readonly string[];
  /** The operation's own condition keys: `kms:EncryptionAlgorithm`, `kms:KeySpec` of CreateKey, … */
  conditionKeys?: Readonly<Record<string, ContextValue>>;
  /** CreateGrant: the grant asked for (kms:GrantOperations, kms:GranteePrincipal, …; a grant's CreateGrant limits). */
  createGrant?: CreateGrantParameters;
  /** RetireGrant: the grant being retired, which decides who may retire it. */
  grantId?: string;
}

/** The most key policies kept parsed; a store rarely has more distinct policies than this. */
const POLICY_CACHE_SIZE = 256;
/** The most decisions kept: enough for the distinct requests of a busy second (the time is part of each). */
const DECISION_CACHE_SIZE = 1024;

/**
 * A number per object, for decision keys: an object that can never change (a policy model, which is never changed
 * once evaluated; a key record the read cache froze) is named by its identity instead of its contents.
 */
const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;
function idOf(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return id;
}

export class Authorizer {
  private readonly policies = new Map<string, Policy>();
  /**
   * Decisions by everything the evaluator reads: the request as given to it (action, principal and its tags, the
   * key and its tags and aliases, encryption context, grant tokens, the whole request context including the time
   * to the second) and the policies and grants it weighs. `evaluate` is a pure function of those, so a request
   * seen before gets the same result, explanation included, without evaluating again: an application encrypting
   * many messages with one key and one context a second pays for one evaluation. Anything that changes (a policy
   * put, a grant created or retired, a tag, the next second) makes a different key, so nothing is ever stale.
   * Only allowances of memoizable asks are kept (see memoizable), and only for a key asked about before (see
   * askedOnce).
   */
  private readonly decisions = new Map<string, AuthorizationResult>();

  /**
   * Decision keys asked about once and not kept yet. A result holds its whole evaluation (explanations are built
   * from it when read), so keeping the result of every request, where each differs (an encryption context with a
   * message ID, say), would only make every collection copy them: one decided this way cost three times its own
   * evaluation. A key takes a few hundred bytes; its result is kept the second time it is asked for.
   */
  private readonly askedOnce = new Set<string>();

  /** The text and model last asked for: a run of calls mostly uses one key. */
  private lastText: string | undefined;
  private lastPolicy: Policy | undefined;

  /** The parsed model of a key policy text, parsed once and kept while it is among the most recently used. */
  keyPolicyModel(text: string): Policy {
    // The most recently used already: nothing to move in the recency order.
    if (text === this.lastText && this.lastPolicy) return this.lastPolicy;
    let policy = this.policies.get(text);
    if (policy) {
      this.policies.delete(text);
    } else {
      policy = parsePolicy(text).policy;
      if (this.policies.size >= POLICY_CACHE_SIZE) this.policies.delete(this.policies.keys().next().value!);
    }
    this.policies.set(text, policy);
    this.lastText = text;
    this.lastPolicy = policy;
    return policy;
  }

  /** Evaluates the request; AccessDeniedException unless it is allowed. Returns the result for the audit log. */
  authorize(ask: AuthorizationAsk): AuthorizationResult {
    // A token this KMS could not have issued is refused before anything else is decided (see grantTokens.ts).
    checkGrantTokens(ask.grantTokens);
    const result = this.evaluate(ask);
    if (result.decision !== 'allowed') {
      throw accessDenied(accessDeniedMessage(ask, result.explanation), result.explanation);
    }
    return result;
  }

  evaluate(ask: AuthorizationAsk): AuthorizationResult {
    const keyPolicy = ask.key ? this.keyPolicyModel(ask.key.policy) : EMPTY_POLICY;
    const identityPolicies = identityPoliciesOf(ask.caller);
    const caller = callerPart(ask.caller);
    const kept = memoizable(ask, caller);
    // The same ask as the last one allowed: the common run of calls, answered without writing its key.
    const last = this.last;
    if (kept && last && sameAsk(last, ask, caller, keyPolicy, identityPolicies)) return last.result;
    const memo = kept ? decisionKey(ask, caller, keyPolicy, identityPolicies) : undefined;
    let result = memo !== undefined ? this.decisions.get(memo) : undefined;
    if (!result) {
      result = evaluate(authorizationRequest(ask), { keyPolicy, identityPolicies, grants: grantsOf(ask) });
      // Only allowances are kept: a denial's explanation travels on the error to the caller, who may change it.
      if (memo === undefined || result.decision !== 'allowed') return result;
      if (this.askedOnce.delete(memo)) {
        if (this.decisions.size >= DECISION_CACHE_SIZE) this.decisions.clear();
        this.decisions.set(memo, result);
      } else {
        if (this.askedOnce.size >= DECISION_CACHE_SIZE) this.askedOnce.clear();
        this.askedOnce.add(memo);
      }
    }
    this.last = askSnapshot(ask, caller, keyPolicy, identityPolicies, result);
    return result;
  }

  /** The last allowance handed out, with a copy of the ask it answered (see sameAsk). */
  private last: AskSnapshot | undefined;
}

/**
 * What an allowance was given for: the objects that never change (policy models, a frozen key record, a kept
 * caller part's JSON) by identity, the time to the second, and a flat copy (flatData.ts) of every other member
 * decisionKey writes. A copy, not the ask's own objects: a caller may change its encryption context in place
 * between two calls.
 */
interface AskSnapshot {
  readonly result: AuthorizationResult;
  readonly keyPolicy: Policy;
  /** Each identity policy's model and name, in order. */
  readonly policyParts: readonly (Policy | string)[];
  readonly key: KeyRecord | undefined;
  readonly callerJson: string;
  readonly second: number;
  readonly data: FlatData;
}

/** The members of an ask that decisionKey writes by value, but for the time. */
function askData(ask: AuthorizationAsk): object {
  return {
    action: ask.action,
    account: ask.account,
    region: ask.region,
    keyAliases: ask.keyAliases,
    aliasArn: ask.aliasArn,
    encryptionContext: ask.encryptionContext,
    grantTokens: ask.grantTokens,
    conditionKeys: ask.conditionKeys,
    grantId: ask.grantId,
  };
}

function askSnapshot(ask: AuthorizationAsk, caller: CallerPart, keyPolicy: Policy, identityPolicies: readonly NamedPolicy[], result: AuthorizationResult): AskSnapshot | undefined {
  if (ask.createGrant !== undefined) return undefined;
  const data = flatData(askData(ask));
  if (!data) return undefined;
  return {
    result,
    keyPolicy,
    policyParts: identityPolicies.flatMap((p) => [p.policy, p.name]),
    key: ask.key,
    callerJson: caller.json,
    second: Math.floor(ask.now.getTime() / 1000),
    data,
  };
}

/** Whether the ask is, member for member, the one the snapshot was taken of: decisionKey would write the same key. */
function sameAsk(last: AskSnapshot, ask: AuthorizationAsk, caller: CallerPart, keyPolicy: Policy, identityPolicies: readonly NamedPolicy[]): boolean {
  if (last.keyPolicy !== keyPolicy || last.key !== ask.key || last.callerJson !== caller.json || ask.createGrant !== undefined) return false;
  if (last.second !== Math.floor(ask.now.getTime() / 1000)) return false;
  if (last.policyParts.length !== identityPolicies.length * 2) return false;
  for (let i = 0; i < identityPolicies.length; i++) {
    if (last.policyParts[2 * i] !== identityPolicies[i]!.policy || last.policyParts[2 * i + 1] !== identityPolicies[i]!.name) return false;
  }
  return sameData(last.data, askData(ask));
}

/**
 * Whether a decision for `ask` may be kept: its key is one the read cache froze (the calls that read keys through
 * it, Encrypt, Decrypt, ReEncrypt and GenerateDataKey*, are the ones that repeat), or there is none; and every
 * value the host gave reads back from JSON as it is (no undefined member, NaN or infinity that the key would
 * write as absent or null while the evaluator refuses it).
 */
function memoizable(ask: AuthorizationAsk, caller: CallerPart): boolean {
  if (ask.key && !isUnchangeableRecord(ask.key)) return false;
  return caller.faithful && isJsonFaithful(ask.conditionKeys) && isJsonFaithful(ask.createGrant);
}

/** What a decision key says of the caller: its principal, role, user ID, tags and request context, as JSON. */
interface CallerPart {
  readonly json: string;
  /** Whether the tags and context read back from JSON as they are (see memoizable). */
  readonly faithful: boolean;
}

interface KeptCallerPart extends CallerPart {
  readonly principal: string;
  readonly roleArn: string | undefined;
  readonly userId: string | undefined;
  readonly tags: Caller['tags'];
  readonly context: Caller['context'];
}

/**
 * Caller parts kept per Caller object, while its members are the same and its tags and context are frozen through
 * (as callerFromIdentity and rootCaller make them): a host makes a Caller once and calls with it many times.
 */
const callerParts = new WeakMap<Caller, KeptCallerPart>();

function callerPart(caller: Caller): CallerPart {
  const kept = callerParts.get(caller);
  if (kept && kept.principal === caller.principal && kept.roleArn === caller.roleArn && kept.userId === caller.userId && kept.tags === caller.tags && kept.context === caller.context) {
    return kept;
  }
  const part: KeptCallerPart = {
    json: JSON.stringify([caller.principal, caller.roleArn, caller.userId, caller.tags, caller.context]),
    faithful: isJsonFaithful(caller.tags) && isJsonFaithful(caller.context),
    principal: caller.principal,
    roleArn: caller.roleArn,
    userId: caller.userId,
    tags: caller.tags,
    context: caller.context,
  };
  if (isFrozenThrough(caller.tags) && isFrozenThrough(caller.context)) callerParts.set(caller, part);
  return part;
}

function isFrozenThrough(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  for (const key in value) if (!isFrozenThrough((value as Record<string, unknown>)[key])) return false;
  return true;
}

function isJsonFaithful(value: unknown, depth = 0): boolean {
  if (value === undefined) return depth === 0;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 4) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) return value.every((item) => isJsonFaithful(item, depth + 1) && item !== undefined);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) {
    if (Object.prototype.hasOwnProperty.call(value, key) && !isJsonFaithful((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The decision cache's key: the policy models and the key record (frozen by the read cache: with its tags,
 * grants and policy it can never change) by identity, and by value every other member of the ask that
 * authorizationRequest, requestContext and grantsOf read, in one fixed order (JSON keeps strings, numbers,
 * booleans and lists apart; members that are undefined are absent to both). The time counts to the second, as
 * requestContext's does. A member added to those functions must be added here.
 */
function decisionKey(ask: AuthorizationAsk, callerPart: CallerPart, keyPolicy: Policy, identityPolicies: readonly NamedPolicy[]): string {
  let policies = String(idOf(keyPolicy));
  for (const p of identityPolicies) policies += ` ${idOf(p.policy)}:${JSON.stringify(p.name)}`;
  const { key } = ask;
  return `${policies}\n${key ? `#${idOf(key)}` : '-'}\n${callerPart.json}\n${JSON.stringify([
    ask.action,
    ask.account,
    ask.region,
    Math.floor(ask.now.getTime() / 1000),
    ask.keyAliases,
    ask.aliasArn,
    ask.encryptionContext,
    ask.grantTokens,
    ask.conditionKeys,
    ask.createGrant,
    ask.grantId,
  ])}`;
}

/** What the evaluator is asked: the request as core/authz takes it. */
function authorizationRequest(ask: AuthorizationAsk): AuthorizationRequest {
  const account = ask.key?.account ?? ask.account;
  const key = ask.key
    ? {
        arn: ask.key.arn,
        keySpec: ask.key.keySpec,
        keyUsage: ask.key.keyUsage,
        origin: ask.key.origin,
        multiRegion: ask.key.multiRegion,
        ...(ask.key.multiRegionConfiguration ? { multiRegionKeyType: ask.key.multiRegionConfiguration.MultiRegionKeyType } : {}),
        aliases: ask.keyAliases ?? [],
        tags: Object.fromEntries(ask.key.tags.map((t) => [t.TagKey, t.TagValue])),
      }
    : // Account-level actions are authorized on "*" by IAM policies alone; the evaluator still wants a key ARN.
      { arn: `arn:${partitionOf(ask.region)}:kms:${ask.region}:${account}:key/*` };
  return {
    action: `kms:${ask.action}`,
    principal: {
      arn: ask.caller.principal,
      ...(ask.caller.roleArn ? { roleArn: ask.caller.roleArn } : {}),
      ...(ask.caller.userId ? { userId: ask.caller.userId } : {}),
      ...(ask.caller.tags ? { tags: ask.caller.tags } : {}),
    },
    key,
    ...(ask.encryptionContext ? { encryptionContext: ask.encryptionContext } : {}),
    ...(ask.grantTokens ? { grantTokens: ask.grantTokens } : {}),
    ...(ask.aliasArn ? { resourceArn: ask.aliasArn } : {}),
    ...(ask.createGrant ? { createGrant: ask.createGrant } : {}),
    ...(ask.grantId ? { grantId: ask.grantId } : {}),
    context: requestContext(ask),
  };
}

/**
 * The key's grants as the evaluator takes them. They are read from the record on every call: a grant is effective
 * the moment it is stored, and a retired or revoked one stops working at once (this KMS has no eventual
 * consistency).
 */
function grantsOf(ask: AuthorizationAsk): Grant[] {
  return (ask.key?.grants ?? []).map((g) => ({
    GrantId: g.GrantId,
    KeyId: ask.key!.arn,
    GranteePrincipal: g.GranteePrincipal,
    Operations: g.Operations,
    IssuingAccount: g.IssuingAccount,
    CreationDate: g.CreationDate,
    ...(g.Name ? { Name: g.Name } : {}),
    ...(g.RetiringPrincipal ? { RetiringPrincipal: g.RetiringPrincipal } : {}),
    ...(g.Constraints ? { Constraints: g.Constraints } : {}),
  }));
}

const EMPTY_POLICY: Policy = parsePolicy('{"Version":"2012-10-17","Statement":[]}').policy;

/** aws:CurrentTime and aws:EpochTime of the second last asked about: calls come many to a second. */
let lastSecond = Number.NaN;
let lastTimes = { current: '', epoch: '' };

function timeKeys(now: Date): { current: string; epoch: string } {
  const second = Math.floor(now.getTime() / 1000);
  // An invalid date is NaN, never equal: it goes on to toISOString, which throws for it as before.
  if (second !== lastSecond) {
    lastTimes = { current: now.toISOString().replace(/\.\d{3}Z$/, 'Z'), epoch: String(second) };
    lastSecond = second;
  }
  return lastTimes;
}

/** The global condition keys AWS supplies from the connection and the clock, then the operation's own. */
function requestContext(ask: AuthorizationAsk): Record<string, ContextValue> {
  const c = ask.caller.context ?? {};
  const times = timeKeys(ask.now);
  const context: Record<string, ContextValue> = {
    'aws:CurrentTime': times.current,
    'aws:EpochTime': times.epoch,
    'aws:RequestedRegion': ask.region,
    // AWS KMS answers only over TLS; a host serving plain HTTP says so.
    'aws:SecureTransport': c.secureTransport ?? true,
  };
  // Absent, not false, for requests signed with long-term access keys (IAM User Guide, global condition keys).
  if (c.multiFactorAuthPresent !== undefined) context['aws:MultiFactorAuthPresent'] = c.multiFactorAuthPresent;
  if (c.sourceIp !== undefined) context['aws:SourceIp'] = c.sourceIp;
  if (c.userAgent !== undefined) context['aws:UserAgent'] = c.userAgent;
  if (c.viaService !== undefined) context['kms:ViaService'] = c.viaService;
  if (c.sourceVpc !== undefined) context['aws:SourceVpc'] = c.sourceVpc;
  if (c.sourceVpce !== undefined) context['aws:SourceVpce'] = c.sourceVpce;
  if (c.principalOrgId !== undefined) context['aws:PrincipalOrgID'] = c.principalOrgId;
  Object.assign(context, c.conditionKeys ?? {}, ask.conditionKeys ?? {});
  return context;
}

/**
 * AWS's wording of an AccessDeniedException (IAM User Guide, "Access denied error messages"): who, which action,
 * on which resource, and which kind of policy failed to allow it or denied it explicitly. The resource is the
 * alias when the alias half of an alias operation was refused, `*` for account-level actions.
 */
export function accessDeniedMessage(ask: AuthorizationAsk, explanation: Explanation): string {
  const action = `kms:${ask.action}`;
  const resource = explanation.code === 'AliasNotAllowed' && ask.aliasArn ? ask.aliasArn : ask.key ? ask.key.arn : '*';
  const who = `User: ${ask.caller.principal} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (explanation.code) {
    case 'ExplicitDeny':
      return `${who} with an explicit deny in ${explanation.deciding[0]?.source.kind === 'keyPolicy' ? 'a resource-based policy' : 'an identity-based policy'}`;
    case 'NoIamPolicyAllows':
    case 'CrossAccountNoIamPolicyAllows':
    case 'AliasNotAllowed':
      return `${who} because no identity-based policy allows the ${action} action`;
    default:
      return `${who} because no resource-based policy allows the ${action} action`;
  }
}
