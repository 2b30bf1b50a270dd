import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { wrapKeyMaterial } from '../../../../core/kms/crypto/importWrapping';
import { generateKeyPair } from '../../../../core/kms/crypto/keyMaterial';
import type { Kms } from '../../../../core/kms/service';
import { ROOT, bytes, harness, rejectsWith, text } from './helpers';

const DAY = 86_400_000;

async function parameters(kms: Kms, KeyId: string, WrappingAlgorithm = 'RSAES_OAEP_SHA_256') {
  return kms.getParametersForImport({ KeyId, WrappingAlgorithm, WrappingKeySpec: 'RSA_2048' }, ROOT);
}

async function importInto(kms: Kms, KeyId: string, material: Uint8Array, extra: { ValidTo?: Date; ExpirationModel?: string } = {}, algorithm = 'RSAES_OAEP_SHA_256') {
  const p = await parameters(kms, KeyId, algorithm);
  const EncryptedKeyMaterial = wrapKeyMaterial('RSA_2048', p.PublicKey, algorithm as 'RSAES_OAEP_SHA_256', material);
  return kms.importKeyMaterial({ KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial, ...extra }, ROOT);
}

describe('GetParametersForImport and ImportKeyMaterial', () => {
  it('turn a PendingImport key into an Enabled one that encrypts, with parameters valid for 24 hours', async () => {
    const { kms, clock } = harness();
    const { KeyId, Arn, KeyState } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    assert.equal(KeyState, 'PendingImport');
    const p = await parameters(kms, KeyId);
    assert.equal(p.KeyId, Arn);
    assert.equal(p.ParametersValidTo.getTime(), clock.now().getTime() + DAY);
    const EncryptedKeyMaterial = wrapKeyMaterial('RSA_2048', p.PublicKey, 'RSAES_OAEP_SHA_256', randomBytes(32));
    const imported = await kms.importKeyMaterial({ KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial }, ROOT);
    assert.match(imported.KeyMaterialId, /^[0-9a-f]{64}$/);
    const metadata = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata;
    assert.equal(metadata.KeyState, 'Enabled');
    assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    assert.equal(metadata.CurrentKeyMaterialId, imported.KeyMaterialId);
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes('byok') }, ROOT);
    assert.equal(text((await kms.decrypt({ CiphertextBlob }, ROOT)).Plaintext), 'byok');
  });

  it('takes material wrapped with RSA_AES_KEY_WRAP_SHA_256 too', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    await importInto(kms, KeyId, randomBytes(32), {}, 'RSA_AES_KEY_WRAP_SHA_256');
    await kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT);
  });

  it('refuses an older token (InvalidImportTokenException), an expired one (ExpiredImportTokenException), and garbage', async () => {
    const { kms, clock } = harness();
    const { KeyId } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const old = await parameters(kms, KeyId);
    const latest = await parameters(kms, KeyId);
    const wrapped = (p: typeof old) => wrapKeyMaterial('RSA_2048', p.PublicKey, 'RSAES_OAEP_SHA_256', new Uint8Array(32).fill(3));
    await rejectsWith(kms.importKeyMaterial({ KeyId, ImportToken: old.ImportToken, EncryptedKeyMaterial: wrapped(old) }, ROOT), 'InvalidImportTokenException');
    await rejectsWith(kms.importKeyMaterial({ KeyId, ImportToken: bytes('garbage'), EncryptedKeyMaterial: wrapped(latest) }, ROOT), 'InvalidImportTokenException');
    const other = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata.KeyId;
    await rejectsWith(kms.importKeyMaterial({ KeyId: other, ImportToken: latest.ImportToken, EncryptedKeyMaterial: wrapped(latest) }, ROOT), 'InvalidImportTokenException');
    clock.advanceMs(DAY + 1);
    await rejectsWith(kms.importKeyMaterial({ KeyId, ImportToken: latest.ImportToken, EncryptedKeyMaterial: wrapped(latest) }, ROOT), 'ExpiredImportTokenException');
  });

  it('refuses material that does not unwrap (InvalidCiphertextException) and keys of origin AWS_KMS (UnsupportedOperationException)', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const p = await parameters(kms, KeyId);
    await rejectsWith(kms.importKeyMaterial({ KeyId, ImportToken: p.ImportToken, EncryptedKeyMaterial: randomBytes(256) }, ROOT), 'InvalidCiphertextException');
    const generated = (await kms.createKey({}, ROOT)).KeyMetadata;
    await rejectsWith(parameters(kms, generated.KeyId), 'UnsupportedOperationException', `${generated.Arn} origin is AWS_KMS which is not valid for this operation.`);
    await rejectsWith(kms.deleteImportedKeyMaterial({ KeyId: generated.KeyId }, ROOT), 'UnsupportedOperationException');
    await rejectsWith(kms.getParametersForImport({ KeyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' }, ROOT), 'UnsupportedOperationException');
    await rejectsWith(importInto(kms, KeyId, randomBytes(16)), 'ValidationException', /256 bits/);
  });

  it('re-imports only the same material (IncorrectKeyMaterialException); sets and clears the expiry', async () => {
    const { kms, clock } = harness();
    const { KeyId } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const material = randomBytes(32);
    const first = await importInto(kms, KeyId, material);
    await rejectsWith(importInto(kms, KeyId, randomBytes(32)), 'IncorrectKeyMaterialException');
    const ValidTo = new Date(clock.now().getTime() + 10 * DAY);
    const again = await importInto(kms, KeyId, material, { ValidTo, ExpirationModel: 'KEY_MATERIAL_EXPIRES' });
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
    const metadata = (await kms.describeKey({ KeyId }, ROOT)).KeyMetadata;
    assert.equal(metadata.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.deepEqual(metadata.ValidTo, ValidTo);
    await rejectsWith(importInto(kms, KeyId, material, { ExpirationModel: 'KEY_MATERIAL_EXPIRES' }), 'ValidationException', /ValidTo is required/);
    await rejectsWith(importInto(kms, KeyId, material, { ValidTo: new Date(clock.now().getTime() + 366 * DAY) }), 'ValidationException', /365 days/);
  });
});

describe('Imported material that is deleted or expires', () => {
  it('DeleteImportedKeyMaterial: the key is PendingImport and its ciphertexts undecryptable until the same material comes back', async () => {
    const { kms } = harness();
    const { KeyId, Arn } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const material = randomBytes(32);
    const { KeyMaterialId } = await importInto(kms, KeyId, material);
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes('kept') }, ROOT);
    assert.deepEqual(await kms.deleteImportedKeyMaterial({ KeyId }, ROOT), { KeyId: Arn, KeyMaterialId });
    assert.equal((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.KeyState, 'PendingImport');
    await rejectsWith(kms.decrypt({ CiphertextBlob }, ROOT), 'KMSInvalidStateException', `${Arn} is pending import.`);
    // Deleting again has no effect (key state table: PendingImport, "OK (no effect)").
    await kms.deleteImportedKeyMaterial({ KeyId }, ROOT);
    await importInto(kms, KeyId, material);
    assert.equal(text((await kms.decrypt({ CiphertextBlob }, ROOT)).Plaintext), 'kept');
  });

  it('expires when the KMS clock passes ValidTo: the material is deleted and the key goes PendingImport', async () => {
    const { kms, clock, log } = harness();
    const { KeyId } = (await kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata;
    const material = randomBytes(32);
    await importInto(kms, KeyId, material, { ValidTo: new Date(clock.now().getTime() + 2 * DAY) });
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT);
    clock.advance(1);
    await kms.decrypt({ CiphertextBlob }, ROOT);
    clock.advance(1);
    await rejectsWith(kms.decrypt({ CiphertextBlob }, ROOT), 'KMSInvalidStateException', /is pending import/);
    assert.equal((await kms.describeKey({ KeyId }, ROOT)).KeyMetadata.KeyState, 'PendingImport');
    assert.equal(log.read({ operation: 'DeleteExpiredKeyMaterial' }).length, 1);
    await importInto(kms, KeyId, material);
    await kms.decrypt({ CiphertextBlob }, ROOT);
  });
});

