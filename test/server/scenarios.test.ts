import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { KEY_POLICY, messageOf, positionAt, tempWorkspace } from './helpers';

const APP_SESSION = 'arn:aws:sts::111122223333:assumed-role/App/checkout-1';

const SCENARIOS = `{
  "keys": {
    "k": { "arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": "key.keypolicy.json" }
  },
  "cases": [
    {
      "name": "the app decrypts payments data",
      "principal": "${APP_SESSION}", "action": "kms:Decrypt", "key": "k",
      "encryptionContext": { "app": "payments" },
      "expect": "allowed"
    },
    {
      "name": "the app decrypts billing data",
      "principal": "${APP_SESSION}", "action": "kms:Decrypt", "key": "k",
      "encryptionContext": { "app": "billing" },
      "expect": "allowed"
    },
    {
      "name": "the app encrypts",
      "principal": "${APP_SESSION}", "action": "kms:Encrypt", "key": "k",
      "encryptionContext": { "app": "payments" }
    }
  ]
}
`;

const failures = (diagnostics: Diagnostic[]): Diagnostic[] => diagnostics.filter((d) => d.code === 'SCENARIO_EXPECTATION_FAILED');

describe('scenario files', () => {
  let client: LspTestClient;
  const ws = tempWorkspace({ 'key.keypolicy.json': KEY_POLICY, 's.kms-scenarios.json': SCENARIOS });
  const scenarioUri = fileUri(ws.file('s.kms-scenarios.json'));
  const policyUri = fileUri(ws.file('key.keypolicy.json'));

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [ws.dir] }));
  });

  after(async () => {
    await client.stop();
    ws.cleanup();
  });

  it('passes every case of examples/app.kms-scenarios.json, with a ✓ code lens on each', async () => {
    const file = path.join(repoRoot, 'examples', 'app.kms-scenarios.json');
    const uri = fileUri(file);
    const text = fs.readFileSync(file, 'utf8');
    await client.open(uri, text);
    const published = await client.diagnosticsForVersion(uri, 1);
    assert.deepEqual(published.diagnostics, []);
    const lenses = (await client.codeLenses(uri)) ?? [];
    const cases = (JSON.parse(text) as { cases: unknown[] }).cases.length;
    assert.equal(lenses.length, cases);
    assert.ok(lenses.every((l) => l.command?.title.startsWith('✓ ')), lenses.map((l) => l.command?.title).join('\n'));
    const first = lenses[0]!;
    assert.match(first.command!.title, /^✓ allowed — Allowed by the key policy's statement "Allow use of the key for payments data"/);
    // The lens sits on the case's first line.
    assert.equal(first.range.start.line, positionAt(text, text.indexOf('{', text.indexOf('"cases"'))).line);
    await client.close(uri);
  });

  it('puts a failed expectation on its expect value, with the explanation and the deciding places', async () => {
    await client.open(scenarioUri, SCENARIOS);
    const published = await client.diagnosticsForVersion(scenarioUri, 1);
    const failed = failures(published.diagnostics);
    assert.equal(failed.length, 1, JSON.stringify(published.diagnostics, null, 1));
    const [d] = failed;
    assert.equal(d!.severity, 1);
    assert.equal(d!.source, 'kms-studio');
    const expectOffset = SCENARIOS.indexOf('"allowed"', SCENARIOS.indexOf('billing'));
    assert.deepEqual(d!.range.start, positionAt(SCENARIOS, expectOffset));
    assert.match(messageOf(d!), /^Expected allowed, but the request is implicitDeny/);
    assert.match(messageOf(d!), /StringEquals kms:EncryptionContext:app: policy \["payments"\], request \["billing"\]/);
    const related = d!.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri === policyUri && /Allow use of the key/.test(r.message)), JSON.stringify(related));
    const conditionLine = positionAt(KEY_POLICY, KEY_POLICY.indexOf('"kms:EncryptionContext:app"')).line;
    assert.ok(related.some((r) => r.location.range.start.line === conditionLine), 'the failed condition is a related location');
  });

  it('shows a lens for every case: met, failed and without expectation', async () => {
    const titles = ((await client.codeLenses(scenarioUri)) ?? []).map((l): string => l.command?.title ?? '');
    assert.equal(titles.length, 3);
    assert.match(titles[0]!, /^✓ allowed — /);
    assert.match(titles[1]!, /^✗ implicitDeny, expected allowed — /);
    assert.match(titles[2]!, /^• implicitDeny \(no expectation\) — /);
    const hints = (await client.inlayHints(scenarioUri, { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } })) ?? [];
    assert.deepEqual(hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''))), ['✓', '✗ implicitDeny', '→ implicitDeny']);
  });

  it('re-runs the scenario when an open policy is edited, without saving it, and again when it is closed', async () => {
    const refreshesBefore = client.refreshes;
    await client.open(policyUri, KEY_POLICY);
    await client.replace(policyUri, KEY_POLICY.replace('"payments"', '"billing"'), 2);
    // Now the billing case passes and the payments case fails: the scenario read the editor's text.
    const edited = await client.diagnosticsFor(scenarioUri, (p) => {
      const f = failures(p.diagnostics);
      return f.length === 1 && f[0]!.range.start.line < positionAt(SCENARIOS, SCENARIOS.indexOf('billing')).line;
    });
    assert.equal(edited.version, 1, 'the scenario itself did not change');
    assert.equal(fs.readFileSync(ws.file('key.keypolicy.json'), 'utf8'), KEY_POLICY, 'nothing was saved');
    await client.waitFor('a code lens refresh', () => client.refreshes > refreshesBefore);
    const titles = ((await client.codeLenses(scenarioUri)) ?? []).map((l): string => l.command?.title ?? '');
    assert.match(titles[0]!, /^✗ implicitDeny, expected allowed/);
    assert.match(titles[1]!, /^✓ allowed/);

    await client.close(policyUri);
    await client.diagnosticsFor(scenarioUri, (p) => {
      const f = failures(p.diagnostics);
      return f.length === 1 && f[0]!.range.start.line > positionAt(SCENARIOS, SCENARIOS.indexOf('billing')).line;
    });
  });

  it('reports a policy file that cannot be read at its path, and re-runs when the file appears', async () => {
    const text = SCENARIOS.replace('key.keypolicy.json', 'later.keypolicy.json');
    const uri = fileUri(ws.file('later.kms-scenarios.json'));
    await client.open(uri, text);
    const published = await client.diagnosticsForVersion(uri, 1);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics));
    const [d] = published.diagnostics;
    assert.equal(d!.code, 'SCENARIO_INVALID');
    assert.equal(d!.severity, 1);
    assert.match(messageOf(d!), /later\.keypolicy\.json cannot be read \(no such file\)/);
    assert.deepEqual(d!.range.start, positionAt(text, text.indexOf('"later.keypolicy.json"')));

    ws.write('later.keypolicy.json', KEY_POLICY);
    await client.changeWatchedFiles([{ uri: fileUri(ws.file('later.keypolicy.json')), type: FileChangeType.Created }]);
    const rerun = await client.diagnosticsFor(uri, (p) => !p.diagnostics.some((x) => x.code === 'SCENARIO_INVALID'));
    assert.equal(failures(rerun.diagnostics).length, 1);
    await client.close(uri);
  });

  it('reports schema violations and unknown keys as errors at their places', async () => {
    const text = SCENARIOS.replace('"expect": "allowed"', '"expect": "maybe"').replace('"key": "k",\n      "encryptionContext": { "app": "billing" }', '"key": "nope",\n      "encryptionContext": { "app": "billing" }');
    const uri = fileUri(ws.file('bad.kms-scenarios.json'));
    await client.open(uri, text);
    const published = await client.diagnosticsForVersion(uri, 1);
    const invalid = published.diagnostics.filter((d) => d.code === 'SCENARIO_INVALID');
    assert.ok(invalid.length >= 1, JSON.stringify(published.diagnostics));
    const expectProblem = invalid.find((d) => /must be one of/.test(messageOf(d)));
    assert.ok(expectProblem, 'the bad expect value is reported');
    assert.deepEqual(expectProblem.range.start, positionAt(text, text.indexOf('"maybe"')));
    await client.replace(uri, text.replace('"maybe"', '"allowed"'), 2);
    const second = await client.diagnosticsForVersion(uri, 2);
    const unknownKey = second.diagnostics.find((d) => /names key "nope"/.test(messageOf(d)));
    assert.ok(unknownKey, JSON.stringify(second.diagnostics));
    assert.deepEqual(unknownKey.range.start, positionAt(text, text.indexOf('"nope"')));
    await client.close(uri);
  });

  it('reports broken JSON in a scenario file and never runs it', async () => {
    const uri = fileUri(ws.file('broken.kms-scenarios.json'));
    const text = SCENARIOS.replace('"cases": [', '"cases": [[');
    await client.open(uri, text);
    const published = await client.diagnosticsForVersion(uri, 1);
    assert.ok(published.diagnostics.length > 0);
    assert.ok(published.diagnostics.every((d) => d.code === 'SCENARIO_INVALID' && d.severity === 1));
    assert.deepEqual((await client.codeLenses(uri)) ?? [], []);
    await client.close(uri);
  });
});
