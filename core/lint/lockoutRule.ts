import type { Node } from 'jsonc-parser';
import { matchWildcard, putKeyPolicyAccess } from '../authz';
import { parseJson } from '../policy/parse';
import { policyFromJson } from '../policy/policyModel';
import type { Policy, Statement } from '../policy/model';
import type { Fix } from './finding';
import { nodeForSpan, openingOf } from './jsonTree';
import { defineRule, derived, KEY_POLICY, remembered, type LintContext } from './lintRule';
import { ACCOUNT_ID, accountOfArn, accountPrincipal, isAnyone, principalValues } from './principals';
import { actionCovers, compiledPattern, stringValues } from './statementActions';
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

/** What the check needs of one statement, which its text alone decides. */
interface StatementFacts {
  /** The accounts of its AWS principals, then those of its Resource ARNs, in the order written. */
  principalAccounts: AccountRef[];
  resourceAccounts: AccountRef[];
  /** It could deny PutKeyPolicy. */
  mayDeny: boolean;
  /** It allows PutKeyPolicy on "*" to an account principal (or to everyone), without a condition. */
  plainlyAllows: boolean;
}

function factsOf(s: Statement): StatementFacts {
  const principalAccounts: AccountRef[] = [];
  for (const p of principalValues(s.principal)) {
    if (p.type !== 'AWS') continue;
    const ref = ACCOUNT_ID.test(p.value.value) ? { account: p.value.value, partition: 'aws' } : accountOfArn(p.value.value);
    if (ref) principalAccounts.push(ref);
  }
  const resourceAccounts: AccountRef[] = [];
  for (const r of stringValues(s.resource?.values)) {
    const ref = accountOfArn(r.value);
    if (ref) resourceAccounts.push(ref);
  }
  return {
    principalAccounts,
    resourceAccounts,
    mayDeny: s.effect === 'Deny' && (!!s.notAction || actionCovers(s, 'kms:PutKeyPolicy')),
    plainlyAllows:
      s.effect === 'Allow' &&
      !s.condition &&
      principalValues(s.principal).some((p) => isAnyone(p) || (p.type === 'AWS' && !!accountPrincipal(p.value.value))) &&
      actionCovers(s, 'kms:PutKeyPolicy') &&
      stringValues(s.resource?.values).some((v) => v.value === '*'),
  };
}

function statementFacts(ctx: LintContext): StatementFacts[] {
  return ctx.policy.statements.map((s) => derived(ctx, s, 'lockout.facts', () => factsOf(s)));
}

/**
 * The accounts the key may belong to, in the order the policy names them: those of AWS principals (account IDs
 * and ARNs), then those of key ARNs in Resource. The key's account is not in a key policy, so each is tried.
 */
function candidateAccounts(facts: readonly StatementFacts[]): AccountRef[] {
  const found = new Map<string, AccountRef>();
  const add = (ref: AccountRef) => {
    if (!found.has(ref.account) && found.size < MAX_ACCOUNTS) found.set(ref.account, ref);
  };
  for (const f of facts) f.principalAccounts.forEach(add);
  for (const f of facts) f.resourceAccounts.forEach(add);
  return [...found.values()];
}

/**
 * The common case, decided without the evaluator: no statement that could deny PutKeyPolicy, and an
 * unconditional Allow of it on "*" to an account principal (or to everyone), whose root user can then call it.
 */
function plainlyManageable(facts: readonly StatementFacts[]): boolean {
  return !facts.some((f) => f.mayDeny) && facts.some((f) => f.plainlyAllows);
}

/** Whether some principal of one of the accounts can call PutKeyPolicy, at least under some condition. */
function someoneCanManage(policy: Policy, accounts: AccountRef[]): boolean {
  if (canManage(policy, accounts)) return true;
  // A Deny with a condition denies only the callers its condition matches ("everyone but the admin role", "no
  // MFA"): the caller AWS checks may be one it spares, so such a Deny alone does not lock everyone out.
  const conditional = (s: Statement) => s.effect === 'Deny' && (s.condition?.operators.some((o) => o.keys.length > 0) ?? false);
  if (!policy.statements.some(conditional)) return false;
  return canManage({ ...policy, statements: policy.statements.filter((s) => !conditional(s)) }, accounts);
}

function canManage(policy: Policy, accounts: AccountRef[]): boolean {
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

/**
 * What of a statement the check's answer depends on, as text, so that the answer can be reused across versions
 * of a document while these texts, the Version and the accounts checked are unchanged:
 *   - a statement that cannot apply to kms:PutKeyPolicy matters only through the principals it names, which the
 *     check tries as callers: its Principal and NotPrincipal as written;
 *   - any other, its text with the value of its Sid cut out: the evaluator reads the Sid only to name the
 *     statement in explanations, so two statements with the same such text allow and deny the same requests.
 * A NUL or a SOH cannot stand in a text that parses, so neither form can be taken for the other or for a text.
 */
function decidingText(text: string, statement: Statement): string {
  if (neverAppliesToPutKeyPolicy(statement)) {
    // Such a statement matters only through the principals it names, which the check tries as callers.
    const slice = (span: { offset: number; length: number } | undefined) => (span ? text.slice(span.offset, span.offset + span.length) : '');
    return `\u0001${slice(statement.principal)}\u0001${slice(statement.notPrincipal)}`;
  }
  const end = statement.offset + statement.length;
  const sid = statement.sid;
  if (!sid) return text.slice(statement.offset, end);
  return `${text.slice(statement.offset, sid.offset)}\u0000${text.slice(sid.offset + sid.length, end)}`;
}

/**
 * A statement whose Action (which the evaluator reads before NotAction) names only actions other than
 * kms:PutKeyPolicy: it allows and denies nothing the check asks about. Any doubt (no Action, a NotAction, a value
 * of another type) counts as applying.
 */
function neverAppliesToPutKeyPolicy(statement: Statement): boolean {
  const values = statement.action?.values;
  if (!values || values.length === 0 || statement.notAction) return false;
  return values.every((v) => v.jsonType === 'string' && !matchWildcard(compiledPattern(v.value, true), 'kms:PutKeyPolicy'));
}

/** Whether a principal of one of the accounts can manage the key, reused while nothing it depends on changed. */
function manageable(ctx: LintContext, accounts: AccountRef[]): boolean {
  const version = ctx.policy.version;
  const inputs: unknown[] = [
    accounts.map((a) => `${a.partition}:${a.account}`).join(','),
    version ? `${version.jsonType}:${version.value}` : '',
    ...ctx.policy.statements.map((s) => derived(ctx, s, 'lockout.deciding', () => decidingText(ctx.text, s))),
  ];
  return remembered(ctx, 'lockout', inputs, () => someoneCanManage(ctx.policy, accounts));
}

/** The PutKeyPolicy lockout safety check (AWS KMS API Reference, PutKeyPolicy: BypassPolicyLockoutSafetyCheck). */
export const lockoutRule = defineRule({
  id: 'lockout',
  kinds: KEY_POLICY,
  codes: CODES,
  checkDocument(ctx, report) {
    const root = ctx.root;
    if (!root || root.type !== 'object' || ctx.text.length > MAX_TEXT) return;
    const facts = statementFacts(ctx);
    if (plainlyManageable(facts)) return;
    const accounts = candidateAccounts(facts);
    if (manageable(ctx, accounts.length > 0 ? accounts : [{ account: PLACEHOLDER_ACCOUNT, partition: 'aws' }])) return;
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
