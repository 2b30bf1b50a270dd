import {
  describeStatement,
  grantRef,
  refs,
  type AuthorizationResult,
  type ConditionMismatch,
  type Explanation,
  type ExplanationCode,
  type GrantEvaluation,
  type StatementEvaluation,
  type StatementRef,
} from './explanation';
import type { IdentityPolicyAnalysis } from './identityPolicyAnalysis';
import type { KeyPolicyAnalysis } from './keyPolicyAnalysis';
import { addLazyField } from './lazyFields';
import type { AnalysisMode } from './policyAnalysis';
import type { Decision } from './request';
import { decideRetireGrant } from './retireGrant';
import type { RequestContext } from './requestContext';
import type { ValidatedRequest } from './validateRequest';

export interface Analyses {
  v: ValidatedRequest;
  context: RequestContext;
  /** undefined for actions that act on no key (CreateKey, ListKeys, …): only IAM policies decide those. */
  keyPolicy: KeyPolicyAnalysis | undefined;
  identity: IdentityPolicyAnalysis;
  grants: GrantEvaluation[];
  /** For the alias operations, the caller's IAM policies checked against the alias ARN. */
  alias: IdentityPolicyAnalysis | undefined;
  /** Compiled analyses leave the explanation's trace to be built when it is read. */
  mode: AnalysisMode;
}

export interface Outcome {
  decision: Decision;
  code: ExplanationCode;
  reason: string;
  deciding: StatementRef[];
}

/**
 * Combines the analyses into one decision, following the AWS KMS rules:
 * 1. an explicit Deny in the key policy or an IAM policy wins over every Allow and every grant;
 * 2. a principal in another account can only call the operations AWS allows across accounts;
 * 3. the key policy must allow: naming the caller allows by itself (same account), naming the caller's account
 *    lets IAM policies allow; across accounts both the key policy and the caller's IAM policies must allow;
 * 4. a grant for the caller allows its operations;
 * 5. RetireGrant is decided by the grant and the accounts it belongs to, not by the key policy (see retireGrant).
 * The decision starts at implicitDeny and only an Allow can raise it, so it never gets wider than the policies say.
 */
export function combine(a: Analyses): AuthorizationResult {
  const outcome = aliasCheck(a, decide(a));
  // The explanation is built on first read: a caller that only wants the decision never pays for it. It reads only
  // what the evaluation fixed (see explain), so reading it later gives what reading it now would.
  const result = addLazyField<AuthorizationResult, 'explanation'>({ decision: outcome.decision }, 'explanation', () => explain(a, outcome));
  if (a.mode === 'straightforward') void result.explanation.statements;
  return result;
}

/**
 * The explanation of an outcome. Its per-statement trace, the costly part, is built when first read, with the
 * straightforward matchers; it reads the policies (immutable once evaluated), the resolved request and the
 * request context built from copies of the request's values, so it never sees a request changed afterwards.
 */
function explain(a: Analyses, outcome: Outcome): Explanation {
  const { v, context, keyPolicy, identity, alias } = a;
  const conditionMismatches = mismatches([...(keyPolicy?.conditionMisses() ?? []), ...identity.conditionMisses(), ...(alias?.conditionMisses() ?? [])]);
  let reason = outcome.reason;
  const allowMiss = outcome.decision === 'implicitDeny' ? conditionMismatches.find((m) => m.statement.effect === 'Allow') : undefined;
  if (allowMiss) {
    reason += `; ${describeStatement(allowMiss.statement)} would allow it, but its condition ${allowMiss.operator} ${allowMiss.key} is not met`;
  }
  const explanation: Omit<Explanation, 'statements'> = {
    decision: outcome.decision,
    code: outcome.code,
    reason,
    deciding: outcome.deciding,
    conditionMismatches,
    grants: a.grants,
    action: v.action.fullName,
    caller: v.caller.account ? { arn: v.caller.arn, kind: v.caller.kind, account: v.caller.account } : { arn: v.caller.arn, kind: v.caller.kind },
    keyAccount: v.key.account,
    crossAccount: v.crossAccount,
    context: [...context.entries.values()].map((e) => ({ name: e.name, values: [...e.values], derived: e.derived })),
    ignoredContextKeys: [...context.ignored],
  };
  return addLazyField<Explanation, 'statements'>(explanation, 'statements', () => [
    ...(keyPolicy?.statements() ?? []),
    ...identity.statements(),
    ...(alias?.statements() ?? []),
  ]);
}

