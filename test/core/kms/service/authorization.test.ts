import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Explanation } from '../../../../core/authz/explanation';
import { callerFromIdentity, rootCaller, type Caller } from '../../../../core/kms/service';
import { ACCOUNT, OTHER_ACCOUNT, ROOT, bytes, harness, iamUser, rejectsWith } from './helpers';

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ROOT_ALL = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' };
const ADMIN_ONLY = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/admin` }, Action: 'kms:*', Resource: '*' };

async function keyWithPolicy(...statements: object[]) {
  const h = harness();
  const { KeyMetadata } = await h.kms.createKey({ Policy: policy(...statements), BypassPolicyLockoutSafetyCheck: true }, ROOT);
  return { ...h, keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

describe('Denials', () => {
  it('carry the evaluator explanation naming the deciding statement, and are in the audit log with the decision', async () => {
    const h = await keyWithPolicy(ROOT_ALL, { Sid: 'NoDecryptForBob', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/bob` }, Action: 'kms:Decrypt', Resource: '*' });
    const bob = iamUser('bob', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, bob);
    const error = await rejectsWith(
      h.kms.decrypt({ CiphertextBlob }, bob),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/bob is not authorized to perform: kms:Decrypt on resource: ${h.arn} with an explicit deny in a resource-based policy`,
    );
    const explanation = error.explanation as Explanation;
    assert.equal(explanation.decision, 'explicitDeny');
    assert.equal(explanation.deciding[0]!.sid, 'NoDecryptForBob');
    assert.equal(explanation.deciding[0]!.source.kind, 'keyPolicy');
    const [event] = h.log.read({ outcome: 'accessDenied' });
    assert.equal(event!.eventName, 'Decrypt');
    assert.equal(event!.errorCode, 'AccessDeniedException');
    assert.equal(event!.resources?.[0]?.ARN, h.arn);
    assert.equal(event!.kmsStudio?.authorization?.decision, 'explicitDeny');
    assert.deepEqual(event!.kmsStudio?.authorization?.deciding, [{ source: 'keyPolicy', index: 1, sid: 'NoDecryptForBob' }]);
  });

  it('word an explicit deny in an IAM policy as AWS does', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    const carol = iamUser('carol', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }, { Sid: 'NoDisable', Effect: 'Deny', Action: 'kms:DisableKey', Resource: '*' }]);
    const error = await rejectsWith(h.kms.disableKey({ KeyId: h.keyId }, carol), 'AccessDeniedException', /with an explicit deny in an identity-based policy$/);
    assert.equal((error.explanation as Explanation).deciding[0]!.sid, 'NoDisable');
  });
});

describe('Key policy and IAM policies', () => {
  it('IAM alone is not enough: an IAM allow on a key whose policy does not delegate to the account is denied', async () => {
    const h = await keyWithPolicy(ADMIN_ONLY);
    const dave = iamUser('dave', [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }]);
    const error = await rejectsWith(
      h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, dave),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/dave is not authorized to perform: kms:Encrypt on resource: ${h.arn} because no resource-based policy allows the kms:Encrypt action`,
    );
    assert.equal((error.explanation as Explanation).code, 'IamPolicyWithoutKeyPolicyDelegation');
    // The same IAM policy works once the key policy delegates to the account (the default key policy's statement).
    // The admin keeps PutKeyPolicy under the new policy through an IAM policy of its own, or the lockout check refuses.
    await h.kms.putKeyPolicy({ KeyId: h.keyId, Policy: policy(ROOT_ALL) }, iamUser('admin', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }]));
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, dave);
  });

  it('a key policy naming the principal allows it without any IAM policy', async () => {
    const h = await keyWithPolicy(ADMIN_ONLY, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/erin` }, Action: 'kms:Encrypt', Resource: '*' });
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, iamUser('erin', []));
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, rootCaller(ACCOUNT)), 'AccessDeniedException');
  });

  it('with a delegating key policy, a principal without an IAM allow is denied "because no identity-based policy allows"', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, iamUser('frank', [])), 'AccessDeniedException', /because no identity-based policy allows the kms:Encrypt action$/);
  });
});

describe('The request context', () => {
  it('has the encryption context, the source IP and the KMS clock time for conditions to test', async () => {
    const h = await keyWithPolicy(ROOT_ALL, {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/app` },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:EncryptionContext:tenant': 'a' },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        DateLessThan: { 'aws:CurrentTime': '2024-02-01T00:00:00Z' },
      },
    });
    const app = iamUser('app', [], ACCOUNT, { sourceIp: '10.1.2.3' });
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a' } }, app);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'b' } }, app), 'AccessDeniedException');
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a' } }, { ...app, context: { sourceIp: '192.168.0.1' } }), 'AccessDeniedException');
    h.clock.advance(31);
    const late = await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a' } }, app), 'AccessDeniedException');
    const mismatch = (late.explanation as Explanation).conditionMismatches.find((m) => m.key === 'aws:CurrentTime');
    assert.deepEqual(mismatch?.requestValues, ['2024-02-01T00:00:00Z']);
  });

  it('refuses more than 10 grant tokens, and a token this KMS did not issue', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    const tokens = Array.from({ length: 11 }, (_, i) => `token-${i}`);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: tokens }, ROOT), 'ValidationException', /at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10/);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: ['token'] }, ROOT), 'InvalidGrantTokenException', 'The grant token is not valid.');
  });
});

