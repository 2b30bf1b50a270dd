import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { defaultKeyPolicy } from '../../../../core/kms/service';
import { ACCOUNT, REGION, ROOT, harness, rejectsWith } from './helpers';

describe('CreateKey', () => {
  it('creates an enabled symmetric encryption key with the default key policy when asked for nothing', async () => {
    const { kms } = harness();
    const { KeyMetadata: m } = await kms.createKey({}, ROOT);
    assert.match(m.KeyId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(m.Arn, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${m.KeyId}`);
    assert.equal(m.AWSAccountId, ACCOUNT);
    assert.deepEqual(
      { KeySpec: m.KeySpec, CustomerMasterKeySpec: m.CustomerMasterKeySpec, KeyUsage: m.KeyUsage, KeyState: m.KeyState, Enabled: m.Enabled, Origin: m.Origin, KeyManager: m.KeyManager, MultiRegion: m.MultiRegion },
      { KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Enabled: true, Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', MultiRegion: false },
    );
    assert.deepEqual(m.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.match(m.CurrentKeyMaterialId!, /^[0-9a-f]{64}$/);
    assert.equal(m.CreationDate.toISOString(), '2024-01-01T00:00:00.000Z');
    const { Policy } = await kms.getKeyPolicy({ KeyId: m.KeyId }, ROOT);
    assert.equal(Policy, defaultKeyPolicy(ACCOUNT));
    assert.deepEqual(JSON.parse(Policy), {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
    });
  });

  it('lists the algorithms of each key spec and usage, as DescribeKey reports them', async () => {
    const { kms } = harness();
    const cases: [string, string, Record<string, string[]>][] = [
      ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }],
      ['RSA_2048', 'SIGN_VERIFY', { SigningAlgorithms: ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512'] }],
      ['ECC_NIST_P384', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_384'] }],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }],
      ['ECC_NIST_P256', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }],
      ['HMAC_384', 'GENERATE_VERIFY_MAC', { MacAlgorithms: ['HMAC_SHA_384'] }],
    ];
    for (const [KeySpec, KeyUsage, algorithms] of cases) {
      const { KeyMetadata } = await kms.createKey({ KeySpec, KeyUsage }, ROOT);
      const { KeyMetadata: m } = await kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT);
      assert.equal(m.KeySpec, KeySpec);
      for (const field of ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'] as const) {
        assert.deepEqual(m[field], algorithms[field], `${KeySpec} ${KeyUsage} ${field}`);
      }
      assert.equal(m.CurrentKeyMaterialId, undefined, 'AWS reports CurrentKeyMaterialId for symmetric keys only');
    }
  });

  it('requires a KeyUsage for every key but a symmetric one, and refuses usages the spec cannot have', async () => {
    const { kms } = harness();
    await rejectsWith(kms.createKey({ KeySpec: 'HMAC_256' }, ROOT), 'ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.');
    await rejectsWith(kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' }, ROOT), 'ValidationException', 'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec ECC_NIST_P256');
    await rejectsWith(kms.createKey({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' }, ROOT), 'ValidationException', /not compatible/);
    await rejectsWith(kms.createKey({ KeyUsage: 'SIGN_VERIFY' }, ROOT), 'ValidationException', 'KeyUsage SIGN_VERIFY is not compatible with KeySpec SYMMETRIC_DEFAULT');
    await rejectsWith(kms.createKey({ KeySpec: 'RSA_2048', CustomerMasterKeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, ROOT), 'ValidationException', /CustomerMasterKeySpec/);
    await rejectsWith(kms.createKey({ KeySpec: 'RSA_1024' }, ROOT), 'ValidationException', /at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set/);
  });

  it('creates an EXTERNAL key pending import, without material', async () => {
    const { kms, store } = harness();
    const { KeyMetadata: m } = await kms.createKey({ Origin: 'EXTERNAL' }, ROOT);
    assert.equal(m.KeyState, 'PendingImport');
    assert.equal(m.Enabled, false);
    assert.equal(m.Origin, 'EXTERNAL');
    assert.equal(store.readKey(REGION, m.KeyId)!.material.size, 0);
    await rejectsWith(kms.encrypt({ KeyId: m.KeyId, Plaintext: new Uint8Array(1) }, ROOT), 'KMSInvalidStateException', `${m.Arn} is pending import.`);
  });

  it('says so plainly for what it does not implement: CloudHSM key stores, multi-Region imported keys, SM2', async () => {
    const { kms } = harness();
    await rejectsWith(kms.createKey({ MultiRegion: true, Origin: 'EXTERNAL' }, ROOT), 'UnsupportedOperationException', /Multi-Region keys with imported key material are not available in this KMS yet/);
    await rejectsWith(kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', XksKeyId: 'x' }, ROOT), 'ValidationException', /needs a CustomKeyStoreId and an XksKeyId/);
    await rejectsWith(kms.createKey({ Origin: 'AWS_CLOUDHSM' }, ROOT), 'UnsupportedOperationException', /AWS CloudHSM key stores are not available/);
    await rejectsWith(kms.createKey({ KeySpec: 'SM2', KeyUsage: 'SIGN_VERIFY' }, ROOT), 'UnsupportedOperationException', /SM2/);
  });

  it('takes tags, refusing the reserved aws: prefix and duplicate keys with TagException', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ Tags: [{ TagKey: 'team', TagValue: 'blue' }] }, ROOT);
    assert.deepEqual((await kms.listResourceTags({ KeyId: KeyMetadata.KeyId }, ROOT)).Tags, [{ TagKey: 'team', TagValue: 'blue' }]);
    await rejectsWith(kms.createKey({ Tags: [{ TagKey: 'aws:x', TagValue: '1' }] }, ROOT), 'TagException', 'Tags beginning with aws: are reserved');
    await rejectsWith(kms.createKey({ Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'a', TagValue: '2' }] }, ROOT), 'TagException', 'Duplicate tag keys');
  });
});

describe('ListKeys', () => {
  it('pages the keys of the caller account and region with Limit and an opaque Marker', async () => {
    const { kms } = harness();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await kms.createKey({}, ROOT)).KeyMetadata.KeyId);
    await kms.createKey({}, ROOT, { region: 'eu-west-1' });
    const first = await kms.listKeys({ Limit: 2 }, ROOT);
    assert.equal(first.Keys.length, 2);
    assert.equal(first.Truncated, true);
    const second = await kms.listKeys({ Limit: 10, Marker: first.NextMarker! }, ROOT);
    assert.equal(second.Truncated, false);
    assert.equal(second.NextMarker, undefined);
    assert.deepEqual([...first.Keys, ...second.Keys].map((k) => k.KeyId), [...ids].sort());
    assert.equal(first.Keys[0]!.KeyArn, `arn:aws:kms:${REGION}:${ACCOUNT}:key/${first.Keys[0]!.KeyId}`);
    await rejectsWith(kms.listKeys({ Marker: 'not-a-marker!' }, ROOT), 'InvalidMarkerException');
    await rejectsWith(kms.listKeys({ Limit: 1001 }, ROOT), 'ValidationException', /at 'limit'/);
  });
});

describe('UpdateKeyDescription, EnableKey, DisableKey', () => {
  it('changes the description and flips the key between Enabled and Disabled', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ Description: 'before' }, ROOT);
    const KeyId = KeyMetadata.KeyId;
    await kms.updateKeyDescription({ KeyId, Description: 'after' }, ROOT);
    await kms.disableKey({ KeyId }, ROOT);
    let m = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata;
    assert.deepEqual([m.Description, m.KeyState, m.Enabled], ['after', 'Disabled', false]);
    await kms.disableKey({ KeyId }, ROOT);
    await kms.enableKey({ KeyId }, ROOT);
    m = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata;
    assert.deepEqual([m.KeyState, m.Enabled], ['Enabled', true]);
  });

  it('finds no key by an ID it does not have, in AWS words', async () => {
    const { kms } = harness();
    const id = '11111111-2222-3333-4444-555555555555';
    await rejectsWith(kms.describeKey({ KeyId: id }, ROOT), 'NotFoundException', `Key 'arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}' does not exist`);
    await rejectsWith(kms.describeKey({ KeyId: 'not-a-key' }, ROOT), 'NotFoundException', 'Invalid keyId not-a-key');
    await rejectsWith(kms.describeKey({ KeyId: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/${id}` }, ROOT), 'NotFoundException', 'Invalid arn eu-west-1');
  });
});

