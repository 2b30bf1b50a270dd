import { allActions, parseOperator } from '../catalog';
import type { Located, Statement } from '../policy/model';
import { pinningConditionKeys, pinningDeny } from './callerPinning';
import { defineRule, derived, POLICY_KINDS } from './lintRule';
import { accountPrincipal, isAnyone, principalValues, type PrincipalValue } from './principals';
import { coversAllKms, kmsActionsMatching, statementApplies, statementKmsActions, stringValues } from './statementActions';

const CODES = {
  KMS_PUBLIC_ACCESS: { severity: 'SECURITY_WARNING', description: 'An Allow to "*" with no condition that pins the caller\'s account, organization or ARN.', kinds: ['keyPolicy'] },
  KMS_WILDCARD_ACTION_TO_NON_ROOT: { severity: 'SECURITY_WARNING', description: 'kms:* allowed to a principal other than an account principal (…:root).', kinds: ['keyPolicy'] },
  KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE: { severity: 'WARNING', description: 'kms:CreateGrant allowed to a user or role without a kms:GrantIsForAWSResource condition.' },
  KMS_ADMIN_AND_USER: { severity: 'SUGGESTION', description: 'One principal both administers the key (PutKeyPolicy, ScheduleKeyDeletion, …) and uses it (Decrypt, Encrypt, …).', kinds: ['keyPolicy'] },
} as const;

/**
 * What administering a key means here: changing who may use it, or whether it can be used at all (AWS KMS
 * Developer Guide, the key administrators statement; PutKeyPolicy can grant anything, and deletion or disabling
 * destroys or stops all use).
 */
const ADMIN_ACTIONS = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DeleteImportedKeyMaterial'];

/** Using a key: the cryptographic operations, which are the grant operations other than the grant and read ones. */
const NOT_USE = new Set(['CreateGrant', 'RetireGrant', 'DescribeKey', 'GetPublicKey']);
const USE_ACTIONS = allActions()
  .filter((a) => a.grantOperation && !NOT_USE.has(a.name))
  .map((a) => a.fullName);

