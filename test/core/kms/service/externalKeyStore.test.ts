import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { XksProxy } from '../../../../core/kms/service';
import { ROOT, bytes, harness, rejectsWith, text } from './helpers';

const CREDENTIAL = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 'a'.repeat(43) };
const ENDPOINT = 'https://xks.example.com';
const PATH = '/kms/xks/v1';

/** A KMS with one proxy holding the external key `ext-1`, and a connected external key store. */
async function setup() {
  const h = harness();
  const proxy = new XksProxy({ uriEndpoint: ENDPOINT, uriPath: PATH, credential: CREDENTIAL });
  proxy.createKey('ext-1');
  proxy.createKey('ext-2');
  h.kms.registerXksProxy(proxy);
  const { CustomKeyStoreId } = await h.kms.createCustomKeyStore(
    { CustomKeyStoreName: 'xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: ENDPOINT, XksProxyUriPath: PATH, XksProxyAuthenticationCredential: CREDENTIAL, XksProxyConnectivity: 'PUBLIC_ENDPOINT' },
    ROOT,
  );
  await h.kms.connectCustomKeyStore({ CustomKeyStoreId }, ROOT);
  return { ...h, proxy, storeId: CustomKeyStoreId };
}

async function xksKey(h: Awaited<ReturnType<typeof setup>>, XksKeyId = 'ext-1') {
  return (await h.kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: h.storeId, XksKeyId }, ROOT)).KeyMetadata;
}

