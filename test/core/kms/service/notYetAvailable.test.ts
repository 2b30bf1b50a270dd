import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { operationsNotYetAvailable } from '../../../../core/kms/service';
import { ROOT, harness, rejectsWith } from './helpers';

/** What a follow-up will add: grants, rotation, imported key material, multi-Region keys, custom key stores. */
const FOLLOW_UPS = [
  'CreateGrant', 'ListGrants', 'ListRetirableGrants', 'RetireGrant', 'RevokeGrant',
  'EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus', 'ListKeyRotations', 'RotateKeyOnDemand',
  'GetParametersForImport', 'ImportKeyMaterial', 'DeleteImportedKeyMaterial',
  'ReplicateKey', 'UpdatePrimaryRegion',
  'ConnectCustomKeyStore', 'CreateCustomKeyStore', 'DeleteCustomKeyStore', 'DescribeCustomKeyStores', 'DisconnectCustomKeyStore', 'UpdateCustomKeyStore',
  'GetKeyLastUsage',
];

describe('Operations not available yet', () => {
  it('are exactly the follow-ups', () => {
    assert.deepEqual(operationsNotYetAvailable(), [...FOLLOW_UPS].sort());
  });

  it('answer UnsupportedOperationException saying so, and are audited', async () => {
    const { kms, log } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await rejectsWith(kms.call('CreateGrant', { KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:user/x', Operations: ['Decrypt'] }, ROOT), 'UnsupportedOperationException', 'CreateGrant is not available in this KMS yet.');
    await rejectsWith(kms.call('GetKeyRotationStatus', { KeyId }, ROOT), 'UnsupportedOperationException', 'GetKeyRotationStatus is not available in this KMS yet.');
    assert.deepEqual(log.read({ outcome: 'failure' }).map((e) => e.eventName), ['CreateGrant', 'GetKeyRotationStatus']);
  });

  it('still validate their requests first, as AWS would', async () => {
    const { kms } = harness();
    await rejectsWith(kms.call('CreateGrant', { KeyId: 'k' }, ROOT), 'ValidationException', /Value null at 'operations' failed to satisfy constraint: Member must not be null/);
  });

  it('leave names outside the KMS API as UnknownOperationException', async () => {
    const { kms } = harness();
    await rejectsWith(kms.call('DeleteKey', {}, ROOT), 'UnknownOperationException');
  });
});
