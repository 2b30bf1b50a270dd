import { combine } from './combine';
import type { AuthorizationResult } from './explanation';
import { analyzeGrants } from './grantAnalysis';
import { analyzeIdentityPolicies } from './identityPolicyAnalysis';
import { analyzeKeyPolicy } from './keyPolicyAnalysis';
import type { AuthorizationInputs, AuthorizationRequest } from './request';
import type { AnalysisMode } from './policyAnalysis';
import { buildRequestContext } from './requestContext';
import { validateRequest } from './validateRequest';

/**
 * Decides whether AWS KMS would authorize `request` under the key policy, the caller's IAM policies and the
 * key's grants, and explains why. Throws ValidationException for a request it cannot evaluate (an unknown
 * action, a malformed principal or key ARN); never throws for a policy, however broken.
 *
 * Each policy model is compiled on its first evaluation and the compiled form is kept for as long as the model:
 * a model must not be changed once evaluated (see compiledPolicy). The explanation is built when first read, and
 * its per-statement trace (`statements`) when that is first read; both read like any other data (see lazyFields).
 */
export function evaluate(request: AuthorizationRequest, inputs: AuthorizationInputs): AuthorizationResult {
  return evaluateIn('compiled', request, inputs);
}

/**
 * The same evaluation read straightforwardly: every statement checked element by element with its explanation,
 * and the explanation built at once. Kept as the reference `evaluate` is tested against.
 */
export function evaluateStraightforwardly(request: AuthorizationRequest, inputs: AuthorizationInputs): AuthorizationResult {
  return evaluateIn('straightforward', request, inputs);
}

function evaluateIn(mode: AnalysisMode, request: AuthorizationRequest, inputs: AuthorizationInputs): AuthorizationResult {
  const v = validateRequest(request, inputs);
  const context = buildRequestContext(v);
  const keyPolicy = v.action.actsOnKey ? analyzeKeyPolicy(inputs.keyPolicy, v, context, mode) : undefined;
  const identity = analyzeIdentityPolicies(inputs.identityPolicies, v, context, mode);
  const grants = v.action.actsOnKey ? analyzeGrants(inputs.grants, v) : [];
  // CreateAlias, UpdateAlias and DeleteAlias also need permission on the alias, which only IAM policies can
  // give (AWS KMS Developer Guide, controlling access to aliases).
  const onAlias = v.action.resourceTypes.some((r) => r.name === 'alias') && v.aliasArn;
  const alias = onAlias ? analyzeIdentityPolicies(inputs.identityPolicies, v, context, mode, v.aliasArn) : undefined;
  return combine({ v, context, keyPolicy, identity, grants, alias, mode });
}
