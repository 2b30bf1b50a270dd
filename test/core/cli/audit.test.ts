import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { b64, createKey, sandbox, type Sandbox, itRefusesUsage } from './kmsSandbox';

const ACCOUNT = '111122223333';
const INTERN = `arn:aws:iam::${ACCOUNT}:user/intern`;
const PLAINTEXT = 'the plaintext that must never be logged';

/** A store with one key, an allowed Encrypt and Decrypt with an encryption context, and a denied Decrypt. */
async function busyStore(): Promise<{ box: Sandbox; keyId: string; ciphertext: string }> {
  const box = sandbox();
  fs.mkdirSync(path.join(box.dir, 'store'));
  fs.writeFileSync(
    path.join(box.dir, 'store', 'identities.json'),
    JSON.stringify({ identities: [{ principal: INTERN, accessKeyId: 'AKIAINTERN0000000001', secretAccessKey: 's', policies: [] }] }),
  );
  const keyId = await createKey(box);
  const context = { purpose: 'audit-test', tenant: 'acme' };
  const { CiphertextBlob } = await box.call('Encrypt', { KeyId: keyId, Plaintext: b64(PLAINTEXT), EncryptionContext: context });
  await box.call('Decrypt', { CiphertextBlob, EncryptionContext: context });
  const denied = await box.run(['kms', 'Decrypt', '--store', 'store', '--as', INTERN, '--input', JSON.stringify({ CiphertextBlob, EncryptionContext: context })]);
  assert.equal(denied.code, 1);
  return { box, keyId, ciphertext: String(CiphertextBlob) };
}

function assertNoSecrets(text: string, ciphertext: string): void {
  assert.equal(text.includes(PLAINTEXT), false, 'the plaintext');
  assert.equal(text.includes(b64(PLAINTEXT)), false, 'the plaintext as base64');
  assert.equal(text.includes(ciphertext), false, 'the ciphertext');
}

