import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonFriendly, redactFields, redactJsonFriendly } from '../../../../core/kms/audit/redact';

/** The two steps the one-pass form stands for. */
function twoSteps(value: unknown): Record<string, unknown> | null {
  const copy = jsonFriendly(value);
  return copy ? redactFields(copy as Record<string, unknown>) : null;
}

/** Field names that hit every rule: secret ones, encryption context ones, a case variant, ordinary ones, __proto__. */
const name = fc.constantFrom('KeyId', 'keyId', 'Plaintext', 'plaintext', 'CiphertextBlob', 'EncryptionContext', 'SourceEncryptionContext', 'GrantTokens', 'Tags', 'CreationDate', 'Limit', '__proto__', 'constructor', 'a', 'B');
const leaf = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 4 }),
  fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(name, tie('value'), { maxKeys: 5 }),
}));

describe('redactJsonFriendly', () => {
  it('gives what redacting the JSON-friendly copy gives, for any request or response', () => {
    fc.assert(
      fc.property(fc.oneof(value, fc.dictionary(name, value, { maxKeys: 6 })), (input) => {
        assert.deepEqual(redactJsonFriendly(input), twoSteps(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every field once, in the same order, secret fields included', () => {
    const reads = (make: (log: string[]) => object, run: (o: object) => unknown) => {
      const log: string[] = [];
      run(make(log));
      return log;
    };
    const make = (log: string[]) => {
      const getter = (label: string, result: unknown) => ({ get: () => (log.push(label), result), enumerable: true });
      const nested = Object.defineProperties({}, { inner: getter('inner', 'v') });
      return Object.defineProperties({}, {
        KeyId: getter('KeyId', 'k'),
        Plaintext: getter('Plaintext', { hidden: nested }),
        EncryptionContext: getter('EncryptionContext', { a: 'b' }),
        Other: getter('Other', nested),
      });
    };
    assert.deepEqual(reads(make, redactJsonFriendly), reads(make, twoSteps));
  });

  it('throws as the two steps do for an invalid Date, wherever it is', () => {
    for (const input of [{ CreationDate: new Date(NaN) }, { Plaintext: new Date(NaN) }, { EncryptionContext: { a: new Date(NaN) } }, new Date(NaN)]) {
      assert.throws(() => twoSteps(input), RangeError);
      assert.throws(() => redactJsonFriendly(input), RangeError);
    }
  });

  it('keeps a __proto__ field as a field, as the two steps do', () => {
    const input = JSON.parse('{"__proto__": {"x": "y"}, "KeyId": "k"}') as object;
    const out = redactJsonFriendly(input)!;
    assert.deepEqual(out, twoSteps(input));
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
    assert.deepEqual(Object.keys(out), ['__proto__', 'keyId']);
  });
});