describe('CreateCustomKeyStore and DescribeCustomKeyStores', () => {
  it('create a disconnected external key store that ConnectCustomKeyStore connects', async () => {
    const h = harness();
    const proxy = new XksProxy({ uriEndpoint: ENDPOINT, credential: CREDENTIAL });
    h.kms.registerXksProxy(proxy);
    const request = { CustomKeyStoreName: 'xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: ENDPOINT, XksProxyUriPath: PATH, XksProxyAuthenticationCredential: CREDENTIAL };
    const { CustomKeyStoreId } = await h.kms.createCustomKeyStore(request, ROOT);
    assert.match(CustomKeyStoreId, /^cks-[0-9a-f]{17}$/);
    const [store] = (await h.kms.describeCustomKeyStores({}, ROOT)).CustomKeyStores;
    assert.deepEqual({ ...store, CreationDate: undefined }, {
      CustomKeyStoreId,
      CustomKeyStoreName: 'xks',
      ConnectionState: 'DISCONNECTED',
      CreationDate: undefined,
      CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
      XksProxyConfiguration: { Connectivity: 'PUBLIC_ENDPOINT', AccessKeyId: CREDENTIAL.AccessKeyId, UriEndpoint: ENDPOINT, UriPath: PATH },
    });
    await h.kms.connectCustomKeyStore({ CustomKeyStoreId }, ROOT);
    assert.equal((await h.kms.describeCustomKeyStores({ CustomKeyStoreId }, ROOT)).CustomKeyStores[0]!.ConnectionState, 'CONNECTED');
    // The secret is neither returned nor logged.
    assert.equal(JSON.stringify(h.log.read()).includes(CREDENTIAL.RawSecretAccessKey), false);
    await rejectsWith(h.kms.createCustomKeyStore({ ...request, XksProxyUriPath: '/other/kms/xks/v1' }, ROOT), 'CustomKeyStoreNameInUseException');
    await rejectsWith(h.kms.createCustomKeyStore({ ...request, CustomKeyStoreName: 'other' }, ROOT), 'XksProxyUriInUseException');
    await rejectsWith(h.kms.describeCustomKeyStores({ CustomKeyStoreName: 'nope' }, ROOT), 'CustomKeyStoreNotFoundException');
  });

  it('refuse a proxy that does not answer, or refuses the credential', async () => {
    const h = harness();
    const request = { CustomKeyStoreName: 'xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: ENDPOINT, XksProxyUriPath: PATH, XksProxyAuthenticationCredential: CREDENTIAL };
    await rejectsWith(h.kms.createCustomKeyStore(request, ROOT), 'XksProxyUriUnreachableException');
    h.kms.registerXksProxy(new XksProxy({ uriEndpoint: ENDPOINT, credential: { ...CREDENTIAL, RawSecretAccessKey: 'b'.repeat(43) } }));
    await rejectsWith(h.kms.createCustomKeyStore(request, ROOT), 'XksProxyIncorrectAuthenticationCredentialException');
    await rejectsWith(h.kms.createCustomKeyStore({ ...request, CustomKeyStoreType: 'AWS_CLOUDHSM' }, ROOT), 'UnsupportedOperationException');
  });
});

describe('KMS keys in an external key store', () => {
  it('encrypt twice, under the KMS key material and under the external key: neither alone decrypts', async () => {
    const h = await setup();
    const metadata = await xksKey(h);
    assert.equal(metadata.Origin, 'EXTERNAL_KEY_STORE');
    assert.equal(metadata.CustomKeyStoreId, h.storeId);
    assert.deepEqual(metadata.XksKeyConfiguration, { Id: 'ext-1' });
    const calls = h.proxy.calls;
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: metadata.KeyId, Plaintext: new Uint8Array(4096).fill(9), EncryptionContext: { a: 'b' } }, ROOT);
    assert.equal(h.proxy.calls, calls + 1);
    assert.equal(CiphertextBlob.length, 4096 + 122);
    assert.deepEqual((await h.kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' } }, ROOT)).Plaintext, new Uint8Array(4096).fill(9));
    await rejectsWith(h.kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'c' } }, ROOT), 'InvalidCiphertextException', '');
    const dataKey = await h.kms.generateDataKey({ KeyId: metadata.KeyId, KeySpec: 'AES_256' }, ROOT);
    assert.deepEqual((await h.kms.decrypt({ CiphertextBlob: dataKey.CiphertextBlob }, ROOT)).Plaintext, dataKey.Plaintext);
    // The external key gone from the external key manager: the data is out of reach.
    h.proxy.setKeyEnabled('ext-1', false);
    await rejectsWith(h.kms.decrypt({ CiphertextBlob, EncryptionContext: { a: 'b' } }, ROOT), 'KMSInvalidStateException', /disabled in the external key manager/);
  });

  it('leave nothing of the inner blob, which the KMS material alone opens, where later blobs are cut from', async () => {
    const h = await setup();
    const metadata = await xksKey(h);
    const { KeyMetadata } = await h.kms.createKey({}, ROOT);
    const { CiphertextBlob: outer } = await h.kms.encrypt({ KeyId: metadata.KeyId, Plaintext: bytes('for the external key') }, ROOT);
    const { CiphertextBlob: next } = await h.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('x') }, ROOT);
    // Inner and outer blob share their header (version, key ID, material ID, salt and IV): it must be nowhere else.
    const around = Buffer.from(next.buffer, 0, next.buffer.byteLength);
    assert.equal(around.indexOf(Buffer.from(outer.subarray(0, 40))), -1);
  });

  it('fail while the proxy is down or too slow, and work again once it is back', async () => {
    const h = await setup();
    const { KeyId } = await xksKey(h);
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT);
    h.proxy.available = false;
    await rejectsWith(h.kms.decrypt({ CiphertextBlob }, ROOT), 'KMSInvalidStateException', /cannot reach the external key store proxy/);
    await rejectsWith(h.kms.encrypt({ KeyId, Plaintext: bytes('x') }, ROOT), 'KMSInvalidStateException');
    // The key itself is fine: only its cryptography depends on the proxy.
    assert.equal((await h.kms.describeKey({ KeyId }, ROOT)).KeyMetadata.KeyState, 'Enabled');
    h.proxy.available = true;
    h.proxy.latencyMs = 300;
    await rejectsWith(h.kms.decrypt({ CiphertextBlob }, ROOT), 'KMSInvalidStateException', /did not respond within 250 milliseconds/);
    h.proxy.latencyMs = 20;
    const started = Date.now();
    assert.equal(text((await h.kms.decrypt({ CiphertextBlob }, ROOT)).Plaintext), 'x');
    assert.ok(Date.now() - started >= 15, 'the answer waits for the proxy');
  });

  it('are Unavailable while the store is disconnected, and return to their state when it connects again', async () => {
    const h = await setup();
    const enabled = await xksKey(h, 'ext-1');
    const disabled = await xksKey(h, 'ext-2');
    await h.kms.disableKey({ KeyId: disabled.KeyId }, ROOT);
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: enabled.KeyId, Plaintext: bytes('x') }, ROOT);
    await h.kms.disconnectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    assert.equal((await h.kms.describeKey({ KeyId: enabled.KeyId }, ROOT)).KeyMetadata.KeyState, 'Unavailable');
    await rejectsWith(h.kms.decrypt({ CiphertextBlob }, ROOT), 'KMSInvalidStateException', `${enabled.Arn} is unavailable.`);
    await rejectsWith(xksKey(h, 'ext-3'), 'CustomKeyStoreInvalidStateException');
    await h.kms.connectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    assert.equal((await h.kms.describeKey({ KeyId: enabled.KeyId }, ROOT)).KeyMetadata.KeyState, 'Enabled');
    assert.equal((await h.kms.describeKey({ KeyId: disabled.KeyId }, ROOT)).KeyMetadata.KeyState, 'Disabled');
    await h.kms.decrypt({ CiphertextBlob }, ROOT);
  });

  it('a connection attempt while the proxy is down leaves the store FAILED with XKS_PROXY_NOT_REACHABLE', async () => {
    const h = await setup();
    await h.kms.disconnectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    h.proxy.available = false;
    await h.kms.connectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    const [store] = (await h.kms.describeCustomKeyStores({ CustomKeyStoreId: h.storeId }, ROOT)).CustomKeyStores;
    assert.deepEqual([store!.ConnectionState, store!.ConnectionErrorCode], ['FAILED', 'XKS_PROXY_NOT_REACHABLE']);
    await rejectsWith(h.kms.connectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT), 'CustomKeyStoreInvalidStateException');
    await h.kms.disconnectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    h.proxy.available = true;
    await h.kms.connectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    assert.equal((await h.kms.describeCustomKeyStores({ CustomKeyStoreId: h.storeId }, ROOT)).CustomKeyStores[0]!.ConnectionState, 'CONNECTED');
  });

  it('CreateKey checks the external key, and refuses anything but a symmetric single-Region key', async () => {
    const h = await setup();
    await rejectsWith(xksKey(h, 'missing'), 'XksKeyNotFoundException');
    await xksKey(h, 'ext-1');
    await rejectsWith(xksKey(h, 'ext-1'), 'XksKeyAlreadyInUseException');
    await rejectsWith(h.kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: h.storeId, XksKeyId: 'ext-2', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT), 'UnsupportedOperationException');
    await rejectsWith(h.kms.createKey({ Origin: 'EXTERNAL_KEY_STORE', CustomKeyStoreId: 'cks-00000000000000000', XksKeyId: 'ext-2' }, ROOT), 'CustomKeyStoreNotFoundException');
    const { KeyId } = await xksKey(h, 'ext-2');
    await rejectsWith(h.kms.enableKeyRotation({ KeyId }, ROOT), 'UnsupportedOperationException', /origin is EXTERNAL_KEY_STORE/);
  });
});

