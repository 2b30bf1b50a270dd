/**
 * The ways people get AWS KMS wrong, each shown to behave here as it does in AWS.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { REGION, ROOT, bytes, harness, rejectsWith, text } from './helpers';

describe('KMS does not encrypt more than 4 KB', () => {
  it('refuses 4097 bytes to Encrypt, so 1 MB goes under a data key: encrypted locally, the data key decrypted by KMS', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.encrypt({ KeyId, Plaintext: new Uint8Array(4096) }, ROOT);
    await rejectsWith(kms.encrypt({ KeyId, Plaintext: new Uint8Array(4097) }, ROOT), 'ValidationException', /at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/);

    // Envelope encryption: KMS makes and wraps the data key; the megabyte never goes to KMS.
    const document = randomBytes(1024 * 1024);
    const context = { object: 'reports/2024.pdf' };
    const dataKey = await kms.generateDataKey({ KeyId, KeySpec: 'AES_256', EncryptionContext: context }, ROOT);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.Plaintext, iv);
    const sealed = Buffer.concat([cipher.update(document), cipher.final()]);
    const tag = cipher.getAuthTag();
    dataKey.Plaintext.fill(0); // the plaintext data key is dropped; only its encrypted copy is kept with the data

    const { Plaintext: recovered } = await kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob, EncryptionContext: context }, ROOT);
    const decipher = createDecipheriv('aes-256-gcm', recovered, iv);
    decipher.setAuthTag(tag);
    assert.ok(Buffer.concat([decipher.update(sealed), decipher.final()]).equals(document));
  });
});

describe('The encryption context', () => {
  it('is authenticated: {"ab":"c"} and {"a":"bc"} do not decrypt each other', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const one = await kms.encrypt({ KeyId, Plaintext: bytes('x'), EncryptionContext: { ab: 'c' } }, ROOT);
    const two = await kms.encrypt({ KeyId, Plaintext: bytes('y'), EncryptionContext: { a: 'bc' } }, ROOT);
    await rejectsWith(kms.decrypt({ CiphertextBlob: one.CiphertextBlob, EncryptionContext: { a: 'bc' } }, ROOT), 'InvalidCiphertextException', '');
    await rejectsWith(kms.decrypt({ CiphertextBlob: two.CiphertextBlob, EncryptionContext: { ab: 'c' } }, ROOT), 'InvalidCiphertextException', '');
    assert.equal(text((await kms.decrypt({ CiphertextBlob: one.CiphertextBlob, EncryptionContext: { ab: 'c' } }, ROOT)).Plaintext), 'x');
  });

  it('is not secret: it appears in the audit log in the clear, while plaintext and ciphertext never do', async () => {
    const { kms, log } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const secret = 'the-plaintext-nobody-may-log';
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes(secret), EncryptionContext: { patient: 'P-1234' } }, ROOT);
    await kms.decrypt({ CiphertextBlob, EncryptionContext: { patient: 'P-1234' } }, ROOT);
    const events = log.read({ operation: ['Encrypt', 'Decrypt'] });
    assert.equal(events.length, 2);
    for (const event of events) assert.deepEqual(event.requestParameters?.['encryptionContext'], { patient: 'P-1234' });
    const all = JSON.stringify(log.read());
    assert.equal(all.includes(secret), false);
    assert.equal(all.includes(Buffer.from(secret).toString('base64')), false);
    assert.equal(all.includes(Buffer.from(CiphertextBlob).toString('base64')), false);
  });
});

describe('Disabling a key', () => {
  it('breaks Decrypt at once, and enabling it mends it', async () => {
    const { kms } = harness();
    const { KeyId, Arn } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT);
    await kms.disableKey({ KeyId }, ROOT);
    await rejectsWith(kms.decrypt({ CiphertextBlob }, ROOT), 'DisabledException', `${Arn} is disabled.`);
    await kms.enableKey({ KeyId }, ROOT);
    assert.equal(text((await kms.decrypt({ CiphertextBlob }, ROOT)).Plaintext), 'x');
  });
});

describe('Key material', () => {
  it('is returned by no operation and written to no log: responses hold only what AWS returns', async () => {
    const { kms, store, log } = harness();
    const keys = [
      (await kms.createKey({}, ROOT)).KeyMetadata,
      (await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT)).KeyMetadata,
      (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata,
    ];
    const secrets = keys.flatMap((k) => [...store.readKey(REGION, k.KeyId)!.material.values()].map((m) => Buffer.from(m)));
    assert.equal(secrets.length, 3);
    const responses: unknown[] = [];
    for (const k of keys) {
      responses.push(await kms.describeKey({ KeyId: k.KeyId }, ROOT));
      responses.push(await kms.getKeyPolicy({ KeyId: k.KeyId }, ROOT));
      responses.push(await kms.listResourceTags({ KeyId: k.KeyId }, ROOT));
    }
    responses.push(await kms.getPublicKey({ KeyId: keys[2]!.KeyId }, ROOT));
    responses.push(await kms.listKeys({}, ROOT));
    const haystack = [JSON.stringify(responses, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)), JSON.stringify(log.read())].join('\n');
    for (const secret of secrets) {
      assert.equal(haystack.includes(secret.toString('hex')), false);
      assert.equal(haystack.includes(secret.toString('base64')), false);
    }
  });
});
