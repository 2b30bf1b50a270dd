import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { operationNames } from '../../../../core/kms/model/apiModel';
import { isImplemented, operationsNotYetAvailable } from '../../../../core/kms/service';
import { ROOT, harness, rejectsWith } from './helpers';

describe('Operations of the AWS KMS API', () => {
  it('every operation of the API model has a handler', () => {
    assert.deepEqual(operationsNotYetAvailable(), []);
    for (const name of operationNames()) assert.ok(isImplemented(name), name);
  });

  it('leave names outside the KMS API as UnknownOperationException', async () => {
    const { kms } = harness();
    await rejectsWith(kms.call('DeleteKey', {}, ROOT), 'UnknownOperationException');
  });
});

describe('GetKeyLastUsage', () => {
  it('reports the last successful cryptographic operation from the audit log, with its event and request IDs', async () => {
    const { kms, log, clock } = harness();
    const { KeyId, Arn, CreationDate } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const unused = await kms.getKeyLastUsage({ KeyId }, ROOT);
    assert.equal(unused.KeyLastUsage, undefined);
    assert.equal(unused.KeyId, KeyId);
    assert.deepEqual(unused.TrackingStartDate, CreationDate);
    assert.deepEqual(unused.KeyCreationDate, CreationDate);

    const { CiphertextBlob } = await kms.encrypt({ KeyId, Plaintext: Uint8Array.of(1) }, ROOT);
    clock.advanceMs(60_000);
    await kms.decrypt({ CiphertextBlob }, ROOT);
    // A failed call and a non-cryptographic one are not uses.
    await rejectsWith(kms.decrypt({ CiphertextBlob, EncryptionContext: { wrong: 'context' } }, ROOT), 'InvalidCiphertextException');
    await kms.describeKey({ KeyId }, ROOT);
    const used = await kms.getKeyLastUsage({ KeyId: Arn }, ROOT);
    const decrypt = log.read({ operation: 'Decrypt', outcome: 'success' }).pop()!;
    assert.deepEqual(used.KeyLastUsage, { Operation: 'Decrypt', Timestamp: new Date(decrypt.eventTime), CloudTrailEventId: decrypt.eventID, KmsRequestId: decrypt.requestID });
  });

  it('takes key IDs and ARNs, not aliases, as AWS does; validates and authorizes like any key operation', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.createAlias({ AliasName: 'alias/app', TargetKeyId: KeyId }, ROOT);
    await rejectsWith(kms.call('GetKeyLastUsage', { KeyId: 'alias/app' }, ROOT), 'NotFoundException');
    await rejectsWith(kms.call('GetKeyLastUsage', {}, ROOT), 'ValidationException', /Value null at 'keyId' failed to satisfy constraint: Member must not be null/);
    await rejectsWith(kms.call('GetKeyLastUsage', { KeyId }, { principal: 'arn:aws:iam::111122223333:user/nobody' }), 'AccessDeniedException');
  });
});