describe('kms-studio audit', () => {
  it('shows allowed and denied calls, one line each, with the encryption context and never the plaintext', async () => {
    const { box, keyId, ciphertext } = await busyStore();
    const run = await box.run(['audit', '--store', 'store']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  arn:aws:iam::${ACCOUNT}:root  CreateKey  ${keyId}  OK  allowed \\(`));
    assert.match(lines[1]!, new RegExp(`  Encrypt  ${keyId}  OK  allowed \\(AllowedByKeyPolicy\\)  encryptionContext \\{"purpose":"audit-test","tenant":"acme"\\}$`));
    assert.match(lines[2]!, new RegExp(`  Decrypt  ${keyId}  OK  allowed \\(AllowedByKeyPolicy\\)  encryptionContext \\{"purpose":"audit-test","tenant":"acme"\\}$`));
    assert.match(lines[3]!, new RegExp(`  ${INTERN}  Decrypt  ${keyId}  AccessDeniedException  implicitDeny \\(NoIamPolicyAllows\\)  encryptionContext \\{"purpose":"audit-test","tenant":"acme"\\}$`));
    assertNoSecrets(run.stdout, ciphertext);
  });

  it('--json prints JSON Lines of CloudTrail-shaped events, without plaintext or ciphertext', async () => {
    const { box, keyId, ciphertext } = await busyStore();
    const run = await box.run(['audit', '--store', 'store', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);
    assert.deepEqual(events.map((e) => [e['eventName'], e['errorCode'] ?? 'ok']), [['CreateKey', 'ok'], ['Encrypt', 'ok'], ['Decrypt', 'ok'], ['Decrypt', 'AccessDeniedException']]);
    const denied = events[3]!;
    assert.equal(denied['eventSource'], 'kms.amazonaws.com');
    assert.equal(denied['userIdentity']['arn'], INTERN);
    assert.equal(denied['userIdentity']['accessKeyId'], 'AKIAINTERN0000000001');
    assert.deepEqual(denied['requestParameters']['encryptionContext'], { purpose: 'audit-test', tenant: 'acme' });
    assert.equal(denied['resources'][0]['ARN'], `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`);
    assert.equal(denied['kmsStudio']['authorization']['decision'], 'implicitDeny');
    assert.equal(events[1]!['responseElements'], null);
    assertNoSecrets(run.stdout, ciphertext);
    // Nor anywhere on disk under the audit folder.
    const auditDir = path.join(box.dir, 'store', 'audit');
    for (const file of fs.readdirSync(auditDir)) assertNoSecrets(fs.readFileSync(path.join(auditDir, file), 'utf8'), ciphertext);
  });

  it('filters by --outcome, --operation, --key and --since', async () => {
    const { box, keyId } = await busyStore();
    const names = async (...args: string[]) => {
      const run = await box.run(['audit', '--store', 'store', '--json', ...args]);
      assert.equal(run.code, 0, run.stderr);
      return run.stdout.trim() === '' ? [] : run.stdout.trim().split('\n').map((l) => `${(JSON.parse(l) as { eventName: string }).eventName}:${(JSON.parse(l) as { errorCode?: string }).errorCode ?? 'ok'}`);
    };
    assert.deepEqual(await names('--outcome', 'denied'), ['Decrypt:AccessDeniedException']);
    assert.deepEqual(await names('--outcome', 'failure'), ['Decrypt:AccessDeniedException']);
    assert.deepEqual(await names('--outcome', 'success'), ['CreateKey:ok', 'Encrypt:ok', 'Decrypt:ok']);
    assert.deepEqual(await names('--operation', 'Decrypt'), ['Decrypt:ok', 'Decrypt:AccessDeniedException']);
    assert.deepEqual(await names('--key', `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`, '--operation', 'Encrypt'), ['Encrypt:ok']);
    assert.deepEqual(await names('--key', 'not-a-key'), []);
    assert.deepEqual(await names('--since', '2000-01-01'), ['CreateKey:ok', 'Encrypt:ok', 'Decrypt:ok', 'Decrypt:AccessDeniedException']);
    assert.deepEqual(await names('--since', '2999-01-01T00:00:00Z'), []);
    const none = await box.run(['audit', '--store', 'store', '--operation', 'Sign']);
    assert.deepEqual(none, { code: 0, stdout: '', stderr: 'kms-studio audit: no events match\n' });
  });

  it('reads the log without the root key', async () => {
    const { box } = await busyStore();
    const run = await box.run(['audit', '--store', 'store'], { env: { KMS_STUDIO_ROOT_KEY: undefined } });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trim().split('\n').length, 4);
    assert.equal(fs.existsSync(path.join(box.env['XDG_CONFIG_HOME']!, 'kms-studio', 'root-key')), false, 'no root key is made for reading');
  });

  it('summary: request counts per key and operation, and a cost estimate', async () => {
    const { box, keyId } = await busyStore();
    const run = await box.run(['audit', '--store', 'store', 'summary']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Requests by key and operation: 4 events from /);
    assert.match(run.stdout, new RegExp(`\\n  ${keyId}  CreateKey +1 +0\\n`));
    assert.match(run.stdout, new RegExp(`\\n  ${keyId}  Decrypt +2 +1\\n`));
    assert.match(run.stdout, new RegExp(`\\n  ${keyId}  Encrypt +1 +0\\n`));
    assert.match(run.stdout, /keys \(1, 1 key-hours\) +0\.001370 USD/);
    assert.match(run.stdout, /symmetric requests \(4, 0 after the free tier\) +0\.00 USD/);
    // --summary is the same thing.
    assert.equal((await box.run(['audit', '--store', 'store', '--summary'])).stdout.replace(/ to \S+/, ''), run.stdout.replace(/ to \S+/, ''));
  });

  it('summary --json, and --cache-hits shows what caching data keys would save', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    for (let i = 0; i < 3; i++) await box.call('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' });
    const run = await box.run(['audit', '--store', 'store', 'summary', '--json', '--cache-hits', '2']);
    assert.equal(run.code, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as Record<string, any>;
    assert.equal(summary['events'], 4);
    assert.deepEqual(
      (summary['requests'] as Array<Record<string, unknown>>).map((r) => [r['operation'], r['requests'], r['failures']]),
      [['CreateKey', 1, 0], ['GenerateDataKey', 3, 0]],
    );
    assert.equal(summary['keys'][0]['keyId'], keyId);
    assert.equal(summary['cost']['requests']['symmetric']['requests'], 4);
    assert.equal(summary['caching']['cacheHits'], 2);
    assert.equal(summary['caching']['withCache']['requests']['symmetric']['requests'], 2);
    assert.equal(typeof summary['caching']['saved'], 'number');
    const text = await box.run(['audit', '--store', 'store', '--summary', '--cache-hits', '2']);
    assert.match(text.stdout, /With 2 GenerateDataKey requests answered from a data key cache: .* saving .*USD/);
  });

  it('summary counts a key deleted by the sweep until its deletion was scheduled', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    await box.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    await box.run(['clock', '--store', 'store', 'advance', '8']);
    await box.call('ListKeys');
    const run = await box.run(['audit', '--store', 'store', 'summary', '--json']);
    const summary = JSON.parse(run.stdout) as { keys: Array<{ keyId: string; state: string; hours: number }>; requests: Array<{ operation: string }> };
    assert.deepEqual(summary.keys.map((k) => [k.keyId, k.state]), [[keyId, 'Deleted']]);
    assert.ok(summary.keys[0]!.hours < 1, 'a key pending deletion costs nothing');
    assert.ok(summary.requests.some((r) => r.operation === 'DeleteKey'));
  });

  describe('usage errors: exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['no --store', ['audit'], /--store DIR is required/],
      ['a store that does not exist', ['audit', '--store', 'missing'], /There is no KMS store in .*missing/],
      ['a bad --outcome', ['audit', '--store', 'store', '--outcome', 'maybe'], /--outcome must be one of success, failure, denied/],
      ['a bad --since', ['audit', '--store', 'store', '--since', 'yesterday'], /--since: "yesterday" is not an ISO time/],
      ['an empty --key', ['audit', '--store', 'store', '--key', ''], /--key needs a key ID/],
      ['an empty --operation', ['audit', '--store', 'store', '--operation', ''], /--operation needs an operation name/],
      ['--cache-hits without the summary', ['audit', '--store', 'store', '--cache-hits', '5'], /--cache-hits goes with the summary/],
      ['a --cache-hits that is no count', ['audit', '--store', 'store', 'summary', '--cache-hits', '-3'], /--cache-hits/],
      ['a fractional --cache-hits', ['audit', '--store', 'store', 'summary', '--cache-hits', '1.5'], /--cache-hits: "1.5" is not a whole number/],
      ['an unknown subcommand', ['audit', '--store', 'store', 'tail'], /unexpected 'tail'; the one subcommand is 'summary'/],
      ['an unknown flag', ['audit', '--store', 'store', '--follow'], /Unknown option '--follow'/],
      ['--json with a value', ['audit', '--store', 'store', '--json=yes'], /--json/],
    ];
    itRefusesUsage(cases);

    it('summary with the wrong root key', async () => {
      const box = sandbox();
      await createKey(box);
      const run = await box.run(['audit', '--store', 'store', 'summary'], { env: { KMS_STUDIO_ROOT_KEY: Buffer.alloc(32, 9).toString('base64') } });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /is not the root key of the KMS store/);
    });
  });
});
