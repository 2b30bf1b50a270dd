/**
 * GetKeyPolicy, PutKeyPolicy and ListKeyPolicies. A key has exactly one key policy, named "default".
 * PutKeyPolicy runs the same document checks and lockout safety check as CreateKey.
 */
import { KmsError } from '../../errors';
import type { CallContext } from '../callContext';
import { checkKeyPolicyDocument } from '../keyPolicyDocument';
import { unsupported } from '../serviceErrors';
import type * as S from '../shapes';

const POLICY_NAME = 'default';

export function getKeyPolicy(ctx: CallContext, request: S.GetKeyPolicyRequest): S.GetKeyPolicyResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: false });
  ctx.authorize('GetKeyPolicy', key);
  ctx.checkState(key);
  if ((request.PolicyName ?? POLICY_NAME) !== POLICY_NAME) throw new KmsError('NotFoundException', 'No such policy exists');
  return { Policy: key.record.policy, PolicyName: POLICY_NAME };
}

export function putKeyPolicy(ctx: CallContext, request: S.PutKeyPolicyRequest): S.EmptyResponse {
  return ctx.store.withLock(() => {
    const key = ctx.resolveKey(request.KeyId, { aliases: false });
    ctx.authorize('PutKeyPolicy', key, { conditionKeys: { 'kms:BypassPolicyLockoutSafetyCheck': request.BypassPolicyLockoutSafetyCheck ?? false } });
    ctx.checkState(key);
    if ((request.PolicyName ?? POLICY_NAME) !== POLICY_NAME) throw unsupported(`The only key policy name is "${POLICY_NAME}".`);
    checkKeyPolicyDocument(request.Policy);
    if (!request.BypassPolicyLockoutSafetyCheck) ctx.checkLockout(key.record, request.Policy);
    const record = { ...key.record, policy: request.Policy };
    ctx.store.writeKey(ctx.region, record.keyId, record);
    return {};
  });
}

export function listKeyPolicies(ctx: CallContext, request: S.ListKeyPoliciesRequest): S.ListKeyPoliciesResponse {
  const key = ctx.resolveKey(request.KeyId, { aliases: false });
  ctx.authorize('ListKeyPolicies', key);
  ctx.checkState(key);
  return { PolicyNames: [POLICY_NAME], Truncated: false };
}
