import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LOCKOUT_MESSAGE } from '../../../../core/kms/service';
import { ACCOUNT, ROOT, harness, iamUser, rejectsWith } from './helpers';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ROOT_ALL = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const ALICE_USE = { Sid: 'AliceUses', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' };

describe('GetKeyPolicy, PutKeyPolicy, ListKeyPolicies', () => {
  it('replaces the key policy and returns it exactly as given, under the one name "default"', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const text = `${policy(ROOT_ALL, ALICE_USE)}\n`;
    await kms.putKeyPolicy({ KeyId, Policy: text }, ROOT);
    assert.deepEqual(await kms.getKeyPolicy({ KeyId, PolicyName: 'default' }, ROOT), { Policy: text, PolicyName: 'default' });
    assert.deepEqual(await kms.listKeyPolicies({ KeyId }, ROOT), { PolicyNames: ['default'], Truncated: false });
    await rejectsWith(kms.getKeyPolicy({ KeyId, PolicyName: 'other' }, ROOT), 'NotFoundException', 'No such policy exists');
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: text, PolicyName: 'other' }, ROOT), 'UnsupportedOperationException');
  });

  it('takes effect on the next request', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const alice = iamUser('alice', []);
    await rejectsWith(kms.encrypt({ KeyId, Plaintext: new Uint8Array(1) }, alice), 'AccessDeniedException');
    await kms.putKeyPolicy({ KeyId, Policy: policy(ROOT_ALL, ALICE_USE) }, ROOT);
    await kms.encrypt({ KeyId, Plaintext: new Uint8Array(1) }, alice);
  });

  it('refuses a policy that would lock everyone out of the key, unless BypassPolicyLockoutSafetyCheck', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const lockout = policy(ALICE_USE);
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: lockout }, ROOT), 'MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
    await rejectsWith(kms.createKey({ Policy: lockout }, ROOT), 'MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
    await kms.putKeyPolicy({ KeyId, Policy: lockout, BypassPolicyLockoutSafetyCheck: true }, ROOT);
    // And it did lock the key: not even the root user can change it back.
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: policy(ROOT_ALL) }, ROOT), 'AccessDeniedException');
  });

  it('refuses a policy under which the caller itself could not call PutKeyPolicy again, though others could', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const adminRole = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
    const admin = { principal: `arn:aws:sts::${ACCOUNT}:assumed-role/KeyAdmin/ops` };
    const roleOnly = policy({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: adminRole }, Action: 'kms:*', Resource: '*' });
    // The root user would hand the key to the role and lose it: refused, as AWS refuses it.
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: roleOnly }, ROOT), 'MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
    await rejectsWith(kms.createKey({ Policy: roleOnly }, ROOT), 'MalformedPolicyDocumentException', LOCKOUT_MESSAGE);
    // The role itself may make the same change: it keeps PutKeyPolicy.
    const created = await kms.createKey({ Policy: roleOnly }, { ...admin, policies: [{ name: 'create', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' }] } }] });
    await kms.putKeyPolicy({ KeyId: created.KeyMetadata.KeyId, Policy: policy(ROOT_ALL, JSON.parse(roleOnly).Statement[0]) }, admin);
    // A user whose access comes only from its IAM policy keeps it under a policy that delegates to the account.
    const bob = iamUser('bob', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
    await kms.putKeyPolicy({ KeyId, Policy: policy(ROOT_ALL, ALICE_USE) }, bob);
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: policy(ROOT_ALL) }, iamUser('carol', [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }])), 'AccessDeniedException');
  });

  it('refuses documents that are not key policies with MalformedPolicyDocumentException', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const bad: [string, RegExp][] = [
      ['{"Version": "2012-10-17", "Statement": [', /not valid JSON/],
      ['[]', /must be a JSON object/],
      [policy({ ...ROOT_ALL, Principal: { AWS: 'arn:aws:iam::12345:root' } }), /^Policy contains a statement with one or more invalid principals\.$/],
      [policy({ ...ROOT_ALL, Principal: undefined }), /no Principal/],
      [policy({ ...ROOT_ALL, Effect: 'Maybe' }), /Effect/],
      [JSON.stringify({ Version: '2012-10-17' }), /no Statement/],
      [JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_ALL], Extra: 1 }), /unknown element Extra/],
    ];
    for (const [text, message] of bad) await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: text }, ROOT), 'MalformedPolicyDocumentException', message);
  });

  it('refuses a policy over 32 KB, and one of characters outside the policy grammar', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const padded = (size: number) => {
      const base = policy({ ...ROOT_ALL, Sid: '' });
      return policy({ ...ROOT_ALL, Sid: 'x'.repeat(size - base.length) });
    };
    await kms.putKeyPolicy({ KeyId, Policy: padded(32768) }, ROOT);
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: padded(32769) }, ROOT), 'MalformedPolicyDocumentException', /32769 bytes; a key policy is at most 32768 bytes/);
    await rejectsWith(kms.putKeyPolicy({ KeyId, Policy: policy({ ...ROOT_ALL, Sid: 'ключ' }) }, ROOT), 'ValidationException', /at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern/);
  });
});
