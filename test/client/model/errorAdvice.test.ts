import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { adviceFor, kmsErrorText, storeProblemText } from '../../../client/src/model/errorAdvice';
import { fixture, rejection, ROOT } from './kmsFixture';

describe('what to do about a KMS error', () => {
  it('names the operation, the exception and AWS\'s message, then what to do', async () => {
    const f = fixture();
    const key = (await f.kms.createKey({}, ROOT)).KeyMetadata;
    await f.kms.disableKey({ KeyId: key.KeyId }, ROOT);
    const error = await rejection(f.kms.decrypt({ CiphertextBlob: (await encryptWith(f, key.KeyId)) }, ROOT));
    const text = kmsErrorText('Decrypt', error.name, error.message);
    assert.match(text, /^Decrypt failed: DisabledException: arn:aws:kms:us-east-1:111122223333:key\/\S+ is disabled\. Enable the key/);
  });

  it('has advice for the exceptions a person meets in the editor, and a fallback for the rest', () => {
    for (const name of ['AccessDeniedException', 'DisabledException', 'KMSInvalidStateException', 'NotFoundException', 'InvalidCiphertextException', 'MalformedPolicyDocumentException', 'InvalidKeyUsageException']) {
      assert.doesNotMatch(adviceFor(name), /Check the values given/, name);
    }
    assert.match(adviceFor('SomethingNew'), /Show Audit Log/);
  });

  it('ends AWS\'s message with a full stop before the advice, without doubling one', () => {
    assert.match(kmsErrorText('X', 'ValidationException', 'bad value'), /bad value\. Change/);
    assert.match(kmsErrorText('X', 'ValidationException', 'bad value.'), /bad value\. Change/);
  });

  it('says what to do about each store problem', () => {
    assert.match(storeProblemText('WrongRootKeyError', 'Wrong key.', '/s'), /KMS_STUDIO_ROOT_KEY.*kmsStudio\.store\.location/);
    assert.match(storeProblemText('StoreLockTimeoutError', 'Held.', '/s'), /wait for it/);
    assert.match(storeProblemText('Error', 'EACCES', '/s'), /could not be opened: EACCES.*readable and writable/);
  });
});

async function encryptWith(f: ReturnType<typeof fixture>, keyId: string): Promise<Uint8Array> {
  await f.kms.enableKey({ KeyId: keyId }, ROOT);
  const blob = (await f.kms.encrypt({ KeyId: keyId, Plaintext: new Uint8Array([1]) }, ROOT)).CiphertextBlob;
  await f.kms.disableKey({ KeyId: keyId }, ROOT);
  return blob;
}
