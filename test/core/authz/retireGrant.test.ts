import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Grant } from '../../../core/authz/request';
import { ALICE, BOB, KEY_ARN, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, ROOT, allowAll, decision, iam, keyPolicy, run } from './helpers';

/**
 * RetireGrant is authorized by the grant, not by policies (AWS KMS Developer Guide, retiring and revoking grants):
 * the retiring principal, the grantee when the grant allows RetireGrant, and, as a backup, the account in which
 * the grant was created. "The kms:RetireGrant permission is not effective in a key policy"; the account that owns
 * the key, and an account named as retiring principal, can delegate it to their IAM principals; a Deny in an IAM
 * policy stops it.
 */

const GRANT_ID = '0c237476b39f8bc44e45212e08498fbe3151305030726c0590dd8d3e9f3d6a60';
const THIRD_USER = 'arn:aws:iam::777788889999:user/Mallory';

function grant(overrides: Partial<Grant> = {}): Grant {
  return { GrantId: GRANT_ID, KeyId: KEY_ARN, GranteePrincipal: BOB, Operations: ['Decrypt'], ...overrides };
}

const retire = (principal: string) => ({ principal, action: 'kms:RetireGrant', grantId: GRANT_ID });
const mayRetire = iam('MayRetire', { Effect: 'Allow', Action: 'kms:RetireGrant', Resource: '*' });

describe('RetireGrant (AWS KMS Developer Guide, retiring and revoking grants)', () => {
  it('is not allowed by a key policy statement naming the caller: the permission is not effective there', () => {
    const namesAlice = keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' });
    const result = run(retire(ALICE), { keyPolicy: namesAlice, grants: [grant()] });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'RetireGrantNotAllowed');
    assert.match(result.explanation.reason, /not effective in a key policy/);
  });

  it('is allowed to an IAM principal of the key account whose IAM policy allows it, with no key policy delegation', () => {
    const namesBobOnly = keyPolicy({ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:*', Resource: '*' });
    const result = run(retire(ALICE), { keyPolicy: namesBobOnly, identityPolicies: [mayRetire], grants: [grant()] });
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.code, 'AllowedByRetireGrantDelegation');
    assert.equal(result.explanation.deciding[0]?.source.kind, 'identityPolicy');
  });

  it("is allowed to the key account's root user whatever the key policy says", () => {
    const namesBobOnly = keyPolicy({ Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:Decrypt', Resource: '*' });
    assert.equal(decision(retire(ROOT), { keyPolicy: namesBobOnly, grants: [grant()] }), 'allowed');
  });

  it('is allowed to the retiring principal and to a grantee whose grant allows RetireGrant', () => {
    assert.equal(decision(retire(ALICE), { keyPolicy: keyPolicy(allowAll()), grants: [grant({ RetiringPrincipal: ALICE })] }), 'allowed');
    assert.equal(decision(retire(BOB), { keyPolicy: keyPolicy(allowAll()), grants: [grant({ Operations: ['Decrypt', 'RetireGrant'] })] }), 'allowed');
    assert.equal(decision(retire(BOB), { keyPolicy: keyPolicy(allowAll()), grants: [grant()] }), 'implicitDeny');
  });

  it('lets an account named as retiring principal delegate to its IAM principals', () => {
    const byOtherAccount = grant({ RetiringPrincipal: OTHER_ROOT });
    const scenario = { keyPolicy: keyPolicy(allowAll()), grants: [byOtherAccount] };
    assert.equal(decision(retire(OTHER_ROOT), scenario), 'allowed');
    assert.equal(decision(retire(OTHER_USER), { ...scenario, identityPolicies: [mayRetire] }), 'allowed');
    assert.equal(decision(retire(OTHER_USER), scenario), 'implicitDeny', 'an IAM principal needs its IAM policy to allow it');
    const bareAccount = grant({ RetiringPrincipal: OTHER_ACCOUNT });
    assert.equal(decision(retire(OTHER_USER), { keyPolicy: keyPolicy(allowAll()), identityPolicies: [mayRetire], grants: [bareAccount] }), 'allowed');
  });

  it('is not allowed to a principal of an account the grant does not name, whatever its IAM policies say', () => {
    const result = run(retire(THIRD_USER), { keyPolicy: keyPolicy({ ...allowAll(), Principal: '*' }), identityPolicies: [mayRetire], grants: [grant()] });
    assert.equal(result.decision, 'implicitDeny');
  });

  it('is stopped by a Deny in an IAM policy, even for the retiring principal', () => {
    const deny = iam('NoRetire', { Effect: 'Deny', Action: 'kms:RetireGrant', Resource: '*' });
    assert.equal(decision(retire(ALICE), { keyPolicy: keyPolicy(allowAll()), identityPolicies: [deny], grants: [grant({ RetiringPrincipal: ALICE })] }), 'explicitDeny');
  });

  it('keeps naming the statements and grants that decide', () => {
    const result = run(retire(ALICE), { keyPolicy: keyPolicy(allowAll()), grants: [grant({ RetiringPrincipal: ALICE })] });
    assert.equal(result.explanation.code, 'AllowedByGrant');
    assert.deepEqual(result.explanation.deciding[0]?.source, { kind: 'grant', grantId: GRANT_ID });
  });
});
