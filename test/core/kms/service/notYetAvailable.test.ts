import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { operationsNotYetAvailable } from '../../../../core/kms/service';
import { ROOT, harness, rejectsWith } from './helpers';

/** What is left of the AWS KMS API: GetKeyLastUsage (2025). */
const FOLLOW_UPS = ['GetKeyLastUsage'];

describe('Operations not available yet', () => {
  it('are exactly the follow-ups', () => {
    assert.deepEqual(operationsNotYetAvailable(), [...FOLLOW_UPS].sort());
  });

  it('answer UnsupportedOperationException saying so, and are audited', async () => {
    const { kms, log } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await rejectsWith(kms.call('GetKeyLastUsage', { KeyId }, ROOT), 'UnsupportedOperationException', 'GetKeyLastUsage is not available in this KMS yet.');
    assert.deepEqual(log.read({ outcome: 'failure' }).map((e) => e.eventName), ['GetKeyLastUsage']);
  });

  it('still validate their requests first, as AWS would', async () => {
    const { kms } = harness();
    await rejectsWith(kms.call('GetKeyLastUsage', {}, ROOT), 'ValidationException', /Value null at 'keyId' failed to satisfy constraint: Member must not be null/);
  });

  it('leave names outside the KMS API as UnknownOperationException', async () => {
    const { kms } = harness();
    await rejectsWith(kms.call('DeleteKey', {}, ROOT), 'UnknownOperationException');
  });
});
