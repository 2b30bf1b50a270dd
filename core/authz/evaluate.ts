import { combine } from './combine';
import type { AuthorizationResult } from './explanation';
import { analyzeGrants } from './grantAnalysis';
import { analyzeIdentityPolicies } from './identityPolicyAnalysis';
import { analyzeKeyPolicy } from './keyPolicyAnalysis';
import type { AuthorizationInputs, AuthorizationRequest } from './request';
import { buildRequestContext } from './requestContext';
import { validateRequest } from './validateRequest';

/**
 * Decides whether AWS KMS would authorize `request` under the key policy, the caller's IAM policies and the
 * key's grants, and explains why. Throws ValidationException for a request it cannot evaluate (an unknown
 * action, a malformed principal or key ARN); never throws for a policy, however broken.
 */
export function evaluate(request: AuthorizationRequest, inputs: AuthorizationInputs): AuthorizationResult {
  const v = validateRequest(request, inputs);
  const context = buildRequestContext(v);
  const keyPolicy = v.action.actsOnKey ? analyzeKeyPolicy(inputs.keyPolicy, v, context) : undefined;
  const identity = analyzeIdentityPolicies(inputs.identityPolicies, v, context);
  const grants = v.action.actsOnKey ? analyzeGrants(inputs.grants, v) : [];
  // CreateAlias, UpdateAlias and DeleteAlias also need permission on the alias, which only IAM policies can
  // give (AWS KMS Developer Guide, controlling access to aliases).
  const onAlias = v.action.resourceTypes.some((r) => r.name === 'alias') && v.aliasArn;
  const alias = onAlias ? analyzeIdentityPolicies(inputs.identityPolicies, v, context, v.aliasArn) : undefined;
  return combine({ v, context, ...(keyPolicy ? { keyPolicy } : {}), identity, grants, ...(alias ? { alias } : {}) });
}
