import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DocumentSymbol, Position } from 'vscode-languageserver-protocol';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { KEY_POLICY, markdownOf, positionAt, positionOf, tempWorkspace } from './helpers';

/** mulberry32: a small seeded PRNG, so a failure replays with the same edits. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SCENARIOS = `{
  "keys": { "k": { "arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": "key.keypolicy.json" } },
  "principals": { "arn:aws:iam::111122223333:role/App": { "policies": [{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:*", "Resource": "*" }] }] } },
  "cases": [
    { "name": "decrypt", "principal": "arn:aws:sts::111122223333:assumed-role/App/s", "action": "kms:Decrypt", "key": "k", "encryptionContext": { "app": "payments" }, "expect": "allowed" },
    { "name": "encrypt", "principal": "arn:aws:iam::111122223333:root", "action": "kms:Encrypt", "key": "k", "expect": "allowed" }
  ]
}
`;

/** Fragments that make JSON interesting: structure, keywords, escapes, surrogate halves, line breaks. */
const FRAGMENTS = [
  '{', '}', '[', ']', '"', ':', ',', ' ', '\n', '\r\n', '\t', '\\', '\\u12', '/*', '*/', '//', 'true', 'null', '-0.5e', '1e999',
  '"Statement"', '"Action"', '"kms:*"', '"Condition"', '"StringEquals"', '"Principal"', '{"AWS":"*"}', '"cases"', '"keys"',
  '"expect": "allowed"', '😀', '\ud800', '\u0000', '"${aws:username}"', '"kms:EncryptionContext:"',
];

describe('robustness under random edits', () => {
  let client: LspTestClient;
  const ws = tempWorkspace({ 'key.keypolicy.json': KEY_POLICY, 'r.kms-scenarios.json': SCENARIOS });

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [ws.dir] }));
  });

  after(async () => {
    if (client.child.exitCode === null) await client.stop();
    ws.cleanup();
  });

  it('answers every request and diagnoses the last version through thousands of random edits, deep nesting and huge texts', async () => {
    // A failure names its seed; KMS_STUDIO_FUZZ_SEED replays it (or tries others).
    const seed = Number(process.env['KMS_STUDIO_FUZZ_SEED'] ?? 20240611);
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const documents = [
      { uri: fileUri(ws.file('key.keypolicy.json')), original: KEY_POLICY, text: KEY_POLICY, version: 1 },
      { uri: fileUri(ws.file('r.kms-scenarios.json')), original: SCENARIOS, text: SCENARIOS, version: 1 },
    ];
    for (const d of documents) await client.open(d.uri, d.text);
    const anywhere = (text: string): Position => positionAt(text, Math.floor(random() * (text.length + 1)));
    let requests = 0;

    for (let step = 0; step < 3000; step++) {
      const doc = pick(documents);
      const text = doc.text;
      const start = Math.floor(random() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(random() * 12));
      const roll = random();
      let newText: string;
      let from = start;
      let to = end;
      if (roll < 0.45) newText = pick(FRAGMENTS);
      else if (roll < 0.75) newText = '';
      else if (roll < 0.82) {
        // Truncation: everything after a random point goes.
        to = text.length;
        newText = '';
      } else if (roll < 0.9) newText = text.slice(end, end + Math.floor(random() * 200));
      else if (roll < 0.93) {
        // Back to a text the server knows well, so edits also land in meaningful structure.
        from = 0;
        to = text.length;
        newText = doc.original;
      } else if (roll < 0.96) newText = '['.repeat(1 + Math.floor(random() * 5000));
      else if (roll < 0.98) newText = '{"a":'.repeat(1 + Math.floor(random() * 500));
      else newText = `"${'x'.repeat(20_000 + Math.floor(random() * 30_000))}"`;
      const range = { start: positionAt(text, from), end: positionAt(text, to) };
      doc.text = text.slice(0, from) + newText + text.slice(to);
      await client.change(doc.uri, ++doc.version, [{ range, text: newText }]);

      if (step % 7 === 0) {
        const target = pick(documents);
        const position = anywhere(target.text);
        const range2 = { start: position, end: anywhere(target.text) };
        const ordered = range2.end.line < position.line || (range2.end.line === position.line && range2.end.character < position.character)
          ? { start: range2.end, end: position }
          : range2;
        switch (Math.floor(random() * 7)) {
          case 0: await client.hover(target.uri, position); break;
          case 1: await client.completion(target.uri, position); break;
          case 2: await client.codeActions(target.uri, ordered, []); break;
          case 3: await client.documentSymbols(target.uri); break;
          case 4: await client.codeLenses(target.uri); break;
          case 5: await client.inlayHints(target.uri, ordered); break;
          default: await client.explainCase({ uri: target.uri, position }); break;
        }
        requests++;
      }
    }
    assert.ok(requests > 400, `seed ${seed}`);

    // Diagnostics arrive for the last version of each document.
    for (const d of documents) await client.diagnosticsForVersion(d.uri, d.version, 30_000);
    // The server still understands both documents when they are whole again.
    const [policy, scenarios] = documents;
    await client.replace(policy!.uri, KEY_POLICY, ++policy!.version);
    await client.replace(scenarios!.uri, SCENARIOS, ++scenarios!.version);
    const symbols = (await client.documentSymbols(policy!.uri)) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['Enable IAM User Permissions', 'Allow use of the key']);
    assert.match(markdownOf(await client.hover(policy!.uri, positionOf(KEY_POLICY, '"kms:Decrypt"', 3))), /\*\*kms:Decrypt\*\*/);
    const published = await client.diagnosticsForVersion(scenarios!.uri, scenarios!.version, 30_000);
    assert.deepEqual(published.diagnostics, []);
    assert.equal((await client.codeLenses(scenarios!.uri))?.length, 2);

    assert.equal(client.child.exitCode, null, 'the server is still running');
    const errors = client.logs.filter((l) => l.type === 1);
    assert.deepEqual(errors, [], `no handler failed (seed ${seed})`);
  });
});
