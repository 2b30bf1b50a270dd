/**
 * Encrypt, Decrypt, ReEncrypt and GenerateDataKey read keys and aliases through the KMS's read cache
 * (core/kms/service/readCache.ts). These tests hold it to what the store promises: a change committed by another
 * process, or another KMS on the same store, or made by the host inside its own transaction, decides the very next
 * call, exactly as if nothing had been kept.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { AuditRecorder, FileAuditLog, MemoryAuditLog } from '../../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../../core/kms/clock';
import { Kms, validateKeyRecord, type Caller, type KeyRecord } from '../../../../core/kms/service';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { MemoryStore } from '../../../../core/kms/store/memoryStore';
import { ROOT_KEY, ROOT_KEY_BASE64, spawnNode, tempDir, within } from '../store/helpers';
import { ACCOUNT, REGION, ROOT, bytes, harness, iamUser, patchKey, rejectsWith, reusingKeyMaterial, text } from './helpers';

const KMS_CHILD = path.join(__dirname, 'kmsChild.js');
const CONTEXT = { purpose: 'read-cache' };

function openFolder(dir: string) {
  const store = FolderStore.open<KeyRecord>(dir, ROOT_KEY, { validateKeyRecord });
  const clock = new ManualClock('2024-01-01T00:00:00Z');
  const log = new FileAuditLog(store.auditDir);
  const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: REGION, account: ACCOUNT, crypto: { generateKeyMaterial: reusingKeyMaterial } });
  return { kms, store, log };
}

async function runChild(mode: 'disable' | 'patch', dir: string, keyId: string): Promise<void> {
  const child = spawnNode(KMS_CHILD, [mode, dir, keyId], { KMS_STUDIO_ROOT_KEY: ROOT_KEY_BASE64 });
  const code = await within(child.exited, 60_000, `the child process (${mode})`);
  assert.equal(code, 0, child.stderr());
  assert.deepEqual(child.lines, ['done']);
}

describe('read cache: another process', () => {
  for (const mode of ['disable', 'patch'] as const) {
    it(`a key another process disables (${mode === 'disable' ? 'with DisableKey' : 'by writing the store'}) is refused at this process's very next call`, async () => {
      const dir = tempDir('kms-read-cache');
      const a = openFolder(dir);
      const { KeyMetadata } = await a.kms.createKey({}, ROOT);
      const { CiphertextBlob } = await a.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('kept'), EncryptionContext: CONTEXT }, ROOT);
      // Process A has read the key (and so keeps it) before process B changes it.
      for (let i = 0; i < 3; i++) assert.equal(text((await a.kms.decrypt({ CiphertextBlob, EncryptionContext: CONTEXT }, ROOT)).Plaintext), 'kept');

      await runChild(mode, dir, KeyMetadata.KeyId);

      const disabled = `${KeyMetadata.Arn} is disabled.`;
      await rejectsWith(a.kms.decrypt({ CiphertextBlob, EncryptionContext: CONTEXT }, ROOT), 'DisabledException', disabled);
      await rejectsWith(a.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('x') }, ROOT), 'DisabledException', disabled);
      await rejectsWith(a.kms.generateDataKey({ KeyId: KeyMetadata.KeyId, KeySpec: 'AES_256' }, ROOT), 'DisabledException', disabled);
      const events = a.log.read({ operation: 'Decrypt' });
      assert.deepEqual(events.map((e) => e.errorCode ?? 'ok'), ['ok', 'ok', 'ok', 'DisabledException']);
      a.log.dispose();
    });
  }
});

describe('read cache: another KMS on the same store', () => {
  async function pair() {
    const store = new MemoryStore<KeyRecord>();
    const a = harness(store);
    const b = harness(store);
    const { KeyMetadata } = await a.kms.createKey({}, ROOT);
    const sealed = await a.kms.encrypt({ KeyId: KeyMetadata.KeyId, Plaintext: bytes('kept'), EncryptionContext: CONTEXT }, ROOT);
    await a.kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob, EncryptionContext: CONTEXT }, ROOT);
    return { store, a, b, key: KeyMetadata, blob: sealed.CiphertextBlob };
  }

  it('disabling and enabling again take effect at the next call', async () => {
    const { a, b, key, blob } = await pair();
    await b.kms.disableKey({ KeyId: key.KeyId }, ROOT);
    await rejectsWith(a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT), 'DisabledException');
    await b.kms.enableKey({ KeyId: key.KeyId }, ROOT);
    assert.equal(text((await a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT)).Plaintext), 'kept');
  });

  it('a key policy put by the other KMS governs the next call', async () => {
    const { a, b, key } = await pair();
    const app = iamUser('app', [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }]);
    await a.kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }, app);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
        { Sid: 'NoApp', Effect: 'Deny', Principal: { AWS: app.principal }, Action: 'kms:Encrypt', Resource: '*' },
      ],
    });
    await b.kms.putKeyPolicy({ KeyId: key.KeyId, Policy: policy }, ROOT);
    await rejectsWith(a.kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }, app), 'AccessDeniedException', /explicit deny in a resource-based policy/);
  });

  it('an alias moved by the other KMS names its new key at the next call, and kms:ResourceAliases follows', async () => {
    const { a, b, key } = await pair();
    const other = (await b.kms.createKey({}, ROOT)).KeyMetadata;
    await b.kms.createAlias({ AliasName: 'alias/app', TargetKeyId: key.KeyId }, ROOT);
    assert.equal((await a.kms.encrypt({ KeyId: 'alias/app', Plaintext: bytes('x') }, ROOT)).KeyId, key.Arn);
    await b.kms.updateAlias({ AliasName: 'alias/app', TargetKeyId: other.KeyId }, ROOT);
    assert.equal((await a.kms.encrypt({ KeyId: 'alias/app', Plaintext: bytes('x') }, ROOT)).KeyId, other.Arn);
    // A condition on the key's aliases sees the move as well.
    const onAlias = iamUser('app', [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/app' } } }]);
    await a.kms.encrypt({ KeyId: other.KeyId, Plaintext: bytes('x') }, onAlias);
    await rejectsWith(a.kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }, onAlias), 'AccessDeniedException');
  });

  it('material rotated by the other KMS is used at the next call, and older ciphertexts still decrypt', async () => {
    const { a, b, key, blob } = await pair();
    const before = (await a.kms.generateDataKey({ KeyId: key.KeyId, KeySpec: 'AES_256' }, ROOT)).KeyMaterialId;
    await b.kms.rotateKeyOnDemand({ KeyId: key.KeyId }, ROOT);
    const current = (await b.kms.describeKey({ KeyId: key.KeyId }, ROOT)).KeyMetadata.CurrentKeyMaterialId;
    assert.notEqual(current, before);
    assert.equal((await a.kms.generateDataKey({ KeyId: key.KeyId, KeySpec: 'AES_256' }, ROOT)).KeyMaterialId, current);
    const reEncrypted = await a.kms.reEncrypt({ CiphertextBlob: blob, SourceEncryptionContext: CONTEXT, DestinationKeyId: key.KeyId }, ROOT);
    assert.equal(reEncrypted.SourceKeyMaterialId, before);
    assert.equal(reEncrypted.DestinationKeyMaterialId, current);
    assert.equal(text((await a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT)).Plaintext), 'kept');
  });

  it('a key the other KMS deleted is gone at the next call', async () => {
    const { a, b, key, blob } = await pair();
    await b.kms.scheduleKeyDeletion({ KeyId: key.KeyId, PendingWindowInDays: 7 }, ROOT);
    await rejectsWith(a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT), 'KMSInvalidStateException', `${key.Arn} is pending deletion.`);
    b.clock.advance(8);
    await b.kms.listKeys({}, ROOT);
    await rejectsWith(a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT), 'AccessDeniedException', /does not exist/);
    await rejectsWith(a.kms.encrypt({ KeyId: key.KeyId, Plaintext: bytes('x') }, ROOT), 'NotFoundException');
  });

  it('a change the host makes inside its own store transaction decides a call made within it', async () => {
    const { store, a, key, blob } = await pair();
    let pending: Promise<unknown> | undefined;
    store.withLock(() => {
      patchKey(store, key.KeyId, { keyState: 'Disabled' });
      // Not committed yet: the store's version has not moved, only its write count.
      pending = a.kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT);
    });
    await rejectsWith(pending!, 'DisabledException');
  });

  it('answers every call exactly as a KMS that keeps nothing', async () => {
    const { store, a, b, key, blob } = await pair();
    const fresh = () => harness(store).kms;
    const outcome = async (call: Promise<unknown>) => {
      try {
        const response = (await call) as Record<string, unknown>;
        return { KeyId: response['KeyId'], KeyMaterialId: response['KeyMaterialId'] };
      } catch (error) {
        return { error: (error as Error).name, message: (error as Error).message };
      }
    };
    const changes: Array<() => Promise<unknown>> = [
      async () => undefined,
      () => b.kms.disableKey({ KeyId: key.KeyId }, ROOT),
      () => b.kms.enableKey({ KeyId: key.KeyId }, ROOT),
      () => b.kms.rotateKeyOnDemand({ KeyId: key.KeyId }, ROOT),
      () => b.kms.createAlias({ AliasName: 'alias/x', TargetKeyId: key.KeyId }, ROOT),
      async () => patchKey(store, key.KeyId, { keyUsage: 'SIGN_VERIFY' }),
      async () => patchKey(store, key.KeyId, { keyUsage: 'ENCRYPT_DECRYPT' }),
    ];
    for (const change of changes) {
      await change();
      const calls = (kms: Kms) => [
        kms.decrypt({ CiphertextBlob: blob, EncryptionContext: CONTEXT }, ROOT),
        kms.encrypt({ KeyId: 'alias/x', Plaintext: bytes('x') }, ROOT),
        kms.generateDataKey({ KeyId: key.KeyId, NumberOfBytes: 16 }, ROOT),
      ];
      const cached = await Promise.all(calls(a.kms).map(outcome));
      const uncached = await Promise.all(calls(fresh()).map(outcome));
      assert.deepEqual(cached, uncached);
    }
  });
});

describe('read cache: callers', () => {
  it('a Caller object whose principal changed between calls is resolved again', async () => {
    const h = harness();
    const { KeyId } = (await h.kms.createKey({}, ROOT)).KeyMetadata;
    const caller: Caller = { principal: `arn:aws:iam::${ACCOUNT}:root` };
    await h.kms.encrypt({ KeyId, Plaintext: bytes('x') }, caller);
    caller.principal = `arn:aws:iam::${ACCOUNT}:user/nobody`;
    await rejectsWith(h.kms.encrypt({ KeyId, Plaintext: bytes('x') }, caller), 'AccessDeniedException', /User: arn:aws:iam::111122223333:user\/nobody/);
    const identities = h.log.read({ operation: 'Encrypt' }).map((e) => `${e.userIdentity.type}:${e.userIdentity.arn}`);
    assert.deepEqual(identities, [`Root:arn:aws:iam::${ACCOUNT}:root`, `IAMUser:arn:aws:iam::${ACCOUNT}:user/nobody`]);
  });
});

describe('read cache: audit events', () => {
  it('records the same events for a cached call as for the first one', async () => {
    const store = new MemoryStore<KeyRecord>();
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const log = new MemoryAuditLog();
    let n = 0;
    const ids = { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
    const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock, ids), defaultRegion: REGION, account: ACCOUNT });
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    const request = { KeyId, Plaintext: bytes('x'), EncryptionContext: CONTEXT };
    await kms.encrypt(request, ROOT);
    await kms.encrypt(request, ROOT);
    const [first, second] = log.read({ operation: 'Encrypt' }).map(({ requestID: _r, eventID: _e, ...rest }) => rest);
    assert.deepEqual(second, first);
  });
});
