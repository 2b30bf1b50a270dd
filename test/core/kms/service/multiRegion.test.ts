import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACCOUNT, REGION, ROOT, bytes, harness, rejectsWith, text } from './helpers';

const WEST = 'us-west-2';
const EU = 'eu-west-1';
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;

describe('CreateKey with MultiRegion', () => {
  it('makes a primary key with an mrk- key ID and its MultiRegionConfiguration', async () => {
    const { kms } = harness();
    const metadata = (await kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    assert.match(metadata.KeyId, /^mrk-[0-9a-f]{32}$/);
    assert.equal(metadata.MultiRegion, true);
    assert.deepEqual(metadata.MultiRegionConfiguration, { MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: metadata.Arn, Region: REGION }, ReplicaKeys: [] });
  });
});

describe('ReplicateKey', () => {
  it('makes a replica in another Region with the same key ID and material: it decrypts what the primary encrypted', async () => {
    const { kms } = harness();
    const { KeyId, Arn } = (await kms.createKey({ MultiRegion: true, Description: 'primary' }, ROOT)).KeyMetadata;
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes('across regions'), EncryptionContext: { a: 'b' } }, ROOT);
    const replica = await kms.replicateKey({ KeyId, ReplicaRegion: WEST, Description: 'replica', Tags: [{ TagKey: 'r', TagValue: 'w' }] }, ROOT);
    const replicaArn = arnIn(WEST, KeyId);
    assert.equal(replica.ReplicaKeyMetadata.Arn, replicaArn);
    assert.equal(replica.ReplicaKeyMetadata.KeyState, 'Enabled');
    assert.equal(replica.ReplicaKeyMetadata.Description, 'replica');
    assert.deepEqual(replica.ReplicaTags, [{ TagKey: 'r', TagValue: 'w' }]);
    assert.deepEqual(replica.ReplicaKeyMetadata.MultiRegionConfiguration, { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn, Region: REGION }, ReplicaKeys: [{ Arn: replicaArn, Region: WEST }] });

    // The ciphertext of the primary decrypts in the replica's Region, without naming a key.
    const decrypted = await kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' } }, ROOT, { region: WEST });
    assert.equal(text(decrypted.Plaintext), 'across regions');
    assert.equal(decrypted.KeyId, replicaArn);
    // And the reverse.
    const back = await kms.encrypt({ KeyId, Plaintext: bytes('back') }, ROOT, { region: WEST });
    assert.equal(text((await kms.decrypt({ CiphertextBlob: back.CiphertextBlob }, ROOT)).Plaintext), 'back');

    // The primary lists its replica; the replica has the default key policy and its own description.
    assert.deepEqual((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.MultiRegionConfiguration?.ReplicaKeys, [{ Arn: replicaArn, Region: WEST }]);
    assert.match((await kms.getKeyPolicy({ KeyId }, ROOT, { region: WEST })).Policy, /Enable IAM User Permissions/);
    assert.equal((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.Description, 'primary');
  });

  it('refuses a single-Region key, a replica, the primary\'s own Region and a Region that has the replica already', async () => {
    const { kms } = harness();
    const single = (await kms.createKey({}, ROOT)).KeyMetadata;
    await rejectsWith(kms.replicateKey({ KeyId: single.KeyId, ReplicaRegion: WEST }, ROOT), 'UnsupportedOperationException', `${single.Arn} is not a multi-Region key.`);
    const { KeyId } = (await kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    await kms.replicateKey({ KeyId, ReplicaRegion: WEST }, ROOT);
    await rejectsWith(kms.replicateKey({ KeyId, ReplicaRegion: WEST }, ROOT), 'AlreadyExistsException');
    await rejectsWith(kms.replicateKey({ KeyId, ReplicaRegion: REGION }, ROOT), 'ValidationException');
    await rejectsWith(kms.replicateKey({ KeyId, ReplicaRegion: EU }, ROOT, { region: WEST }), 'UnsupportedOperationException', `${arnIn(WEST, KeyId)} is not a multi-Region primary key.`);
  });
});

