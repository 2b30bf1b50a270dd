import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { KEY_STATES, type KeyState } from '../../../../core/kms/service/keyRecord';
import { keyStateTableText } from '../../../../core/kms/service/keyStateTable';
import { wrapKeyMaterial } from '../../../../core/kms/crypto/importWrapping';
import { isImplemented, keyStateRefusalFor, keyStateTableOperations, type CreateKeyRequest, type Kms, type Origin } from '../../../../core/kms/service';
import { ACCOUNT, REGION, ROOT, bytes, harness, patchKey, rejectsWith } from './helpers';

/** A copy of the Developer Guide's table (awsdocs/aws-kms-developer-guide@bb765b75 doc_source/key-state.md), kept beside the tests. */
const FIXTURE = path.resolve(__dirname, '../../../../../test/core/kms/service/fixtures/kms-key-state-table.txt');

interface Key {
  keyId: string;
  arn: string;
}

/** How to call each operation on a key, with what it needs prepared while the key is still Enabled. */
interface Scenario {
  key: CreateKeyRequest;
  prepare?: (kms: Kms, key: Key) => Promise<unknown>;
  call: (kms: Kms, key: Key, prepared: unknown) => Promise<unknown>;
}

const SYMMETRIC: CreateKeyRequest = {};
const SIGNING: CreateKeyRequest = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' };
const HMAC: CreateKeyRequest = { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' };
const AGREEMENT: CreateKeyRequest = { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' };
const IMPORTED: CreateKeyRequest = { Origin: 'EXTERNAL' };
const MULTI_REGION: CreateKeyRequest = { MultiRegion: true };
const GRANTEE = `arn:aws:iam::${ACCOUNT}:user/grantee`;
let regionCounter = 0;

/** Import parameters and wrapped material for an imported key, made while it is still PendingImport. */
async function wrappedMaterial(kms: Kms, keyId: string) {
  const params = await kms.getParametersForImport({ KeyId: keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, ROOT);
  const EncryptedKeyMaterial = wrapKeyMaterial('RSA_2048', params.PublicKey, 'RSAES_OAEP_SHA_256', new Uint8Array(32).fill(7));
  return { KeyId: keyId, ImportToken: params.ImportToken, EncryptedKeyMaterial };
}
const PEER_PUBLIC_KEY = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' }));
let aliasCounter = 0;

const SCENARIOS: Record<string, Scenario> = {
  CancelKeyDeletion: { key: SYMMETRIC, call: (kms, k) => kms.cancelKeyDeletion({ KeyId: k.keyId }, ROOT) },
  CreateAlias: { key: SYMMETRIC, call: (kms, k) => kms.createAlias({ AliasName: `alias/state-${++aliasCounter}`, TargetKeyId: k.keyId }, ROOT) },
  Decrypt: {
    key: SYMMETRIC,
    prepare: async (kms, k) => (await kms.encrypt({ KeyId: k.keyId, Plaintext: bytes('x') }, ROOT)).CiphertextBlob,
    call: (kms, _k, blob) => kms.decrypt({ CiphertextBlob: blob as Uint8Array }, ROOT),
  },
  DeleteAlias: {
    key: SYMMETRIC,
    prepare: async (kms, k) => {
      const AliasName = `alias/state-${++aliasCounter}`;
      await kms.createAlias({ AliasName, TargetKeyId: k.keyId }, ROOT);
      return AliasName;
    },
    call: (kms, _k, AliasName) => kms.deleteAlias({ AliasName: AliasName as string }, ROOT),
  },
  DescribeKey: { key: SYMMETRIC, call: (kms, k) => kms.describeKey({ KeyId: k.keyId }, ROOT) },
  DisableKey: { key: SYMMETRIC, call: (kms, k) => kms.disableKey({ KeyId: k.keyId }, ROOT) },
  EnableKey: { key: SYMMETRIC, call: (kms, k) => kms.enableKey({ KeyId: k.keyId }, ROOT) },
  Encrypt: { key: SYMMETRIC, call: (kms, k) => kms.encrypt({ KeyId: k.keyId, Plaintext: bytes('x') }, ROOT) },
  GenerateDataKey: { key: SYMMETRIC, call: (kms, k) => kms.generateDataKey({ KeyId: k.keyId, NumberOfBytes: 32 }, ROOT) },
  GenerateDataKeyWithoutPlaintext: { key: SYMMETRIC, call: (kms, k) => kms.generateDataKeyWithoutPlaintext({ KeyId: k.keyId, KeySpec: 'AES_256' }, ROOT) },
  GenerateDataKeyPair: { key: SYMMETRIC, call: (kms, k) => kms.generateDataKeyPair({ KeyId: k.keyId, KeyPairSpec: 'ECC_NIST_P256' }, ROOT) },
  GenerateDataKeyPairWithoutPlaintext: { key: SYMMETRIC, call: (kms, k) => kms.generateDataKeyPairWithoutPlaintext({ KeyId: k.keyId, KeyPairSpec: 'ECC_NIST_P256' }, ROOT) },
  GenerateMac: { key: HMAC, call: (kms, k) => kms.generateMac({ KeyId: k.keyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }, ROOT) },
  GetKeyPolicy: { key: SYMMETRIC, call: (kms, k) => kms.getKeyPolicy({ KeyId: k.keyId }, ROOT) },
  GetPublicKey: { key: SIGNING, call: (kms, k) => kms.getPublicKey({ KeyId: k.keyId }, ROOT) },
  ListAliases: { key: SYMMETRIC, call: (kms, k) => kms.listAliases({ KeyId: k.keyId }, ROOT) },
  ListKeyPolicies: { key: SYMMETRIC, call: (kms, k) => kms.listKeyPolicies({ KeyId: k.keyId }, ROOT) },
  ListResourceTags: { key: SYMMETRIC, call: (kms, k) => kms.listResourceTags({ KeyId: k.keyId }, ROOT) },
  PutKeyPolicy: {
    key: SYMMETRIC,
    prepare: async (kms, k) => (await kms.getKeyPolicy({ KeyId: k.keyId }, ROOT)).Policy,
    call: (kms, k, policy) => kms.putKeyPolicy({ KeyId: k.keyId, Policy: policy as string }, ROOT),
  },
  ReEncrypt: {
    key: SYMMETRIC,
    prepare: async (kms, k) => (await kms.encrypt({ KeyId: k.keyId, Plaintext: bytes('x') }, ROOT)).CiphertextBlob,
    call: (kms, k, blob) => kms.reEncrypt({ CiphertextBlob: blob as Uint8Array, DestinationKeyId: k.keyId }, ROOT),
  },
  ScheduleKeyDeletion: { key: SYMMETRIC, call: (kms, k) => kms.scheduleKeyDeletion({ KeyId: k.keyId, PendingWindowInDays: 7 }, ROOT) },
  Sign: { key: SIGNING, call: (kms, k) => kms.sign({ KeyId: k.keyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT) },
  TagResource: { key: SYMMETRIC, call: (kms, k) => kms.tagResource({ KeyId: k.keyId, Tags: [{ TagKey: 't', TagValue: 'v' }] }, ROOT) },
  UntagResource: { key: SYMMETRIC, call: (kms, k) => kms.untagResource({ KeyId: k.keyId, TagKeys: ['t'] }, ROOT) },
  UpdateAlias: {
    key: SYMMETRIC,
    prepare: async (kms) => {
      const AliasName = `alias/state-${++aliasCounter}`;
      const from = (await kms.createKey({}, ROOT)).KeyMetadata.KeyId;
      await kms.createAlias({ AliasName, TargetKeyId: from }, ROOT);
      return AliasName;
    },
    call: (kms, k, AliasName) => kms.updateAlias({ AliasName: AliasName as string, TargetKeyId: k.keyId }, ROOT),
  },
  UpdateKeyDescription: { key: SYMMETRIC, call: (kms, k) => kms.updateKeyDescription({ KeyId: k.keyId, Description: 'd' }, ROOT) },
  Verify: {
    key: SIGNING,
    prepare: async (kms, k) => (await kms.sign({ KeyId: k.keyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT)).Signature,
    call: (kms, k, signature) => kms.verify({ KeyId: k.keyId, Message: bytes('m'), Signature: signature as Uint8Array, SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT),
  },
  VerifyMac: {
    key: HMAC,
    prepare: async (kms, k) => (await kms.generateMac({ KeyId: k.keyId, Message: bytes('m'), MacAlgorithm: 'HMAC_SHA_256' }, ROOT)).Mac,
    call: (kms, k, mac) => kms.verifyMac({ KeyId: k.keyId, Message: bytes('m'), Mac: mac as Uint8Array, MacAlgorithm: 'HMAC_SHA_256' }, ROOT),
  },
  DeriveSharedSecret: { key: AGREEMENT, call: (kms, k) => kms.deriveSharedSecret({ KeyId: k.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: PEER_PUBLIC_KEY }, ROOT) },
  CreateGrant: { key: SYMMETRIC, call: (kms, k) => kms.createGrant({ KeyId: k.keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] }, ROOT) },
  ListGrants: { key: SYMMETRIC, call: (kms, k) => kms.listGrants({ KeyId: k.keyId }, ROOT) },
  RetireGrant: {
    key: SYMMETRIC,
    prepare: async (kms, k) => (await kms.createGrant({ KeyId: k.keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] }, ROOT)).GrantId,
    call: (kms, k, GrantId) => kms.retireGrant({ KeyId: k.arn, GrantId: GrantId as string }, ROOT),
  },
  RevokeGrant: {
    key: SYMMETRIC,
    prepare: async (kms, k) => (await kms.createGrant({ KeyId: k.keyId, GranteePrincipal: GRANTEE, Operations: ['Decrypt'] }, ROOT)).GrantId,
    call: (kms, k, GrantId) => kms.revokeGrant({ KeyId: k.keyId, GrantId: GrantId as string }, ROOT),
  },
  EnableKeyRotation: { key: SYMMETRIC, call: (kms, k) => kms.enableKeyRotation({ KeyId: k.keyId }, ROOT) },
  DisableKeyRotation: { key: SYMMETRIC, call: (kms, k) => kms.disableKeyRotation({ KeyId: k.keyId }, ROOT) },
  GetKeyRotationStatus: { key: SYMMETRIC, call: (kms, k) => kms.getKeyRotationStatus({ KeyId: k.keyId }, ROOT) },
  RotateKeyOnDemand: { key: SYMMETRIC, call: (kms, k) => kms.rotateKeyOnDemand({ KeyId: k.keyId }, ROOT) },
  ListKeyRotations: { key: SYMMETRIC, call: (kms, k) => kms.listKeyRotations({ KeyId: k.keyId }, ROOT) },
  GetParametersForImport: { key: IMPORTED, call: (kms, k) => kms.getParametersForImport({ KeyId: k.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, ROOT) },
  ImportKeyMaterial: {
    key: IMPORTED,
    prepare: (kms, k) => wrappedMaterial(kms, k.keyId),
    call: (kms, _k, request) => kms.importKeyMaterial(request as Awaited<ReturnType<typeof wrappedMaterial>>, ROOT),
  },
  DeleteImportedKeyMaterial: {
    key: IMPORTED,
    prepare: async (kms, k) => kms.importKeyMaterial(await wrappedMaterial(kms, k.keyId), ROOT),
    call: (kms, k) => kms.deleteImportedKeyMaterial({ KeyId: k.keyId }, ROOT),
  },
  ReplicateKey: { key: MULTI_REGION, call: (kms, k) => kms.replicateKey({ KeyId: k.keyId, ReplicaRegion: `eu-west-${++regionCounter}` }, ROOT) },
  UpdatePrimaryRegion: {
    key: MULTI_REGION,
    prepare: (kms, k) => kms.replicateKey({ KeyId: k.keyId, ReplicaRegion: 'eu-west-1' }, ROOT),
    call: (kms, k) => kms.updatePrimaryRegion({ KeyId: k.keyId, PrimaryRegion: 'eu-west-1' }, ROOT),
  },
};

function statePatch(state: KeyState) {
  const pending = state === 'PendingDeletion' || state === 'PendingReplicaDeletion';
  return { keyState: state, ...(pending ? { deletionDate: '2030-01-01T00:00:00.000Z', pendingDeletionWindowInDays: 30 } : {}) };
}

/**
 * What the table says for a key of the scenario's kind (its origin decides the conditional footnotes 7, 8 and 9),
 * with UpdateAlias's note 10 (the key an alias moves to may not be pending deletion).
 */
function expectation(operation: string, state: KeyState, arn: string, origin: Origin = 'AWS_KMS'): { name: string; message: string } | undefined {
  if (operation === 'UpdateAlias' && (state === 'PendingDeletion' || state === 'PendingReplicaDeletion')) {
    return { name: 'KMSInvalidStateException', message: `${arn} is ${state === 'PendingDeletion' ? 'pending deletion' : 'pending replica deletion'}.` };
  }
  const refusal = keyStateRefusalFor(operation, { arn, keyState: state, origin });
  return refusal ? { name: refusal.name, message: refusal.message } : undefined;
}

describe('The key state table', () => {
  it('is the Developer Guide table as published, row for row', { skip: !fs.existsSync(FIXTURE) && `no fixture at ${FIXTURE}` }, () => {
    const rows = fs
      .readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z][A-Za-z]+ \| (OK|FAIL|\?|N\/A)/.test(line));
    assert.deepEqual(keyStateTableText().split('\n'), rows);
  });

  it('has a scenario here for every operation it covers that this KMS implements', () => {
    const implemented = keyStateTableOperations().filter(isImplemented);
    assert.deepEqual(implemented.filter((op) => !SCENARIOS[op]), []);
    assert.ok(implemented.length >= 43);
  });

  // Spot checks written out by hand from the table's footnotes, independent of the code that reads it.
  const SPOT_CHECKS: [string, KeyState, string, (arn: string) => string][] = [
    ['Encrypt', 'Disabled', 'DisabledException', (arn) => `${arn} is disabled.`],
    ['Decrypt', 'PendingDeletion', 'KMSInvalidStateException', (arn) => `${arn} is pending deletion.`],
    ['Sign', 'PendingReplicaDeletion', 'KMSInvalidStateException', (arn) => `${arn} is pending replica deletion.`],
    ['CancelKeyDeletion', 'Enabled', 'KMSInvalidStateException', (arn) => `${arn} is not pending deletion.`],
    ['GenerateDataKey', 'PendingImport', 'KMSInvalidStateException', (arn) => `${arn} is pending import.`],
    ['Encrypt', 'Unavailable', 'KMSInvalidStateException', (arn) => `${arn} is unavailable.`],
    ['GetPublicKey', 'Creating', 'KMSInvalidStateException', (arn) => `${arn} is creating.`],
    ['DisableKey', 'Updating', 'KMSInvalidStateException', (arn) => `${arn} is updating.`],
    ['TagResource', 'PendingDeletion', 'KMSInvalidStateException', (arn) => `${arn} is pending deletion.`],
    ['CreateGrant', 'Disabled', 'DisabledException', (arn) => `${arn} is disabled.`],
    ['CreateGrant', 'PendingImport', 'KMSInvalidStateException', (arn) => `${arn} is pending import.`],
    ['EnableKeyRotation', 'Disabled', 'DisabledException', (arn) => `${arn} is disabled.`],
    ['RotateKeyOnDemand', 'PendingDeletion', 'KMSInvalidStateException', (arn) => `${arn} is pending deletion.`],
    ['GetKeyRotationStatus', 'PendingImport', 'UnsupportedOperationException', (arn) => `${arn} origin is EXTERNAL which is not valid for this operation.`],
    ['GetParametersForImport', 'PendingDeletion', 'KMSInvalidStateException', (arn) => `${arn} is pending deletion.`],
    ['ImportKeyMaterial', 'Creating', 'KMSInvalidStateException', (arn) => `${arn} is creating.`],
    ['DeleteImportedKeyMaterial', 'Updating', 'KMSInvalidStateException', (arn) => `${arn} is updating.`],
    ['ReplicateKey', 'Disabled', 'DisabledException', (arn) => `${arn} is disabled.`],
    ['UpdatePrimaryRegion', 'PendingImport', 'KMSInvalidStateException', (arn) => `${arn} is pending import.`],
  ];
  for (const [operation, state, name, message] of SPOT_CHECKS) {
    it(`refuses ${operation} on a ${state} key with ${name}`, async () => {
      const { kms, store } = harness();
      const scenario = SCENARIOS[operation]!;
      const { KeyMetadata } = await kms.createKey(scenario.key, ROOT);
      const key = { keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
      const prepared = await scenario.prepare?.(kms, key);
      patchKey(store, key.keyId, statePatch(state));
      await rejectsWith(scenario.call(kms, key, prepared), name, message(key.arn));
    });
  }
});

for (const operation of keyStateTableOperations().filter(isImplemented)) {
  describe(`${operation} in each key state`, () => {
    const scenario = SCENARIOS[operation]!;
    for (const state of KEY_STATES) {
      it(`${state}: ${expectation(operation, state, '<key ARN>', scenario.key.Origin as Origin | undefined)?.name ?? 'succeeds'}`, async () => {
        const { kms, store } = harness();
        const { KeyMetadata } = await kms.createKey(scenario.key, ROOT);
        const key = { keyId: KeyMetadata.KeyId, arn: KeyMetadata.Arn };
        const prepared = await scenario.prepare?.(kms, key);
        patchKey(store, key.keyId, statePatch(state));
        const expected = expectation(operation, state, key.arn, scenario.key.Origin as Origin | undefined);
        if (expected) await rejectsWith(scenario.call(kms, key, prepared), expected.name, expected.message);
        else await scenario.call(kms, key, prepared);
        assert.ok(store.readKey(REGION, key.keyId), 'the key is still there');
      });
    }
  });
}
