/**
 * The KMS on a FolderStore with a file audit log: one test per family of operations, to show the wiring, and
 * that two KMS instances on one folder (two processes, in practice) see each other's work.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { AuditRecorder, FileAuditLog } from '../../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../../core/kms/clock';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { wrapKeyMaterial } from '../../../../core/kms/crypto/importWrapping';
import { Kms, XksProxy, validateKeyRecord, type KeyRecord } from '../../../../core/kms/service';
import { ROOT_KEY, filesUnder, tempDir } from '../store/helpers';
import { ACCOUNT, REGION, ROOT, bytes, rejectsWith, reusingDataKeyPair, reusingKeyMaterial, reusingWrappingKeyPair, text } from './helpers';

function open(dir: string, clock = new ManualClock('2024-01-01T00:00:00Z')) {
  const store = FolderStore.open<KeyRecord>(dir, ROOT_KEY, { validateKeyRecord });
  const log = new FileAuditLog(store.auditDir);
  const kms = new Kms({
    store,
    clock,
    audit: new AuditRecorder(log, clock),
    defaultRegion: REGION,
    account: ACCOUNT,
    crypto: { generateKeyMaterial: reusingKeyMaterial, generateDataKeyPair: reusingDataKeyPair, generateWrappingKeyPair: reusingWrappingKeyPair },
  });
  return { kms, store, log, clock };
}

describe('The KMS on a folder store', () => {
  it('keys: created by one instance, described, listed and deleted by another', async () => {
    const dir = tempDir('kms-service');
    const a = open(dir);
    const b = open(dir);
    const { KeyMetadata } = await a.kms.createKey({ Description: 'shared', Tags: [{ TagKey: 'team', TagValue: 'blue' }] }, ROOT);
    assert.equal((await b.kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT)).KeyMetadata.Description, 'shared');
    assert.deepEqual((await b.kms.listKeys({}, ROOT)).Keys.map((k) => k.KeyId), [KeyMetadata.KeyId]);
    await b.kms.scheduleKeyDeletion({ KeyId: KeyMetadata.KeyId, PendingWindowInDays: 7 }, ROOT);
    a.clock.advance(8);
    await a.kms.listKeys({}, ROOT);
    assert.equal(fs.existsSync(`${dir}/keys/${REGION}/${KeyMetadata.KeyId}.json`), false);
    await rejectsWith(b.kms.describeKey({ KeyId: KeyMetadata.KeyId }, ROOT), 'NotFoundException');
  });

  it('cryptography: encrypted by one instance, decrypted by another, with no material in the clear on disk', async () => {
    const dir = tempDir('kms-service');
    const a = open(dir);
    const b = open(dir);
    const { KeyMetadata } = await a.kms.createKey({}, ROOT);
    const { CiphertextBlob } = await a.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('across processes'), EncryptionContext: { k: 'v' } }, ROOT);
    assert.equal(text((await b.kms.decrypt({ CiphertextBlob, EncryptionContext: { k: 'v' } }, ROOT)).Plaintext), 'across processes');
    const material = [...a.store.readKey(REGION, KeyMetadata.KeyId)!.material.values()][0]!;
    const onDisk = filesUnder(dir).map((f) => fs.readFileSync(f)).map((content) => content.toString('latin1'));
    for (const content of onDisk) {
      assert.equal(content.includes(Buffer.from(material).toString('base64')), false);
      assert.equal(content.includes(Buffer.from(material).toString('hex')), false);
    }
  });

  it('aliases: created by one instance, resolved and listed by another', async () => {
    const dir = tempDir('kms-service');
    const a = open(dir);
    const b = open(dir);
    const { KeyMetadata } = await a.kms.createKey({}, ROOT);
    await a.kms.createAlias({ AliasName: 'alias/shared', TargetKeyId: KeyMetadata.KeyId }, ROOT);
    assert.equal((await b.kms.describeKey({ KeyId: 'alias/shared' }, ROOT)).KeyMetadata.KeyId, KeyMetadata.KeyId);
    assert.deepEqual((await b.kms.listAliases({ KeyId: KeyMetadata.KeyId }, ROOT)).Aliases.map((x) => x.AliasName), ['alias/shared']);
    assert.deepEqual([...a.store.readAliases(REGION).keys()], ['alias/shared'], 'the store keeps the account\'s aliases by name');
  });

  it('policies: a key policy put by one instance governs the other, and the audit log is on disk', async () => {
    const dir = tempDir('kms-service');
    const a = open(dir);
    const b = open(dir);
    const { KeyMetadata } = await a.kms.createKey({}, ROOT);
    const deny = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'NoEncrypt', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    await a.kms.putKeyPolicy({ KeyId: KeyMetadata.KeyId, Policy: deny }, ROOT);
    assert.equal((await b.kms.getKeyPolicy({ KeyId: KeyMetadata.KeyId }, ROOT)).Policy, deny);
    await rejectsWith(b.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('x') }, ROOT), 'AccessDeniedException', /with an explicit deny in a resource-based policy/);
    const events = new FileAuditLog(a.store.auditDir).read();
    assert.deepEqual(events.map((e) => `${e.eventName}:${e.errorCode ?? 'ok'}`), ['CreateKey:ok', 'PutKeyPolicy:ok', 'GetKeyPolicy:ok', 'Encrypt:AccessDeniedException']);
  });

  it('grants, imports, replicas and external key stores: made by one instance, used by another, no secret in the clear', async () => {
    const dir = tempDir('kms-service');
    const a = open(dir);
    const b = open(dir);
    const app = { principal: `arn:aws:iam::${ACCOUNT}:user/app` };
    const { KeyId } = (await a.kms.createKey({ MultiRegion: true }, ROOT)).KeyMetadata;
    await a.kms.createGrant({ KeyId, GranteePrincipal: app.principal, Operations: ['Encrypt'] }, ROOT);
    await b.kms.encrypt({ KeyId, Plaintext: bytes('x') }, app);
    await a.kms.replicateKey({ KeyId, ReplicaRegion: 'eu-west-1' }, ROOT);
    const { CiphertextBlob } = await a.kms.encrypt({ KeyId, Plaintext: bytes('y') }, ROOT);
    assert.equal(text((await b.kms.decrypt({ CiphertextBlob }, ROOT, { region: 'eu-west-1' })).Plaintext), 'y');

    const imported = (await a.kms.createKey({ Origin: 'EXTERNAL' }, ROOT)).KeyMetadata.KeyId;
    const params = await a.kms.getParametersForImport({ KeyId: imported, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }, ROOT);
    const material = new Uint8Array(32).fill(0x5a);
    const EncryptedKeyMaterial = wrapKeyMaterial('RSA_2048', params.PublicKey, 'RSAES_OAEP_SHA_256', material);
    await b.kms.importKeyMaterial({ KeyId: imported, ImportToken: params.ImportToken, EncryptedKeyMaterial }, ROOT);

    const credential = { AccessKeyId: 'ABCDEFGHIJKLMNOPQRST', RawSecretAccessKey: 's'.repeat(43) };
    const proxy = new XksProxy({ uriEndpoint: 'https://xks.example.com', credential });
    a.kms.registerXksProxy(proxy);
    b.kms.registerXksProxy(proxy);
    const { CustomKeyStoreId } = await a.kms.createCustomKeyStore({ CustomKeyStoreName: 'xks', CustomKeyStoreType: 'EXTERNAL_KEY_STORE', XksProxyUriEndpoint: 'https://xks.example.com', XksProxyUriPath: '/kms/xks/v1', XksProxyAuthenticationCredential: credential }, ROOT);
    await b.kms.connectCustomKeyStore({ CustomKeyStoreId }, ROOT);
    assert.equal((await a.kms.describeCustomKeyStores({}, ROOT)).CustomKeyStores[0]!.ConnectionState, 'CONNECTED');

    const files = filesUnder(dir).map((f) => fs.readFileSync(f));
    for (const file of files) {
      assert.equal(file.includes(Buffer.from(material).toString('base64')), false);
      assert.equal(file.includes(credential.RawSecretAccessKey), false);
    }
  });
});

