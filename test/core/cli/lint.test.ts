import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../support/cli';

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
    const dir = workspace({ 'a.iam.json': VALID });
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

  it('exits 2 naming a path that does not exist', async () => {
    const run = await runCli(['lint', 'missing.keypolicy.json'], workspace({}));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /missing\.keypolicy\.json: no such file or folder/);
  });
});
