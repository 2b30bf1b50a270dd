import { actionSupportsConditionKey } from '../catalog/conditionKeys';
import type { ContextValue, GrantConstraints } from './request';
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
const CALLER_KEYS = [
  'aws:principalarn', 'aws:principalaccount', 'aws:principaltype', 'aws:username', 'aws:userid',
  'aws:principalisawsservice', 'aws:principalservicename', 'kms:calleraccount',
];
const CALLER_KEY_PREFIXES = ['aws:principaltag/'];

/**
 * Builds the request context the way AWS does for a KMS request: keys about the caller from the signed
 * identity, keys about the key from the key, encryption context keys from the request's EncryptionContext,
 * grant keys from CreateGrant's parameters, each only for the actions the catalog says carry it. Everything
 * else comes from `request.context`. A derived key always wins over the same key in `request.context`.
 */
export function buildRequestContext(v: ValidatedRequest): RequestContext {
  const entries = new Map<string, ContextEntry>();
  const reserved = new Set<string>(CALLER_KEYS);
  const reservedPrefixes = [...CALLER_KEY_PREFIXES];
  const action = v.action.fullName;
  const set = (name: string, values: string[] | string | undefined): void => {
    if (values === undefined) return;
    const list = Array.isArray(values) ? values : [values];
    const lower = name.toLowerCase();
    const existing = entries.get(lower);
    // Two encryption context keys that differ only in case meet under one condition key: keep both values.
    if (existing) existing.values.push(...list);
    else entries.set(lower, { name, values: [...list], derived: true });
  };

  const { caller, request } = v;
  const principal = request.principal;

  // The caller (IAM User Guide, global condition keys: aws:PrincipalArn holds the role ARN for a session;
  // aws:username exists only for IAM users; aws:userid of the root user is the account ID).
  if (caller.kind === 'Service') {
    set('aws:PrincipalIsAWSService', 'true');
    set('aws:PrincipalServiceName', caller.service);
  } else {
    set('aws:PrincipalIsAWSService', 'false');
    set('aws:PrincipalArn', caller.kind === 'AssumedRole' ? caller.roleArn : caller.arn);
    set('aws:PrincipalAccount', caller.account);
    set('aws:PrincipalType', caller.kind);
    if (caller.kind === 'User') set('aws:username', caller.name);
    set('aws:userid', principal.userId ?? (caller.kind === 'Account' ? caller.account : undefined));
    if (actionSupportsConditionKey(action, 'kms:CallerAccount')) set('kms:CallerAccount', caller.account);
    for (const [tag, value] of Object.entries(principal.tags ?? {})) set(`aws:PrincipalTag/${tag}`, value);
  }

  // The key. These keys belong to the key resource type, so they exist for every action on a key; a value the
  // request does not describe is left for request.context to supply.
  if (v.action.actsOnKey) {
    const key = request.key;
    const keyValue = (name: string, value: string | readonly string[] | undefined): void => {
      if (value === undefined) return;
      reserved.add(name.toLowerCase());
      set(name, typeof value === 'string' ? value : [...value]);
    };
    keyValue('aws:ResourceAccount', v.key.account);
    keyValue('kms:KeySpec', key.keySpec);
    keyValue('kms:KeyUsage', key.keyUsage);
    keyValue('kms:KeyOrigin', key.origin);
    keyValue('kms:MultiRegion', key.multiRegion === undefined ? undefined : String(key.multiRegion));
    keyValue('kms:MultiRegionKeyType', key.multiRegionKeyType);
    keyValue('kms:ResourceAliases', key.aliases);
    if (key.tags) reservedPrefixes.push('aws:resourcetag/');
    for (const [tag, value] of Object.entries(key.tags ?? {})) set(`aws:ResourceTag/${tag}`, value);
  }

  // The encryption context. For CreateGrant the same keys describe the requested grant's constraints
  // (AWS KMS Developer Guide, kms:EncryptionContext:context-key).
  if (actionSupportsConditionKey(action, 'kms:EncryptionContextKeys')) {
    reserved.add('kms:encryptioncontextkeys');
    reservedPrefixes.push('kms:encryptioncontext:');
    const context = request.encryptionContext ?? constraintContext(request.createGrant?.Constraints);
    const keys = Object.keys(context ?? {});
    if (keys.length > 0) {
      set('kms:EncryptionContextKeys', keys);
      for (const k of keys) set(`kms:EncryptionContext:${k}`, context![k]);
    }
  }

  // CreateGrant's parameters.
  const grant = request.createGrant;
  const grantKey = (name: string, value: string | string[] | undefined): void => {
    if (!actionSupportsConditionKey(action, name)) return;
    reserved.add(name.toLowerCase());
    if (grant) set(name, value);
  };
  grantKey('kms:GrantOperations', grant ? [...grant.Operations] : undefined);
  grantKey('kms:GranteePrincipal', grant?.GranteePrincipal);
  grantKey('kms:RetiringPrincipal', grant?.RetiringPrincipal);
  const constraintTypes = Object.keys(grant?.Constraints ?? {}).filter((k) => k.startsWith('EncryptionContext'));
  grantKey('kms:GrantConstraintType', constraintTypes.length ? constraintTypes : undefined);

  if (v.requestAlias && actionSupportsConditionKey(action, 'kms:RequestAlias')) {
    reserved.add('kms:requestalias');
    set('kms:RequestAlias', v.requestAlias);
  }

  const ignored: string[] = [];
  for (const [name, value] of Object.entries(request.context ?? {})) {
    const lower = name.toLowerCase();
    if (reserved.has(lower) || reservedPrefixes.some((p) => lower.startsWith(p))) {
      ignored.push(name);
      continue;
    }
    const existing = entries.get(lower);
    if (existing) existing.values.push(...textOf(value));
    else entries.set(lower, { name, values: textOf(value), derived: false });
  }
  return { entries, ignored };
}

function constraintContext(constraints: GrantConstraints | undefined): Readonly<Record<string, string>> | undefined {
  return constraints?.EncryptionContextEquals ?? constraints?.EncryptionContextSubset;
}
