import type { Located, PrincipalElement, Statement } from '../policy/model';
import { ACCOUNT_ID, lastSegment, parseArn, type CallerIdentity } from './arn';
import type { ElementExplain } from './elementExplain';

/**
 * How a statement's principal covers the caller:
 * - `caller`: it names the caller itself (its ARN, its role for a session, `*`, its service, or, for the root
 *   user, its account);
 * - `account`: it names the caller's account. In a key policy an Allow at this level gives nothing by itself:
 *   it lets the account's IAM policies allow (AWS KMS Developer Guide, default key policy: "Allows access to
 *   the AWS account and enables IAM policies"). A Deny at this level applies to every principal of the account.
 */
export type PrincipalMatchLevel = 'caller' | 'account';

export interface PrincipalMatch {
  matches: boolean;
  level?: PrincipalMatchLevel;
  explain: ElementExplain;
}

/** The account a principal value names (`111122223333` or `arn:aws:iam::111122223333:root`), or undefined. */
export function accountOfPrincipalValue(value: string, partition?: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  const arn = parseArn(value);
  if (arn && arn.service === 'iam' && arn.resource === 'root' && (!partition || arn.partition === partition)) return arn.account;
  return undefined;
}

/**
 * Whether one `AWS` principal value (or a grant's grantee) names the caller itself, not merely its account.
 */
export function namesCaller(value: string, caller: CallerIdentity): boolean {
  if (value === caller.arn) return caller.kind !== 'Service';
  if (caller.kind !== 'AssumedRole') return false;
  // A role ARN covers every session of the role. Role names are unique in an account whatever their path,
  // and the session ARN does not carry the path, so the account and the name decide.
  const arn = parseArn(value);
  return (
    !!arn && arn.service === 'iam' && arn.partition === caller.partition && arn.account === caller.account &&
    arn.resource.startsWith('role/') && lastSegment(arn.resource) === caller.name
  );
}

function levelOf(type: string, value: string, caller: CallerIdentity): PrincipalMatchLevel | undefined {
  if (value === '*' && (type === '*' || type === 'AWS')) return 'caller';
  if (type === 'Service') return caller.kind === 'Service' && value === caller.service ? 'caller' : undefined;
  if (type !== 'AWS' || caller.kind === 'Service') return undefined;
  const account = accountOfPrincipalValue(value, caller.partition);
  if (account !== undefined) {
    if (account !== caller.account) return undefined;
    // The account principal "represents the AWS account and its administrators, including the account root
    // user" (AWS KMS Developer Guide, default key policy), so it names the root user itself. The root user is
    // not subject to IAM policies, so for it there is nothing to delegate to: the statement allows it directly.
    // For every other principal of the account it only delegates to IAM.
    return caller.kind === 'Account' ? 'caller' : 'account';
  }
  return namesCaller(value, caller) ? 'caller' : undefined;
}

function best(element: PrincipalElement, caller: CallerIdentity): { level?: PrincipalMatchLevel; value?: Located } {
  let found: { level?: PrincipalMatchLevel; value?: Located } = {};
  for (const entry of element.entries) {
    for (const value of entry.values) {
      if (value.jsonType !== 'string') continue;
      const level = levelOf(entry.type, value.value, caller);
      if (level === 'caller') return { level, value };
      if (level === 'account' && !found.level) found = { level, value };
    }
  }
  return found;
}

/** Whether a principal value is the ARN of the role a session belongs to (not the session itself). */
function namesRoleOf(value: string, caller: CallerIdentity): boolean {
  return caller.kind === 'AssumedRole' && value !== caller.arn && namesCaller(value, caller);
}

/**
 * NotPrincipal excludes a caller only when every identity AWS checks for it is listed (IAM User Guide, NotPrincipal
 * with Deny: "AWS might validate the account first, then the role, and then the assumed-role user"): the account
 * and the user; for a session the account and the role, which covers its sessions. Listing a session without its
 * role leaves the role, and so the session, denied ("If the NotPrincipal element was missing the ARN of the role,
 * the effect of the policy might be to explicitly deny access to the role").
 */
export function excludedBy(element: PrincipalElement, caller: CallerIdentity): boolean {
  const listed = (test: (type: string, value: string) => boolean): boolean =>
    element.entries.some((e) => e.values.some((v) => v.jsonType === 'string' && (v.value === '*' || test(e.type, v.value))));
  if (caller.kind === 'Service') return listed((t, v) => t === 'Service' && v === caller.service);
  const accountListed = listed((t, v) => t === 'AWS' && accountOfPrincipalValue(v, caller.partition) === caller.account);
  if (caller.kind === 'Account') return accountListed;
  if (caller.kind === 'AssumedRole') return accountListed && listed((t, v) => t === 'AWS' && namesRoleOf(v, caller));
  return accountListed && listed((t, v) => t === 'AWS' && namesCaller(v, caller));
}

/** Matches a resource-based policy statement's Principal or NotPrincipal against the caller. */
export function matchPrincipal(statement: Statement, caller: CallerIdentity): PrincipalMatch {
  if (statement.principal) {
    const { level, value } = best(statement.principal, caller);
    const span = value ?? statement.principal;
    return {
      matches: level !== undefined,
      level,
      explain: {
        element: 'Principal',
        matches: level !== undefined,
        offset: span.offset,
        length: span.length,
        note: !level
          ? `Principal does not name ${caller.arn} or its account`
          : level === 'account'
            ? `Principal names account ${caller.account}, which delegates to that account's IAM policies`
            : `Principal ${value!.value} covers ${caller.arn}`,
      },
    };
  }
  if (statement.notPrincipal) {
    const excluded = excludedBy(statement.notPrincipal, caller);
    return {
      matches: !excluded,
      level: excluded ? undefined : 'caller',
      explain: {
        element: 'NotPrincipal',
        matches: !excluded,
        offset: statement.notPrincipal.offset,
        length: statement.notPrincipal.length,
        note: excluded ? `NotPrincipal lists ${caller.arn} and every identity AWS checks for it` : `NotPrincipal does not exclude ${caller.arn}`,
      },
    };
  }
  return {
    matches: false,
    explain: {
      element: 'Principal',
      matches: false,
      offset: statement.offset,
      length: statement.length,
      note: 'the statement has no Principal, which a key policy statement requires',
    },
  };
}
