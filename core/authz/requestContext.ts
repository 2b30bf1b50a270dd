import { actionSupportsConditionKey } from '../catalog/conditionKeys';
import type { ContextValue, CreateGrantParameters, GrantConstraints } from './request';
import type { KmsAction } from '../catalog/actions';
import type { ValidatedRequest } from './validateRequest';

/** One condition key in the request context. */
export interface ContextEntry {
  /** The key as AWS spells it (`aws:PrincipalArn`, `kms:EncryptionContext:Department`). */
  name: string;
  values: string[];
  /** Whether the evaluator derived it from the request rather than taking it from `request.context`. */
  derived: boolean;
}

/** The request context: condition key names are case-insensitive, so entries are looked up lowercased. */
export interface RequestContext {
  readonly entries: ReadonlyMap<string, ContextEntry>;
  /** Keys given in `request.context` that the evaluator derives itself, so were not taken. */
  readonly ignored: readonly string[];
}

export function contextValues(context: RequestContext, key: string): string[] | undefined {
  return context.entries.get(key.toLowerCase())?.values;
}

function textOf(value: ContextValue): string[] {
  if (Array.isArray(value)) return [...(value as readonly string[])];
  return [String(value)];
}

/** Keys AWS itself supplies from the authenticated caller; a request can never set them (global condition keys). */
const CALLER_KEYS: ReadonlySet<string> = new Set([
  'aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:username', 'aws:userid',
  'aws:principalisawsservice', 'aws:principalservicename', 'kms:calleraccount',
]);
const CALLER_KEY_PREFIXES = ['aws:principaltag/'];

/** The condition keys derived below that only some actions carry. */
const ACTION_KEYS = [
  'kms:CallerAccount', 'kms:EncryptionContextKeys', 'kms:GrantOperations', 'kms:GranteePrincipal',
  'kms:RetiringPrincipal', 'kms:GrantConstraintType', 'kms:RequestAlias',
] as const;
type ActionKey = (typeof ACTION_KEYS)[number];

/**
 * Which of ACTION_KEYS each action carries, asked of the catalog once per action. Keyed by the catalog's own
 * action objects, so it holds at most one entry per KMS action.
 */
const keysOfAction = new WeakMap<KmsAction, ReadonlySet<ActionKey>>();

function actionKeys(action: KmsAction): ReadonlySet<ActionKey> {
  let keys = keysOfAction.get(action);
  if (!keys) {
    keys = new Set(ACTION_KEYS.filter((k) => actionSupportsConditionKey(action.fullName, k)));
    keysOfAction.set(action, keys);
  }
  return keys;
}

/** A condition key as AWS spells it, and lowercased, as the context is keyed. */
interface KeyName {
  name: string;
  lower: string;
}

function named(name: string): KeyName {
  return { name, lower: name.toLowerCase() };
}

/** The derived keys, lowercased once rather than on every request. */
const K = {
  principalIsAWSService: named('aws:PrincipalIsAWSService'),
  principalServiceName: named('aws:PrincipalServiceName'),
  principalArn: named('aws:PrincipalArn'),
  principalAccount: named('aws:PrincipalAccount'),
  principalType: named('aws:PrincipalType'),
  username: named('aws:username'),
  userid: named('aws:userid'),
  callerAccount: named('kms:CallerAccount'),
  resourceAccount: named('aws:ResourceAccount'),
  keySpec: named('kms:KeySpec'),
  keyUsage: named('kms:KeyUsage'),
  keyOrigin: named('kms:KeyOrigin'),
  multiRegion: named('kms:MultiRegion'),
  multiRegionKeyType: named('kms:MultiRegionKeyType'),
  resourceAliases: named('kms:ResourceAliases'),
  encryptionContextKeys: named('kms:EncryptionContextKeys'),
  requestAlias: named('kms:RequestAlias'),
};

/** The keys that describe a requested grant, for the actions that carry them (CreateGrant). */
const GRANT_KEYS = (['kms:GrantOperations', 'kms:GranteePrincipal', 'kms:RetiringPrincipal', 'kms:GrantConstraintType'] as const).map(
  (name) => ({ name, lower: name.toLowerCase() }),
);

function grantValue(name: (typeof GRANT_KEYS)[number]['name'], grant: CreateGrantParameters): readonly string[] | string | undefined {
  switch (name) {
    case 'kms:GrantOperations':
      return grant.Operations;
    case 'kms:GranteePrincipal':
      return grant.GranteePrincipal;
    case 'kms:RetiringPrincipal':
      return grant.RetiringPrincipal;
    case 'kms:GrantConstraintType': {
      const types = Object.keys(grant.Constraints ?? {}).filter((k) => k.startsWith('EncryptionContext'));
      return types.length ? types : undefined;
    }
  }
}

/**
 * Builds the request context the way AWS does for a KMS request: keys about the caller from the signed
 * identity, keys about the key from the key, encryption context keys from the request's EncryptionContext,
 * grant keys from CreateGrant's parameters, each only for the actions the catalog says carry it. Everything
 * else comes from `request.context`. A derived key always wins over the same key in `request.context`.
 */
