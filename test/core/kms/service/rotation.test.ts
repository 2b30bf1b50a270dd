import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { wrapKeyMaterial } from '../../../../core/kms/crypto/importWrapping';
import { MAX_ON_DEMAND_ROTATIONS } from '../../../../core/kms/service/rotation';
import { ROOT, bytes, harness, rejectsWith, text } from './helpers';

const DAY = 86_400_000;

describe('EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus', () => {
  it('turn automatic rotation on (365 days unless told) and off, and report it', async () => {
    const { kms, clock } = harness();
    const { KeyId, Arn } = (await kms.createKey({}, ROOT)).KeyMetadata;
    assert.deepEqual(await kms.getKeyRotationStatus({ KeyId }, ROOT), { KeyRotationEnabled: false, KeyId: Arn });
    await kms.enableKeyRotation({ KeyId }, ROOT);
    const status = await kms.getKeyRotationStatus({ KeyId }, ROOT);
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 365);
    assert.equal(status.NextRotationDate?.getTime(), clock.now().getTime() + 365 * DAY);
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 }, ROOT);
    assert.equal((await kms.getKeyRotationStatus({ KeyId }, ROOT)).NextRotationDate?.getTime(), clock.now().getTime() + 90 * DAY);
    await kms.disableKeyRotation({ KeyId }, ROOT);
    assert.deepEqual(await kms.getKeyRotationStatus({ KeyId }, ROOT), { KeyRotationEnabled: false, KeyId: Arn });
  });

  it('refuse asymmetric and HMAC keys with UnsupportedOperationException', async () => {
    const { kms } = harness();
    const hmac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT)).KeyMetadata;
    const ecc = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata;
    await rejectsWith(kms.enableKeyRotation({ KeyId: hmac.KeyId }, ROOT), 'UnsupportedOperationException', `${hmac.Arn} key spec is HMAC_256 which is not valid for this operation.`);
    await rejectsWith(kms.rotateKeyOnDemand({ KeyId: ecc.KeyId }, ROOT), 'UnsupportedOperationException', /key spec is ECC_NIST_P256/);
    await rejectsWith(kms.getKeyRotationStatus({ KeyId: ecc.KeyId }, ROOT), 'UnsupportedOperationException');
  });

  it('an AWS managed key rotates every year, always, and its rotation cannot be changed', async () => {
    const { kms } = harness();
    const s3 = { ...ROOT, context: { viaService: 's3.us-east-1.amazonaws.com' } };
    await kms.encrypt({ KeyId: 'alias/aws/s3', Plaintext: bytes('x') }, s3);
    const { KeyId } = (await kms.describeKey({ KeyId: 'alias/aws/s3' }, ROOT)).KeyMetadata;
    const status = await kms.getKeyRotationStatus({ KeyId }, ROOT);
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 365);
    await rejectsWith(kms.disableKeyRotation({ KeyId }, ROOT), 'AccessDeniedException');
  });
});

describe('Automatic rotation', () => {
  it('happens when the KMS clock passes NextRotationDate; old ciphertexts keep decrypting, new ones use the new material', async () => {
    const { kms, clock, log } = harness();
    const { KeyId, Arn } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const before = await kms.encrypt({ KeyId, Plaintext: bytes('old') }, ROOT);
    const firstMaterial = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.CurrentKeyMaterialId;
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 }, ROOT);
    clock.advance(89);
    assert.equal((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.CurrentKeyMaterialId, firstMaterial);
    clock.advance(1);
    const secondMaterial = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.CurrentKeyMaterialId;
    assert.notEqual(secondMaterial, firstMaterial);
    const after = await kms.generateDataKey({ KeyId, KeySpec: 'AES_256' }, ROOT);
    assert.equal(after.KeyMaterialId, secondMaterial);
    const old = await kms.decrypt({ CiphertextBlob: before.CiphertextBlob }, ROOT);
    assert.equal(text(old.Plaintext), 'old');
    assert.equal(old.KeyMaterialId, firstMaterial);
    assert.equal((await kms.decrypt({ CiphertextBlob: after.CiphertextBlob }, ROOT)).KeyMaterialId, secondMaterial);
    const rotations = await kms.listKeyRotations({ KeyId }, ROOT);
    assert.deepEqual(
      rotations.Rotations.map((r) => [r.KeyMaterialId, r.RotationType, r.KeyMaterialState]),
      [[secondMaterial, 'AUTOMATIC', 'CURRENT']],
    );
    assert.equal((await kms.getKeyRotationStatus({ KeyId }, ROOT)).NextRotationDate?.getTime(), clock.now().getTime() + 90 * DAY);
    const [event] = log.read({ operation: 'RotateKey' });
    assert.equal(event!.userIdentity.type, 'AWSService');
    assert.equal(event!.resources?.[0]?.ARN, Arn);
  });

  it('skips a disabled key, which rotates once enabled again', async () => {
    const { kms, clock } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 }, ROOT);
    await kms.disableKey({ KeyId }, ROOT);
    clock.advance(100);
    assert.equal((await kms.listKeyRotations({ KeyId }, ROOT)).Rotations.length, 0);
    await kms.enableKey({ KeyId }, ROOT);
    assert.equal((await kms.listKeyRotations({ KeyId }, ROOT)).Rotations.length, 1);
  });
});