describe('Asymmetric and HMAC keys with imported material', () => {
  it('take a PKCS #8 private key of their spec, and HMAC key bytes of the right size', async () => {
    const { kms } = harness();
    const ecc = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata;
    const pair = generateKeyPair('ECC_NIST_P256');
    await importInto(kms, ecc.KeyId, pair.privateKey, {}, 'RSA_AES_KEY_WRAP_SHA_256');
    assert.deepEqual(Buffer.from((await kms.getPublicKey({ KeyId: ecc.KeyId }, ROOT)).PublicKey), Buffer.from(pair.publicKey));
    const { Signature } = await kms.sign({ KeyId: ecc.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT);
    await kms.verify({ KeyId: ecc.KeyId, Message: bytes('m'), Signature, SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT);
    const other = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata;
    await rejectsWith(importInto(kms, other.KeyId, pair.privateKey, {}, 'RSA_AES_KEY_WRAP_SHA_256'), 'IncorrectKeyMaterialException');

    const hmac = (await kms.createKey({ Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT)).KeyMetadata;
    await rejectsWith(importInto(kms, hmac.KeyId, randomBytes(16)), 'ValidationException', /32 to 64 bytes/);
    await importInto(kms, hmac.KeyId, randomBytes(48));
    await kms.generateMac({ KeyId: hmac.KeyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }, ROOT);
  });
});
