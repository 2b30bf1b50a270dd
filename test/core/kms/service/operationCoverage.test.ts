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

  it('counts a ReEncrypt for both its keys, and the event names both among its resources', async () => {
    const { kms, log } = harness();
    const a = (await kms.createKey({}, ROOT)).KeyMetadata;
    const b = (await kms.createKey({}, ROOT)).KeyMetadata;
    const { CiphertextBlob } = await kms.encrypt({ KeyId: a.KeyId, Plaintext: Uint8Array.of(1) }, ROOT);
    await kms.reEncrypt({ CiphertextBlob, DestinationKeyId: b.KeyId }, ROOT);
    const event = log.read({ operation: 'ReEncrypt' }).pop()!;
    assert.deepEqual(event.resources!.map((r) => r.ARN), [a.Arn, b.Arn]);
    for (const key of [a, b]) assert.equal((await kms.getKeyLastUsage({ KeyId: key.KeyId }, ROOT)).KeyLastUsage?.Operation, 'ReEncrypt');
  });

  it('starts tracking no earlier than the oldest event its log holds', async () => {
    const first = harness();
    const { KeyId, CreationDate } = (await first.kms.createKey({}, ROOT)).KeyMetadata;
    await first.kms.encrypt({ KeyId, Plaintext: Uint8Array.of(1) }, ROOT);
    // The same store, later, with a log that starts afresh: the use before it is not in it.
    const later = harness(first.store);
    later.clock.set(new Date(CreationDate!.getTime() + 86_400_000));
    await later.kms.describeKey({ KeyId }, ROOT);
    const answer = await later.kms.getKeyLastUsage({ KeyId }, ROOT);
    assert.equal(answer.KeyLastUsage, undefined);
    assert.ok(answer.TrackingStartDate.getTime() > CreationDate!.getTime(), 'a key used before tracking began is not reported as never used');
    assert.deepEqual(answer.KeyCreationDate, CreationDate);
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
