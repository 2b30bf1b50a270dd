import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ManualClock, SandboxClock } from '../../../../core/kms/clock';
import { AuditRecorder, FileAuditLog, MemoryAuditLog, type AuditLog } from '../../../../core/kms/audit/auditLog';
import type { AuditInput } from '../../../../core/kms/audit/auditEvent';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { ROOT_KEY, filesUnder, spawnNode, tempDir, within } from '../store/helpers';

const ACCOUNT = '111122223333';
const keyArn = (id: string, region = 'us-east-1') => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

function call(operation: string, keyId: string | undefined, extra: Partial<AuditInput> = {}): AuditInput {
  return {
    operation,
    region: 'us-east-1',
    caller: { arn: ALICE },
    ...(keyId ? { keyArn: keyArn(keyId), requestParameters: { KeyId: keyId } } : {}),
    ...extra,
  };
}

/** Records a small history: two keys over three days, one denied call, one failure. */
function history(log: AuditLog): void {
  const clock = new ManualClock('2024-06-01T10:00:00Z');
  const recorder = new AuditRecorder(log, clock);
  recorder.record(call('CreateKey', 'k1'));
  recorder.record(call('Encrypt', 'k1'));
  clock.advance(1);
  recorder.record(call('Decrypt', 'k1', { error: { code: 'AccessDeniedException', message: 'denied' } }));
  recorder.record(call('GenerateDataKey', 'k2'));
  clock.advance(1);
  recorder.record(call('Decrypt', 'k2', { error: { code: 'InvalidCiphertextException', message: 'bad' } }));
  recorder.record(call('ListKeys', undefined));
}

function describeLog(name: string, open: () => AuditLog): void {
  describe(`${name} reading`, () => {
    const names = (log: AuditLog, filter: Parameters<AuditLog['read']>[0]) => log.read(filter).map((e) => `${e.eventName}:${e.resources?.[0]?.ARN.split('/')[1] ?? '-'}`);

    it('returns every event, oldest first', () => {
      const log = open();
      history(log);
      assert.deepEqual(names(log, {}), ['CreateKey:k1', 'Encrypt:k1', 'Decrypt:k1', 'GenerateDataKey:k2', 'Decrypt:k2', 'ListKeys:-']);
    });

    it('filters by key, given as an ID or an ARN', () => {
      const log = open();
      history(log);
      assert.deepEqual(names(log, { keyId: 'k2' }), ['GenerateDataKey:k2', 'Decrypt:k2']);
      assert.deepEqual(names(log, { keyId: keyArn('k1') }), ['CreateKey:k1', 'Encrypt:k1', 'Decrypt:k1']);
    });

    it('filters by time, operation, outcome and region, and keeps the newest when limited', () => {
      const log = open();
      history(log);
      assert.deepEqual(names(log, { since: '2024-06-02T00:00:00Z' }), ['Decrypt:k1', 'GenerateDataKey:k2', 'Decrypt:k2', 'ListKeys:-']);
      assert.deepEqual(names(log, { until: new Date('2024-06-01T23:59:59Z') }), ['CreateKey:k1', 'Encrypt:k1']);
      assert.deepEqual(names(log, { operation: 'Decrypt' }), ['Decrypt:k1', 'Decrypt:k2']);
      assert.deepEqual(names(log, { operation: ['Encrypt', 'ListKeys'] }), ['Encrypt:k1', 'ListKeys:-']);
      assert.deepEqual(names(log, { outcome: 'failure' }), ['Decrypt:k1', 'Decrypt:k2']);
      assert.deepEqual(names(log, { outcome: 'accessDenied' }), ['Decrypt:k1']);
      assert.equal(log.read({ outcome: 'success' }).length, 4);
      assert.deepEqual(names(log, { region: 'eu-west-1' }), []);
      assert.deepEqual(names(log, { limit: 2 }), ['Decrypt:k2', 'ListKeys:-']);
      assert.deepEqual(names(log, { keyId: 'k1', operation: 'Decrypt', outcome: 'accessDenied', since: '2024-06-02T00:00:00Z' }), ['Decrypt:k1']);
    });

    it('refuses an invalid time in a filter', () => {
      assert.throws(() => open().read({ since: 'yesterday' }), RangeError);
    });
  });
}

describeLog('FileAuditLog', () => new FileAuditLog(path.join(tempDir('kms-audit'), 'audit')));
describeLog('MemoryAuditLog', () => new MemoryAuditLog());