describe('UpdateCustomKeyStore and DeleteCustomKeyStore', () => {
  it('change the proxy configuration only while disconnected, and delete a store only once it has no keys', async () => {
    const h = await setup();
    await h.kms.updateCustomKeyStore({ CustomKeyStoreId: h.storeId, NewCustomKeyStoreName: 'renamed' }, ROOT);
    await rejectsWith(h.kms.updateCustomKeyStore({ CustomKeyStoreId: h.storeId, XksProxyUriPath: '/x/kms/xks/v1' }, ROOT), 'CustomKeyStoreInvalidStateException');
    const { KeyId } = await xksKey(h);
    await rejectsWith(h.kms.deleteCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT), 'CustomKeyStoreInvalidStateException');
    await h.kms.disconnectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    await rejectsWith(h.kms.updateCustomKeyStore({ CustomKeyStoreId: h.storeId, XksProxyUriPath: '/x/kms/xks/v1' }, ROOT), 'XksProxyUriUnreachableException');
    await rejectsWith(h.kms.deleteCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT), 'CustomKeyStoreHasCMKsException');
    // A key pending deletion stays so while its store is disconnected, and still counts.
    await h.kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 }, ROOT);
    await rejectsWith(h.kms.deleteCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT), 'CustomKeyStoreHasCMKsException');
    h.clock.advance(7);
    await h.kms.deleteCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT);
    assert.deepEqual((await h.kms.describeCustomKeyStores({}, ROOT)).CustomKeyStores, []);
    await rejectsWith(h.kms.connectCustomKeyStore({ CustomKeyStoreId: h.storeId }, ROOT), 'CustomKeyStoreNotFoundException');
  });
});
