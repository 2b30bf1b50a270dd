import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InvalidInputError } from '../../../../core/kms/crypto/errors';
import { encodeEncryptionContext, type EncryptionContext } from '../../../../core/kms/encryptionContext';

const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The inverse of the encoding, written independently from its description in core/kms/encryptionContext.ts.
 * decode(encode(c)) giving back c proves the encoding injective; it also checks the length prefixes are exact.
 */
function decode(bytes: Uint8Array): Array<[string, string]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  const read = () => {
    const n = view.getUint32(offset, false);
    const s = utf8.decode(bytes.subarray(offset + 4, offset + 4 + n));
    offset += 4 + n;
    return s;
  };
  const count = view.getUint32(0, false);
  offset = 4;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) pairs.push([read(), read()]);
  assert.equal(offset, bytes.length, 'no bytes after the last pair');
  return pairs;
}

/** Well-formed strings of any code points (fast-check's 'binary' unit never yields a lone surrogate). */
const text = fc.string({ unit: 'binary', maxLength: 12 });
const context = fc.dictionary(text, text, { maxKeys: 6 });

describe('encryption context encoding', () => {
  it('encodes the empty context, and no context, as four zero bytes', () => {
    assert.equal(hexOf(encodeEncryptionContext({})), '00000000');
    assert.equal(hexOf(encodeEncryptionContext(undefined)), '00000000');
  });

  it('length-prefixes every key and value', () => {
    assert.equal(hexOf(encodeEncryptionContext({ a: 'b' })), '00000001' + '00000001' + '61' + '00000001' + '62');
    assert.notEqual(hexOf(encodeEncryptionContext({ ab: 'c' })), hexOf(encodeEncryptionContext({ a: 'bc' })));
    assert.notEqual(hexOf(encodeEncryptionContext({ a: '', b: '' })), hexOf(encodeEncryptionContext({ a: '\u0000\u0000\u0000\u0001b' })));
  });

  it('sorts by UTF-8 bytes, not by UTF-16 code units', () => {
    // U+FF61 is EF BD A1 in UTF-8 and U+1F600 is F0 9F 98 80, so U+FF61 sorts first; in UTF-16 (0xFF61 against
    // the surrogate 0xD83D) it would sort second.
    assert.deepEqual(
      decode(encodeEncryptionContext({ '\u{1F600}': '1', '\uFF61': '2' })).map(([k]) => k),
      ['\uFF61', '\u{1F600}'],
    );
  });

  it('decodes back to the same pairs, so distinct contexts never encode alike', () => {
    fc.assert(
      fc.property(context, (c) => {
        const pairs = decode(encodeEncryptionContext(c));
        // Maps compare without regard to order; fast-check's dictionaries may have a null prototype.
        assert.deepEqual(new Map(pairs), new Map(Object.entries(c)));
        assert.equal(pairs.length, Object.keys(c).length);
      }),
      { numRuns: 500 },
    );
  });

  it('distinct contexts encode to distinct bytes', () => {
    fc.assert(
      fc.property(context, context, (a, b) => {
        const same = JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
        assert.equal(hexOf(encodeEncryptionContext(a)) === hexOf(encodeEncryptionContext(b)), same);
      }),
      { numRuns: 500 },
    );
  });

  it('the order in which pairs were inserted never matters', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(text, text), { selector: ([k]) => k, maxLength: 8 }),
        fc.nat(),
        (entries, seed) => {
          const shuffled = [...entries].sort((x, y) => ((x[0].length * 31 + seed) % 7) - ((y[0].length * 31 + seed) % 7));
          assert.deepEqual(encodeEncryptionContext(Object.fromEntries(entries)), encodeEncryptionContext(Object.fromEntries(shuffled.reverse())));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts the keys JSON can produce but object literals treat specially', () => {
    const parsed = JSON.parse('{"__proto__": "x", "constructor": "y", "": ""}') as EncryptionContext;
    assert.deepEqual(decode(encodeEncryptionContext(parsed)), [
      ['', ''],
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });

  it('encodes a context of 10,000 pairs (large is not malformed)', () => {
    const big = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, `v${i}`]));
    assert.equal(decode(encodeEncryptionContext(big)).length, 10_000);
  });
});

describe('encryption context encoding: hostile inputs', () => {
  let getterCalled = false;
  const withGetter = {};
  Object.defineProperty(withGetter, 'a', { enumerable: true, get: () => ((getterCalled = true), 'b') });
  const hidden = {};
  Object.defineProperty(hidden, 'a', { enumerable: false, value: 'b' });
  const rows: Array<[string, unknown]> = [
    ['a string', 'purpose=test'],
    ['a number', 42],
    ['an array of pairs', [['a', 'b']]],
    ['a Map', new Map([['a', 'b']])],
    ['a Date', new Date(0)],
    ['a numeric value', { a: 1 }],
    ['a null value', { a: null }],
    ['an undefined value', { a: undefined }],
    ['a nested object value', { a: { b: 'c' } }],
    ['an array value', { a: ['b'] }],
    ['a symbol key', { [Symbol('s')]: 'x' }],
    ['an accessor property', withGetter],
    ['a non-enumerable property', hidden],
    ['a lone high surrogate in a key', { '\uD800': 'x' }],
    ['a lone low surrogate in a value', { a: 'x\uDC00' }],
    ['a reversed surrogate pair', { a: '\uDC00\uD800' }],
    ['a Proxy whose traps throw', new Proxy({}, { ownKeys: () => { throw new Error('trap'); } })],
  ];
  for (const [what, value] of rows) {
    it(`refuses ${what} with InvalidInputError`, () => {
      assert.throws(() => encodeEncryptionContext(value as EncryptionContext), InvalidInputError);
    });
  }

  it('never calls an accessor', () => {
    assert.equal(getterCalled, false);
  });

  it('refuses any string with an unpaired surrogate, anywhere', () => {
    const anyUnit = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 8 });
    fc.assert(
      fc.property(anyUnit, anyUnit, (k, v) => {
        const wellFormed = !/\p{Cs}/u.test(k) && !/\p{Cs}/u.test(v);
        if (wellFormed) encodeEncryptionContext({ [k]: v });
        else assert.throws(() => encodeEncryptionContext({ [k]: v }), InvalidInputError);
      }),
      { numRuns: 500 },
    );
  });
});