function names(values: PrincipalValue[]): string {
  const list = values.map((p) => p.value.value);
  return list.length <= 2 ? list.join(' and ') : `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
}

/** Principals other than account principals: users, roles, sessions, services and `*`. */
function nonRootPrincipals(statement: Statement): PrincipalValue[] {
  return principalValues(statement.principal).filter((p) => !(p.type === 'AWS' && accountPrincipal(p.value.value)));
}

/** kms:GrantIsForAWSResource true, or kms:ViaService, limits grants to those AWS services create for the caller. */
function limitsGrantsToServices(statement: Statement): boolean {
  return (statement.condition?.operators ?? []).some((block) => {
    const parsed = parseOperator(block.operator.value);
    if (!parsed.operator || parsed.ifExists || parsed.operator.negated) return false;
    return block.keys.some((k) => {
      const key = k.key.value.toLowerCase();
      if (key === 'kms:grantisforawsresource') return parsed.operator!.name === 'Bool' && k.values.every((v) => v.value.toLowerCase() === 'true');
      return key === 'kms:viaservice' && parsed.operator!.type === 'String';
    });
  });
}

/** What the document checks need of one Allow statement, by positions in principalValues (its text decides all). */
interface AccessFacts {
  /** The first principal that is everyone, or -1. */
  anyone: number;
  /** Whether a condition of the statement itself pins the caller. */
  pinned: boolean;
  /** AWS principals other than account principals and `*`: who may administer and use the key. */
  named: number[];
  administers: boolean;
  uses: boolean;
}

function accessFacts(statement: Statement, keyPolicy: boolean): AccessFacts {
  const values = principalValues(statement.principal);
  const anyone = values.findIndex(isAnyone);
  const named: number[] = [];
  if (keyPolicy) {
    values.forEach((p, i) => {
      if (p.type === 'AWS' && !accountPrincipal(p.value.value) && !isAnyone(p)) named.push(i);
    });
  }
  // Only statements with other principals than account principals count, as in nonRootPrincipals.
  const others = keyPolicy && nonRootPrincipals(statement).length > 0;
  const allows = (name: string) => statementApplies(statement, name);
  return {
    anyone,
    pinned: anyone >= 0 && pinningConditionKeys(statement).length > 0,
    named: others ? named : [],
    administers: others && ADMIN_ACTIONS.some(allows),
    uses: others && USE_ACTIONS.some(allows),
  };
}

/** Who may do what with the key: public access, kms:* to users and roles, unrestricted grants, admins who also use the key. */
export const keyPolicyAccessRule = defineRule({
  id: 'keyPolicyAccess',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    if (statement.effect !== 'Allow') return;
    const keyPolicy = ctx.kind === 'keyPolicy';
    const others = keyPolicy ? nonRootPrincipals(statement) : [];
    const wildcard = stringValues(statement.action?.values).find((v) => coversAllKms(v.value));
    if (keyPolicy && wildcard && others.length > 0) {
      report(
        'KMS_WILDCARD_ACTION_TO_NON_ROOT',
        wildcard,
        `${wildcard.value} gives ${names(others)} every AWS KMS permission, PutKeyPolicy and ScheduleKeyDeletion included. Allow only the actions needed (as the key administrators and key users statements do); leave ${wildcard.value} to the account principal (arn:aws:iam::<account>:root), which delegates to IAM.`,
      );
    }
    const grantee = keyPolicy ? others.length > 0 : !statement.principal;
    const createGrant = stringValues(statement.action?.values).find((v) => kmsActionsMatching(v.value).some((a) => a.name === 'CreateGrant'));
    if (grantee && createGrant && !statementApplies(statement, 'kms:PutKeyPolicy') && !limitsGrantsToServices(statement)) {
      report(
        'KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE',
        createGrant,
        `This allows ${keyPolicy ? names(others) : 'the identity'} to create grants on the key for anyone, and a grant can allow any grant operation. If the grants are for AWS services (EBS, RDS, …), add "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}.`,
      );
    }
  },
  checkDocument(ctx, report) {
    const keyPolicy = ctx.kind === 'keyPolicy';
    if (!keyPolicy) return;
    const admins = new Map<string, Located>();
    const users = new Map<string, Located>();
    for (const statement of ctx.policy.statements) {
      if (statement.effect !== 'Allow') continue;
      const facts = derived(ctx, statement, 'keyPolicyAccess.facts', () => accessFacts(statement, keyPolicy));
      if (facts.anyone < 0 && facts.named.length === 0) continue;
      const values = principalValues(statement.principal);
      // A separate Deny for everyone but known callers pins this statement's callers too.
      if (facts.anyone >= 0 && !facts.pinned && !pinningDeny(ctx.policy, statement)) {
        const actions = statementKmsActions(statement) ?? [];
        const what = actions.length === allActions().length ? 'every AWS KMS action' : actions.length <= 3 ? actions.map((a) => a.fullName).join(', ') : `${actions.length} AWS KMS actions`;
        report(
          'KMS_PUBLIC_ACCESS',
          values[facts.anyone]!.value,
          `This statement allows every AWS principal, in any account, ${what} on this key. Add a condition that pins the caller, such as "StringEquals": {"kms:CallerAccount": "111122223333"} or {"aws:PrincipalOrgID": "o-…"}, or name the principals.`,
        );
      }
      for (const i of facts.named) {
        const p = values[i]!;
        if (facts.administers && !admins.has(p.value.value)) admins.set(p.value.value, p.value);
        if (facts.uses && !users.has(p.value.value)) users.set(p.value.value, p.value);
      }
    }
    for (const [principal, at] of admins) {
      const use = users.get(principal);
      if (!use) continue;
      report(
        'KMS_ADMIN_AND_USER',
        at,
        `${principal} both administers this key and uses it in cryptographic operations. Separating key administrators from key users limits what one compromised identity can do.`,
        { related: use !== at ? [{ offset: use.offset, length: use.length, message: `${principal} uses the key here` }] : [] },
      );
    }
  },
});
