import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACCOUNT, OTHER_ACCOUNT, REGION, ROOT, bytes, harness, iamUser, rejectsWith } from './helpers';

const aliasArn = (name: string, account = ACCOUNT) => `arn:aws:kms:${REGION}:${account}:${name}`;

describe('CreateAlias, UpdateAlias, DeleteAlias, ListAliases', () => {
  it('names a key, moves the name to another key, and deletes it', async () => {
    const { kms, clock } = harness();
    const a = (await kms.createKey({}, ROOT)).KeyMetadata;
    const b = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: a.Arn }, ROOT);
    assert.equal((await kms.describeKey({ KeyId: 'alias/app' }, ROOT)).KeyMetadata.KeyId, a.KeyId);
    assert.equal((await kms.describeKey({ KeyId: aliasArn('alias/app') }, ROOT)).KeyMetadata.KeyId, a.KeyId);
    clock.advance(1);
    await kms.updateAlias({ AliasName: 'alias/app', TargetKeyId: b.KeyId }, ROOT);
    const listed = (await kms.listAliases({ KeyId: b.KeyId }, ROOT)).Aliases;
    assert.deepEqual(listed, [
      { AliasName: 'alias/app', AliasArn: aliasArn('alias/app'), TargetKeyId: b.KeyId, CreationDate: new Date('2024-01-01T00:00:00Z'), LastUpdatedDate: new Date('2024-01-02T00:00:00Z') },
    ]);
    assert.deepEqual((await kms.listAliases({ KeyId: a.KeyId }, ROOT)).Aliases, []);
    await kms.deleteAlias({ AliasName: 'alias/app' }, ROOT);
    await rejectsWith(kms.describeKey({ KeyId: 'alias/app' }, ROOT), 'NotFoundException', `Alias ${aliasArn('alias/app')} is not found.`);
    await rejectsWith(kms.deleteAlias({ AliasName: 'alias/app' }, ROOT), 'NotFoundException', `Alias ${aliasArn('alias/app')} is not found.`);
  });

  it('refuses an alias name that exists, lacks the alias/ prefix, has other characters, or is reserved for AWS', async () => {
    const { kms } = harness();
    const key = (await kms.createKey({}, ROOT)).KeyMetadata.KeyId;
    await kms.createAlias({ AliasName: 'alias/Ok_name-1:x/y', TargetKeyId: key }, ROOT);
    await rejectsWith(kms.createAlias({ AliasName: 'alias/Ok_name-1:x/y', TargetKeyId: key }, ROOT), 'AlreadyExistsException', `An alias with the name ${aliasArn('alias/Ok_name-1:x/y')} already exists`);
    await rejectsWith(kms.createAlias({ AliasName: 'app', TargetKeyId: key }, ROOT), 'ValidationException', /Alias must start with the prefix "alias\/"/);
    await rejectsWith(kms.createAlias({ AliasName: 'alias/has space', TargetKeyId: key }, ROOT), 'ValidationException', /at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    await rejectsWith(kms.createAlias({ AliasName: `alias/${'x'.repeat(251)}`, TargetKeyId: key }, ROOT), 'ValidationException', /have length less than or equal to 256/);
    await rejectsWith(kms.createAlias({ AliasName: 'alias/aws/mine', TargetKeyId: key }, ROOT), 'NotAuthorizedException');
    await rejectsWith(kms.deleteAlias({ AliasName: 'alias/aws/s3' }, ROOT), 'NotAuthorizedException');
  });

  it('moves an alias only between keys of the same type and usage', async () => {
    const { kms } = harness();
    const sym = (await kms.createKey({}, ROOT)).KeyMetadata.KeyId;
    const hmac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT)).KeyMetadata.KeyId;
    await kms.createAlias({ AliasName: 'alias/x', TargetKeyId: sym }, ROOT);
    await rejectsWith(kms.updateAlias({ AliasName: 'alias/x', TargetKeyId: hmac }, ROOT), 'ValidationException', /symmetric ENCRYPT_DECRYPT/);
  });

  it('allows at most 50 aliases per key', async () => {
    const { kms } = harness();
    const key = (await kms.createKey({}, ROOT)).KeyMetadata.KeyId;
    for (let i = 0; i < 50; i++) await kms.createAlias({ AliasName: `alias/a${i}`, TargetKeyId: key }, ROOT);
    await rejectsWith(kms.createAlias({ AliasName: 'alias/a50', TargetKeyId: key }, ROOT), 'LimitExceededException');
  });

  it('needs permission on the alias from an IAM policy besides permission on the key', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    const keyOnly = iamUser('keyonly', [{ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: KeyMetadata.Arn }]);
    await rejectsWith(
      kms.createAlias({ AliasName: 'alias/x', TargetKeyId: KeyMetadata.KeyId }, keyOnly),
      'AccessDeniedException',
      `User: arn:aws:iam::${ACCOUNT}:user/keyonly is not authorized to perform: kms:CreateAlias on resource: ${aliasArn('alias/x')} because no identity-based policy allows the kms:CreateAlias action`,
    );
    const both = iamUser('both', [{ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: [KeyMetadata.Arn, aliasArn('alias/*')] }]);
    await kms.createAlias({ AliasName: 'alias/x', TargetKeyId: KeyMetadata.KeyId }, both);
  });

  it('lists the AWS managed aliases of the account before their keys exist, without a TargetKeyId', async () => {
    const { kms } = harness();
    const aliases = (await kms.listAliases({}, ROOT)).Aliases;
    const s3 = aliases.find((a) => a.AliasName === 'alias/aws/s3');
    assert.deepEqual(s3, { AliasName: 'alias/aws/s3', AliasArn: aliasArn('alias/aws/s3') });
    const page1 = await kms.listAliases({ Limit: 3 }, ROOT);
    assert.equal(page1.Aliases.length, 3);
    const page2 = await kms.listAliases({ Limit: 100, Marker: page1.NextMarker! }, ROOT);
    assert.equal(page1.Aliases.length + page2.Aliases.length, aliases.length);
    await rejectsWith(kms.listAliases({ Limit: 101 }, ROOT), 'ValidationException', /less than or equal to 100/);
  });
});

