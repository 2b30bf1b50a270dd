import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { KEY_POLICY, positionAt, positionOf } from './helpers';

describe('document symbols', () => {
  let client: LspTestClient;
  let flat: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES }));
    ({ client: flat } = await LspTestClient.start({}));
  });

  after(async () => {
    await client.stop();
    await flat.stop();
  });

  it('lists a policy\'s statements by Sid, or by position, with their ranges', async () => {
    const text = KEY_POLICY.replace('"Sid": "Allow use of the key",', '');
    const uri = 'file:///ws/symbols.keypolicy.json';
    await client.open(uri, text);
    const symbols = (await client.documentSymbols(uri)) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['Enable IAM User Permissions', 'Statement 2']);
    const [first, second] = symbols;
    assert.equal(first!.kind, SymbolKind.Object);
    assert.equal(first!.detail, 'Allow kms:*');
    assert.deepEqual(first!.range.start, positionOf(text, '{\n      "Sid"', 0));
    assert.deepEqual(first!.selectionRange.start, positionOf(text, '"Enable IAM', 0));
    assert.equal(second!.detail, 'Allow kms:Decrypt, kms:GenerateDataKey*');
    assert.equal(second!.range.end.line, positionAt(text, text.lastIndexOf('}', text.lastIndexOf(']'))).line);
  });

  it('keeps an outline of the statements that could be read while the text is broken', async () => {
    const uri = 'file:///ws/broken-symbols.keypolicy.json';
    await client.open(uri, KEY_POLICY.slice(0, KEY_POLICY.indexOf('"Allow use of the key"') + 10));
    const symbols = (await client.documentSymbols(uri)) as DocumentSymbol[];
    assert.equal(symbols[0]!.name, 'Enable IAM User Permissions');
  });

  it('lists a scenario file\'s keys, principals and cases by name', async () => {
    const file = path.join(repoRoot, 'examples', 'app.kms-scenarios.json');
    const text = fs.readFileSync(file, 'utf8');
    const uri = fileUri(file);
    await client.open(uri, text);
    const symbols = (await client.documentSymbols(uri)) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['keys', 'principals', 'cases']);
    const [keys, principals, cases] = symbols;
    assert.deepEqual(keys!.children!.map((c) => c.name), ['app-key']);
    assert.equal(keys!.children![0]!.kind, SymbolKind.Key);
    assert.equal(principals!.children!.length, 3);
    const names = (JSON.parse(text) as { cases: Array<{ name: string }> }).cases.map((c) => c.name);
    assert.deepEqual(cases!.children!.map((c) => c.name), names);
    assert.equal(cases!.children![0]!.detail, 'kms:Encrypt');
    assert.deepEqual(cases!.children![1]!.selectionRange.start, positionOf(text, `"${names[1]}"`, 0));
    await client.close(uri);
  });

  it('lists grants by name in list-grants output', async () => {
    const uri = 'file:///ws/list.grants.json';
    await client.open(uri, '{"Grants": [{"Name": "worker", "GranteePrincipal": "arn:aws:iam::111122223333:role/Worker", "Operations": ["Decrypt"]}, {"GrantId": "g-2", "GranteePrincipal": "x", "Operations": ["Encrypt"]}]}');
    const symbols = (await client.documentSymbols(uri)) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => [s.name, s.detail]), [['worker', 'arn:aws:iam::111122223333:role/Worker'], ['g-2', 'x']]);
  });

  it('answers flat symbols to a client without hierarchical ones', async () => {
    const uri = 'file:///ws/flat.kms-scenarios.json';
    await flat.open(uri, '{"keys": {"k": {}}, "cases": [{"name": "one"}, {}]}');
    const symbols = (await flat.documentSymbols(uri)) as SymbolInformation[];
    assert.deepEqual(symbols.map((s) => [s.name, s.containerName ?? '']), [['keys', ''], ['k', 'keys'], ['cases', ''], ['one', 'cases'], ['case 2', 'cases']]);
    assert.equal(symbols[1]!.location.uri, uri);
  });

  it('gives nothing for a JSON file that is no KMS document', async () => {
    const uri = 'file:///ws/package.json';
    await client.open(uri, '{"name": "x"}');
    assert.deepEqual(await client.documentSymbols(uri), []);
  });
});