describe('UpdatePrimaryRegion', () => {
  it('swaps the roles of the primary and a replica in every key of the set', async () => {
    const { kms } = harness();
    const { KeyId, Arn } = (await kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    await kms.replicateKey({ KeyId, ReplicaRegion: WEST }, ROOT);
    await kms.replicateKey({ KeyId, ReplicaRegion: EU }, ROOT);
    await kms.updatePrimaryRegion({ KeyId, PrimaryRegion: WEST }, ROOT);
    const west = (await kms.describeKey({ KeyId }, ROOT, { region: WEST })).KeyMetadata.MultiRegionConfiguration!;
    assert.equal(west.MultiRegionKeyType, 'PRIMARY');
    assert.deepEqual(west.PrimaryKey, { Arn: arnIn(WEST, KeyId), Region: WEST });
    const east = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.MultiRegionConfiguration!;
    assert.equal(east.MultiRegionKeyType, 'REPLICA');
    assert.deepEqual(new Set(east.ReplicaKeys.map((r) => r.Region)), new Set([REGION, EU]));
    assert.equal((await kms.describeKey({ KeyId }, ROOT, { region: EU })).KeyMetadata.MultiRegionConfiguration!.PrimaryKey.Region, WEST);
    // The old primary is a replica now: it cannot replicate or move the primary.
    await rejectsWith(kms.updatePrimaryRegion({ KeyId, PrimaryRegion: EU }, ROOT), 'UnsupportedOperationException', `${Arn} is not a multi-Region primary key.`);
    await rejectsWith(kms.updatePrimaryRegion({ KeyId, PrimaryRegion: 'ap-south-1' }, ROOT, { region: WEST }), 'NotFoundException');
  });
});

describe('Rotation of a multi-Region key', () => {
  it('happens at the primary and gives the replicas the same new material', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    await kms.replicateKey({ KeyId, ReplicaRegion: WEST }, ROOT);
    const before = await kms.encrypt({ KeyId, Plaintext: bytes('v1') }, ROOT);
    await kms.rotateKeyOnDemand({ KeyId }, ROOT);
    const primaryMaterial = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.CurrentKeyMaterialId;
    assert.equal((await kms.describeKey({ KeyId }, ROOT, { region: WEST })).KeyMetadata.CurrentKeyMaterialId, primaryMaterial);
    const after = await kms.encrypt({ KeyId, Plaintext: bytes('v2') }, ROOT);
    assert.equal(text((await kms.decrypt({ CiphertextBlob: after.CiphertextBlob }, ROOT, { region: WEST })).Plaintext), 'v2');
    assert.equal(text((await kms.decrypt({ CiphertextBlob: before.CiphertextBlob }, ROOT, { region: WEST })).Plaintext), 'v1');
    // Rotation is changed at the primary only; the replica shows the shared setting.
    await rejectsWith(kms.enableKeyRotation({ KeyId }, ROOT, { region: WEST }), 'UnsupportedOperationException', /multi-Region replica key/);
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 180 }, ROOT);
    assert.equal((await kms.getKeyRotationStatus({ KeyId }, ROOT, { region: WEST })).RotationPeriodInDays, 180);
  });
});

describe('Deleting multi-Region keys', () => {
  it('a primary waits for its replicas (PendingReplicaDeletion); a deleted replica leaves the set', async () => {
    const { kms, clock } = harness();
    const { KeyId } = (await kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    await kms.replicateKey({ KeyId, ReplicaRegion: WEST }, ROOT);
    const scheduled = await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 }, ROOT);
    assert.equal(scheduled.KeyState, 'PendingReplicaDeletion');
    await kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 30 }, ROOT, { region: WEST });
    clock.advance(8);
    assert.equal((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.KeyState, 'PendingReplicaDeletion');
    clock.advance(23);
    await rejectsWith(kms.describeKey({ KeyId }, ROOT, { region: WEST }), 'NotFoundException');
    // The replica went first; the primary follows at the next sweep.
    await kms.listKeys({}, ROOT);
    await rejectsWith(kms.describeKey({ KeyId }, ROOT), 'NotFoundException');
  });
});