describe('FileAuditLog files', () => {
  it('writes one JSON line per event into a file per UTC day, owner-only', () => {
    const dir = path.join(tempDir('kms-audit'), 'audit');
    history(new FileAuditLog(dir));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['2024-06-01.jsonl', '2024-06-02.jsonl', '2024-06-03.jsonl']);
    const lines = fs.readFileSync(path.join(dir, '2024-06-02.jsonl'), 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.equal(JSON.parse(lines[0]!).eventName, 'Decrypt');
    assert.equal(fs.statSync(path.join(dir, '2024-06-02.jsonl')).mode & 0o777, 0o600);
  });

  it('skips a line torn by a crash, says where, and keeps appending readable lines after it', () => {
    const dir = path.join(tempDir('kms-audit'), 'audit');
    const log = new FileAuditLog(dir);
    const recorder = new AuditRecorder(log, new ManualClock('2024-06-01T10:00:00Z'));
    recorder.record(call('Encrypt', 'k1'));
    fs.appendFileSync(path.join(dir, '2024-06-01.jsonl'), '{"eventVersion":"1.11","userIdent');
    assert.equal(log.read().length, 1);
    assert.deepEqual(log.skipped.map((s) => s.line), [2]);
    recorder.record(call('Decrypt', 'k1'));
    assert.deepEqual(log.read().map((e) => e.eventName), ['Encrypt', 'Decrypt']);
    assert.equal(log.skipped.length, 1);
  });

  it('keeps every line whole when two processes append at once', async () => {
    const dir = path.join(tempDir('kms-audit'), 'audit');
    const child = path.join(__dirname, 'auditChild.js');
    const writers = ['alpha', 'beta'].map((name) => spawnNode(child, [dir, name, '300'], {}));
    const codes = await within(Promise.all(writers.map((w) => w.exited)), 60_000, 'both appenders');
    writers.forEach((w, i) => assert.equal(codes[i], 0, w.stderr()));
    const log = new FileAuditLog(dir);
    const events = log.read();
    assert.deepEqual(log.skipped, []);
    assert.equal(events.length, 600);
    for (const name of ['alpha', 'beta']) {
      const seqs = events.filter((e) => (e.requestParameters!['encryptionContext'] as Record<string, string>)['writer'] === name).map((e) => Number((e.requestParameters!['encryptionContext'] as Record<string, string>)['seq']));
      assert.deepEqual(seqs, [...Array(300).keys()]);
    }
  });

  it('holds no plaintext, data key or private key in any form', () => {
    const dir = path.join(tempDir('kms-audit'), 'audit');
    const recorder = new AuditRecorder(new FileAuditLog(dir), new ManualClock());
    const secrets = [randomBytes(32), randomBytes(32), randomBytes(64), randomBytes(48)];
    const [plaintext, dataKey, privateKey, material] = secrets.map((s) => new Uint8Array(s)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    recorder.record(call('Encrypt', 'k1', { requestParameters: { KeyId: 'k1', Plaintext: plaintext, EncryptionContext: { app: 'test' } } }));
    recorder.record(call('Encrypt', 'k1', { requestParameters: { KeyId: 'k1', Plaintext: Buffer.from(plaintext).toString('base64') } }));
    recorder.record(call('GenerateDataKey', 'k1', { responseElements: { Plaintext: dataKey, CiphertextBlob: randomBytes(100), KeyId: keyArn('k1') } }));
    recorder.record(call('GenerateDataKeyPair', 'k1', { responseElements: { PrivateKeyPlaintext: Buffer.from(privateKey).toString('base64') } }));
    recorder.record(call('ImportKeyMaterial', 'k1', { requestParameters: { KeyId: 'k1', EncryptedKeyMaterial: material, ImportToken: 'dG9rZW4=' } }));
    recorder.record(call('CreateKey', 'k2', { responseElements: { KeyMetadata: { KeyId: 'k2' }, Plaintext: Buffer.from(dataKey).toString('hex') } }));
    const content = Buffer.concat(filesUnder(dir).map((f) => fs.readFileSync(f)));
    assert.ok(content.length > 0);
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret.toString('base64').replace(/=+$/, '')), Buffer.from(secret.toString('hex')), Buffer.from(secret.toString('base64url'))]) {
        assert.equal(content.includes(form), false, 'a secret reached the audit log');
      }
      // A Uint8Array serialized as JSON would show its first bytes as numbers.
      assert.equal(content.includes(Buffer.from(`"0":${secret[0]},"1":${secret[1]}`)), false);
    }
  });
});

describe('AuditRecorder', () => {
  it('stamps events with the sandbox clock, so advanced time lands in the future day file', () => {
    const store = FolderStore.open(tempDir('kms-store'), ROOT_KEY);
    const clock = new SandboxClock(store, new ManualClock('2024-06-01T10:00:00Z'));
    const log = new FileAuditLog(store.auditDir);
    const recorder = new AuditRecorder(log, clock);
    clock.advance(30);
    const event = recorder.record(call('ScheduleKeyDeletion', 'k1'));
    assert.equal(event.eventTime, '2024-07-01T10:00:00Z');
    assert.deepEqual(fs.readdirSync(store.auditDir), ['2024-07-01.jsonl']);
    assert.equal(log.read({ keyId: 'k1' })[0]!.eventID, event.eventID);
  });
});
