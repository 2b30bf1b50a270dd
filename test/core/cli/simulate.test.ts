import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { runCli } from '../../support/cli';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function workspace(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-simulate-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

const keyPolicy = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'AppUse',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/App' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:bucket': 'prod-data' } },
    },
  ],
};

function scenario(cases: unknown[]): Record<string, unknown> {
  return {
    'policy.keypolicy.json': keyPolicy,
    's.kms-scenarios.json': { keys: { 'app-key': { arn: KEY_ARN, policy: 'policy.keypolicy.json' } }, cases },
  };
}

const APP = 'arn:aws:sts::111122223333:assumed-role/App/s1';

describe('kms-studio simulate', () => {
  it('passes the realistic scenario in examples/', async () => {
    const run = await runCli(['simulate', 'examples/app.kms-scenarios.json'], repoRoot);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^✓ /m);
    assert.doesNotMatch(run.stdout, /^✗ /m);
    assert.match(run.stdout, /(\d+) of \1 expectations met/);
  });

  it('prints one line per case and explains each failure with the deciding condition, exit 1', async () => {
    const dir = workspace(
      scenario([
        { name: 'right bucket', principal: APP, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { bucket: 'prod-data' }, expect: 'allowed' },
        { name: 'wrong bucket', principal: APP, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { bucket: 'dev' }, expect: 'allowed' },
        { name: 'no expectation', principal: APP, action: 'kms:Encrypt', key: 'app-key' },
      ]),
    );
    const run = await runCli(['simulate', 's.kms-scenarios.json'], dir);
    assert.equal(run.code, 1);
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /^✓ right bucket: allowed \(expected allowed\): /);
    assert.match(lines[1]!, /^✗ wrong bucket: implicitDeny \(expected allowed\): /);
    assert.match(lines[2]!, /^· no expectation: implicitDeny: /);
    assert.match(run.stdout, /Failures:/);
    assert.match(run.stdout, /condition not met in statement "AppUse": StringEquals kms:EncryptionContext:bucket: policy \["prod-data"\], request \["dev"\]/);
    assert.match(run.stdout, /1 of 2 expectations met, 3 cases/);
  });

  it('prints {"results": [...]} with --format json, naming the deciding statement and its place', async () => {
    const dir = workspace(scenario([{ name: 'app', principal: APP, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { bucket: 'prod-data' }, expect: 'allowed' }]));
    const run = await runCli(['simulate', '--format', 'json', 's.kms-scenarios.json'], dir);
    assert.equal(run.code, 0);
    const { results } = JSON.parse(run.stdout) as { results: Array<Record<string, any>> };
    assert.equal(results.length, 1);
    const [r] = results;
    assert.deepEqual(
      { file: r!.file, name: r!.name, decision: r!.decision, expected: r!.expected, pass: r!.pass },
      { file: 's.kms-scenarios.json', name: 'app', decision: 'allowed', expected: 'allowed', pass: true },
    );
    assert.equal(r!.explanation.deciding[0].sid, 'AppUse');
    assert.equal(r!.explanation.locations[0].file, 'policy.keypolicy.json');
    assert.equal(typeof r!.explanation.locations[0].line, 'number');
    assert.equal(typeof r!.explanation.reason, 'string');
  });

  const invalid: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a case naming an unknown key', scenario([{ principal: APP, action: 'kms:Decrypt', key: 'nope' }]), /s\.kms-scenarios\.json:\d+:\d+: \$\.cases\[0\]\.key: names key "nope"/],
    ['an action KMS does not have', scenario([{ principal: APP, action: 'kms:Decrypto', key: 'app-key' }]), /s\.kms-scenarios\.json:\d+:\d+: \$\.cases\[0\]\.action: "kms:Decrypto" is not an AWS KMS action/],
    ['a principal that is no principal', scenario([{ principal: 'bob', action: 'kms:Decrypt', key: 'app-key' }]), /s\.kms-scenarios\.json:\d+:\d+: \$\.cases\[0\]\.principal: "bob" is neither an ARN nor a service principal name/],
    ['a context value that is an object', scenario([{ principal: APP, action: 'kms:Decrypt', key: 'app-key', context: { 'aws:SourceIp': { a: 1 } } }]), /\$\.cases\[0\]\.context\["aws:SourceIp"\]: must be a string or a number or true or false or an array/],
    ['a file that is not JSON', { 's.kms-scenarios.json': '{"keys": ' }, /s\.kms-scenarios\.json:1:\d+: \$: /],
    ['a missing policy file', { 's.kms-scenarios.json': { keys: { k: { arn: KEY_ARN, policy: 'gone.json' } }, cases: [] } }, /\$\.keys\.k\.policy: policy file gone\.json cannot be read/],
  ];
  for (const [name, files, message] of invalid) {
    it(`exits 2 naming the file, the JSON path and the problem for ${name}`, async () => {
      const run = await runCli(['simulate', 's.kms-scenarios.json'], workspace(files));
      assert.equal(run.code, 2, run.stdout);
      assert.match(run.stderr, message);
    });
  }

  it('takes context values of every type, and refuses an expectation that is not a decision', async () => {
    const dir = workspace(
      scenario([
        { name: 'implicit', principal: 'arn:aws:iam::111122223333:role/Nobody', action: 'kms:Decrypt', key: 'app-key', expect: 'implicitDeny' },
        {
          name: 'typed context',
          principal: 'cloudtrail.amazonaws.com',
          action: 'kms:Decrypt',
          key: 'app-key',
          context: { 'aws:SourceIp': '10.1.2.3', 'aws:MultiFactorAuthAge': 100, 'aws:SecureTransport': true, 'aws:SourceVpce': ['vpce-1', 'vpce-2'] },
          expect: 'implicitDeny',
        },
        { name: 'allowed is not a deny', principal: APP, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { bucket: 'prod-data' }, expect: 'explicitDeny' },
      ]),
    );
    const run = await runCli(['simulate', '--format', 'json', 's.kms-scenarios.json'], dir);
    assert.equal(run.code, 1, run.stderr);
    const { results } = JSON.parse(run.stdout) as { results: Array<Record<string, any>> };
    assert.deepEqual(
      results.map((r) => [r.name, r.decision, r.expected, r.pass]),
      [
        ['implicit', 'implicitDeny', 'implicitDeny', true],
        ['typed context', 'implicitDeny', 'implicitDeny', true],
        ['allowed is not a deny', 'allowed', 'explicitDeny', false],
      ],
    );
    const denied = await runCli(['simulate', 's.kms-scenarios.json'], workspace(scenario([{ principal: APP, action: 'kms:Decrypt', key: 'app-key', expect: 'denied' }])));
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /\$\.cases\[0\]\.expect: must be one of "allowed", "implicitDeny", "explicitDeny"/);
  });

  it('takes the grants of a key as the whole output of aws kms list-grants too', async () => {
    const worker = 'arn:aws:iam::111122223333:role/Worker';
    const grants = {
      Grants: [{ KeyId: KEY_ARN, GrantId: 'g1', Name: '', CreationDate: '2022-02-02T16:15:42-08:00', GranteePrincipal: worker, IssuingAccount: 'arn:aws:iam::111122223333:root', Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { app: 'x' } } }],
      Truncated: false,
    };
    const dir = workspace({
      'policy.keypolicy.json': keyPolicy,
      's.kms-scenarios.json': {
        keys: { 'app-key': { arn: KEY_ARN, policy: 'policy.keypolicy.json', grants } },
        cases: [
          { name: 'in the constraint', principal: worker, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { app: 'x' }, expect: 'allowed' },
          { name: 'outside it', principal: worker, action: 'kms:Decrypt', key: 'app-key', encryptionContext: { app: 'y' }, expect: 'implicitDeny' },
        ],
      },
    });
    const run = await runCli(['simulate', 's.kms-scenarios.json'], dir);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^✓ in the constraint: allowed .*grant g1/m);
  });

  it('exits 2 for a file that does not exist and for bad usage', async () => {
    assert.match((await runCli(['simulate', 'nope.json'], repoRoot)).stderr, /nope\.json: \$: no such file/);
    assert.equal((await runCli(['simulate'], repoRoot)).code, 2);
    assert.equal((await runCli(['simulate', '--format', 'yaml', 'x'], repoRoot)).code, 2);
  });
});
