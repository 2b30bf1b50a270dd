import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { putKeyPolicyAccess } from '../../../core/authz/putKeyPolicyAccess';
import { ACCOUNT, ALICE, DEFAULT_KEY_POLICY_DOCUMENT, KEY_ARN, OTHER_ACCOUNT, OTHER_ROOT, allowAll, keyPolicy, policy } from './helpers';

describe('putKeyPolicyAccess (the question behind the PutKeyPolicy lockout safety check)', () => {
  it('finds the root user and IAM delegation in the default key policy', () => {
    const access = putKeyPolicyAccess(policy(DEFAULT_KEY_POLICY_DOCUMENT), ACCOUNT);
    assert.equal(access.possible, true);
    assert.deepEqual(access.paths.map((p) => p.kind), ['rootUser', 'iamDelegation']);
    assert.equal(access.paths[0]!.statements[0]!.sid, 'Enable IAM User Permissions');
  });

  it('finds a principal the policy names', () => {
    const kp = keyPolicy({ Sid: 'Admins', Effect: 'Allow', Principal: { AWS: [ALICE, `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`] }, Action: 'kms:Put*', Resource: '*' });
    const access = putKeyPolicyAccess(kp, ACCOUNT);
    assert.equal(access.possible, true);
    assert.deepEqual(access.paths.map((p) => [p.kind, p.principal]), [
      ['namedPrincipal', ALICE],
      ['namedPrincipal', `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/kms-studio-lockout-check`],
    ]);
  });

  it('reports a lockout when no statement allows PutKeyPolicy', () => {
    const kp = keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' });
    assert.equal(putKeyPolicyAccess(kp, ACCOUNT).possible, false);
  });

  it('reports a lockout when an unconditional Deny removes every path', () => {
    const kp = keyPolicy(allowAll(), { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    assert.equal(putKeyPolicyAccess(kp, ACCOUNT).possible, false);
  });

  it('does not count another account, which can never call PutKeyPolicy on the key', () => {
    const kp = keyPolicy({ Effect: 'Allow', Principal: { AWS: OTHER_ROOT }, Action: 'kms:*', Resource: '*' });
    assert.equal(putKeyPolicyAccess(kp, ACCOUNT).possible, false);
    assert.equal(putKeyPolicyAccess(kp, OTHER_ACCOUNT, KEY_ARN).possible, false, 'PutKeyPolicy does not work across accounts');
  });

  it('sets conditional paths apart', () => {
    const kp = keyPolicy({ Sid: 'FromVpn', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    const access = putKeyPolicyAccess(kp, ACCOUNT);
    assert.equal(access.possible, false);
    assert.deepEqual(access.conditionalPaths.map((p) => [p.kind, p.statements[0]!.sid]), [['namedPrincipal', 'FromVpn']]);
  });

  it('refuses an account ID that is not one', () => {
    assert.throws(() => putKeyPolicyAccess(keyPolicy(), '1234'), RangeError);
  });
});
