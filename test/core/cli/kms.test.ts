import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { b64, createKey, errorOf, sandbox, unb64, type Sandbox } from './kmsSandbox';

const ACCOUNT = '111122223333';
const APP_ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
const READER = `arn:aws:iam::${ACCOUNT}:user/reader`;

function writeIdentities(box: Sandbox, file = path.join(box.dir, box.store, 'identities.json')): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const allow = (actions: string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
  fs.writeFileSync(
    file,
    JSON.stringify({
      identities: [
        { principal: APP_ROLE, accessKeyId: 'AKIAAPPROLE000000001', secretAccessKey: 'app-secret', policies: [allow(['kms:Encrypt', 'kms:Decrypt'])], tags: { team: 'blue' } },
        { principal: READER, accessKeyId: 'AKIAREADER0000000001', secretAccessKey: 'reader-secret', policies: [allow(['kms:DescribeKey'])] },
      ],
    }),
  );
  return file;
}

describe('kms-studio kms', () => {
  it('round trip: CreateKey, Encrypt (Plaintext base64), Decrypt gives the same plaintext', async () => {
    const box = sandbox();
    const created = await box.call('CreateKey', { Description: 'round trip', Tags: [{ TagKey: 'team', TagValue: 'blue' }] });
    const metadata = created['KeyMetadata'] as Record<string, unknown>;
    assert.equal(metadata['Description'], 'round trip');
    assert.equal(metadata['KeyState'], 'Enabled');
    assert.equal(typeof metadata['CreationDate'], 'number', 'timestamps are epoch seconds, as in AWS JSON');
    const keyId = metadata['KeyId'] as string;

    const encrypted = await box.call('Encrypt', { KeyId: keyId, Plaintext: b64('attack at dawn'), EncryptionContext: { purpose: 'test' } });
    assert.equal(encrypted['KeyId'], `arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}`);
    assert.equal(encrypted['EncryptionAlgorithm'], 'SYMMETRIC_DEFAULT');
    assert.match(String(encrypted['CiphertextBlob']), /^[A-Za-z0-9+/]+=*$/);

    const decrypted = await box.call('Decrypt', { CiphertextBlob: encrypted['CiphertextBlob'], EncryptionContext: { purpose: 'test' } });
    assert.equal(unb64(decrypted['Plaintext']), 'attack at dawn');
    assert.equal(decrypted['KeyId'], encrypted['KeyId']);
  });

  it('prints the response as pretty JSON, {} for an operation with an empty response', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const run = await box.run(['kms', 'DisableKey', '--store', 'store', '--input', JSON.stringify({ KeyId: keyId })]);
    assert.deepEqual(run, { code: 0, stdout: '{}\n', stderr: '' });
    const listed = await box.run(['kms', 'ListKeys', '--store', 'store']);
    assert.match(listed.stdout, /^\{\n {2}"Keys": \[\n/);
  });

  it('a wrong EncryptionContext is InvalidCiphertextException on stderr, exit 1', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const { CiphertextBlob } = await box.call('Encrypt', { KeyId: keyId, Plaintext: b64('secret'), EncryptionContext: { purpose: 'test' } });
    const run = await box.run(['kms', 'Decrypt', '--store', 'store', '--input', JSON.stringify({ CiphertextBlob, EncryptionContext: { purpose: 'other' } })]);
    assert.equal(run.code, 1);
    assert.deepEqual(errorOf(run), { __type: 'InvalidCiphertextException', message: '' });
  });

  it('--as an identity of identities.json without permission: AccessDeniedException, exit 1, with the reason', async () => {
    const box = sandbox();
    writeIdentities(box);
    const keyId = await createKey(box);
    const run = await box.run(['kms', 'Encrypt', '--store', 'store', '--as', READER, '--input', JSON.stringify({ KeyId: keyId, Plaintext: b64('x') })]);
    assert.equal(run.code, 1);
    const error = errorOf(run);
    assert.equal(error.__type, 'AccessDeniedException');
    assert.equal(error.message, `User: ${READER} is not authorized to perform: kms:Encrypt on resource: arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId} because no identity-based policy allows the kms:Encrypt action`);
    assert.match(error.explanation!, /no IAM policy allows kms:Encrypt/);
    assert.deepEqual(Object.keys(error), ['__type', 'message', 'explanation']);

    // The same identity may do what its policy allows.
    const described = await box.call('DescribeKey', { KeyId: keyId }, ['--as', READER]);
    assert.equal((described['KeyMetadata'] as { KeyId: string }).KeyId, keyId);
  });

  it('--as a role of identities.json calls as its session, with the role\'s IAM policies', async () => {
    const box = sandbox();
    writeIdentities(box);
    const keyId = await createKey(box);
    const { CiphertextBlob } = await box.call('Encrypt', { KeyId: keyId, Plaintext: b64('from the app') }, ['--as', APP_ROLE]);
    const decrypted = await box.call('Decrypt', { CiphertextBlob }, ['--as', APP_ROLE]);
    assert.equal(unb64(decrypted['Plaintext']), 'from the app');
    const denied = await box.run(['kms', 'DisableKey', '--store', 'store', '--as', APP_ROLE, '--input', JSON.stringify({ KeyId: keyId })]);
    assert.equal(denied.code, 1);
    assert.match(errorOf(denied).message, new RegExp(`^User: arn:aws:sts::${ACCOUNT}:assumed-role/App/kms-studio is not authorized to perform: kms:DisableKey`));
  });

  it('--as a principal not listed is a caller without IAM policies; --identities names another file', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const stranger = await box.run(['kms', 'DescribeKey', '--store', 'store', '--as', `arn:aws:iam::${ACCOUNT}:user/stranger`, '--input', JSON.stringify({ KeyId: keyId })]);
    assert.equal(stranger.code, 1);
    assert.equal(errorOf(stranger).__type, 'AccessDeniedException');

    const elsewhere = writeIdentities(box, path.join(box.dir, 'people', 'ids.json'));
    const described = await box.call('DescribeKey', { KeyId: keyId }, ['--as', READER, '--identities', path.relative(box.dir, elsewhere)]);
    assert.equal((described['KeyMetadata'] as { KeyId: string }).KeyId, keyId);
  });

  it('DisableKey then Decrypt: DisabledException', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const { CiphertextBlob } = await box.call('Encrypt', { KeyId: keyId, Plaintext: b64('x') });
    await box.call('DisableKey', { KeyId: keyId });
    const run = await box.run(['kms', 'Decrypt', '--store', 'store', '--input', JSON.stringify({ CiphertextBlob })]);
    assert.equal(run.code, 1);
    assert.equal(errorOf(run).__type, 'DisabledException');
  });

  it('ScheduleKeyDeletion of 7 days, clock advance 8, then DescribeKey: NotFoundException', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const scheduled = await box.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 });
    assert.equal(scheduled['KeyState'], 'PendingDeletion');
    const advanced = await box.run(['clock', '--store', 'store', 'advance', '8']);
    assert.equal(advanced.code, 0, advanced.stderr);
    assert.match(advanced.stdout, new RegExp(`key ${keyId} \\(us-east-1\\): deletion date .* has passed`));
    const run = await box.run(['kms', 'DescribeKey', '--store', 'store', '--input', JSON.stringify({ KeyId: keyId })]);
    assert.equal(run.code, 1);
    assert.deepEqual(errorOf(run), { __type: 'NotFoundException', message: `Key 'arn:aws:kms:us-east-1:${ACCOUNT}:key/${keyId}' does not exist` });
  });

  it('--input @file reads the request from a file, --input - from stdin', async () => {
    const box = sandbox();
    fs.writeFileSync(path.join(box.dir, 'create.json'), JSON.stringify({ Description: 'from a file' }));
    const fromFile = await box.run(['kms', 'CreateKey', '--store', 'store', '--input', '@create.json']);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    const keyId = (JSON.parse(fromFile.stdout) as { KeyMetadata: { KeyId: string; Description: string } }).KeyMetadata;
    assert.equal(keyId.Description, 'from a file');

    const fromStdin = await box.run(['kms', 'DescribeKey', '--store', 'store', '--input', '-'], { stdin: JSON.stringify({ KeyId: keyId.KeyId }) + '\n' });
    assert.equal(fromStdin.code, 0, fromStdin.stderr);
    assert.equal((JSON.parse(fromStdin.stdout) as { KeyMetadata: { Description: string } }).KeyMetadata.Description, 'from a file');
  });

  it('wrong types are the KMS\'s SerializationException, exit 1; model violations its ValidationException', async () => {
    const box = sandbox();
    const wrongType = await box.run(['kms', 'Encrypt', '--store', 'store', '--input', '{"KeyId": 42, "Plaintext": "eA=="}']);
    assert.equal(wrongType.code, 1);
    assert.deepEqual(errorOf(wrongType), { __type: 'SerializationException', message: "Expected a string at 'keyId'" });
    const notBase64 = await box.run(['kms', 'Encrypt', '--store', 'store', '--input', '{"KeyId": "alias/x", "Plaintext": "not base64!"}']);
    assert.equal(notBase64.code, 1);
    assert.equal(errorOf(notBase64).__type, 'SerializationException');
    const notAnObject = await box.run(['kms', 'CreateKey', '--store', 'store', '--input', '[1, 2]']);
    assert.equal(notAnObject.code, 1);
    assert.equal(errorOf(notAnObject).__type, 'SerializationException');
    const missing = await box.run(['kms', 'Encrypt', '--store', 'store', '--input', '{}']);
    assert.equal(missing.code, 1);
    assert.equal(errorOf(missing).__type, 'ValidationException');
  });

  it('--region puts keys in that region only', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    const inIreland = await box.call('CreateKey', {}, ['--region', 'eu-west-1']);
    assert.match((inIreland['KeyMetadata'] as { Arn: string }).Arn, /^arn:aws:kms:eu-west-1:/);
    const listed = await box.call('ListKeys');
    assert.deepEqual((listed['Keys'] as { KeyId: string }[]).map((k) => k.KeyId), [keyId]);
  });

  it('--list lists the operations, marking those not available yet', async () => {
    const box = sandbox();
    const run = await box.run(['kms', '--list']);
    assert.equal(run.code, 0);
    const lines = run.stdout.trim().split('\n');
    assert.ok(lines.includes('Encrypt'));
    assert.ok(lines.includes('CreateKey'));
    assert.ok(lines.length > 40, 'every operation of the API model');
    assert.equal(fs.existsSync(path.join(box.dir, 'store')), false, '--list opens no store');
  });

  describe('usage errors: exit 2, nothing on stdout', () => {
    const cases: Array<[string, string[], RegExp, string?]> = [
      ['an unknown operation', ['kms', 'Frobnicate', '--store', 'store'], /'Frobnicate' is not an AWS KMS operation.*kms-studio kms --list/],
      ['an operation in the AWS CLI spelling', ['kms', 'create-key', '--store', 'store'], /did you mean CreateKey\?/],
      ['no operation', ['kms', '--store', 'store'], /name an operation/],
      ['two operations', ['kms', 'CreateKey', 'ListKeys', '--store', 'store'], /one operation at a time/],
      ['no --store', ['kms', 'ListKeys'], /--store DIR is required/],
      ['an empty --store', ['kms', 'ListKeys', '--store', ''], /--store DIR is required/],
      ['--store without a value', ['kms', 'ListKeys', '--store'], /--store/],
      ['an unknown flag', ['kms', 'ListKeys', '--store', 'store', '--frob'], /Unknown option '--frob'/],
      ['malformed --input JSON', ['kms', 'CreateKey', '--store', 'store', '--input', '{"Description": '], /--input is not valid JSON at line 1, column 17: ValueExpected/],
      ['an empty --input', ['kms', 'CreateKey', '--store', 'store', '--input', ' '], /--input is empty/],
      ['--input @ a missing file', ['kms', 'CreateKey', '--store', 'store', '--input', '@nope.json'], /--input @nope.json: no such file/],
      ['--input - with malformed stdin', ['kms', 'CreateKey', '--store', 'store', '--input', '-'], /--input - \(stdin\) is not valid JSON at line 2, column 2: EndOfFileExpected/, '{\n}}'],
      ['a bad --region', ['kms', 'ListKeys', '--store', 'store', '--region', 'US_EAST'], /--region: "US_EAST" is not a region name/],
      ['an --as that is no principal', ['kms', 'ListKeys', '--store', 'store', '--as', 'bob'], /--as: "bob" is neither an ARN nor a service principal name/],
      ['an empty --as', ['kms', 'ListKeys', '--store', 'store', '--as', ''], /--as needs a principal ARN/],
      ['a missing --identities file', ['kms', 'ListKeys', '--store', 'store', '--as', READER, '--identities', 'none.json'], /--identities none.json: no such file/],
      ['--list with an operation', ['kms', 'ListKeys', '--list'], /--list takes no operation/],
    ];
    for (const [name, args, message, stdin] of cases) {
      it(name, async () => {
        const box = sandbox();
        const run = await box.run(args, stdin !== undefined ? { stdin } : {});
        assert.equal(run.code, 2, run.stderr);
        assert.equal(run.stdout, '');
        assert.match(run.stderr, message);
      });
    }

    it('--input - where there is no stdin', async () => {
      const box = sandbox();
      const run = await box.run(['kms', 'CreateKey', '--store', 'store', '--input', '-']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /no standard input/);
    });

    it('a malformed identities.json names the file and the JSON path', async () => {
      const box = sandbox();
      fs.mkdirSync(path.join(box.dir, 'store'));
      fs.writeFileSync(path.join(box.dir, 'store', 'identities.json'), JSON.stringify({ identities: [{ principal: 'nobody' }] }));
      const run = await box.run(['kms', 'ListKeys', '--store', 'store', '--as', READER]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /identities\.json: \$\.identities\[0\]\.principal: "nobody" is not an IAM user, role or root ARN/);
      // Without --as the file is not read, so the root user still gets in.
      assert.equal((await box.run(['kms', 'ListKeys', '--store', 'store'])).code, 0);
    });
  });

  describe('the store and its root key', () => {
    it('the wrong root key is a clear message, exit 2, and the store is left alone', async () => {
      const box = sandbox();
      await createKey(box);
      const before = fs.readFileSync(path.join(box.dir, 'store', 'store.json'), 'utf8');
      const run = await box.run(['kms', 'ListKeys', '--store', 'store'], { env: { KMS_STUDIO_ROOT_KEY: Buffer.alloc(32, 7).toString('base64') } });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^kms-studio kms: The root key from KMS_STUDIO_ROOT_KEY is not the root key of the KMS store .*store/);
      assert.equal(fs.readFileSync(path.join(box.dir, 'store', 'store.json'), 'utf8'), before);
    });

    it('a damaged store is a clear message naming the file, exit 2', async () => {
      const box = sandbox();
      const keyId = await createKey(box);
      const keyFile = path.join(box.dir, 'store', 'keys', 'us-east-1', `${keyId}.json`);
      fs.writeFileSync(keyFile, fs.readFileSync(keyFile, 'utf8').slice(0, 40));
      const run = await box.run(['kms', 'ListKeys', '--store', 'store']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, new RegExp(`KMS store file .*${keyId}\\.json is damaged: not valid JSON`));
    });

    it('a root key that is not 32 bytes of base64 is a clear message, exit 2', async () => {
      const box = sandbox();
      const run = await box.run(['kms', 'ListKeys', '--store', 'store'], { env: { KMS_STUDIO_ROOT_KEY: 'too-short' } });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /not 32 bytes of base64/);
    });

    it('without KMS_STUDIO_ROOT_KEY: creates the per-user key file, mode 0600, outside the store, and reuses it', async () => {
      const box = sandbox({ rootKey: false });
      const first = await box.run(['kms', 'CreateKey', '--store', 'store']);
      assert.equal(first.code, 0, first.stderr);
      const keyFile = path.join(box.env['XDG_CONFIG_HOME']!, 'kms-studio', 'root-key');
      assert.match(first.stderr, /created a root key in .*root-key \(mode 0600\)/);
      if (process.platform !== 'win32') assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(fs.readdirSync(path.join(box.dir, 'store')).includes('root-key'), false);
      const second = await box.run(['kms', 'ListKeys', '--store', 'store']);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stderr, '', 'the key is created once');
      assert.equal((JSON.parse(second.stdout) as { Keys: unknown[] }).Keys.length, 1);
    });

    it('--root-key-file names the key; one inside the store is refused', async () => {
      const box = sandbox({ rootKey: false });
      const keyFile = path.join(box.dir, 'my.key');
      fs.writeFileSync(keyFile, Buffer.alloc(32, 3).toString('base64') + '\n', { mode: 0o600 });
      const ok = await box.run(['kms', 'CreateKey', '--store', 'store', '--root-key-file', 'my.key']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(fs.existsSync(path.join(box.env['XDG_CONFIG_HOME']!, 'kms-studio', 'root-key')), false, 'no per-user key is made');
      fs.copyFileSync(keyFile, path.join(box.dir, 'store', 'inside.key'));
      fs.chmodSync(path.join(box.dir, 'store', 'inside.key'), 0o600);
      const inside = await box.run(['kms', 'ListKeys', '--store', 'store', '--root-key-file', 'store/inside.key']);
      assert.equal(inside.code, 2);
      assert.match(inside.stderr, /is inside the KMS store/);
    });
  });

  it('two CLI processes creating keys at once both succeed and see each other\'s keys', async () => {
    const box = sandbox();
    const bin = path.join(repoRoot, 'dist', 'cli.js');
    const spawnCli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: box.dir, env: { PATH: process.env['PATH'] ?? '', ...box.env } });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    // Both start before the store exists, so they also race to create it.
    const runs = await Promise.all([0, 1, 2, 3].map((i) => spawnCli(['kms', 'CreateKey', '--store', 'store', '--input', JSON.stringify({ Description: `process ${i}` })])));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const created = runs.map((run) => (JSON.parse(run.stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId);
    assert.equal(new Set(created).size, 4);
    const listings = await Promise.all([spawnCli(['kms', 'ListKeys', '--store', 'store']), spawnCli(['kms', 'ListKeys', '--store', 'store'])]);
    for (const listing of listings) {
      assert.equal(listing.code, 0, listing.stderr);
      const seen = (JSON.parse(listing.stdout) as { Keys: { KeyId: string }[] }).Keys.map((k) => k.KeyId).sort();
      assert.deepEqual(seen, [...created].sort());
    }
  });

  it('is listed by --help, and `kms --help` prints its usage', async () => {
    const box = sandbox();
    const help = await box.run(['--help']);
    for (const name of ['kms', 'audit', 'clock']) assert.match(help.stdout, new RegExp(`^\\s+${name}\\s+\\S`, 'm'));
    const own = await box.run(['kms', '--help']);
    assert.equal(own.code, 0);
    assert.match(own.stdout, /^Usage: kms-studio kms <Operation> --store DIR \[--as PRINCIPAL_ARN\] \[--input JSON\|@file\|-\]/);
  });
});
