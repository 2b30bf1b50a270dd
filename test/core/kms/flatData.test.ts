import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { flatData, fromFlat, sameData, sameFlat } from '../../../core/kms/flatData';

/** The value as JSON would write it in order, with byte arrays as a mark of their presence: what flatData keeps. */
function canonical(value: object): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof Uint8Array ? '\u0000bytes' : v));
}

const primitive = fc.oneof(fc.string({ maxLength: 3 }), fc.integer({ min: -2, max: 2 }), fc.boolean(), fc.constant(null));
const member = fc.oneof(
  primitive,
  fc.constant(undefined),
  fc.array(primitive, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 2 }), primitive, { maxKeys: 3 }),
  fc.uint8Array({ maxLength: 3 }),
);
const request = fc.dictionary(fc.constantFrom('KeyId', 'Plaintext', 'EncryptionContext', 'GrantTokens', 'DryRun', 'a', 'b'), member, { maxKeys: 5 });

describe('flatData', () => {
  it('holds a value equal to its copy, and tells apart any two values JSON writes apart', () => {
    fc.assert(
      fc.property(request, request, (a, b) => {
        const flat = flatData(a, true);
        assert.ok(flat, 'request-shaped data always makes a copy when bytes count by presence');
        assert.equal(sameData(flat, a), true);
        const same = canonical(a) === canonical(b);
        assert.equal(sameData(flat, b), same, `${canonical(a)} vs ${canonical(b)}`);
        assert.equal(sameFlat(flat, flatData(b, true)!), same);
        assert.equal(canonical(fromFlat(flat)), canonical(a));
        // Without the flag, bytes make no copy at all: a value with bytes is never taken for another.
        const hasBytes = Object.values(a).some((v) => v instanceof Uint8Array);
        assert.equal(flatData(a) === undefined, hasBytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('is a copy: a value changed in place after it was taken no longer matches', () => {
    const context: Record<string, string> = { purpose: 'a' };
    const tokens = ['t1'];
    const value = { KeyId: 'k', EncryptionContext: context, GrantTokens: tokens };
    const flat = flatData(value)!;
    context['purpose'] = 'b';
    assert.equal(sameData(flat, value), false);
    context['purpose'] = 'a';
    assert.equal(sameData(flat, value), true);
    tokens.push('t2');
    assert.equal(sameData(flat, value), false);
  });

  it('makes no copy of what takes more to compare, and a mark never reads as a value', () => {
    assert.equal(flatData({ when: new Date(0) }), undefined);
    assert.equal(flatData({ deep: { inner: { x: 'y' } } }), undefined);
    assert.equal(flatData({ list: [{ x: 'y' }] }), undefined);
    const flat = flatData({ a: [], b: {} })!;
    assert.equal(sameData(flat, { a: {}, b: [] }), false);
    assert.equal(sameData(flatData({ a: new Uint8Array(1) }, true)!, { a: [] }), false);
    assert.equal(sameData(flatData({ a: { x: 'y' } })!, { a: Object.assign(new Uint8Array(0), { x: 'y' }) }), false);
    assert.equal(Object.getPrototypeOf(fromFlat(flatData(JSON.parse('{"__proto__": {"x": "y"}}') as object)!)), Object.prototype);
    assert.equal(sameData(flatData({ a: ['x', 'y'] })!, { a: 2, 0: 'x' }), false);
  });
});