export function buildRequestContext(v: ValidatedRequest): RequestContext {
  const entries = new Map<string, ContextEntry>();
  // Derived keys a request's context cannot set, besides the caller keys; lowercased.
  const reserved: string[] = [];
  const reservedPrefixes = CALLER_KEY_PREFIXES.slice();
  const carries = actionKeys(v.action);
  const { caller, request } = v;
  const principal = request.principal;

  // The caller (IAM User Guide, global condition keys: aws:PrincipalArn holds the role ARN for a session;
  // aws:username exists only for IAM users; aws:userid of the root user is the account ID).
  if (caller.kind === 'Service') {
    add(entries, K.principalIsAWSService, 'true');
    add(entries, K.principalServiceName, caller.service);
  } else {
    add(entries, K.principalIsAWSService, 'false');
    add(entries, K.principalArn, caller.kind === 'AssumedRole' ? caller.roleArn : caller.arn);
    add(entries, K.principalAccount, caller.account);
    add(entries, K.principalType, caller.kind);
    if (caller.kind === 'User') add(entries, K.username, caller.name);
    add(entries, K.userid, principal.userId ?? (caller.kind === 'Account' ? caller.account : undefined));
    if (carries.has('kms:CallerAccount')) add(entries, K.callerAccount, caller.account);
    const tags = principal.tags;
    if (tags) for (const tag of Object.keys(tags)) add(entries, named(`aws:PrincipalTag/${tag}`), tags[tag]);
  }

  // The key. These keys belong to the key resource type, so they exist for every action on a key; a value the
  // request does not describe is left for request.context to supply.
  if (v.action.actsOnKey) {
    const key = request.key;
    const keyValue = (k: KeyName, value: string | readonly string[] | undefined): void => {
      if (value === undefined) return;
      reserved.push(k.lower);
      add(entries, k, value);
    };
    keyValue(K.resourceAccount, v.key.account);
    keyValue(K.keySpec, key.keySpec);
    keyValue(K.keyUsage, key.keyUsage);
    keyValue(K.keyOrigin, key.origin);
    keyValue(K.multiRegion, key.multiRegion === undefined ? undefined : String(key.multiRegion));
    keyValue(K.multiRegionKeyType, key.multiRegionKeyType);
    keyValue(K.resourceAliases, key.aliases);
    const tags = key.tags;
    if (tags) {
      reservedPrefixes.push('aws:resourcetag/');
      for (const tag of Object.keys(tags)) add(entries, named(`aws:ResourceTag/${tag}`), tags[tag]);
    }
  }

  // The encryption context. For CreateGrant the same keys describe the requested grant's constraints
  // (AWS KMS Developer Guide, kms:EncryptionContext:context-key).
  if (carries.has('kms:EncryptionContextKeys')) {
    reserved.push(K.encryptionContextKeys.lower);
    reservedPrefixes.push('kms:encryptioncontext:');
    const context = request.encryptionContext ?? constraintContext(request.createGrant?.Constraints);
    const keys = context ? Object.keys(context) : [];
    if (keys.length > 0) {
      add(entries, K.encryptionContextKeys, keys);
      for (const k of keys) add(entries, named(`kms:EncryptionContext:${k}`), context![k]);
    }
  }

  // CreateGrant's parameters, for the actions that carry them.
  const grant = request.createGrant;
  for (const k of GRANT_KEYS) {
    if (!carries.has(k.name)) continue;
    reserved.push(k.lower);
    if (grant) add(entries, k, grantValue(k.name, grant));
  }

  if (v.requestAlias && carries.has('kms:RequestAlias')) {
    reserved.push(K.requestAlias.lower);
    add(entries, K.requestAlias, v.requestAlias);
  }

  const ignored: string[] = [];
  const given = request.context;
  if (given) {
    for (const name of Object.keys(given)) {
      const lower = name.toLowerCase();
      if (CALLER_KEYS.has(lower) || reserved.includes(lower) || reservedPrefixes.some((p) => lower.startsWith(p))) {
        ignored.push(name);
        continue;
      }
      const value = given[name]!;
      const existing = entries.get(lower);
      if (existing) existing.values.push(...textOf(value));
      else entries.set(lower, { name, values: textOf(value), derived: false });
    }
  }
  return { entries, ignored };
}

/** Sets a derived key, or adds to it: two encryption context keys that differ only in case meet under one key. */
function add(entries: Map<string, ContextEntry>, key: KeyName, values: readonly string[] | string | undefined): void {
  if (values === undefined) return;
  const existing = entries.get(key.lower);
  if (existing) {
    if (typeof values === 'string') existing.values.push(values);
    else existing.values.push(...values);
  } else entries.set(key.lower, { name: key.name, values: typeof values === 'string' ? [values] : [...values], derived: true });
}

function constraintContext(constraints: GrantConstraints | undefined): Readonly<Record<string, string>> | undefined {
  return constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset;
}
