import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/cli';
import { fixture } from '../../support/paths';

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-lint-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const VALID = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }],
});

describe('kms-studio lint', () => {
  it('walks folders for the configured globs and reports syntax errors with 0-based ranges in JSON', async () => {
    const dir = workspace({
      'keys/app.keypolicy.json': '{\n  "Version": "2012-10-17"\n  "Statement": []\n}',
      'keys/ok.keypolicy.json': VALID,
      'node_modules/x/bad.keypolicy.json': '{',
      'notes.json': '{',
    });
    const run = await runCli(['lint', '--format', 'json', '.'], dir);
    assert.equal(run.code, 1, run.stderr);
    const results = JSON.parse(run.stdout) as Array<{ file: string; kind: string; findings: Array<Record<string, unknown>> }>;
    assert.deepEqual(results.map((r) => r.file), ['keys/app.keypolicy.json', 'keys/ok.keypolicy.json']);
    assert.equal(results[0]!.kind, 'key');
    assert.deepEqual(results[0]!.findings[0], {
      code: 'JSON_SYNTAX_ERROR',
      severity: 'ERROR',
      message: 'Comma expected.',
      range: { start: { line: 2, character: 2 }, end: { line: 2, character: 13 } },
    });
    assert.deepEqual(results[1]!.findings, []);
  });

  it('exits 0 when nothing reaches --fail-on', async () => {
    const dir = workspace({ 'a.iam.json': JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }] }) });
    const run = await runCli(['lint', 'a.iam.json'], dir);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /0 findings in 1 file/);
  });

  it('prints file:line:column lines in text format', async () => {
    const dir = workspace({ 'a.keypolicy.json': '{"Version": "2012-10-17",}' });
    const run = await runCli(['lint', 'a.keypolicy.json'], dir);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^a\.keypolicy\.json:1:26: ERROR JSON_SYNTAX_ERROR Trailing comma/m);
  });

  it('takes a file no glob names by content with --kind auto', async () => {
    const dir = workspace({ 'policy.json': VALID });
    const run = await runCli(['lint', '--format', 'json', 'policy.json'], dir);
    assert.equal(JSON.parse(run.stdout)[0].kind, 'key');
  });

  const usage: Array<[string, string[], RegExp]> = [
    ['no path', ['lint'], /at least one file/],
    ['a bad --format', ['lint', '--format', 'xml', '.'], /--format/],
    ['a bad --kind', ['lint', '--kind', 'nope', '.'], /--kind/],
    ['a bad --fail-on', ['lint', '--fail-on', 'never', '.'], /--fail-on/],
    ['an unknown flag', ['lint', '--colour', '.'], /Unknown option/],
  ];
  for (const [name, args, message] of usage) {
    it(`exits 2 with a usage message for ${name}`, async () => {
      const run = await runCli(args, workspace({}));
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /Usage: kms-studio lint/);
    });
  }

  it('reads a scenario file as JSONC (comments and trailing commas are allowed there), unlike a policy', async () => {
    const scenarioText = '{\n  // the keys\n  "keys": {},\n  "cases": [],\n}';
    const dir = workspace({ 'app.kms-scenarios.json': scenarioText, 'a.keypolicy.json': '{\n  // no\n  "Version": "2012-10-17"\n}' });
    const run = await runCli(['lint', '--format', 'json', 'app.kms-scenarios.json', 'a.keypolicy.json'], dir);
    const results = JSON.parse(run.stdout) as Array<{ file: string; kind: string; findings: Array<{ code: string }> }>;
    assert.deepEqual(results[0], { file: 'app.kms-scenarios.json', kind: 'scenarios', findings: [] });
    assert.ok(results[1]!.findings.some((f) => f.code === 'JSON_SYNTAX_ERROR'), 'a comment in a policy is a syntax error');
  });

  it('exits 2 naming a path that does not exist', async () => {
    const run = await runCli(['lint', 'missing.keypolicy.json'], workspace({}));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing\.keypolicy\.json: no such file or folder/);
  });
});

describe('kms-studio lint --format sarif', () => {
  it('writes SARIF 2.1.0 that validates against the OASIS schema, with 1-based regions and relative URIs', async () => {
    const Ajv04 = require('ajv-draft-04') as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };
    const schema = JSON.parse(fs.readFileSync(fixture('sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
    const validate = new Ajv04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    const dir = workspace({ 'keys/app.keypolicy.json': '{\n  "Version": "2012-10-17"\n  "Statement": []\n}', 'ok.iam.json': VALID });
    const run = await runCli(['lint', '--format', 'sarif', '.'], dir);
    assert.equal(run.code, 1);
    const log = JSON.parse(run.stdout) as any;
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.equal(log.version, '2.1.0');
    const [sarifRun] = log.runs;
    assert.equal(sarifRun.tool.driver.name, 'KMS Studio');
    const result = sarifRun.results.find((r: any) => r.ruleId === 'JSON_SYNTAX_ERROR');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'keys/app.keypolicy.json');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 3, endLine: 3, endColumn: 14 });
    assert.equal(sarifRun.tool.driver.rules[result.ruleIndex].id, 'JSON_SYNTAX_ERROR');
    // Code scanning shows a rule's short description: a sentence, not the code again.
    assert.match(sarifRun.tool.driver.rules[result.ruleIndex].shortDescription.text, /strict JSON/);
  });
});

describe('kms-studio lint configuration (.kmsstudio.json)', () => {
  const statements = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }], ...extra });

  it('reads the nearest .kmsstudio.json above the current folder for file globs', async () => {
    const dir = workspace({
      '.kmsstudio.json': JSON.stringify({ files: { keyPolicies: ['**/*.kp.json'] } }),
      'sub/a.kp.json': '{"Version": "2012-10-17",}',
      'sub/b.keypolicy.json': '{',
    });
    const run = await runCli(['lint', '--format', 'json', '.'], path.join(dir, 'sub'));
    const results = JSON.parse(run.stdout) as Array<{ file: string }>;
    assert.deepEqual(results.map((r) => r.file), ['a.kp.json']);
  });

  it('re-levels findings by code, and JSON_SYNTAX_ERROR cannot be turned off', async () => {
    const dir = workspace({ '.kmsstudio.json': JSON.stringify({ rules: { JSON_SYNTAX_ERROR: 'off' } }), 'a.keypolicy.json': '{' });
    const run = await runCli(['lint', '--format', 'json', 'a.keypolicy.json'], dir);
    assert.equal(JSON.parse(run.stdout)[0].findings[0].code, 'JSON_SYNTAX_ERROR');
  });

  it('reports problems in the configuration and keeps what it could read', async () => {
    const dir = workspace({
      'conf.json': JSON.stringify({ rules: { SOME_RULE: 'loud', OTHER: 'warning' }, extra: true }),
      'a.keypolicy.json': statements({}),
    });
    const run = await runCli(['lint', '--config', 'conf.json', 'a.keypolicy.json'], dir);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /conf\.json: rules: SOME_RULE: level "loud" is not one of/);
    assert.match(run.stderr, /conf\.json: unknown property "extra"/);
  });

  it('exits 2 when --config names a file that cannot be read', async () => {
    const run = await runCli(['lint', '--config', 'missing.json', '.'], workspace({}));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing\.json: cannot be read \(ENOENT\)/);
  });
});
