/**
 * FileAuditLog keeps the day's file open between appends. Each append must still land where one that opened the
 * path itself would have written it.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditRecorder, FileAuditLog } from '../../../../core/kms/audit/auditLog';
import type { AuditInput } from '../../../../core/kms/audit/auditEvent';
import { ManualClock } from '../../../../core/kms/clock';
import { tempDir } from '../store/helpers';

function call(operation: string): AuditInput {
  return { operation, region: 'us-east-1', caller: { arn: 'arn:aws:iam::111122223333:user/alice' }, requestParameters: { KeyId: 'k1' } };
}

function setup() {
  const dir = path.join(tempDir('kms-audit-held'), 'audit');
  const log = new FileAuditLog(dir);
  const clock = new ManualClock('2024-06-01T10:00:00Z');
  const recorder = new AuditRecorder(log, clock);
  const file = path.join(dir, '2024-06-01.jsonl');
  const names = () => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { eventName: string }).eventName);
  return { dir, log, clock, recorder, file, names };
}

describe('FileAuditLog: the day file held open', () => {
  it('a day file removed between appends is created again, folder and all', () => {
    const { dir, log, recorder, names } = setup();
    recorder.record(call('Encrypt'));
    fs.rmSync(dir, { recursive: true, force: true });
    recorder.record(call('Decrypt'));
    assert.deepEqual(names(), ['Decrypt']);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    log.dispose();
  });

  it('a day file replaced between appends gets the next event, after its own lines', () => {
    const { log, recorder, file, names } = setup();
    recorder.record(call('Encrypt'));
    const replacement = `${file}.new`;
    fs.writeFileSync(replacement, fs.readFileSync(file, 'utf8') + fs.readFileSync(file, 'utf8'));
    fs.renameSync(replacement, file);
    recorder.record(call('Decrypt'));
    assert.deepEqual(names(), ['Encrypt', 'Encrypt', 'Decrypt']);
    log.dispose();
  });

  it('lines another writer appended meanwhile stay whole, and a torn one is closed off', () => {
    const { log, recorder, file, names } = setup();
    recorder.record(call('Encrypt'));
    const other = new FileAuditLog(path.dirname(file));
    new AuditRecorder(other, new ManualClock('2024-06-01T10:00:00Z')).record(call('GenerateDataKey'));
    recorder.record(call('Decrypt'));
    fs.appendFileSync(file, '{"torn');
    recorder.record(call('ReEncrypt'));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines[3], '{"torn');
    assert.deepEqual(log.read().map((e) => e.eventName), ['Encrypt', 'GenerateDataKey', 'Decrypt', 'ReEncrypt']);
    assert.deepEqual(log.skipped.map((s) => s.line), [4]);
    assert.throws(() => names());
    other.dispose();
    log.dispose();
  });

  it('moves to the next day file when the day changes, and appends again after dispose', () => {
    const { dir, log, clock, recorder } = setup();
    recorder.record(call('Encrypt'));
    clock.advance(1);
    recorder.record(call('Decrypt'));
    log.dispose();
    log.dispose();
    recorder.record(call('ReEncrypt'));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['2024-06-01.jsonl', '2024-06-02.jsonl']);
    assert.deepEqual(log.read().map((e) => e.eventName), ['Encrypt', 'Decrypt', 'ReEncrypt']);
    log.dispose();
  });
});