describe('An alias is not a key', () => {
  it('works where the API takes an alias, and is an invalid key ID where it takes only a key ID or ARN', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: KeyMetadata.KeyId }, ROOT);
    await kms.encrypt({ KeyId: 'alias/app', Plaintext: bytes('x') }, ROOT);
    await rejectsWith(kms.disableKey({ KeyId: 'alias/app' }, ROOT), 'NotFoundException', 'Invalid keyId alias/app');
    await rejectsWith(kms.scheduleKeyDeletion({ KeyId: aliasArn('alias/app') }, ROOT), 'NotFoundException', `Invalid keyId ${aliasArn('alias/app')}`);
    await rejectsWith(kms.getKeyPolicy({ KeyId: 'alias/app' }, ROOT), 'NotFoundException', 'Invalid keyId alias/app');
    await rejectsWith(kms.createAlias({ AliasName: 'alias/other', TargetKeyId: 'alias/app' }, ROOT), 'NotFoundException', 'Invalid keyId alias/app');
    await rejectsWith(kms.listAliases({ KeyId: 'alias/app' }, ROOT), 'NotFoundException', 'Invalid keyId alias/app');
  });

  it('does not stand for the key in a policy Resource: allowing the alias ARN allows nothing on the key', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: KeyMetadata.KeyId }, ROOT);
    const byAliasArn = iamUser('app', [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: aliasArn('alias/app') }]);
    await rejectsWith(kms.encrypt({ KeyId: 'alias/app', Plaintext: bytes('x') }, byAliasArn), 'AccessDeniedException', /because no identity-based policy allows the kms:Encrypt action/);
    // The alias the request names is a condition key instead: kms:RequestAlias.
    const byRequestAlias = iamUser('app2', [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:RequestAlias': 'alias/app' } } }]);
    await kms.encrypt({ KeyId: 'alias/app', Plaintext: bytes('x') }, byRequestAlias);
    await rejectsWith(kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('x') }, byRequestAlias), 'AccessDeniedException');
  });

  it('of another account is found only by its alias ARN', async () => {
    const { kms } = harness();
    const other = { principal: `arn:aws:iam::${OTHER_ACCOUNT}:root` };
    const { KeyMetadata } = await kms.createKey({}, other);
    await kms.createAlias({ AliasName: 'alias/shared', TargetKeyId: KeyMetadata.KeyId }, other);
    await rejectsWith(kms.describeKey({ KeyId: 'alias/shared' }, ROOT), 'NotFoundException', `Alias ${aliasArn('alias/shared')} is not found.`);
    // Found by ARN; the other account's default key policy does not let this account in.
    await rejectsWith(kms.describeKey({ KeyId: aliasArn('alias/shared', OTHER_ACCOUNT) }, ROOT), 'AccessDeniedException', /because no resource-based policy allows the kms:DescribeKey action/);
    await rejectsWith(kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${KeyMetadata.KeyId}' does not exist`);
    assert.deepEqual((await kms.listAliases({}, other)).Aliases.filter((a) => !a.AliasName.startsWith('alias/aws/')).map((a) => a.AliasArn), [aliasArn('alias/shared', OTHER_ACCOUNT)]);
  });
});

