import type { Node } from 'jsonc-parser';
import { putKeyPolicyAccess } from '../authz';
import { parseJson } from '../policy/parse';
import { policyFromJson } from '../policy/policyModel';
import type { Policy } from '../policy/model';
import type { Fix } from './finding';
import { nodeForSpan, openingOf } from './jsonTree';
import { defineRule, KEY_POLICY, type LintContext } from './lintRule';
import { ACCOUNT_ID, accountOfArn, accountPrincipal, isAnyone, principalValues } from './principals';
import { actionCovers, stringValues } from './statementActions';
import { appendProperty, applyEdits, insertFirstArrayItem, replaceNode } from './textEdits';

const CODES = {
  KMS_LOCKOUT_RISK: {
    severity: 'ERROR',
    description: 'No principal can call kms:PutKeyPolicy under the policy: AWS KMS refuses it unless the lockout safety check is bypassed.',
  },
} as const;

/** The documentation's placeholder account, used when the policy names none. */
export const PLACEHOLDER_ACCOUNT = '111122223333';
const LOCKOUT_SAFE_SID = 'Enable IAM User Permissions';
/** Accounts checked at most; a policy naming more is unusual, and each check evaluates the whole policy. */
const MAX_ACCOUNTS = 8;
/** Past this size AWS refuses the policy for its size (32,768 bytes) anyway; the check is skipped. */
const MAX_TEXT = 4 * 32768;

interface AccountRef {
  account: string;
  partition: string;
}

/**
 * The accounts the key may belong to, in the order the policy names them: those of AWS principals (account IDs
 * and ARNs), then those of key ARNs in Resource. The key's account is not in a key policy, so each is tried.
 */
function candidateAccounts(policy: Policy): AccountRef[] {
  const found = new Map<string, AccountRef>();
  const add = (ref: AccountRef | undefined) => {
    if (ref && !found.has(ref.account) && found.size < MAX_ACCOUNTS) found.set(ref.account, ref);
  };
  for (const statement of policy.statements) {
    for (const p of principalValues(statement.principal)) {
      if (p.type !== 'AWS') continue;
      add(ACCOUNT_ID.test(p.value.value) ? { account: p.value.value, partition: 'aws' } : accountOfArn(p.value.value));
    }
  }
  for (const statement of policy.statements) for (const r of stringValues(statement.resource?.values)) add(accountOfArn(r.value));
  return [...found.values()];
}

/**
 * The common case, decided without the evaluator: no statement that could deny PutKeyPolicy, and an
 * unconditional Allow of it on "*" to an account principal (or to everyone), whose root user can then call it.
 */
function plainlyManageable(policy: Policy): boolean {
  const mayDeny = policy.statements.some((s) => s.effect === 'Deny' && (!!s.notAction || actionCovers(s, 'kms:PutKeyPolicy')));
  if (mayDeny) return false;
  return policy.statements.some(
    (s) =>
      s.effect === 'Allow' &&
      !s.condition &&
      principalValues(s.principal).some((p) => isAnyone(p) || (p.type === 'AWS' && !!accountPrincipal(p.value.value))) &&
      actionCovers(s, 'kms:PutKeyPolicy') &&
      stringValues(s.resource?.values).some((v) => v.value === '*'),
  );
}

/** Whether some principal of one of the accounts can call PutKeyPolicy, at least under some condition. */
function someoneCanManage(policy: Policy, accounts: AccountRef[]): boolean {
  return accounts.some(({ account, partition }) => {
    const keyArn = `arn:${partition}:kms:us-east-1:${account}:key/00000000-0000-0000-0000-000000000000`;
    const access = putKeyPolicyAccess(policy, account, keyArn);
    // A path that needs a condition may be open to the caller AWS checks (an administrator with MFA, a role
    // named by aws:PrincipalArn), so only a policy with no path at all is reported.
    return access.possible || access.conditionalPaths.length > 0;
  });
}

function safeStatement(ref: AccountRef, sid: string): string {
  return `{"Sid": ${JSON.stringify(sid)}, "Effect": "Allow", "Principal": {"AWS": "arn:${ref.partition}:iam::${ref.account}:root"}, "Action": "kms:*", "Resource": "*"}`;
}

/** The edit that adds the lockout-safe statement first in the Statement list, whatever shape Statement has now. */
function addStatementEdit(ctx: LintContext, root: Node, statement: string) {
  const element = ctx.policy.statementElement;
  if (!element) return appendProperty(root, 'Statement', `[${statement}]`);
  if (element.valueType === 'array') {
    const array = nodeForSpan(root, element.valueSpan);
    if (array) return insertFirstArrayItem(ctx.text, array, statement);
  }
  if (element.valueType === 'object') {
    const existing = ctx.text.slice(element.valueSpan.offset, element.valueSpan.offset + element.valueSpan.length);
    return replaceNode(element.valueSpan, `[${statement}, ${existing}]`);
  }
  return replaceNode(element.valueSpan, `[${statement}]`);
}

/**
 * The default key policy's first statement (AWS KMS Developer Guide, default key policy) is what lets the account
 * manage the key; the fix adds it, and is offered only when the policy with it passes the same check (an
 * unconditional Deny of PutKeyPolicy would still lock everyone out).
 */
function lockoutFix(ctx: LintContext, root: Node, accounts: AccountRef[]): Fix | undefined {
  const placeholder = accounts.length === 0;
  const ref = accounts[0] ?? { account: PLACEHOLDER_ACCOUNT, partition: 'aws' };
  const sids = new Set(ctx.policy.statements.map((s) => s.sid?.value));
  let sid = LOCKOUT_SAFE_SID;
  for (let n = 2; sids.has(sid); n++) sid = `${LOCKOUT_SAFE_SID} ${n}`;
  const edit = addStatementEdit(ctx, root, safeStatement(ref, sid));
  const fixed = policyFromJson(parseJson(applyEdits(ctx.text, [edit])));
  if (!someoneCanManage(fixed, [ref])) return undefined;
  return {
    title: placeholder
      ? `Add the "${sid}" statement for the placeholder account ${PLACEHOLDER_ACCOUNT} (replace it with the key's account)`
      : `Add the "${sid}" statement for account ${ref.account}`,
    edits: [edit],
  };
}

/** The PutKeyPolicy lockout safety check (AWS KMS API Reference, PutKeyPolicy: BypassPolicyLockoutSafetyCheck). */
export const lockoutRule = defineRule({
  id: 'lockout',
  kinds: KEY_POLICY,
  codes: CODES,
  run(ctx, report) {
    const root = ctx.root;
    if (!root || root.type !== 'object' || ctx.text.length > MAX_TEXT || plainlyManageable(ctx.policy)) return;
    const accounts = candidateAccounts(ctx.policy);
    if (someoneCanManage(ctx.policy, accounts.length > 0 ? accounts : [{ account: PLACEHOLDER_ACCOUNT, partition: 'aws' }])) return;
    const element = ctx.policy.statementElement;
    const fix = lockoutFix(ctx, root, accounts);
    report(
      'KMS_LOCKOUT_RISK',
      element ? element.key : openingOf(root),
      'No principal can call kms:PutKeyPolicy under this policy, so the key could never be managed again. AWS KMS refuses such a policy (MalformedPolicyDocumentException) unless BypassPolicyLockoutSafetyCheck is set. Allow kms:PutKeyPolicy to the account principal (arn:aws:iam::<account>:root) or to a key administrator.',
      fix ? { fix } : {},
    );
  },
});
