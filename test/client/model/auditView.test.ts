import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { auditEntryLines, auditFilterOf, auditQueryOf, auditText, describeAuditFilter, filterAudit } from '../../../client/src/model/auditView';
import { BOB, fixture, ROOT } from './kmsFixture';

async function logWithTraffic() {
  const f = fixture();
  const key = (await f.kms.createKey({}, ROOT)).KeyMetadata;
  const other = (await f.kms.createKey({}, ROOT)).KeyMetadata;
  await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]), EncryptionContext: { app: 'payments' } }, ROOT);
  await f.kms.encrypt({ KeyId: other.KeyId, Plaintext: new Uint8Array([1]) }, ROOT);
  await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]) }, BOB).catch(() => undefined);
  await f.kms.disableKey({ KeyId: key.KeyId }, ROOT);
  await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]) }, ROOT).catch(() => undefined);
  return { events: f.log.read(), key, other };
}

describe('the audit view\'s filter', () => {
  it('round-trips through the view\'s URI query, in a fixed order', () => {
    const filter = { keyId: 'arn:aws:kms:us-east-1:111122223333:key/k', operation: 'Decrypt', outcome: 'accessDenied' as const };
    assert.deepEqual(auditFilterOf(auditQueryOf(filter)), filter);
    assert.equal(auditQueryOf({ outcome: 'failure', operation: 'Encrypt' }), 'operation=Encrypt&outcome=failure');
    assert.deepEqual(auditFilterOf(''), {});
  });

  it('ignores unknown parameters and outcomes in a query', () => {
    assert.deepEqual(auditFilterOf('outcome=sometimes&color=red&key=abc'), { keyId: 'abc' });
  });

  it('filters by key, operation and outcome as the audit log itself does', async () => {
    const { events, key, other } = await logWithTraffic();
    assert.equal(filterAudit(events, { keyId: key.Arn, operation: 'Encrypt' }).length, 3);
    assert.equal(filterAudit(events, { keyId: other.KeyId, operation: 'Encrypt' }).length, 1);
    const denied = filterAudit(events, { outcome: 'accessDenied' });
    assert.deepEqual(denied.map((e) => e.errorCode), ['AccessDeniedException']);
    const failed = filterAudit(events, { outcome: 'failure' });
    assert.deepEqual(failed.map((e) => e.errorCode).sort(), ['AccessDeniedException', 'DisabledException']);
    assert.equal(filterAudit(events, { outcome: 'success', operation: 'Encrypt' }).length, 2);
  });

  it('describes a filter in words', () => {
    assert.equal(describeAuditFilter({}), 'all events');
    assert.equal(describeAuditFilter({ keyId: 'k', operation: 'Decrypt', outcome: 'accessDenied' }), 'key k, operation Decrypt, access denied');
  });
});

describe('the audit view\'s text', () => {
  it('shows each event with caller, key, encryption context, error and the decision', async () => {
    const { events, key } = await logWithTraffic();
    const denied = events.find((e) => e.errorCode === 'AccessDeniedException')!;
    const lines = auditEntryLines(denied).join('\n');
    assert.match(lines, /Encrypt {2}AccessDeniedException {2}\(us-east-1\)/);
    assert.match(lines, /caller {4}arn:aws:iam::111122223333:user\/bob/);
    assert.match(lines, new RegExp(`key {7}${key.Arn}`));
    assert.match(lines, /decision {2}implicitDeny \(NoIamPolicyAllows\)/);
    assert.match(lines, /decided by keyPolicy "Enable IAM User Permissions"/);
    const withContext = auditEntryLines(events.find((e) => JSON.stringify(e.requestParameters).includes('payments'))!).join('\n');
    assert.match(withContext, /encryptionContext {2}\{"app":"payments"\}/);
  });

  it('heads the view with the store, the counts and the filter, and says when nothing matches', async () => {
    const { events } = await logWithTraffic();
    const text = auditText(events, { operation: 'Decrypt' }, '/tmp/store');
    assert.match(text, /^KMS audit log of \/tmp\/store\nShowing 0 of \d+ events: operation Decrypt\./);
    assert.match(text, /\(no events\)/);
    const all = auditText(events, {}, '/tmp/store');
    assert.equal(all.match(/^\S+Z {2}/gm)?.length, events.length);
  });
});
