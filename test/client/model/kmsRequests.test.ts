import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { callerForSetting, findIdentity, IdentityError, mergeIdentities, principalLabel, principalProblem } from '../../../client/src/model/actingIdentity';
import { ciphertextsMadeUnder, deletionWarning } from '../../../client/src/model/deletionWarning';
import { createGrantRequest, GrantInputError } from '../../../client/src/model/grantRequest';
import { grantText, materialText, shortPrincipal } from '../../../client/src/model/keyChildren';
import { sweepDue } from '../../../client/src/model/sweepDue';
import { costMarkdown, costReport } from '../../../client/src/model/costReport';
import type { Identity } from '../../../core/kms/store/identities';
import { fixture, recordOf, ROOT } from './kmsFixture';

const APP: Identity = {
  principal: 'arn:aws:iam::111122223333:role/App',
  accessKeyId: 'AKIAAPPAPPAPPAPP0001',
  secretAccessKey: 'secret',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] }],
  tags: { team: 'blue' },
};

describe('the acting identity', () => {
  it('is the account root user when the setting is empty', () => {
    assert.equal(callerForSetting('', []).principal, 'arn:aws:iam::111122223333:root');
    assert.equal(callerForSetting(undefined, []).principal, 'arn:aws:iam::111122223333:root');
  });
  it('acts as a listed role through a session, with its IAM policies and tags', () => {
    const caller = callerForSetting(APP.principal, [{ identity: APP, source: 'identities.json' }]);
    assert.equal(caller.principal, 'arn:aws:sts::111122223333:assumed-role/App/kms-studio');
    assert.equal(caller.roleArn, APP.principal);
    assert.equal(caller.policies?.length, 1);
    assert.deepEqual(caller.tags, { team: 'blue' });
  });
  it('finds a listed role by its session ARN too', () => {
    assert.equal(findIdentity('arn:aws:sts::111122223333:assumed-role/App/kms-studio', [{ identity: APP, source: 'x' }])?.identity, APP);
  });
  it('acts as an unlisted principal with no IAM policies', () => {
    const caller = callerForSetting('arn:aws:iam::111122223333:user/bob', []);
    assert.equal(caller.principal, 'arn:aws:iam::111122223333:user/bob');
    assert.deepEqual(caller.policies, []);
    assert.equal(caller.accessKeyId, undefined);
  });
  it('acts as an unlisted role through a session, as a listed one does', () => {
    const caller = callerForSetting('arn:aws:iam::111122223333:role/Auditor', []);
    assert.equal(caller.principal, 'arn:aws:sts::111122223333:assumed-role/Auditor/kms-studio');
    assert.equal(caller.roleArn, 'arn:aws:iam::111122223333:role/Auditor');
    assert.equal(principalProblem('arn:aws:iam::111122223333:role/Auditor'), undefined);
    assert.match(principalProblem('bob')!, /neither an ARN nor a service principal name\. Give an IAM user or role ARN/);
  });
  it('refuses a setting that names no principal, saying how to choose one', () => {
    assert.throws(() => callerForSetting('bob', []), (e: unknown) => e instanceof IdentityError && /KMS: Switch Identity/.test(e.message));
  });
  it('labels principals briefly for the status bar', () => {
    assert.equal(principalLabel('arn:aws:iam::111122223333:root'), 'root (111122223333)');
    assert.equal(principalLabel('arn:aws:iam::111122223333:role/App'), 'role/App');
    assert.equal(principalLabel('arn:aws:iam::111122223333:role/path/to/App'), 'role/App');
    assert.equal(principalLabel('arn:aws:sts::111122223333:assumed-role/App/s1'), 'role/App (session s1)');
    assert.equal(principalLabel('s3.amazonaws.com'), 's3.amazonaws.com');
  });
  it('merges identity files, the first declaration of a principal winning', () => {
    const other = { ...APP, accessKeyId: 'AKIAOTHEROTHEROTH01' };
    const merged = mergeIdentities([[{ identity: APP, source: 'store' }], [{ identity: other, source: 'workspace' }]]);
    assert.deepEqual(merged.map((m) => m.source), ['store']);
  });
});

describe('the CreateGrant request of the guided flow', () => {
  it('builds the request with the constraint it was given', () => {
    const request = createGrantRequest({
      keyId: 'k',
      granteePrincipal: ' arn:aws:iam::111122223333:role/Worker ',
      operations: ['Decrypt', 'GenerateDataKey'],
      constraint: { kind: 'EncryptionContextSubset', context: { app: 'payments' } },
      name: 'worker',
    });
    assert.deepEqual(request, {
      KeyId: 'k',
      GranteePrincipal: 'arn:aws:iam::111122223333:role/Worker',
      Operations: ['Decrypt', 'GenerateDataKey'],
      Constraints: { EncryptionContextSubset: { app: 'payments' } },
      Name: 'worker',
    });
  });
  it('names what is wrong: no operation, an unknown one, an empty constraint, a constraint on Sign', () => {
    const base = { keyId: 'k', granteePrincipal: 'arn:aws:iam::1:role/W' };
    assert.throws(() => createGrantRequest({ ...base, operations: [] }), /at least one operation/);
    assert.throws(() => createGrantRequest({ ...base, operations: ['Decrypt', 'Fly'] }), (e: unknown) => e instanceof GrantInputError && /Fly is not a grant operation/.test(e.message));
    assert.throws(() => createGrantRequest({ ...base, operations: ['Decrypt'], constraint: { kind: 'EncryptionContextEquals' } }), /needs at least one key=value/);
    assert.throws(() => createGrantRequest({ ...base, operations: ['Sign'], constraint: { kind: 'EncryptionContextSubset', context: { a: 'b' } } }), /cannot go with Sign/);
  });
});

