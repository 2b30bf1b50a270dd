import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lintText } from '../../core/lint/lintDocument';
import { DocumentCache } from '../../server/src/documentCache';
import { policyTextArbitrary, statementSpans } from '../core/lint/policyArbitraries';
import { LspTestClient } from '../support/lspClient';
import { KEY_POLICY, positionAt } from './helpers';

/**
 * The server lints each new version of a document with what it kept from the previous one (DocumentCache hands
 * the document's linter from version to version). Its diagnostics must be those of the same text opened fresh.
 */

/** Edits an editor makes while typing: a few characters inserted or removed inside a statement, or anywhere. */
function typingEdits(text: string, seed: number): Array<{ offset: number; remove: number; insert: string }> {
  const edits: Array<{ offset: number; remove: number; insert: string }> = [];
  let current = text;
  let state = seed;
  const next = (n: number) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  for (let i = 0; i < 12; i++) {
    const spans = statementSpans(current);
    const span = spans.length > 0 ? spans[next(spans.length)]! : { offset: 0, length: current.length };
    const offset = span.offset + next(span.length + 1);
    const edit = { offset, remove: next(3), insert: ['', 'a', ' ', '"', 'kms:', '\n', ','][next(7)]! };
    edits.push(edit);
    current = current.slice(0, edit.offset) + edit.insert + current.slice(edit.offset + edit.remove);
  }
  return edits;
}

describe('diagnostics across versions of a document', () => {
  it('are what linting each version from scratch finds (DocumentCache)', () => {
    const uri = 'file:///ws/edited.keypolicy.json';
    fc.assert(
      fc.property(policyTextArbitrary('keyPolicy'), fc.integer({ min: 1, max: 1_000_000 }), (text, seed) => {
        const cache = new DocumentCache(() => 'keyPolicy');
        let document = TextDocument.create(uri, 'json', 1, text);
        let previous = cache.get(document);
        assert.deepEqual(previous.findings({}), lintText(text, 'keyPolicy'));
        for (const edit of typingEdits(text, seed)) {
          const range = { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.remove) };
          document = TextDocument.update(document, [{ range, text: edit.insert }], document.version + 1);
          const analysis = cache.get(document);
          assert.equal(analysis.linter, previous.linter, 'the linter goes from version to version');
          assert.deepEqual(analysis.findings({}), lintText(document.getText(), 'keyPolicy'), document.getText());
          previous = analysis;
        }
      }),
      { seed: 3, numRuns: 60 },
    );
  });

  describe('over LSP', () => {
    let client: LspTestClient;

    before(async () => {
      ({ client } = await LspTestClient.start({ diagnosticsDelayMs: 0 }));
    });

    after(async () => {
      await client.stop();
    });

    /** A diagnostic without what names the document (its URI, its version). */
    const strip = (diagnostics: Diagnostic[]) =>
      diagnostics.map(({ data, relatedInformation, ...d }) => ({
        ...d,
        related: relatedInformation?.map((r) => ({ range: r.location.range, message: r.message })),
        fix: (data as { fix?: unknown } | undefined)?.fix,
      }));

    it('are those of the final text opened fresh, after typing edits', async () => {
      const uri = 'file:///ws/typed.keypolicy.json';
      let text = KEY_POLICY;
      await client.open(uri, text);
      await client.diagnosticsForVersion(uri, 1);
      let version = 1;
      for (const edit of typingEdits(text, 42)) {
        const range = { start: positionAt(text, edit.offset), end: positionAt(text, edit.offset + edit.remove) };
        text = text.slice(0, edit.offset) + edit.insert + text.slice(edit.offset + edit.remove);
        version++;
        await client.change(uri, version, [{ range, text: edit.insert }]);
        const edited = await client.diagnosticsForVersion(uri, version);
        const freshUri = `file:///ws/fresh-${version}.keypolicy.json`;
        await client.open(freshUri, text);
        const fresh = await client.diagnosticsForVersion(freshUri, 1);
        assert.deepEqual(strip(edited.diagnostics), strip(fresh.diagnostics), `version ${version}:\n${text}`);
        await client.close(freshUri);
      }
    });
  });
});
