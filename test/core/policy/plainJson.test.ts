import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseTree, type Node, type ParseError } from 'jsonc-parser';
import { MAX_DEPTH, parseJson, parsePlainJsonTree } from '../../../core/policy/parse';
import { fixture, repoRoot } from '../../support/paths';

/**
 * parseJson builds the tree of plain JSON in one pass of its own and leaves everything else to jsonc-parser. The
 * two must build the same tree for plain JSON, and the pass must give up on anything jsonc-parser would report.
 */

/** jsonc-parser's tree with the options parseJson gives it for policies. */
function jsoncTree(text: string): { root: Node | undefined; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return { root, errors };
}

/** Same node types, offsets, lengths, values, colon offsets and own properties, with each parent the node above. */
function assertSameTree(actual: Node, expected: Node, parent?: Node, path = '$'): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${path}: properties`);
  assert.equal(actual.type, expected.type, `${path}: type`);
  assert.equal(actual.offset, expected.offset, `${path}: offset`);
  assert.equal(actual.length, expected.length, `${path}: length`);
  assert.equal(actual.colonOffset, expected.colonOffset, `${path}: colonOffset`);
  assert.ok(Object.is(actual.value, expected.value), `${path}: value ${String(actual.value)} vs ${String(expected.value)}`);
  assert.equal(actual.parent, parent, `${path}: parent`);
  assert.equal(actual.children?.length, expected.children?.length, `${path}: children`);
  actual.children?.forEach((child, i) => assertSameTree(child, expected.children![i]!, actual, `${path}/${i}`));
}

function maxDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

/** The fast pass's answer agrees with jsonc-parser's on any text. */
function check(text: string): 'plain' | 'other' {
  const plain = parsePlainJsonTree(text, MAX_DEPTH);
  const reference = jsoncTree(text);
  if (plain) {
    assert.deepEqual(reference.errors, [], `taken as plain JSON, but jsonc-parser reports errors: ${JSON.stringify(text)}`);
    assertSameTree(plain, reference.root!);
    const parsed = parseJson(text);
    assertSameTree(parsed.root!, reference.root!);
    assert.deepEqual(parsed.syntaxErrors, []);
    return 'plain';
  }
  // Plain JSON the pass does not take: only past the nesting limit (strings may hold brackets, so only then).
  if (reference.errors.length === 0 && text.trim() !== '' && !/[\u000b\u000c]/.test(text) && !/["\\]/.test(text)) {
    assert.ok(maxDepth(text) > MAX_DEPTH, `plain JSON left to jsonc-parser: ${JSON.stringify(text.slice(0, 200))}`);
  }
  return 'other';
}

const whitespace = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  \n  ');

describe('the plain JSON pass of parseJson', () => {
  it('builds jsonc-parser’s tree for the examples and fixtures', () => {
    const dirs = [join(repoRoot, 'examples'), join(repoRoot, 'examples', 'iam'), fixture('lint')];
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));
    assert.ok(files.length > 5);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      if (jsoncTree(text).errors.length === 0) assert.equal(check(text), 'plain', file);
    }
  });

  it('builds jsonc-parser’s tree for any JSON value, however laid out and escaped', () => {
    fc.assert(
      fc.property(fc.jsonValue(), whitespace, fc.integer({ min: 0, max: 3 }), (value, space, indent) => {
        const text = space + JSON.stringify(value, null, indent) + space;
        assert.equal(check(text), 'plain');
        // The same text with every quote inside strings escaped, and with \u escapes.
        check(text.replace(/\\"/g, '\\u0022'));
      }),
      { seed: 1, numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), fc.double(), (s, n) => {
        assert.equal(check(JSON.stringify({ [s]: [s, n, -0, 1e21, 1.5e-7, true, false, null] })), 'plain');
      }),
      { seed: 2, numRuns: 1500 },
    );
  });

  it('leaves every text with an error, a comment or a trailing comma to jsonc-parser', () => {
    const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'A b', Effect: 'Allow', Principal: { AWS: ['x', 'y'] }, Action: 'kms:*', Resource: '*', Condition: { NumericLessThan: { k: 5.5 } } }] }, null, 1);
    const tokens = ['{', '}', '[', ']', ',', ':', '"', 'null', 'nul', 'true', 'truex', '-', '-0', '01', '1.', '1e', '1e+', '.5', '1E5', '\\', '\\u00', '\\u00e9', '\\x', '\n', '\u000b', '\u0001', '//', '/* c */', ' ', '\u00a0', '\ufeff', ',}', ',]'];
    let other = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: base.length }), fc.constantFrom(...tokens), fc.integer({ min: 0, max: 3 }), (at, token, remove) => {
        if (check(base.slice(0, at) + token + base.slice(at + remove)) === 'other') other++;
      }),
      { seed: 3, numRuns: 4000 },
    );
    assert.ok(other > 1000, 'most mutations break the JSON');
    for (const text of ['', '   ', '{"a": 1,}', '[1,]', '{"a": 1} // c', '{"a" 1}', '{"a": 1}}', '"\t"', '"a\nb"', '{"a": 01}', 'true false']) {
      assert.equal(check(text), 'other', JSON.stringify(text));
    }
  });

  it('leaves nesting past the limit to the parser’s own check', () => {
    assert.equal(check('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)), 'plain');
    assert.equal(parsePlainJsonTree('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1), MAX_DEPTH), undefined);
    assert.match(parseJson('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1)).syntaxErrors[0]!.message, /Nesting deeper than/);
  });
});