describe('ScheduleKeyDeletion and CancelKeyDeletion', () => {
  it('schedules deletion after 30 days by default and reports the date, state and window', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    const r = await kms.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId }, ROOT);
    assert.deepEqual(r, { KeyId: KeyMetadata.Arn, DeletionDate: new Date('2024-01-31T00:00:00.000Z'), KeyState: 'PendingDeletion', PendingWindowInDays: 30 });
    const m = (await kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT)).KeyMetadata;
    assert.deepEqual([m.KeyState, m.Enabled, m.DeletionDate?.toISOString(), m.PendingDeletionWindowInDays], ['PendingDeletion', false, '2024-01-31T00:00:00.000Z', 30]);
  });

  it('leaves the key Disabled when the deletion is cancelled', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    await kms.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }, ROOT);
    assert.deepEqual(await kms.cancelKeyDeletion({ KeyId: KeyMetadata.KeyId }, ROOT), { KeyId: KeyMetadata.Arn });
    const m = (await kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT)).KeyMetadata;
    assert.deepEqual([m.KeyState, m.DeletionDate, m.PendingDeletionWindowInDays], ['Disabled', undefined, undefined]);
    await rejectsWith(kms.cancelKeyDeletion({ KeyId: KeyMetadata.KeyId }, ROOT), 'KMSInvalidStateException', `${KeyMetadata.Arn} is not pending deletion.`);
  });

  it('deletes the key, its material and its aliases for good once the clock passes the deletion date', async () => {
    const { kms, clock, store, log } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    const { CiphertextBlob } = await kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: new Uint8Array([1, 2, 3]) }, ROOT);
    await kms.createAlias({ AliasName: 'alias/doomed', TargetKeyId: KeyMetadata.KeyId }, ROOT);
    await kms.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }, ROOT);
    clock.advance(7);
    await kms.listKeys({}, ROOT);
    assert.equal(store.readKey(REGION, KeyMetadata.KeyId), undefined);
    assert.deepEqual([...store.readAliases(REGION).keys()], []);
    await rejectsWith(kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT), 'NotFoundException', `Key '${KeyMetadata.Arn}' does not exist`);
    await rejectsWith(kms.decrypt({ CiphertextBlob, KeyId: KeyMetadata.KeyId }, ROOT), 'NotFoundException', `Key '${KeyMetadata.Arn}' does not exist`);
    // Without a KeyId the ciphertext names a key that no longer exists; AWS answers with AccessDeniedException.
    await rejectsWith(kms.decrypt({ CiphertextBlob }, ROOT), 'AccessDeniedException', /The ciphertext refers to a customer master key that does not exist/);
    const deletion = log.read({ operation: 'DeleteKey' });
    assert.equal(deletion.length, 1);
    assert.equal(deletion[0]!.userIdentity.type, 'AWSService');
    assert.equal(deletion[0]!.resources?.[0]?.ARN, KeyMetadata.Arn);
  });

  it('keeps a key whose deletion date has not come yet', async () => {
    const { kms, clock, store } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    await kms.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }, ROOT);
    clock.advanceMs(7 * 86_400_000 - 1);
    await kms.listKeys({}, ROOT);
    assert.ok(store.readKey(REGION, KeyMetadata.KeyId));
  });
});