describe('the children of a key', () => {
  it('shows a grant by name (else its ID), with grantee and operations', () => {
    const text = grantText({ GrantId: 'abcdef0123456789', GranteePrincipal: 'arn:aws:iam::111122223333:role/Worker', IssuingAccount: '111122223333', Operations: ['Decrypt'], CreationDate: '2024-01-01T00:00:00.000Z', Constraints: { EncryptionContextSubset: { app: 'p' } } });
    assert.equal(text.label, 'abcdef012345…');
    assert.equal(text.description, 'role/Worker: Decrypt');
    assert.match(text.tooltip, /Encryption context subset: \{"app":"p"\}/);
    assert.equal(shortPrincipal('arn:aws:iam::111122223333:root'), 'root (111122223333)');
  });
  it('shows material versions, marking the current one and how each came', () => {
    assert.equal(materialText({ id: 'a'.repeat(64), createdAt: '2024-01-01T00:00:00.000Z' }, 0, false).label, 'Version 1');
    const rotated = materialText({ id: 'b'.repeat(64), createdAt: '2025-01-01T00:00:00.000Z', rotationType: 'AUTOMATIC' }, 1, true);
    assert.equal(rotated.label, 'Version 2 (current)');
    assert.equal(rotated.description, '2025-01-01 · automatic rotation');
  });
});

describe('what the KMS clock made due', () => {
  it('is nothing for a fresh key, a passed deletion date, and a passed rotation date', async () => {
    const f = fixture();
    const key = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    assert.equal(sweepDue([recordOf(f, key.KeyId)], f.clock.now()), false);
    await f.kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 }, ROOT);
    assert.equal(sweepDue([recordOf(f, key.KeyId)], new Date('2024-01-07T00:00:00Z')), false);
    assert.equal(sweepDue([recordOf(f, key.KeyId)], new Date('2024-01-08T00:00:00Z')), true);
    const rotating = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    await f.kms.enableKeyRotation({ KeyId: rotating.KeyId, RotationPeriodInDays: 90 }, ROOT);
    assert.equal(sweepDue([recordOf(f, rotating.KeyId)], new Date('2024-04-01T00:00:00Z')), true);
  });
});

describe('the deletion warning', () => {
  it('counts what was encrypted under the key and names what goes with it', async () => {
    const f = fixture();
    const key = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    const other = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]) }, ROOT);
    await f.kms.generateDataKey({ KeyId: key.KeyId, KeySpec: 'AES_256' }, ROOT);
    await f.kms.encrypt({ KeyId: other.KeyId, Plaintext: new Uint8Array([1]) }, ROOT);
    const count = ciphertextsMadeUnder(key.Arn, f.log.read());
    assert.equal(count, 2);
    const warning = deletionWarning(key, 'alias/app', 7, new Date('2024-01-08T00:00:00Z'), count, ['alias/app'], 1);
    assert.equal(warning.message, 'Schedule deletion of alias/app in 7 days (on 2024-01-08)?');
    assert.match(warning.detail, /undecryptable: the audit log shows 2 encryptions under this key/);
    assert.match(warning.detail, /alias alias\/app is deleted; its 1 grant goes with it/);
    assert.match(warning.detail, /Cancel Key Deletion/);
  });
  it('speaks of signatures for a signing key', () => {
    const warning = deletionWarning({ KeyUsage: 'SIGN_VERIFY' }, 'k', 30, new Date('2024-02-01T00:00:00Z'), 0, [], 0);
    assert.match(warning.detail, /signatures can no longer be verified/);
  });
});

describe('the cost estimate', () => {
  it('bills keys by the hour until scheduled for deletion, and requests after the free tier', async () => {
    const f = fixture();
    const key = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    for (let i = 0; i < 3; i++) await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]) }, ROOT);
    f.clock.advance(10);
    const report = costReport([recordOf(f, key.KeyId)], f.log.read(), f.clock.now());
    assert.equal(Math.round(report.keys[0]!.hours), 240);
    assert.equal(report.estimate.requests.symmetric.requests, 4);
    assert.equal(report.estimate.requests.symmetric.billable, 0);
    assert.ok(report.estimate.total > 0.32 && report.estimate.total < 0.34, String(report.estimate.total));
    const markdown = costMarkdown(report);
    assert.match(markdown, /\*\*Total: 0\.33 USD\*\*/);
    assert.match(markdown, new RegExp(`\\| ${key.KeyId} \\| Encrypt \\| 3 \\| 0 \\|`));
  });
});