describe('RotateKeyOnDemand and ListKeyRotations', () => {
  it('rotate at once, without moving the automatic schedule, up to AWS\'s limit of on-demand rotations per key', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.enableKeyRotation({ KeyId }, ROOT);
    const schedule = (await kms.getKeyRotationStatus({ KeyId }, ROOT)).NextRotationDate;
    const blobs: Uint8Array[] = [];
    for (let i = 0; i < MAX_ON_DEMAND_ROTATIONS; i++) {
      blobs.push((await kms.encrypt({ KeyId, Plaintext: bytes(`v${i}`) }, ROOT)).CiphertextBlob);
      assert.equal((await kms.rotateKeyOnDemand({ KeyId }, ROOT)).KeyId, KeyId);
    }
    assert.equal(MAX_ON_DEMAND_ROTATIONS, 25);
    await rejectsWith(kms.rotateKeyOnDemand({ KeyId }, ROOT), 'LimitExceededException', /rotated on demand 25 times/);
    assert.deepEqual((await kms.getKeyRotationStatus({ KeyId }, ROOT)).NextRotationDate, schedule);
    // Every earlier version still decrypts what it encrypted.
    for (let i = 0; i < blobs.length; i++) assert.equal(text((await kms.decrypt({ CiphertextBlob: blobs[i]! }, ROOT)).Plaintext), `v${i}`);

    const page1 = await kms.listKeyRotations({ KeyId, Limit: 10 }, ROOT);
    assert.equal(page1.Truncated, true);
    assert.ok(page1.Rotations.every((r) => r.RotationType === 'ON_DEMAND' && r.KeyId === KeyId));
    const page2 = await kms.listKeyRotations({ KeyId, Marker: page1.NextMarker! }, ROOT);
    assert.equal(page1.Rotations.length + page2.Rotations.length, 25);
    const all = await kms.listKeyRotations({ KeyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 1 }, ROOT);
    assert.deepEqual([all.Rotations[0]!.KeyMaterialState, all.Rotations[0]!.RotationType], ['NON_CURRENT', undefined]);
  });
});

describe('Keys with imported material', () => {
  it('do not rotate, automatically or on demand: UnsupportedOperationException', async () => {
    const { kms } = harness();
    const { KeyId, Arn } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const params = await kms.getParametersForImport({ KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, ROOT);
    const EncryptedKeyMaterial = wrapKeyMaterial('RSA_2048', params.PublicKey, 'RSAES_OAEP_SHA_256', new Uint8Array(32).fill(1));
    await kms.importKeyMaterial({ KeyId, ImportToken: params.ImportToken, EncryptedKeyMaterial }, ROOT);
    const message = `${Arn} origin is EXTERNAL which is not valid for this operation.`;
    await rejectsWith(kms.enableKeyRotation({ KeyId }, ROOT), 'UnsupportedOperationException', message);
    await rejectsWith(kms.rotateKeyOnDemand({ KeyId }, ROOT), 'UnsupportedOperationException', message);
    await rejectsWith(kms.getKeyRotationStatus({ KeyId }, ROOT), 'UnsupportedOperationException', message);
    await kms.disableKey({ KeyId }, ROOT);
    // What the key is decides before its state: a disabled imported key still hears that it cannot rotate.
    await rejectsWith(kms.enableKeyRotation({ KeyId }, ROOT), 'UnsupportedOperationException', message);
  });
});