describe('AWS managed keys', () => {
  it('come into being on first use of alias/aws/<service>, managed by AWS and usable only through the service', async () => {
    const { kms } = harness();
    const m = (await kms.describeKey({ KeyId: 'alias/aws/s3' }, ROOT)).KeyMetadata;
    assert.deepEqual([m.KeyManager, m.KeyState, m.KeySpec], ['AWS', 'Enabled', 'SYMMETRIC_DEFAULT']);
    assert.equal((await kms.describeKey({ KeyId: 'alias/aws/s3' }, ROOT)).KeyMetadata.KeyId, m.KeyId, 'the same key on the next use');
    assert.equal((await kms.listAliases({ KeyId: m.KeyId }, ROOT)).Aliases[0]!.AliasName, 'alias/aws/s3');
    await rejectsWith(kms.encrypt({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') }, ROOT), 'AccessDeniedException', /because no resource-based policy allows the kms:Encrypt action/);
    const viaS3 = { ...ROOT, context: { viaService: `s3.${REGION}.amazonaws.com` } };
    const e = await kms.encrypt({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') }, viaS3);
    assert.equal(e.KeyId, m.Arn);
    const viaEc2 = { ...ROOT, context: { viaService: `ec2.${REGION}.amazonaws.com` } };
    await rejectsWith(kms.encrypt({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') }, viaEc2), 'AccessDeniedException');
    const policy = JSON.parse((await kms.getKeyPolicy({ KeyId: m.KeyId }, ROOT)).Policy);
    assert.deepEqual(policy.Statement[0].Condition, { StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': `s3.${REGION}.amazonaws.com` } });
  });

  it('cannot be disabled, deleted, re-policied, tagged or aliased by anyone, the root user included', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.describeKey({ KeyId: 'alias/aws/ebs' }, ROOT)).KeyMetadata;
    const policy = (await kms.getKeyPolicy({ KeyId }, ROOT)).Policy;
    const calls = [
      () => kms.disableKey({ KeyId }, ROOT),
      () => kms.scheduleKeyDeletion({ KeyId }, ROOT),
      () => kms.putKeyPolicy({ KeyId, Policy: policy }, ROOT),
      () => kms.tagResource({ KeyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }, ROOT),
      () => kms.createAlias({ AliasName: 'alias/mine', TargetKeyId: KeyId }, ROOT),
    ];
    for (const call of calls) await rejectsWith(call(), 'AccessDeniedException', /because no resource-based policy allows/);
  });

  it('are created only for services AWS has them for', async () => {
    const { kms } = harness();
    await rejectsWith(kms.describeKey({ KeyId: 'alias/aws/no-such-service' }, ROOT), 'NotFoundException', `Alias ${aliasArn('alias/aws/no-such-service')} is not found.`);
  });
});
