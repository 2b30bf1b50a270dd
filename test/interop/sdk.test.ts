/**
 * The AWS SDK for JavaScript v3 (@aws-sdk/client-kms), unchanged, against the local endpoint: every operation of
 * the embedded KMS through it at least once, and every exception the KMS can name reaching the SDK as the
 * exception class it expects.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { constants, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import * as K from '@aws-sdk/client-kms';
import { KNOWN_EXCEPTIONS, KmsError } from '../../core/kms/errors';
import { operationNames } from '../../core/kms/model/apiModel';
import { XksProxy, type Kms } from '../../core/kms/service';
import { startTestEndpoint, type TestEndpoint } from '../core/wire/wireHelpers';

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

describe('@aws-sdk/client-kms: every operation of the embedded KMS through the endpoint', () => {
  let t: TestEndpoint;
  let kms: K.KMSClient;
  let keyId: string;
  let keyArn: string;

  after(() => t?.close());
  before(async () => {
    t = await startTestEndpoint({ folder: true, closeAfterTest: false });
    kms = t.client();
    const created = await kms.send(new K.CreateKeyCommand({ Description: 'app data', Tags: [{ TagKey: 'team', TagValue: 'blue' }] }));
    keyId = created.KeyMetadata!.KeyId!;
    keyArn = created.KeyMetadata!.Arn!;
    assert.equal(created.KeyMetadata!.KeyState, 'Enabled');
    assert.ok(created.KeyMetadata!.CreationDate instanceof Date, 'epoch seconds become a Date in the SDK');
    assert.match(created.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  });

  it('keys: describe, list, describe again after update, disable, enable, tag, untag, schedule and cancel deletion', async () => {
    assert.equal((await kms.send(new K.DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata?.Description, 'app data');
    assert.deepEqual((await kms.send(new K.ListKeysCommand({}))).Keys?.map((k) => k.KeyId), [keyId]);
    await kms.send(new K.UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'renamed' }));
    assert.equal((await kms.send(new K.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Description, 'renamed');
    await kms.send(new K.DisableKeyCommand({ KeyId: keyId }));
    await assert.rejects(kms.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })), K.DisabledException);
    await kms.send(new K.EnableKeyCommand({ KeyId: keyId }));
    await kms.send(new K.TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'env', TagValue: 'test' }] }));
    await kms.send(new K.UntagResourceCommand({ KeyId: keyId, TagKeys: ['team'] }));
    assert.deepEqual((await kms.send(new K.ListResourceTagsCommand({ KeyId: keyId }))).Tags, [{ TagKey: 'env', TagValue: 'test' }]);

    const doomed = (await kms.send(new K.CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const scheduled = await kms.send(new K.ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.ok(scheduled.DeletionDate instanceof Date);
    await assert.rejects(kms.send(new K.EncryptCommand({ KeyId: doomed, Plaintext: Buffer.from('x') })), K.KMSInvalidStateException);
    await kms.send(new K.CancelKeyDeletionCommand({ KeyId: doomed }));
    assert.equal((await kms.send(new K.DescribeKeyCommand({ KeyId: doomed }))).KeyMetadata?.KeyState, 'Disabled');
  });

  it('symmetric cryptography: Encrypt, Decrypt, ReEncrypt, data keys, random bytes', async () => {
    const context = { purpose: 'interop' };
    const encrypted = await kms.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('attack at dawn'), EncryptionContext: context }));
    assert.equal(encrypted.KeyId, keyArn);
    const decrypted = await kms.send(new K.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: context }));
    assert.equal(text(decrypted.Plaintext), 'attack at dawn');
    await assert.rejects(kms.send(new K.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, EncryptionContext: { purpose: 'other' } })), K.InvalidCiphertextException);

    const other = (await kms.send(new K.CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const reEncrypted = await kms.send(new K.ReEncryptCommand({ CiphertextBlob: encrypted.CiphertextBlob, SourceEncryptionContext: context, DestinationKeyId: other }));
    assert.equal(reEncrypted.SourceKeyId, keyArn);
    assert.equal(text((await kms.send(new K.DecryptCommand({ CiphertextBlob: reEncrypted.CiphertextBlob }))).Plaintext), 'attack at dawn');
    await assert.rejects(kms.send(new K.DecryptCommand({ CiphertextBlob: reEncrypted.CiphertextBlob, KeyId: keyId })), K.IncorrectKeyException);

    const dataKey = await kms.send(new K.GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    assert.equal(dataKey.Plaintext?.length, 32);
    assert.deepEqual((await kms.send(new K.DecryptCommand({ CiphertextBlob: dataKey.CiphertextBlob }))).Plaintext, dataKey.Plaintext);
    const withoutPlaintext = await kms.send(new K.GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 16 }));
    assert.equal((await kms.send(new K.DecryptCommand({ CiphertextBlob: withoutPlaintext.CiphertextBlob }))).Plaintext?.length, 16);
    assert.equal((await kms.send(new K.GenerateRandomCommand({ NumberOfBytes: 48 }))).Plaintext?.length, 48);

    // GetKeyLastUsage names the last use by the request ID the SDK was given for it.
    const last = await kms.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('last') }));
    const usage = await kms.send(new K.GetKeyLastUsageCommand({ KeyId: keyId }));
    assert.deepEqual([usage.KeyLastUsage?.Operation, usage.KeyLastUsage?.KmsRequestId], ['Encrypt', last.$metadata.requestId]);
    assert.ok(usage.KeyCreationDate instanceof Date);
  });

  it('asymmetric keys: Sign, Verify, GetPublicKey, data key pairs, DeriveSharedSecret', async () => {
    const signing = (await kms.send(new K.CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
    const message = Buffer.from('signed by kms');
    const signed = await kms.send(new K.SignCommand({ KeyId: signing, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.equal((await kms.send(new K.VerifyCommand({ KeyId: signing, Message: message, Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid, true);
    await assert.rejects(kms.send(new K.VerifyCommand({ KeyId: signing, Message: Buffer.from('tampered'), Signature: signed.Signature, SigningAlgorithm: 'ECDSA_SHA_256' })), K.KMSInvalidSignatureException);
    const publicKey = await kms.send(new K.GetPublicKeyCommand({ KeyId: signing }));
    assert.equal(createPublicKey({ key: Buffer.from(publicKey.PublicKey!), format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve, 'prime256v1');
    await assert.rejects(kms.send(new K.EncryptCommand({ KeyId: signing, Plaintext: message })), K.InvalidKeyUsageException);

    const pair = await kms.send(new K.GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' }));
    assert.ok(pair.PrivateKeyPlaintext && pair.PublicKey && pair.PrivateKeyCiphertextBlob);
    const pairWithout = await kms.send(new K.GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' }));
    assert.equal(pairWithout.KeyPairSpec, 'ECC_NIST_P256');
    assert.deepEqual(Object.keys(pairWithout).includes('PrivateKeyPlaintext'), false);

    const agreement = (await kms.send(new K.CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }))).KeyMetadata!.KeyId!;
    const peer = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const derived = await kms.send(new K.DeriveSharedSecretCommand({ KeyId: agreement, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }) }));
    assert.equal(derived.SharedSecret?.length, 32);
  });

  it('HMAC keys: GenerateMac and VerifyMac', async () => {
    const hmac = (await kms.send(new K.CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
    const mac = await kms.send(new K.GenerateMacCommand({ KeyId: hmac, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }));
    assert.equal((await kms.send(new K.VerifyMacCommand({ KeyId: hmac, Message: Buffer.from('m'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' }))).MacValid, true);
    await assert.rejects(kms.send(new K.VerifyMacCommand({ KeyId: hmac, Message: Buffer.from('n'), Mac: mac.Mac, MacAlgorithm: 'HMAC_SHA_256' })), K.KMSInvalidMacException);
  });

  it('aliases: create, list, update, delete', async () => {
    const other = (await kms.send(new K.CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new K.CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId }));
    await assert.rejects(kms.send(new K.CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId })), K.AlreadyExistsException);
    assert.equal((await kms.send(new K.EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('x') }))).KeyId, keyArn);
    await kms.send(new K.UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: other }));
    const aliases = await kms.send(new K.ListAliasesCommand({ KeyId: other }));
    assert.deepEqual(aliases.Aliases?.map((a) => a.AliasName), ['alias/app']);
    await kms.send(new K.DeleteAliasCommand({ AliasName: 'alias/app' }));
    await assert.rejects(kms.send(new K.DescribeKeyCommand({ KeyId: 'alias/app' })), K.NotFoundException);
  });

  it('key policies: get, put, list; a malformed policy is MalformedPolicyDocumentException', async () => {
    const policy = JSON.parse((await kms.send(new K.GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!) as { Statement: unknown[] };
    assert.ok(policy.Statement.length >= 1);
    await kms.send(new K.PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(policy) }));
    assert.deepEqual((await kms.send(new K.ListKeyPoliciesCommand({ KeyId: keyId }))).PolicyNames, ['default']);
    await assert.rejects(kms.send(new K.PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: '{"Statement": 5}' })), K.MalformedPolicyDocumentException);
  });

  it('grants: create, list, list retirable, retire, revoke', async () => {
    const grantee = `arn:aws:iam::${ACCOUNT}:user/worker`;
    const grant = await kms.send(new K.CreateGrantCommand({ KeyId: keyId, GranteePrincipal: grantee, RetiringPrincipal: ROOT, Operations: ['Decrypt', 'Encrypt'] }));
    assert.ok(grant.GrantId && grant.GrantToken);
    const listed = await kms.send(new K.ListGrantsCommand({ KeyId: keyId }));
    assert.deepEqual(listed.Grants?.map((g) => g.GranteePrincipal), [grantee]);
    assert.ok(listed.Grants?.[0]?.CreationDate instanceof Date);
    assert.deepEqual((await kms.send(new K.ListRetirableGrantsCommand({ RetiringPrincipal: ROOT }))).Grants?.map((g) => g.GrantId), [grant.GrantId]);
    await kms.send(new K.RetireGrantCommand({ KeyId: keyArn, GrantId: grant.GrantId }));
    const second = await kms.send(new K.CreateGrantCommand({ KeyId: keyId, GranteePrincipal: grantee, Operations: ['Decrypt'] }));
    await kms.send(new K.RevokeGrantCommand({ KeyId: keyId, GrantId: second.GrantId }));
    assert.deepEqual((await kms.send(new K.ListGrantsCommand({ KeyId: keyId }))).Grants, []);
    await assert.rejects(kms.send(new K.RevokeGrantCommand({ KeyId: keyId, GrantId: 'a'.repeat(64) })), K.NotFoundException);
  });

  it('rotation: enable, status, on demand, list rotations, disable', async () => {
    await kms.send(new K.EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const status = await kms.send(new K.GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.deepEqual([status.KeyRotationEnabled, status.RotationPeriodInDays], [true, 90]);
    await kms.send(new K.RotateKeyOnDemandCommand({ KeyId: keyId }));
    const rotations = await kms.send(new K.ListKeyRotationsCommand({ KeyId: keyId }));
    assert.equal(rotations.Rotations?.length, 1);
    assert.equal(rotations.Rotations?.[0]?.RotationType, 'ON_DEMAND');
    await kms.send(new K.DisableKeyRotationCommand({ KeyId: keyId }));
    assert.equal((await kms.send(new K.GetKeyRotationStatusCommand({ KeyId: keyId }))).KeyRotationEnabled, false);
  });

  it('imported key material: parameters, import (wrapped with node:crypto), delete', async () => {
    const external = (await kms.send(new K.CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    const parameters = await kms.send(new K.GetParametersForImportCommand({ KeyId: external, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
    const wrapped = publicEncrypt({ key: createPublicKey({ key: Buffer.from(parameters.PublicKey!), format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
    await kms.send(new K.ImportKeyMaterialCommand({ KeyId: external, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
    assert.equal((await kms.send(new K.DescribeKeyCommand({ KeyId: external }))).KeyMetadata?.KeyState, 'Enabled');
    await kms.send(new K.DeleteImportedKeyMaterialCommand({ KeyId: external }));
    assert.equal((await kms.send(new K.DescribeKeyCommand({ KeyId: external }))).KeyMetadata?.KeyState, 'PendingImport');
  });

  it('multi-Region keys: replicate into another Region, move the primary there', async () => {
    const primary = await kms.send(new K.CreateKeyCommand({ MultiRegion: true }));
    const mrkId = primary.KeyMetadata!.KeyId!;
    assert.match(mrkId, /^mrk-/);
    const replica = await kms.send(new K.ReplicateKeyCommand({ KeyId: mrkId, ReplicaRegion: 'eu-west-1' }));
    assert.match(replica.ReplicaKeyMetadata?.Arn ?? '', /^arn:aws:kms:eu-west-1:/);
    await kms.send(new K.UpdatePrimaryRegionCommand({ KeyId: mrkId, PrimaryRegion: 'eu-west-1' }));
    const inEurope = t.client({ region: 'eu-west-1' });
    const described = await inEurope.send(new K.DescribeKeyCommand({ KeyId: mrkId }));
    assert.equal(described.KeyMetadata?.MultiRegionConfiguration?.MultiRegionKeyType, 'PRIMARY');
  });

  it('external key stores: create, describe, connect, disconnect, update, delete', async () => {
    const credential = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) };
    (t.kms as Kms).registerXksProxy(new XksProxy({ uriEndpoint: 'https://xks.example.com', credential }));
    const created = await kms.send(
      new K.CreateCustomKeyStoreCommand({ CustomKeyStoreName: 'xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: 'https://xks.example.com', XksProxyUriPath: '/kms/xks/v1', XksProxyAuthenticationCredential: credential, XksProxyConnectivity: 'PUBLIC_ENDPOINT' }),
    );
    const storeId = created.CustomKeyStoreId!;
    await kms.send(new K.ConnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    assert.equal((await kms.send(new K.DescribeCustomKeyStoresCommand({ CustomKeyStoreId: storeId }))).CustomKeyStores?.[0]?.ConnectionState, 'CONNECTED');
    await kms.send(new K.DisconnectCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    await kms.send(new K.UpdateCustomKeyStoreCommand({ CustomKeyStoreId: storeId, NewCustomKeyStoreName: 'xks-renamed' }));
    assert.equal((await kms.send(new K.DescribeCustomKeyStoresCommand({ CustomKeyStoreName: 'xks-renamed' }))).CustomKeyStores?.length, 1);
    await kms.send(new K.DeleteCustomKeyStoreCommand({ CustomKeyStoreId: storeId }));
    await assert.rejects(kms.send(new K.DescribeCustomKeyStoresCommand({ CustomKeyStoreId: storeId })), K.CustomKeyStoreNotFoundException);
  });

  it('covered every operation of the API model, each through the wire', () => {
    const seen = new Set(t.events.map((e) => e.operation));
    assert.deepEqual(operationNames().filter((op) => !seen.has(op)), []);
    // Every call the KMS answered is in the audit log, under the request ID the SDK got.
    const logged = new Set(t.log.read().map((e) => e.requestID));
    const called = t.events.filter((e) => e.operation !== undefined && e.accessKeyId !== undefined);
    assert.deepEqual(called.filter((e) => !logged.has(e.requestId)).map((e) => e.operation), []);
  });
});

describe('@aws-sdk/client-kms: error answers become the exceptions the SDK expects', () => {
  it('every exception name the KMS knows: the SDK class where the model has one, the name, the message, the status, the request ID', async () => {
    let next: KmsError = new KmsError('NotFoundException', '');
    const throwing = { account: ACCOUNT, call: async () => Promise.reject(next) } as unknown as Kms;
    const t = await startTestEndpoint({ kms: throwing });
    const client = t.client();
    for (const name of [...KNOWN_EXCEPTIONS].sort()) {
      next = new KmsError(name, `a ${name} with "quotes" and ünïcödé`);
      const error = await client.send(new K.ListKeysCommand({})).then(
        () => assert.fail(`${name}: the call succeeded`),
        (e: unknown) => e as K.KMSServiceException,
      );
      const modeled = (K as unknown as Record<string, unknown>)[name];
      if (typeof modeled === 'function') assert.ok(error instanceof (modeled as typeof K.KMSServiceException), `${name} is the SDK's ${name} class`);
      assert.ok(error instanceof K.KMSServiceException, `${name} is a KMSServiceException`);
      assert.equal(error.name, name);
      assert.equal(error.message, next.message);
      assert.equal(error.$metadata.httpStatusCode, name === 'KMSInternalException' ? 500 : 400);
      assert.equal(error.$metadata.requestId, t.events.at(-1)?.requestId);
    }
  });

  it('errors the endpoint itself gives: signature, access key, unknown operation, serialization, validation, access denied', async () => {
    const t = await startTestEndpoint({
      identities: [
        { principal: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'AKIAINTEROPADMIN0001', secretAccessKey: 'admin', policies: [], tags: {} },
        { principal: `arn:aws:iam::${ACCOUNT}:user/reader`, accessKeyId: 'AKIAINTEROPREADER001', secretAccessKey: 'reader', policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:DescribeKey', Resource: '*' }] }], tags: {} },
      ],
    });
    const admin = t.client({ credentials: { accessKeyId: 'AKIAINTEROPADMIN0001', secretAccessKey: 'admin' } });
    const keyId = (await admin.send(new K.CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const expectError = async (promise: Promise<unknown>, name: string, message?: RegExp) => {
      const error = await promise.then(
        () => assert.fail(`expected ${name}`),
        (e: unknown) => e as K.KMSServiceException,
      );
      assert.equal(error.name, name);
      assert.equal(error.$metadata.httpStatusCode, 400);
      if (message) assert.match(error.message, message);
    };
    await expectError(t.client({ credentials: { accessKeyId: 'AKIAINTEROPADMIN0001', secretAccessKey: 'wrong' } }).send(new K.ListKeysCommand({})), 'InvalidSignatureException', /does not match the signature you provided/);
    await expectError(t.client().send(new K.ListKeysCommand({})), 'UnrecognizedClientException', /security token included in the request is invalid/);
    await expectError(admin.send(new K.DecapsulateCommand({ KeyId: keyId, Ciphertext: Buffer.from('x'), KeyEncapsulationAlgorithm: 'ML_KEM' } as unknown as K.DecapsulateCommandInput)), 'UnknownOperationException');
    await expectError(admin.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097) })), 'ValidationException', /at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/);
    const reader = t.client({ credentials: { accessKeyId: 'AKIAINTEROPREADER001', secretAccessKey: 'reader' } });
    assert.equal((await reader.send(new K.DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyId, keyId);
    await expectError(reader.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })), 'AccessDeniedException', /user\/reader is not authorized to perform: kms:Encrypt/);
  });

  it('the SDK corrects its clock from the endpoint\'s Date header and retries a signature it made too far off', async () => {
    const t = await startTestEndpoint();
    const skewed = new K.KMSClient({ region: 'us-east-1', endpoint: t.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, systemClockOffset: -20 * 60_000, maxAttempts: 2 });
    try {
      assert.deepEqual((await skewed.send(new K.ListKeysCommand({}))).Keys, []);
      assert.deepEqual(t.events.map((e) => e.errorCode), ['InvalidSignatureException', undefined]);
      assert.match(t.events[0]!.errorMessage ?? '', /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    } finally {
      skewed.destroy();
    }
  });
});
