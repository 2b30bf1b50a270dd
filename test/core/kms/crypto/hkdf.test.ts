import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hkdfSync } from 'node:crypto';
import fc from 'fast-check';
import { InvalidInputError } from '../../../../core/kms/crypto/errors';
import { hkdfSha256, nobleHkdfSha256, nodeHkdfSha256, type HkdfSha256 } from '../../../../core/kms/crypto/hkdf';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface HkdfTest extends WycheproofTest {
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
}

const vectors = loadVectors<object, HkdfTest>('hkdf_sha256_test.json');
const tests = allTests(vectors);
assert.ok(nodeHkdfSha256);
const implementations: Array<[string, HkdfSha256]> = [
  ['node:crypto', nodeHkdfSha256],
  ['@noble/hashes', nobleHkdfSha256],
];

describe('HKDF-SHA-256: Wycheproof hkdf_sha256_test.json', () => {
  it('holds the vectors the README counts', () => {
    assert.equal(tests.length, vectors.numberOfTests);
    assert.deepEqual(countByResult(tests), { valid: 83, invalid: 3, acceptable: 0 });
  });

  for (const [name, hkdf] of implementations) {
    it(`${name} derives every valid vector's output, and another output from a flipped input key`, () => {
      for (const { test } of tests.filter(({ test }) => test.result === 'valid')) {
        const ikm = hex(test.ikm);
        const okm = hkdf(ikm, hex(test.salt), hex(test.info), test.size);
        assert.deepEqual(okm, hex(test.okm), label(test));
        assert.notDeepEqual(hkdf(flipBit(ikm), hex(test.salt), hex(test.info), test.size), okm, label(test));
      }
    });

    it(`${name} refuses every invalid vector (output longer than 255 blocks) with InvalidInputError`, () => {
      const invalid = tests.filter(({ test }) => test.result === 'invalid');
      assert.equal(invalid.length, 3);
      for (const { test } of invalid) {
        assert.throws(() => hkdf(hex(test.ikm), hex(test.salt), hex(test.info), test.size), InvalidInputError, label(test));
      }
    });
  }

  it('the two implementations agree with each other and with node:crypto hkdfSync on random inputs', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 1, max: 600 }),
        (ikm, salt, info, length) => {
          const ours = nodeHkdfSha256!(ikm, salt, info, length);
          assert.deepEqual(ours, nobleHkdfSha256(ikm, salt, info, length));
          assert.deepEqual(ours, new Uint8Array(hkdfSync('sha256', ikm, salt, info, length)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('the default is node:crypto when it is available', () => {
    assert.equal(hkdfSha256, nodeHkdfSha256);
  });
});

describe('HKDF-SHA-256: hostile inputs', () => {
  const b = new Uint8Array(16);
  const rows: Array<[string, (h: HkdfSha256) => unknown]> = [
    ['a zero length', (h) => h(b, b, b, 0)],
    ['a negative length', (h) => h(b, b, b, -1)],
    ['a fractional length', (h) => h(b, b, b, 1.5)],
    ['NaN as length', (h) => h(b, b, b, NaN)],
    ['a string length', (h) => h(b, b, b, '32' as never)],
    ['8161 bytes of output', (h) => h(b, b, b, 8161)],
    ['2^53 bytes of output', (h) => h(b, b, b, 2 ** 53)],
    ['a string input key', (h) => h('key' as never, b, b, 32)],
    ['a null salt', (h) => h(b, null as never, b, 32)],
    ['1025 bytes of info', (h) => h(b, b, new Uint8Array(1025), 32)],
  ];
  for (const [name, hkdf] of implementations) {
    for (const [what, run] of rows) {
      it(`${name} refuses ${what} with InvalidInputError`, () => assert.throws(() => run(hkdf), InvalidInputError));
    }
  }
});
