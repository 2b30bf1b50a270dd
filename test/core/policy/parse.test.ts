import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MAX_DEPTH, parseJson } from '../../../core/policy/parse';

describe('parseJson', () => {
  it('parses a valid policy without findings and keeps the tree', () => {
    const parsed = parseJson('{"Version": "2012-10-17", "Statement": []}');
    assert.deepEqual(parsed.syntaxErrors, []);
    assert.equal(parsed.root?.type, 'object');
    assert.equal(parsed.root?.children?.length, 2);
  });

  const cases: Array<{ name: string; text: string; offset: number; message: RegExp }> = [
    { name: 'a missing comma between properties', text: '{"Version": "2012-10-17"\n "Statement": []}', offset: 26, message: /Comma expected/ },
    { name: 'a missing colon', text: '{"Version" "2012-10-17"}', offset: 11, message: /Colon expected/ },
    { name: 'a trailing comma in an object', text: '{"Version": "2012-10-17",}', offset: 25, message: /Trailing comma/ },
    { name: 'a trailing comma in an array', text: '{"Action": ["kms:Encrypt",\n]}', offset: 27, message: /Trailing comma/ },
    { name: 'a line comment (AWS rejects comments)', text: '// key policy\n{}', offset: 0, message: /Comments are not allowed/ },
    { name: 'an unclosed object', text: '{"Version": "2012-10-17"', offset: 24, message: /brace/ },
    { name: 'empty text', text: '', offset: 0, message: /Value expected/ },
  ];
  for (const c of cases) {
    it(`reports JSON_SYNTAX_ERROR for ${c.name}`, () => {
      const [first, ...rest] = parseJson(c.text).syntaxErrors;
      assert.ok(first, 'expected a finding');
      assert.equal(first.code, 'JSON_SYNTAX_ERROR');
      assert.equal(first.severity, 'ERROR');
      assert.equal(first.offset, c.offset);
      assert.ok(first.length >= 1, 'a finding is never zero-length, so an editor can show it');
      assert.match(first.message, c.message);
      assert.ok(rest.every((f) => f.offset !== first.offset), 'no second finding at the same place');
    });
  }

  it('never throws on hostile text', () => {
    const hostile = ['{'.repeat(100_000), ']'.repeat(1000), '"\\u12', '\u0000\uffff', '{"a":' + '['.repeat(50_000)];
    for (const text of hostile) {
      const parsed = parseJson(text);
      assert.ok(parsed.syntaxErrors.length > 0);
    }
  });
});

describe('parseJson nesting limit', () => {
  it('refuses nesting past MAX_DEPTH with one finding at the offending bracket', () => {
    const text = '['.repeat(MAX_DEPTH + 1);
    const parsed = parseJson(text);
    assert.equal(parsed.root, undefined);
    assert.equal(parsed.syntaxErrors.length, 1);
    assert.equal(parsed.syntaxErrors[0]!.offset, MAX_DEPTH);
    assert.match(parsed.syntaxErrors[0]!.message, /Nesting deeper/);
  });
  it('parses nesting up to the limit, and brackets inside strings do not count', () => {
    assert.notEqual(parseJson('['.repeat(200) + ']'.repeat(200)).root, undefined);
    assert.deepEqual(parseJson(JSON.stringify({ Sid: '['.repeat(10_000) })).syntaxErrors, []);
  });
});