describe('Callers', () => {
  it('acts for an identities.json entry; a role there calls as a session of the role', async () => {
    const h = await keyWithPolicy(ROOT_ALL, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/App` }, Action: 'kms:Encrypt', Resource: '*' });
    const caller = callerFromIdentity({ principal: `arn:aws:iam::${ACCOUNT}:role/App`, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's', policies: [], tags: {} });
    assert.equal(caller.principal, `arn:aws:sts::${ACCOUNT}:assumed-role/App/kms-studio`);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, caller);
    const [event] = h.log.read({ operation: 'Encrypt' });
    assert.equal(event!.userIdentity.type, 'AssumedRole');
    assert.equal(event!.userIdentity.accessKeyId, 'AKIAIOSFODNN7EXAMPLE');
  });

  it('names IAM policies of an identities.json entry by their place in the file', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    const caller = callerFromIdentity({
      principal: `arn:aws:iam::${ACCOUNT}:user/gina`,
      accessKeyId: 'AKIAGINA000000000000',
      secretAccessKey: 's',
      policies: [{ Version: '2012-10-17', Statement: [{ Sid: 'NoEncrypt', Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*' }] }],
      tags: {},
    });
    const error = await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, caller), 'AccessDeniedException');
    assert.deepEqual((error.explanation as Explanation).deciding[0]!.source, { kind: 'identityPolicy', name: 'policies[0]' });
  });

  it('from another account uses a key whose policy allows that account, when its IAM policy allows too', async () => {
    const h = await keyWithPolicy(ROOT_ALL, { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: ['kms:Encrypt', 'kms:DisableKey'], Resource: '*' });
    const outsider = iamUser('outsider', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }], OTHER_ACCOUNT);
    assert.equal((await h.kms.encrypt({ KeyId: h.arn, Plaintext: bytes('x') }, outsider)).KeyId, h.arn);
    // A key ID alone names a key of the caller's own account.
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, outsider), 'NotFoundException');
    // DisableKey cannot be called across accounts, whatever the policies say.
    await rejectsWith(h.kms.disableKey({ KeyId: h.arn }, outsider), 'AccessDeniedException');
  });

  it('refuses a Caller whose principal is not one, before anything is recorded', async () => {
    const { kms, log } = harness();
    await assert.rejects(kms.listKeys({}, { principal: 'nobody' }), TypeError);
    assert.equal(log.read().length, 0);
  });
});

describe('Decisions kept for repeated requests', () => {
  it('answers a repeated request from the decision cache, and decides afresh as soon as anything it reads changes', async () => {
    const h = await keyWithPolicy(ROOT_ALL, {
      Sid: 'App',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/app` },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: {
        StringEquals: { 'kms:EncryptionContext:tenant': 'a', 'aws:PrincipalTag/team': 'blue', 'aws:ResourceTag/env': 'prod' },
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        DateLessThan: { 'aws:CurrentTime': '2024-01-01T00:00:05Z' },
      },
    });
    await h.kms.tagResource({ KeyId: h.keyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }] }, ROOT);
    const app: Caller = { ...iamUser('app', [], ACCOUNT, { sourceIp: '10.1.2.3' }), tags: { team: 'blue' } };
    const encrypt = (caller: Caller = app, tenant = 'a') => h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant } }, caller);
    const allowedTwice = [await encrypt(), await encrypt()];
    assert.equal(allowedTwice.length, 2);
    await rejectsWith(encrypt(app, 'b'), 'AccessDeniedException');
    await rejectsWith(encrypt({ ...app, context: { sourceIp: '192.168.0.1' } }), 'AccessDeniedException');
    await rejectsWith(encrypt({ ...app, tags: { team: 'red' } }), 'AccessDeniedException');
    // The same Caller object, changed in place: decided by what it says now.
    app.tags = { team: 'red' };
    await rejectsWith(encrypt(), 'AccessDeniedException');
    app.tags = { team: 'blue' };
    await encrypt();
    // One encryption context object, changed in place between calls: decided by what it says now each time.
    const context: Record<string, string> = { tenant: 'a' };
    const encryptIn = () => h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: context }, app);
    await encryptIn();
    context['tenant'] = 'b';
    await rejectsWith(encryptIn(), 'AccessDeniedException');
    context['tenant'] = 'a';
    await encryptIn();
    delete context['tenant'];
    await rejectsWith(encryptIn(), 'AccessDeniedException');
    await h.kms.tagResource({ KeyId: h.keyId, Tags: [{ TagKey: 'env', TagValue: 'test' }] }, ROOT);
    await rejectsWith(encrypt(), 'AccessDeniedException');
    await h.kms.tagResource({ KeyId: h.keyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }] }, ROOT);
    await encrypt();
    // A grant allows at once, and stops allowing the moment it is revoked.
    const other = iamUser('other', []);
    await rejectsWith(encrypt(other), 'AccessDeniedException');
    const { GrantId } = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: other.principal, Operations: ['Encrypt'] }, ROOT);
    await encrypt(other);
    await h.kms.revokeGrant({ KeyId: h.keyId, GrantId }, ROOT);
    await rejectsWith(encrypt(other), 'AccessDeniedException');
    // A new key policy decides the next call.
    await h.kms.putKeyPolicy({ KeyId: h.keyId, PolicyName: 'default', Policy: policy(ROOT_ALL) }, ROOT);
    await rejectsWith(encrypt(), 'AccessDeniedException');
    await h.kms.putKeyPolicy({ KeyId: h.keyId, PolicyName: 'default', Policy: policy(ROOT_ALL, { Effect: 'Allow', Principal: { AWS: app.principal }, Action: 'kms:Encrypt', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2024-01-01T00:00:05Z' } } }) }, ROOT);
    await encrypt();
    // The next second is another request: past the condition's time, denied.
    h.clock.advanceMs(5_000);
    await rejectsWith(encrypt(), 'AccessDeniedException');
  });

  it('decides afresh when only the key\'s aliases or the operation\'s own condition keys differ from the call before', async () => {
    const h = await keyWithPolicy(ROOT_ALL, {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/app` },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/app' } },
    });
    const app = iamUser('app', []);
    const encrypt = () => h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, app);
    await rejectsWith(encrypt(), 'AccessDeniedException');
    await h.kms.createAlias({ AliasName: 'alias/app', TargetKeyId: h.keyId }, ROOT);
    await encrypt();
    await h.kms.deleteAlias({ AliasName: 'alias/app' }, ROOT);
    await rejectsWith(encrypt(), 'AccessDeniedException');
    // An RSA key takes two encryption algorithms: kms:EncryptionAlgorithm is all that differs between the calls.
    const { KeyMetadata } = await h.kms.createKey(
      {
        KeySpec: 'RSA_2048',
        KeyUsage: 'ENCRYPT_DECRYPT',
        Policy: policy(ROOT_ALL, { Effect: 'Allow', Principal: { AWS: app.principal }, Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionAlgorithm': 'RSAES_OAEP_SHA_256' } } }),
      },
      ROOT,
    );
    const rsa = (EncryptionAlgorithm: string) => h.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('x'), EncryptionAlgorithm }, app);
    await rsa('RSAES_OAEP_SHA_256');
    await rejectsWith(rsa('RSAES_OAEP_SHA_1'), 'AccessDeniedException');
    await rsa('RSAES_OAEP_SHA_256');
  });

  it('gives calls decided alike one frozen summary in their audit events, each evaluated afresh or not', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    for (const message of ['1', '2', '3', '3']) await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { message } }, ROOT);
    const summaries = h.log.read().filter((e) => e.eventName === 'Encrypt').map((e) => e.kmsStudio?.authorization);
    assert.equal(summaries.length, 4);
    assert.ok(summaries.every((s) => s === summaries[0] && Object.isFrozen(s)));
    assert.equal(summaries[0]?.decision, 'allowed');
  });

  it('never takes an encryption context of bytes with members for the one before it', async () => {
    const h = await keyWithPolicy(ROOT_ALL, {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/app` },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:tenant': 'a' } },
    });
    const app = iamUser('app', []);
    const context = (tenant: string) => Object.assign(new Uint8Array(0), { tenant }) as unknown as Record<string, string>;
    const dryRun = (tenant: string) => h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: context(tenant), DryRun: true }, app);
    await rejectsWith(dryRun('a'), 'DryRunOperationException');
    await rejectsWith(dryRun('b'), 'AccessDeniedException');
  });

  it('decides alike whether or not a request was seen before, for values JSON cannot carry', async () => {
    const h = await keyWithPolicy(ROOT_ALL);
    const odd: Caller = { ...ROOT, context: { conditionKeys: { 'aws:SourceAccount': undefined as unknown as string } } };
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push(await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, odd).then(() => 'allowed', (e: Error) => e.name));
    }
    assert.equal(new Set(outcomes).size, 1, outcomes.join(' '));
  });
});
