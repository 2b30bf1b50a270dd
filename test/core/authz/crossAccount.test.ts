import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { allActions } from '../../../core/catalog/actions';
import { ACCOUNT, KEY_ARN, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, allowAll, decision, iam, keyPolicy, run } from './helpers';

// AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key": the key policy in account
// 111122223333 names account 444455556666 (or its principals); IAM policies in 444455556666 delegate.
const externalAccountStatement = {
  Sid: 'Allow an external account to use this KMS key',
  Effect: 'Allow',
  Principal: { AWS: [OTHER_ROOT] },
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
  Resource: '*',
};
const externalIamPolicy = iam('AllowUseOfKeyInAccount111122223333', {
  Sid: 'Allow Use Of KMS key In Account 111122223333',
  Effect: 'Allow',
  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
  Resource: KEY_ARN,
});

describe('cross-account access', () => {
  const kp = keyPolicy(allowAll(), externalAccountStatement);

  it('needs both the key policy and an IAM policy in the other account', () => {
    const result = run({ principal: OTHER_USER }, { keyPolicy: kp, identityPolicies: [externalIamPolicy] });
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.crossAccount, true);
    assert.deepEqual(result.explanation.deciding.map((r) => r.source.kind), ['keyPolicy', 'identityPolicy']);
  });

  it('is not allowed by the key policy alone', () => {
    const result = run({ principal: OTHER_USER }, { keyPolicy: kp });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'CrossAccountNoIamPolicyAllows');
    assert.match(result.explanation.reason, /allows account 444455556666, but no IAM policy in account 444455556666 allows kms:Decrypt/);
  });

  it('is not allowed by an IAM policy alone', () => {
    const result = run({ principal: OTHER_USER }, { keyPolicy: keyPolicy(allowAll()), identityPolicies: [externalIamPolicy] });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'CrossAccountKeyPolicyDoesNotAllow');
  });

  it('allows only the actions both policies allow', () => {
    const broadIam = iam('All', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    assert.equal(decision({ principal: OTHER_USER, action: 'kms:GenerateDataKey' }, { keyPolicy: kp, identityPolicies: [broadIam] }), 'allowed');
    assert.equal(decision({ principal: OTHER_USER, action: 'kms:Sign' }, { keyPolicy: kp, identityPolicies: [broadIam] }), 'implicitDeny');
  });

  it('needs an IAM policy even when the key policy names the principal itself', () => {
    const named = keyPolicy({ ...externalAccountStatement, Principal: { AWS: OTHER_USER } });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: named }), 'implicitDeny');
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: named, identityPolicies: [externalIamPolicy] }), 'allowed');
    const otherUser = `arn:aws:iam::${OTHER_ACCOUNT}:user/Someone`;
    assert.equal(decision({ principal: otherUser }, { keyPolicy: named, identityPolicies: [externalIamPolicy] }), 'implicitDeny');
  });

  it('needs an IAM policy in the other account when the key policy Principal is *', () => {
    const star = keyPolicy({ ...externalAccountStatement, Principal: '*' });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: star }), 'implicitDeny');
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: star, identityPolicies: [externalIamPolicy] }), 'allowed');
  });

  it("allows the other account's root user, which IAM policies do not govern, when the key policy allows its account", () => {
    const result = run({ principal: OTHER_ROOT }, { keyPolicy: kp });
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.code, 'AllowedAsRootUserOfAllowedAccount');
  });

  it('is explicitly denied by a Deny in the external IAM policy', () => {
    const deny = iam('NoDecrypt', { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: kp, identityPolicies: [externalIamPolicy, deny] }), 'explicitDeny');
  });

  it('applies kms:CallerAccount conditions to the caller account', () => {
    const conditioned = keyPolicy({ ...externalAccountStatement, Condition: { StringEquals: { 'kms:CallerAccount': OTHER_ACCOUNT } } });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: conditioned, identityPolicies: [externalIamPolicy] }), 'allowed');
    const wrong = keyPolicy({ ...externalAccountStatement, Condition: { StringEquals: { 'kms:CallerAccount': ACCOUNT } } });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: wrong, identityPolicies: [externalIamPolicy] }), 'implicitDeny');
  });

  describe('operations AWS does not allow across accounts stay denied whatever the policies say', () => {
    const everything = keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' });
    const admin = iam('Admin', { Effect: 'Allow', Action: '*', Resource: '*' });
    // RetireGrant is decided by the grant, not by policies (see retireGrant.test.ts), so it is left out here.
    for (const action of allActions().filter((a) => a.actsOnKey && a.name !== 'RetireGrant')) {
      const expected = action.crossAccount ? 'allowed' : 'implicitDeny';
      it(`${action.fullName} is ${expected}`, () => {
        const result = run({ principal: OTHER_USER, action: action.fullName }, { keyPolicy: everything, identityPolicies: [admin] });
        assert.equal(result.decision, expected);
        if (!action.crossAccount) {
          assert.equal(result.explanation.code, 'CrossAccountNotSupported');
          assert.match(result.explanation.reason, new RegExp(`${action.fullName} cannot be called across accounts`));
        }
      });
    }
  });

  it('names kms:PutKeyPolicy in the reason when it is called across accounts', () => {
    const result = run({ principal: OTHER_ROOT, action: 'kms:PutKeyPolicy' }, { keyPolicy: keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }) });
    assert.equal(result.explanation.reason.startsWith('kms:PutKeyPolicy cannot be called across accounts'), true);
  });
});
