import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ACCOUNT, ROOT, bytes, harness, iamUser, rejectsWith, text } from './helpers';

async function symmetricKey(h = harness()) {
  const { KeyMetadata } = await h.kms.createKey({}, ROOT);
  return { ...h, keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
}

describe('Encrypt and Decrypt with a symmetric key', () => {
  it('round-trips, and Decrypt finds the key from the ciphertext without a KeyId', async () => {
    const { kms, keyId, arn } = await symmetricKey();
    const context = { purpose: 'test', tenant: 'a' };
    const e = await kms.encrypt({ KeyId: keyId, Plaintext: bytes('secret'), EncryptionContext: context }, ROOT);
    assert.equal(e.KeyId, arn);
    assert.equal(e.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const d = await kms.decrypt({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: { tenant: 'a', purpose: 'test' } }, ROOT);
    assert.equal(text(d.Plaintext), 'secret');
    assert.equal(d.KeyId, arn);
    assert.equal(d.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.match(d.KeyMaterialId!, /^[0-9a-f]{64}$/);
    assert.equal(text((await kms.decrypt({ CiphertextBlob: e.CiphertextBlob, EncryptionContext: context, KeyId: arn }, ROOT)).Plaintext), 'secret');
  });

  it('refuses a wrong encryption context, a missing one, and any changed byte with InvalidCiphertextException and an empty message', async () => {
    const { kms, keyId } = await symmetricKey();
    const { CiphertextBlob } = await kms.encrypt({ KeyId: keyId, Plaintext: bytes('secret'), EncryptionContext: { a: 'b' } }, ROOT);
    await rejectsWith(kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'c' } }, ROOT), 'InvalidCiphertextException', '');
    await rejectsWith(kms.decrypt({ CiphertextBlob }, ROOT), 'InvalidCiphertextException', '');
    await rejectsWith(kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b', extra: '' } }, ROOT), 'InvalidCiphertextException', '');
    // Every byte after the key ID (version, material ID, salt, IV, ciphertext, tag) is authenticated.
    for (const i of [0, 20, 60, 70, 80, CiphertextBlob.length - 1]) {
      const changed = CiphertextBlob.slice();
      changed[i]! ^= 0x01;
      await rejectsWith(kms.decrypt({ CiphertextBlob: changed, EncryptionContext: { a: 'b' } }, ROOT), 'InvalidCiphertextException', '');
    }
    await rejectsWith(kms.decrypt({ CiphertextBlob: bytes('not a ciphertext at all') }, ROOT), 'InvalidCiphertextException', '');
  });

  it('answers IncorrectKeyException when the KeyId names another key than the ciphertext', async () => {
    const h = await symmetricKey();
    const other = (await h.kms.createKey({}, ROOT)).KeyMetadata.KeyId;
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, ROOT);
    await rejectsWith(h.kms.decrypt({ CiphertextBlob, KeyId: other }, ROOT), 'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  });

  it('refuses an algorithm the key spec does not support', async () => {
    const { kms, keyId } = await symmetricKey();
    await rejectsWith(kms.encrypt({ KeyId: keyId, Plaintext: bytes('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, ROOT), 'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.');
  });

  it('answers DryRun with DryRunOperationException once the request is valid and allowed', async () => {
    const { kms, keyId } = await symmetricKey();
    await rejectsWith(kms.encrypt({ KeyId: keyId, Plaintext: bytes('x'), DryRun: true }, ROOT), 'DryRunOperationException');
  });
});

describe('Encrypt and Decrypt with an RSA key', () => {
  it('encrypts with OAEP up to AWS cap and needs KeyId and EncryptionAlgorithm to decrypt', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, ROOT);
    const KeyId = KeyMetadata.KeyId;
    for (const [EncryptionAlgorithm, cap] of [['RSAES_OAEP_SHA_1', 214], ['RSAES_OAEP_SHA_256', 190]] as const) {
      const plaintext = new Uint8Array(cap).fill(7);
      const e = await kms.encrypt({ KeyId, Plaintext: plaintext, EncryptionAlgorithm }, ROOT);
      assert.equal(e.CiphertextBlob.length, 256);
      const d = await kms.decrypt({ CiphertextBlob: e.CiphertextBlob, KeyId, EncryptionAlgorithm }, ROOT);
      assert.deepEqual(d.Plaintext, plaintext);
      assert.equal(d.EncryptionAlgorithm, EncryptionAlgorithm);
      await rejectsWith(kms.encrypt({ KeyId, Plaintext: new Uint8Array(cap + 1), EncryptionAlgorithm }, ROOT), 'ValidationException', `Algorithm ${EncryptionAlgorithm} and key spec RSA_2048 cannot encrypt data larger than ${cap} bytes.`);
    }
    const e = await kms.encrypt({ KeyId, Plaintext: bytes('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, ROOT);
    await rejectsWith(kms.decrypt({ CiphertextBlob: e.CiphertextBlob, KeyId }, ROOT), 'InvalidKeyUsageException', 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.');
    await rejectsWith(kms.decrypt({ CiphertextBlob: e.CiphertextBlob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, ROOT), 'ValidationException');
    await rejectsWith(kms.decrypt({ CiphertextBlob: e.CiphertextBlob, KeyId, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }, ROOT), 'InvalidCiphertextException', '');
    await rejectsWith(kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT), 'InvalidKeyUsageException', /SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048/);
  });
});

describe('ReEncrypt', () => {
  it('moves a ciphertext to another key and context without returning the plaintext', async () => {
    const h = await symmetricKey();
    const destination = (await h.kms.createKey({}, ROOT)).KeyMetadata;
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('moved'), EncryptionContext: { v: '1' } }, ROOT);
    const r = await h.kms.reEncrypt({ CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: destination.KeyId, DestinationEncryptionContext: { v: '2' } }, ROOT);
    assert.equal(r.SourceKeyId, h.arn);
    assert.equal(r.KeyId, destination.Arn);
    assert.equal('Plaintext' in r, false);
    assert.equal(text((await h.kms.decrypt({ CiphertextBlob: r.CiphertextBlob, EncryptionContext: { v: '2' } }, ROOT)).Plaintext), 'moved');
    await rejectsWith(h.kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId }, ROOT), 'InvalidCiphertextException', '');
  });

  it('needs kms:ReEncryptFrom on the source key and kms:ReEncryptTo on the destination key', async () => {
    const h = await symmetricKey();
    const destination = (await h.kms.createKey({}, ROOT)).KeyMetadata;
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, ROOT);
    const onlyFrom = iamUser('from', [{ Effect: 'Allow', Action: 'kms:ReEncryptFrom', Resource: '*' }]);
    const denied = await rejectsWith(h.kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId }, onlyFrom), 'AccessDeniedException');
    assert.equal(denied.message, `User: arn:aws:iam::${ACCOUNT}:user/from is not authorized to perform: kms:ReEncryptTo on resource: ${destination.Arn} because no identity-based policy allows the kms:ReEncryptTo action`);
    const both = iamUser('both', [{ Effect: 'Allow', Action: 'kms:ReEncrypt*', Resource: '*' }]);
    assert.equal((await h.kms.reEncrypt({ CiphertextBlob, DestinationKeyId: destination.KeyId }, both)).KeyId, destination.Arn);
  });
});

describe('GenerateDataKey and GenerateDataKeyWithoutPlaintext', () => {
  it('returns a data key and the same key encrypted under the KMS key', async () => {
    const { kms, keyId, arn } = await symmetricKey();
    const d = await kms.generateDataKey({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { file: 'a' } }, ROOT);
    assert.equal(d.Plaintext.length, 32);
    assert.equal(d.KeyId, arn);
    assert.deepEqual((await kms.decrypt({ CiphertextBlob: d.CiphertextBlob, EncryptionContext: { file: 'a' } }, ROOT)).Plaintext, d.Plaintext);
    assert.equal((await kms.generateDataKey({ KeyId: keyId, KeySpec: 'AES_128' }, ROOT)).Plaintext.length, 16);
    assert.equal((await kms.generateDataKey({ KeyId: keyId, NumberOfBytes: 1 }, ROOT)).Plaintext.length, 1);
    const w = await kms.generateDataKeyWithoutPlaintext({ KeyId: keyId, NumberOfBytes: 1024 }, ROOT);
    assert.equal('Plaintext' in w, false);
    assert.equal((await kms.decrypt({ CiphertextBlob: w.CiphertextBlob }, ROOT)).Plaintext.length, 1024);
  });

  it('takes data keys only from symmetric encryption keys', async () => {
    const { kms } = harness();
    const rsa = (await kms.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }, ROOT)).KeyMetadata;
    const hmac = (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT)).KeyMetadata;
    await rejectsWith(kms.generateDataKey({ KeyId: rsa.KeyId, KeySpec: 'AES_256' }, ROOT), 'InvalidKeyUsageException', `${rsa.Arn} key spec is RSA_2048 which is not valid for GenerateDataKey.`);
    await rejectsWith(kms.generateDataKey({ KeyId: hmac.KeyId, KeySpec: 'AES_256' }, ROOT), 'InvalidKeyUsageException', `${hmac.Arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKey.`);
  });
});

describe('GenerateRandom', () => {
  it('returns the number of random bytes asked for, needing no key', async () => {
    const { kms } = harness();
    const a = await kms.generateRandom({ NumberOfBytes: 64 }, ROOT);
    const b = await kms.generateRandom({ NumberOfBytes: 64 }, ROOT);
    assert.equal(a.Plaintext.length, 64);
    assert.notDeepEqual(a.Plaintext, b.Plaintext);
    await rejectsWith(kms.generateRandom({}, ROOT), 'ValidationException', 'NumberOfBytes is required.');
    await rejectsWith(kms.generateRandom({ NumberOfBytes: 8, CustomKeyStoreId: 'cks-1234567890abcdef0' }, ROOT), 'UnsupportedOperationException');
    const nobody = iamUser('nobody', []);
    await rejectsWith(kms.generateRandom({ NumberOfBytes: 8 }, nobody), 'AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: kms:GenerateRandom on resource: * because no identity-based policy allows the kms:GenerateRandom action`);
  });
});
