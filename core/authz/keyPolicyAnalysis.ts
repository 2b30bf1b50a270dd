import type { Policy } from '../policy/model';
import { analyzePolicy, type AnalysisMode, type AppliedStatement, type PolicyAnalysis } from './policyAnalysis';
import type { RequestContext } from './requestContext';
import type { ValidatedRequest } from './validateRequest';

export interface KeyPolicyAnalysis extends PolicyAnalysis {
  /** Allow statements that name the caller itself: they allow without any IAM policy. */
  callerAllows: AppliedStatement[];
  /**
   * Allow statements that name the caller's account: they let that account's IAM policies allow, within the
   * statement's actions and conditions (AWS KMS Developer Guide, default key policy).
   */
  accountAllows: AppliedStatement[];
}

/**
 * The key policy is a resource-based policy whose resource is the key: `*` in its Resource means this key
 * (AWS KMS Developer Guide, key policies).
 */
export function analyzeKeyPolicy(policy: Policy, v: ValidatedRequest, context: RequestContext, mode: AnalysisMode): KeyPolicyAnalysis {
  const analysis = analyzePolicy(policy, { kind: 'keyPolicy' }, {
    policyKind: 'resourceBased',
    caller: v.caller,
    actionFullName: v.action.fullName,
    resourceArn: v.key.arn,
    context,
  }, mode);
  return Object.assign(analysis, {
    callerAllows: analysis.allows.filter((s) => s.principalLevel === 'caller'),
    accountAllows: analysis.allows.filter((s) => s.principalLevel === 'account'),
  });
}
