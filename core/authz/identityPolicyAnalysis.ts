import { analyzePolicy, emptyAnalysis, type AnalysisMode, type PolicyAnalysis } from './policyAnalysis';
import type { NamedPolicy } from './request';
import type { RequestContext } from './requestContext';
import type { ValidatedRequest } from './validateRequest';

export interface IdentityPolicyAnalysis extends PolicyAnalysis {
  /** false for callers IAM policies never apply to: the root user and service principals. */
  applicable: boolean;
}

/**
 * The caller's identity-based policies, all combined. Their Resource must match the key ARN: an alias ARN in a
 * policy names the alias resource, never the key it points to (AWS KMS Developer Guide, "Use aliases to control
 * access to KMS keys"; a key is allowed by its alias only through kms:RequestAlias or kms:ResourceAliases).
 * For actions that act on no resource (CreateKey, ListKeys, …) the resource is `*`. `resourceArn` overrides
 * the resource, for the alias half of the alias operations.
 */
export function analyzeIdentityPolicies(
  policies: readonly NamedPolicy[],
  v: ValidatedRequest,
  context: RequestContext,
  mode: AnalysisMode,
  resourceArn: string = v.action.actsOnKey ? v.key.arn : '*',
): IdentityPolicyAnalysis {
  // The root user is not subject to identity-based policies, and a service principal has none.
  if (v.caller.kind === 'Account' || v.caller.kind === 'Service') return { ...emptyAnalysis(), applicable: false };
  const parts = policies.map((p) =>
    analyzePolicy(p.policy, { kind: 'identityPolicy', name: p.name }, {
      policyKind: 'identityBased',
      caller: v.caller,
      actionFullName: v.action.fullName,
      resourceArn,
      context,
    }, mode),
  );
  if (parts.length === 1) return Object.assign(parts[0]!, { applicable: true });
  return {
    applicable: true,
    statements: () => parts.flatMap((p) => p.statements()),
    conditionMisses: () => parts.flatMap((p) => p.conditionMisses()),
    denies: parts.flatMap((p) => p.denies),
    allows: parts.flatMap((p) => p.allows),
  };
}