describe('TagResource, UntagResource, ListResourceTags', () => {
  it('adds, replaces and removes tags and lists them by key', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    const KeyId = KeyMetadata.KeyId;
    await kms.tagResource({ KeyId, Tags: [{ TagKey: 'b', TagValue: '1' }, { TagKey: 'a', TagValue: '1' }] }, ROOT);
    await kms.tagResource({ KeyId, Tags: [{ TagKey: 'b', TagValue: '2' }] }, ROOT);
    await kms.untagResource({ KeyId, TagKeys: ['a', 'never-there'] }, ROOT);
    assert.deepEqual(await kms.listResourceTags({ KeyId }, ROOT), { Tags: [{ TagKey: 'b', TagValue: '2' }], Truncated: false });
    await rejectsWith(kms.tagResource({ KeyId, Tags: [{ TagKey: 'aws:cloudformation:x', TagValue: '1' }] }, ROOT), 'TagException');
  });

  it('refuses a 51st tag with LimitExceededException', async () => {
    const { kms } = harness();
    const Tags = Array.from({ length: 50 }, (_, i) => ({ TagKey: `k${i}`, TagValue: 'v' }));
    const { KeyMetadata } = await kms.createKey({ Tags }, ROOT);
    await rejectsWith(kms.tagResource({ KeyId: KeyMetadata.KeyId, Tags: [{ TagKey: 'one-more', TagValue: 'v' }] }, ROOT), 'LimitExceededException');
  });
});
