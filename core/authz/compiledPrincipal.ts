import type { Statement } from '../policy/model';
import { ACCOUNT_ID, lastSegment, parseArn, type CallerIdentity } from './arn';
import { excludedBy, type PrincipalMatchLevel } from './principalMatcher';

/**
 * A statement's Principal read once, so that a request costs a few string comparisons per value instead of a
 * regular expression and an ARN split (principalMatcher reads the text again on every request, and builds the
 * explanation; this only decides, and must decide exactly as it does).
 */
export type CompiledPrincipal =
  | { kind: 'principal'; values: PrincipalValue[] }
  | { kind: 'notPrincipal'; statement: Statement }
  | { kind: 'none' };

/** One string value of a Principal, with what levelOf in principalMatcher would parse out of it. */
interface PrincipalValue {
  type: string;
  value: string;
  /** `*` as an `AWS` or bare principal: names every caller. */
  everyone: boolean;
  /** A bare 12-digit account ID: names that account in any partition. */
  bareAccount?: string;
  /** An account principal ARN (`arn:<partition>:iam::<account>:root`): names the account in its partition. */
  root?: { partition: string; account: string };
  /** An IAM role ARN: names every session of the role. */
  role?: { partition: string; account: string; name: string };
}

function compileValue(type: string, value: string): PrincipalValue {
  const compiled: PrincipalValue = { type, value, everyone: value === '*' && (type === '*' || type === 'AWS') };
  if (ACCOUNT_ID.test(value)) {
    compiled.bareAccount = value;
    return compiled;
  }
  const arn = parseArn(value);
  if (arn?.service === 'iam' && arn.resource === 'root') compiled.root = { partition: arn.partition, account: arn.account };
  if (arn?.service === 'iam' && arn.resource.startsWith('role/')) {
    compiled.role = { partition: arn.partition, account: arn.account, name: lastSegment(arn.resource) };
  }
  return compiled;
}

export function compilePrincipal(statement: Statement): CompiledPrincipal {
  if (statement.principal) {
    const values: PrincipalValue[] = [];
    for (const entry of statement.principal.entries) {
      for (const v of entry.values) if (v.jsonType === 'string') values.push(compileValue(entry.type, v.value));
    }
    return { kind: 'principal', values };
  }
  // NotPrincipal is rare and its rule involves several identities at once: it is read the straightforward way.
  if (statement.notPrincipal) return { kind: 'notPrincipal', statement };
  return { kind: 'none' };
}

/** levelOf in principalMatcher, on a compiled value. */
function levelOf(p: PrincipalValue, caller: CallerIdentity): PrincipalMatchLevel | undefined {
  if (p.everyone) return 'caller';
  if (p.type === 'Service') return caller.kind === 'Service' && p.value === caller.service ? 'caller' : undefined;
  if (p.type !== 'AWS' || caller.kind === 'Service') return undefined;
  // accountOfPrincipalValue: an account root ARN counts only in the caller's partition (when it has one).
  const root = p.root;
  const account = p.bareAccount ?? (root && (!caller.partition || root.partition === caller.partition) ? root.account : undefined);
  if (account !== undefined) {
    if (account !== caller.account) return undefined;
    return caller.kind === 'Account' ? 'caller' : 'account';
  }
  // namesCaller: the caller's own ARN, or the role of a session.
  if (p.value === caller.arn) return 'caller';
  const role = p.role;
  return caller.kind === 'AssumedRole' && role !== undefined && role.partition === caller.partition &&
    role.account === caller.account && role.name === caller.name
    ? 'caller'
    : undefined;
}

/**
 * How the principal covers the caller, or undefined when it does not: matchPrincipal's `level` when it matches
 * (a statement with neither Principal nor NotPrincipal matches no one).
 */
export function principalLevel(principal: CompiledPrincipal, caller: CallerIdentity): PrincipalMatchLevel | undefined {
  if (principal.kind === 'principal') {
    let found: PrincipalMatchLevel | undefined;
    for (const value of principal.values) {
      const level = levelOf(value, caller);
      if (level === 'caller') return level;
      found ??= level;
    }
    return found;
  }
  if (principal.kind === 'notPrincipal') return excludedBy(principal.statement.notPrincipal!, caller) ? undefined : 'caller';
  return undefined;
}
