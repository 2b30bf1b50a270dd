import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LspTestClient } from '../support/lspClient';
import { KEY_POLICY } from './helpers';

const BROKEN = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" "Action": "kms:*" }\n  ]\n}\n';
/** A policy with nothing to report. */
const VALID = KEY_POLICY;

describe('language server over stdio', () => {
  let client: LspTestClient;

  before(async () => {
    const started = await LspTestClient.start({ files: { keyPolicies: ['**/*.keypolicy.json'] } });
    client = started.client;
    assert.equal(started.result.serverInfo?.name, 'KMS Studio');
    const capabilities = started.result.capabilities;
    assert.equal(capabilities.textDocumentSync, 2, 'incremental sync');
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.completionProvider?.triggerCharacters, ['"', ':']);
    assert.deepEqual(capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
    assert.ok(capabilities.documentSymbolProvider);
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.equal(capabilities.inlayHintProvider, true);
    assert.deepEqual(capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
  });

  after(async () => {
    if (client.child.exitCode === null) client.child.kill();
  });

  it('publishes JSON_SYNTAX_ERROR at the right range for a key policy', async () => {
    const uri = 'file:///ws/app.keypolicy.json';
    await client.open(uri, BROKEN);
    const published = await client.diagnosticsFor(uri);
    assert.equal(published.version, 1);
    // The linter still reports what it can read of the broken statement; the syntax error is one finding.
    const syntax = published.diagnostics.filter((x) => x.code === 'JSON_SYNTAX_ERROR');
    assert.equal(syntax.length, 1);
    const [d] = syntax;
    assert.equal(d!.source, 'kms-studio');
    assert.equal(d!.severity, 1);
    assert.deepEqual(d!.range, { start: { line: 3, character: 24 }, end: { line: 3, character: 32 } });
  });

  it('clears the diagnostics when the text is fixed, for the newest version only', async () => {
    const uri = 'file:///ws/fix.keypolicy.json';
    await client.open(uri, BROKEN);
    await client.diagnosticsFor(uri, (p) => p.diagnostics.some((x) => x.code === 'JSON_SYNTAX_ERROR'));
    // Two quick edits: the debounce must publish for version 3 and never for the stale version 2.
    await client.replace(uri, BROKEN.replace('"Allow"', '"Allow",,'), 2);
    await client.replace(uri, VALID, 3);
    const published = await client.diagnosticsFor(uri, (p) => p.version !== 1);
    assert.equal(published.version, 3);
    assert.deepEqual(published.diagnostics, []);
  });

  it('leaves JSON files that no glob names to VS Code', async () => {
    const ignored = 'file:///ws/package.json';
    await client.open(ignored, BROKEN);
    // The server answers every open document (so a file that stops matching a glob is cleared), but a file
    // that is no KMS document never gets a finding, however broken its JSON.
    const published = await client.diagnosticsFor(ignored);
    assert.deepEqual(published.diagnostics, []);
  });

  it('shuts down cleanly with exit code 0', async () => {
    assert.equal(await client.stop(), 0);
  });
});