/** An alias operation allowed on the key also needs an IAM Allow on the alias; a Deny on it denies. */
function aliasCheck(a: Analyses, onKey: Outcome): Outcome {
  const alias = a.alias;
  if (!alias || onKey.decision === 'explicitDeny') return onKey;
  if (alias.denies.length > 0) {
    return { decision: 'explicitDeny', code: 'ExplicitDeny', reason: `Denied explicitly by ${describeStatement(alias.denies[0]!.ref)}`, deciding: refs(alias.denies) };
  }
  if (onKey.decision !== 'allowed' || !alias.applicable) return onKey;
  if (alias.allows.length > 0) return { ...onKey, deciding: [...onKey.deciding, ...refs(alias.allows)] };
  return {
    decision: 'implicitDeny',
    code: 'AliasNotAllowed',
    reason: `No IAM policy allows ${a.v.action.fullName} on ${a.v.aliasArn}, which an alias operation needs besides permission on the key`,
    deciding: onKey.deciding,
  };
}

function decide(a: Analyses): Outcome {
  const { v, keyPolicy, identity } = a;
  const { caller, action } = v;
  const actionName = action.fullName;

  const denies = [...(keyPolicy?.denies ?? []), ...identity.denies];
  if (denies.length > 0) {
    return { decision: 'explicitDeny', code: 'ExplicitDeny', reason: `Denied explicitly by ${describeStatement(denies[0]!.ref)}`, deciding: refs(denies) };
  }

  // The grant, not the key policy, decides who may retire it.
  if (action.name === 'RetireGrant') return decideRetireGrant(a);

  if (!keyPolicy) {
    // Actions on no key are authorized by IAM policies alone; the root user is not subject to them.
    if (caller.kind === 'Account') {
      return { decision: 'allowed', code: 'AllowedByIamPolicy', reason: `Allowed: the root user of account ${caller.account} is not subject to IAM policies`, deciding: [] };
    }
    if (identity.allows.length > 0) {
      return { decision: 'allowed', code: 'AllowedByIamPolicy', reason: `Allowed by ${describeStatement(identity.allows[0]!.ref)}`, deciding: refs(identity.allows) };
    }
    return { decision: 'implicitDeny', code: 'NoIamPolicyAllows', reason: `No IAM policy allows ${actionName}`, deciding: [] };
  }

  if (v.crossAccount && !action.crossAccount) {
    return {
      decision: 'implicitDeny',
      code: 'CrossAccountNotSupported',
      reason: `${actionName} cannot be called across accounts (the caller is in ${caller.account}, the key in ${v.key.account})`,
      deciding: [],
    };
  }

  const grants = a.grants.filter((g) => g.allows);
  const grantOutcome = (): Outcome | undefined =>
    grants.length > 0
      ? { decision: 'allowed', code: 'AllowedByGrant', reason: `Allowed by grant ${grants[0]!.grantId}: ${grants[0]!.note}`, deciding: grants.map(grantRef) }
      : undefined;
  const { callerAllows, accountAllows } = keyPolicy;
  const account = caller.account;

  if (caller.kind === 'Service') {
    if (callerAllows.length > 0) {
      return { decision: 'allowed', code: 'AllowedByKeyPolicy', reason: `Allowed by ${describeStatement(callerAllows[0]!.ref)}`, deciding: refs(callerAllows) };
    }
    return grantOutcome() ?? {
      decision: 'implicitDeny',
      code: 'ServicePrincipalNotAllowed',
      reason: `The key policy does not allow service principal ${caller.service} to call ${actionName}, and no grant does`,
      deciding: [],
    };
  }

  if (!v.crossAccount) {
    if (callerAllows.length > 0) {
      return { decision: 'allowed', code: 'AllowedByKeyPolicy', reason: `Allowed by ${describeStatement(callerAllows[0]!.ref)}`, deciding: refs(callerAllows) };
    }
    if (accountAllows.length > 0 && identity.allows.length > 0) {
      return {
        decision: 'allowed',
        code: 'AllowedByIamPolicyThroughKeyPolicy',
        reason: `Allowed by ${describeStatement(identity.allows[0]!.ref)}, which ${describeStatement(accountAllows[0]!.ref)} lets account ${account}'s IAM policies grant`,
        deciding: [...refs(accountAllows), ...refs(identity.allows)],
      };
    }
    const granted = grantOutcome();
    if (granted) return granted;
    if (accountAllows.length > 0) {
      return {
        decision: 'implicitDeny',
        code: 'NoIamPolicyAllows',
        reason: `The key policy delegates to account ${account}'s IAM policies, but no IAM policy allows ${actionName} on this key`,
        deciding: refs(accountAllows),
      };
    }
    if (identity.allows.length > 0) {
      return {
        decision: 'implicitDeny',
        code: 'IamPolicyWithoutKeyPolicyDelegation',
        reason: `${describeStatement(identity.allows[0]!.ref)} allows ${actionName}, but the key policy does not allow this principal and does not delegate to IAM`,
        deciding: [],
      };
    }
    return {
      decision: 'implicitDeny',
      code: 'KeyPolicyDoesNotAllow',
      reason: `The key policy does not allow this principal and does not delegate to IAM`,
      deciding: [],
    };
  }

  // Across accounts the key policy sets what can be allowed and the caller's IAM policies what is allowed
  // (AWS KMS Developer Guide, allowing users in other accounts). The root user of the other account is not
  // subject to IAM policies, so the key policy allowing its account is enough for it.
  const keyAllows = [...callerAllows, ...accountAllows];
  if (keyAllows.length > 0 && caller.kind === 'Account') {
    return {
      decision: 'allowed',
      code: 'AllowedAsRootUserOfAllowedAccount',
      reason: `Allowed: ${describeStatement(keyAllows[0]!.ref)} allows account ${account}, and the caller is its root user`,
      deciding: refs(keyAllows),
    };
  }
  if (keyAllows.length > 0 && identity.allows.length > 0) {
    return {
      decision: 'allowed',
      code: 'AllowedByIamPolicyThroughKeyPolicy',
      reason: `Allowed across accounts by ${describeStatement(keyAllows[0]!.ref)} together with ${describeStatement(identity.allows[0]!.ref)}`,
      deciding: [...refs(keyAllows), ...refs(identity.allows)],
    };
  }
  const granted = grantOutcome();
  if (granted) return granted;
  if (keyAllows.length > 0) {
    return {
      decision: 'implicitDeny',
      code: 'CrossAccountNoIamPolicyAllows',
      reason: `The key policy allows account ${account}, but no IAM policy in account ${account} allows ${actionName} on this key`,
      deciding: refs(keyAllows),
    };
  }
  return {
    decision: 'implicitDeny',
    code: 'CrossAccountKeyPolicyDoesNotAllow',
    reason: `The key policy does not allow account ${account} or this principal to call ${actionName}`,
    deciding: [],
  };
}

/** The failed conditions of statements that matched principal, action and resource. */
function mismatches(statements: StatementEvaluation[]): ConditionMismatch[] {
  return statements
    .filter((s) => s.matchesApartFromCondition && !s.applies)
    .flatMap((s) =>
      s.condition
        .filter((c) => !c.matches)
        .map((c) => ({
          statement: s.ref,
          operator: c.operator,
          key: c.key,
          policyValues: c.policyValues,
          ...(c.requestValues ? { requestValues: c.requestValues } : {}),
          offset: c.offset,
          length: c.length,
          ...(c.note ? { note: c.note } : {}),
        })),
    );
}
