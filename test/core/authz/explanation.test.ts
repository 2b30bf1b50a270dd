import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACCOUNT, ALICE, BOB, KEY_ARN, OTHER_USER, allowAll, iam, keyPolicy, run } from './helpers';
import type { Policy } from '../../../core/policy/model';

function textOf(policy: Policy, span: { offset?: number; length?: number }): string {
  return policy.text.slice(span.offset!, span.offset! + span.length!);
}

describe('explanations', () => {
  it('point at the deciding key policy statement by Sid, index and span', () => {
    const kp = keyPolicy(allowAll(), { Sid: 'AliceDecrypts', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' });
    const result = run({ principal: ALICE }, { keyPolicy: kp });
    const [ref] = result.explanation.deciding;
    assert.deepEqual({ source: ref!.source, sid: ref!.sid, index: ref!.index, effect: ref!.effect }, { source: { kind: 'keyPolicy' }, sid: 'AliceDecrypts', index: 1, effect: 'Allow' });
    assert.match(textOf(kp, ref!), /^\{\s*"Sid": "AliceDecrypts"[\s\S]*\}$/);
    assert.equal(result.explanation.reason, `Allowed by the key policy's statement "AliceDecrypts"`);
  });

  it('name the IAM policy by name, and a statement without Sid by its position', () => {
    const deny = iam('Guardrail', { Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }, { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    const result = run({ principal: ALICE }, { keyPolicy: keyPolicy(allowAll()), identityPolicies: [deny] });
    assert.equal(result.decision, 'explicitDeny');
    assert.equal(result.explanation.reason, 'Denied explicitly by IAM policy "Guardrail" statement #2');
    const ref = result.explanation.deciding[0]!;
    assert.deepEqual(ref.source, { kind: 'identityPolicy', name: 'Guardrail' });
    assert.match(textOf(deny.policy, ref), /"Effect": "Deny"/);
  });

  it('give the operator, key, policy values and request value of a condition that kept a statement from applying', () => {
    const kp = keyPolicy({
      Sid: 'ViaS3Only',
      Effect: 'Allow',
      Principal: { AWS: ALICE },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': ['s3.us-west-2.amazonaws.com', 's3.us-east-1.amazonaws.com'] } },
    });
    const result = run({ principal: ALICE, context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } }, { keyPolicy: kp });
    assert.equal(result.decision, 'implicitDeny');
    const [miss] = result.explanation.conditionMismatches;
    assert.equal(miss?.statement.sid, 'ViaS3Only');
    assert.equal(miss?.operator, 'StringEquals');
    assert.equal(miss?.key, 'kms:ViaService');
    assert.deepEqual(miss?.policyValues, ['s3.us-west-2.amazonaws.com', 's3.us-east-1.amazonaws.com']);
    assert.deepEqual(miss?.requestValues, ['ec2.us-west-2.amazonaws.com']);
    assert.match(kp.text.slice(miss!.offset, miss!.offset + miss!.length), /^"kms:ViaService": \[/);
    assert.match(result.explanation.reason, /statement "ViaS3Only" would allow it, but its condition StringEquals kms:ViaService is not met/);
  });

  it('say what was missing for each kind of implicit deny', () => {
    const delegating = keyPolicy(allowAll());
    assert.equal(
      run({ principal: ALICE }, { keyPolicy: delegating }).explanation.reason,
      "The key policy delegates to account 111122223333's IAM policies, but no IAM policy allows kms:Decrypt on this key",
    );
    assert.equal(
      run({ principal: BOB }, { keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' }) }).explanation.reason,
      'The key policy does not allow this principal and does not delegate to IAM',
    );
    assert.equal(
      run({ principal: OTHER_USER, action: 'kms:PutKeyPolicy' }, { keyPolicy: delegating }).explanation.reason,
      `kms:PutKeyPolicy cannot be called across accounts (the caller is in 444455556666, the key in ${ACCOUNT})`,
    );
  });

  it('keep the whole trace: every statement with every element it checked', () => {
    const kp = keyPolicy(allowAll(), { Effect: 'Allow', Principal: { AWS: BOB }, Action: 'kms:Encrypt', Resource: '*' });
    const result = run({ principal: ALICE }, { keyPolicy: kp });
    assert.equal(result.explanation.statements.length, 2);
    const second = result.explanation.statements[1]!;
    assert.equal(second.applies, false);
    assert.deepEqual(second.elements.map((e) => [e.element, e.matches]), [['Principal', false], ['Action', false], ['Resource', true]]);
  });

  it('list the request context it evaluated, marking derived keys, and the grants it checked', () => {
    const result = run(
      { principal: ALICE, context: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } },
      { keyPolicy: keyPolicy(allowAll()), grants: [{ GrantId: 'g1', KeyId: KEY_ARN, GranteePrincipal: BOB, Operations: ['Decrypt'] }] },
    );
    const byName = new Map(result.explanation.context.map((e) => [e.name, e]));
    assert.equal(byName.get('aws:PrincipalArn')?.derived, true);
    assert.equal(byName.get('kms:ViaService')?.derived, false);
    assert.equal(result.explanation.grants[0]?.allows, false);
    assert.match(result.explanation.grants[0]!.note, /grantee is .*bob/);
  });

  it('are plain data that survive JSON for an audit event', () => {
    const result = run({ principal: ALICE }, { keyPolicy: keyPolicy(allowAll()) });
    assert.deepEqual(JSON.parse(JSON.stringify(result)), result);
  });
});
