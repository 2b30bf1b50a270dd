import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import type { DiagnosticData } from '../../server/src/protocol';
import { applyEdits, editsFor, KEY_POLICY, tempWorkspace } from './helpers';

const SCENARIOS = `{
  "keys": { "k": { "arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": "key.keypolicy.json" } },
  "cases": [
    {
      "name": "the app decrypts billing data",
      "principal": "arn:aws:sts::111122223333:assumed-role/App/checkout-1",
      "action": "kms:Decrypt", "key": "k",
      "encryptionContext": { "app": "billing" },
      "expect": "allowed"
    }
  ]
}
`;

/**
 * Policies with the problems the linter's quick fixes are for: a misspelt action, no Version, a wildcard under
 * StringEquals, an action listed twice, a policy that locks everyone out.
 */
const FIXABLE_POLICIES = [
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "Use", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" }, "Action": "kms:Decrpyt", "Resource": "*" }\n  ]\n}\n',
  '{\n  "Statement": [\n    { "Sid": "Root", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" }\n  ]\n}\n',
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "Root", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "kms:*", "Resource": "*" },\n    { "Sid": "Use", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" }, "Action": ["kms:Decrypt", "kms:Decrypt"], "Resource": "*", "Condition": { "StringEquals": { "kms:ViaService": "s3.*.amazonaws.com" } } }\n  ]\n}\n',
  '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "Use", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" }, "Action": "kms:Decrypt", "Resource": "*" }\n  ]\n}\n',
];

describe('code actions', () => {
  let client: LspTestClient;
  let plain: LspTestClient;
  const ws = tempWorkspace({ 'key.keypolicy.json': KEY_POLICY, 'q.kms-scenarios.json': SCENARIOS });

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [ws.dir] }));
    ({ client: plain } = await LspTestClient.start({}, { workspaceFolders: [ws.dir] }));
  });

  after(async () => {
    await client.stop();
    await plain.stop();
    ws.cleanup();
  });

  it('fixes a failed expectation by expecting what the policies decide, and the diagnostic goes away', async () => {
    const uri = fileUri(ws.file('q.kms-scenarios.json'));
    await client.open(uri, SCENARIOS);
    const [failure] = (await client.diagnosticsForVersion(uri, 1)).diagnostics.filter((d) => d.code === 'SCENARIO_EXPECTATION_FAILED');
    assert.ok(failure);
    const actions = ((await client.codeActions(uri, failure.range, [failure])) ?? []) as CodeAction[];
    assert.equal(actions.length, 1);
    const [action] = actions;
    assert.equal(action!.kind, 'quickfix');
    assert.match(action!.title, /Expect "implicitDeny"/);
    assert.notEqual(action!.isPreferred, true, 'changing an expectation is the author\'s call');
    assert.deepEqual(action!.diagnostics, [failure]);
    const change = action!.edit!.documentChanges![0]!;
    assert.ok('textDocument' in change);
    assert.equal(change.textDocument.version, 1, 'the edit is for the version it was computed on');
    const fixed = applyEdits(SCENARIOS, editsFor(action!.edit, uri));
    assert.ok(fixed.includes('"expect": "implicitDeny"'));
    await client.replace(uri, fixed, 2);
    const after2 = await client.diagnosticsForVersion(uri, 2);
    assert.deepEqual(after2.diagnostics, []);
    await client.close(uri);
  });

  it('finds the fix from its own diagnostics when the client sends none, and uses plain changes for a client without versioned edits', async () => {
    const uri = fileUri(ws.file('q.kms-scenarios.json'));
    await plain.open(uri, SCENARIOS);
    const [failure] = (await plain.diagnosticsForVersion(uri, 1)).diagnostics;
    const actions = ((await plain.codeActions(uri, failure!.range, [])) ?? []) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.ok(actions[0]!.edit!.changes![uri], 'a plain changes map');
    assert.ok(applyEdits(SCENARIOS, editsFor(actions[0]!.edit, uri)).includes('"expect": "implicitDeny"'));
    await plain.close(uri);
  });

  it('turns the fix in an echoed diagnostic\'s data into an edit, for the current version only', async () => {
    const uri = fileUri(ws.file('echo.keypolicy.json'));
    const text = '{\n  "Statement": []\n}\n';
    await client.open(uri, text, 4);
    await client.diagnosticsForVersion(uri, 4);
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 13 } };
    const title = 'Rename Statement to Statements (a fix only this test writes)';
    const diagnostic = (version: number): Diagnostic => ({
      range,
      message: 'echoed',
      source: 'kms-studio',
      code: 'TEST_ECHOED_FIX',
      data: { version, fix: { title, edits: [{ range, newText: '"Statements"' }], isPreferred: true } } satisfies DiagnosticData,
    });
    const ours = async (d: Diagnostic): Promise<CodeAction[]> =>
      (((await client.codeActions(uri, range, [d])) ?? []) as CodeAction[]).filter((a) => a.title === title);
    const [action] = await ours(diagnostic(4));
    assert.ok(action);
    assert.equal(action.isPreferred, true);
    assert.equal(applyEdits(text, editsFor(action.edit, uri)), '{\n  "Statements": []\n}\n');
    // Edits computed on version 3 would land in the wrong place in version 4; another tool's data is not ours.
    assert.deepEqual(await ours(diagnostic(3)), []);
    assert.deepEqual(await ours({ ...diagnostic(4), source: 'another-linter' }), []);
    await client.close(uri);
  });

  it('applies every quick fix the linter attaches, and each fixed finding disappears', async (t) => {
    let tried = 0;
    for (const [i, text] of FIXABLE_POLICIES.entries()) {
      const uri = fileUri(ws.file(`fixable-${i}.keypolicy.json`));
      await client.open(uri, text);
      const published = await client.diagnosticsForVersion(uri, 1);
      let version = 1;
      for (const d of published.diagnostics.filter((x) => (x.data as DiagnosticData | undefined)?.fix)) {
        // Each fix is tried on the original text, the one its ranges were computed on.
        if (version > 1) {
          await client.replace(uri, text, ++version);
          await client.diagnosticsForVersion(uri, version);
        }
        const fix = (d.data as DiagnosticData).fix!;
        const actions = ((await client.codeActions(uri, d.range, [d])) ?? []) as CodeAction[];
        const action = actions.find((a) => a.title === fix.title);
        assert.ok(action, `a code action for ${String(d.code)}: ${fix.title}`);
        const edits = editsFor(action.edit, uri);
        // Correcting what is written is the obvious fix; writing a new Allow statement grants access, so it never is.
        const grantsAccess = edits.some((e) => /"Effect"\s*:\s*"Allow"/.test(e.newText));
        assert.equal(action.isPreferred === true, !grantsAccess, `${fix.title}: isPreferred ${String(action.isPreferred)}`);
        const fixed = applyEdits(text, edits);
        assert.notEqual(fixed, text);
        await client.replace(uri, fixed, ++version);
        const after2 = await client.diagnosticsForVersion(uri, version);
        const same = after2.diagnostics.filter((x) => x.code === d.code && x.range.start.line === d.range.start.line);
        assert.deepEqual(same, [], `${String(d.code)} is fixed by "${fix.title}"`);
        tried++;
      }
      await client.close(uri);
    }
    if (tried === 0) t.skip('SKIPPED: the linter attaches no quick fix to any of these policies yet (core/lint is being written)');
  });
});
