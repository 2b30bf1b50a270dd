import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { evaluate } from '../../../core/authz/evaluate';
import type { AuthorizationInputs, AuthorizationRequest } from '../../../core/authz/request';
import { ValidationException } from '../../../core/authz/validateRequest';
import { parsePolicy } from '../../../core/policy/policyModel';
import { ACCOUNT, ALICE, KEY_ARN, allowAll, keyPolicy } from './helpers';

const inputs: AuthorizationInputs = { keyPolicy: keyPolicy(allowAll()), identityPolicies: [], grants: [] };
const good: AuthorizationRequest = { action: 'kms:Decrypt', principal: { arn: ALICE }, key: { arn: KEY_ARN } };

describe('validation at the boundary', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['an unknown action', { ...good, action: 'kms:Frobnicate' }, /not an AWS KMS action/],
    ['an action of another service', { ...good, action: 's3:GetObject' }, /not an AWS KMS action/],
    ['a principal that is not an ARN', { ...good, principal: { arn: 'alice' } }, /neither an ARN nor a service principal/],
    ['a role ARN as caller', { ...good, principal: { arn: `arn:aws:iam::${ACCOUNT}:role/Admin` } }, /is a role; a request is made by one of its sessions/],
    ['a session ARN without a session name', { ...good, principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin` } }, /not a complete assumed-role session/],
    ['a roleArn that is not the session role', { ...good, principal: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, roleArn: `arn:aws:iam::${ACCOUNT}:role/Other` } }, /is not the role of session/],
    ['a key ARN that is an alias ARN', { ...good, key: { arn: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/x` } }, /is not a key ARN/],
    ['a key ID instead of a key ARN', { ...good, key: { arn: '1234abcd-12ab-34cd-56ef-1234567890ab' } }, /is not a key ARN/],
    ['an encryption context with a non-string value', { ...good, encryptionContext: { a: 1 } }, /encryptionContext must map strings to strings/],
    ['a context value that is an object', { ...good, context: { 'aws:SourceIp': { ip: '1.2.3.4' } } }, /must be a string, number, boolean or list of strings/],
    ['principal tags that are not strings', { ...good, principal: { arn: ALICE, tags: { team: 5 } } }, /principal.tags/],
    ['no principal', { action: 'kms:Decrypt', key: { arn: KEY_ARN } }, /principal.arn is required/],
  ];
  for (const [what, request, message] of bad) {
    it(`refuses ${what} with a ValidationException`, () => {
      assert.throws(() => evaluate(request as AuthorizationRequest, inputs), (e: unknown) => e instanceof ValidationException && e.name === 'ValidationException' && message.test(e.message));
    });
  }

  it('refuses a malformed grant', () => {
    const grants = [{ GrantId: 'g', KeyId: KEY_ARN, GranteePrincipal: ALICE, Operations: 'Decrypt' }];
    assert.throws(() => evaluate(good, { ...inputs, grants: grants as never }), /Operations must be a list/);
    const constrained = [{ GrantId: 'g', KeyId: KEY_ARN, GranteePrincipal: ALICE, Operations: ['Decrypt'], Constraints: { EncryptionContextMaybe: {} } }];
    assert.throws(() => evaluate(good, { ...inputs, grants: constrained as never }), /is not a grant constraint/);
  });

  it('refuses a missing key policy: every key has one', () => {
    assert.throws(() => evaluate(good, { identityPolicies: [], grants: [] } as never), /A key policy is required/);
  });

  it('never throws for a broken policy, which simply allows nothing', () => {
    const texts = ['', '{', '[]', '{"Statement": "x"}', '{"Statement": [{"Effect": "Allow", "Principal": {"AWS": 5}, "Action": [], "Resource": {}}]}'];
    for (const text of texts) {
      const broken = parsePolicy(text).policy;
      const result = evaluate(good, { keyPolicy: broken, identityPolicies: [{ name: 'broken', policy: broken }], grants: [] });
      assert.equal(result.decision, 'implicitDeny', text);
    }
  });
});
