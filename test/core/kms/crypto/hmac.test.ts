import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { HmacKeySpec, MacAlgorithmSpec } from '../../../../core/kms/crypto/algorithms';
import { CryptoError, InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateMac, verifyMac } from '../../../../core/kms/crypto/hmac';
import { generateSecretKey } from '../../../../core/kms/crypto/keyMaterial';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface MacGroup {
  keySize: number;
  tagSize: number;
}
interface MacTest extends WycheproofTest {
  key: string;
  msg: string;
  tag: string;
}

const FILES: Array<[string, HmacKeySpec, MacAlgorithmSpec, number, Record<string, number>]> = [
  ['hmac_sha224_test.json', 'HMAC_224', 'HMAC_SHA_224', 224, { valid: 66, invalid: 106, acceptable: 0 }],
  ['hmac_sha256_test.json', 'HMAC_256', 'HMAC_SHA_256', 256, { valid: 66, invalid: 108, acceptable: 0 }],
  ['hmac_sha384_test.json', 'HMAC_384', 'HMAC_SHA_384', 384, { valid: 66, invalid: 108, acceptable: 0 }],
  ['hmac_sha512_test.json', 'HMAC_512', 'HMAC_SHA_512', 512, { valid: 66, invalid: 108, acceptable: 0 }],
];

for (const [file, spec, algorithm, fullBits, expected] of FILES) {
  const vectors = loadVectors<MacGroup, MacTest>(file);
  const tests = allTests(vectors);
  // GenerateMac takes 1 to 4096 bytes; the vectors with an empty message cannot be asked of the KMS.
  const usable = tests.filter(({ test }) => test.msg.length > 0);
  const full = usable.filter(({ group }) => group.tagSize === fullBits);
  const truncated = usable.filter(({ group }) => group.tagSize !== fullBits);

  describe(`${algorithm}: Wycheproof ${file}`, () => {
    it('holds the vectors the README counts', () => {
      assert.equal(tests.length, vectors.numberOfTests);
      assert.deepEqual(countByResult(tests), expected);
    });

    it('computes the tag of every valid full-length vector, verifies it, and rejects it with one bit flipped', () => {
      let n = 0;
      for (const { test } of full.filter(({ test }) => test.result === 'valid')) {
        const key = hex(test.key);
        const msg = hex(test.msg);
        const tag = hex(test.tag);
        assert.deepEqual(generateMac(spec, key, algorithm, msg), tag, label(test));
        assert.equal(verifyMac(spec, key, algorithm, msg, tag), true, label(test));
        assert.equal(verifyMac(spec, key, algorithm, msg, flipBit(tag, tag.length * 8 - 1)), false, label(test));
        assert.equal(verifyMac(spec, key, algorithm, flipBit(msg), tag), false, label(test));
        n++;
      }
      assert.equal(n, 30);
    });

    it('rejects every invalid full-length vector', () => {
      for (const { test } of full.filter(({ test }) => test.result === 'invalid')) {
        assert.equal(verifyMac(spec, hex(test.key), algorithm, hex(test.msg), hex(test.tag)), false, label(test));
      }
    });

    it('refuses every vector with an empty message, as GenerateMac and VerifyMac take 1 to 4096 bytes', () => {
      const empty = tests.filter(({ test }) => test.msg.length === 0);
      assert.ok(empty.length >= 59, `${empty.length} empty-message vectors`);
      for (const { test } of empty) {
        assert.throws(() => generateMac(spec, hex(test.key), algorithm, new Uint8Array(0)), InvalidInputError, label(test));
        assert.throws(() => verifyMac(spec, hex(test.key), algorithm, new Uint8Array(0), hex(test.tag)), InvalidInputError, label(test));
      }
      assert.equal(usable.length + empty.length, tests.length);
    });

    it('does not verify a truncated tag, even a correct one: the KMS checks full tags only', () => {
      for (const { test } of truncated) {
        const key = hex(test.key);
        const msg = hex(test.msg);
        const tag = hex(test.tag);
        assert.equal(verifyMac(spec, key, algorithm, msg, tag), false, label(test));
        // A valid truncated vector is still a check on the full tag: it is its prefix.
        if (test.result === 'valid') assert.deepEqual(generateMac(spec, key, algorithm, msg).subarray(0, tag.length), tag, label(test));
      }
    });
  });
}

describe('HMAC: keys, algorithms and an independent implementation', () => {
  const SPECS: Array<[HmacKeySpec, MacAlgorithmSpec, string]> = [
    ['HMAC_224', 'HMAC_SHA_224', 'sha224'],
    ['HMAC_256', 'HMAC_SHA_256', 'sha256'],
    ['HMAC_384', 'HMAC_SHA_384', 'sha384'],
    ['HMAC_512', 'HMAC_SHA_512', 'sha512'],
  ];

  it('agrees with node:crypto on generated keys and random messages', () => {
    for (const [spec, algorithm, hash] of SPECS) {
      const key = generateSecretKey(spec);
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 1, maxLength: 4096 }), (m) => {
          const mac = generateMac(spec, key, algorithm, m);
          assert.deepEqual(mac, new Uint8Array(createHmac(hash, key).update(m).digest()));
          assert.equal(verifyMac(spec, key, algorithm, m, mac), true);
        }),
        { numRuns: 50 },
      );
    }
  });

  it('each HMAC key spec takes only its own MAC algorithm', () => {
    for (const [spec] of SPECS) {
      for (const [, algorithm] of SPECS) {
        const run = () => generateMac(spec, new Uint8Array(32), algorithm, Uint8Array.of(1));
        if (algorithm.slice(-3) === spec.slice(-3)) run();
        else assert.throws(run, UnsupportedAlgorithmError, `${spec} ${algorithm}`);
      }
    }
  });

  it('a tag of another key, or extended by a byte, does not verify', () => {
    const key = generateSecretKey('HMAC_256');
    const m = Uint8Array.of(1, 2, 3);
    const mac = generateMac('HMAC_256', key, 'HMAC_SHA_256', m);
    assert.equal(verifyMac('HMAC_256', generateSecretKey('HMAC_256'), 'HMAC_SHA_256', m, mac), false);
    assert.equal(verifyMac('HMAC_256', key, 'HMAC_SHA_256', m, Uint8Array.from([...mac, 0])), false);
  });
});

describe('HMAC: hostile inputs', () => {
  const key = new Uint8Array(32);
  const m = Uint8Array.of(1);
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['a SYMMETRIC_DEFAULT key spec', () => generateMac('SYMMETRIC_DEFAULT' as never, key, 'HMAC_SHA_256', m), UnsupportedAlgorithmError],
    ['an unknown MAC algorithm', () => generateMac('HMAC_256', key, 'HMAC_SHA_1' as never, m), UnsupportedAlgorithmError],
    ['constructor as MAC algorithm', () => verifyMac('HMAC_256', key, 'constructor' as never, m, m), UnsupportedAlgorithmError],
    ['an empty key', () => generateMac('HMAC_256', new Uint8Array(0), 'HMAC_SHA_256', m), InvalidKeyError],
    ['a 129-byte key', () => generateMac('HMAC_512', new Uint8Array(129), 'HMAC_SHA_512', m), InvalidKeyError],
    ['a 1 MB key', () => verifyMac('HMAC_512', new Uint8Array(1 << 20), 'HMAC_SHA_512', m, m), InvalidKeyError],
    ['a string key', () => generateMac('HMAC_256', 'secret' as never, 'HMAC_SHA_256', m), InvalidKeyError],
    ['an empty message', () => generateMac('HMAC_256', key, 'HMAC_SHA_256', new Uint8Array(0)), InvalidInputError],
    ['a 4097-byte message', () => generateMac('HMAC_256', key, 'HMAC_SHA_256', new Uint8Array(4097)), InvalidInputError],
    ['a number as message', () => verifyMac('HMAC_256', key, 'HMAC_SHA_256', 7 as never, m), InvalidInputError],
    ['an undefined tag', () => verifyMac('HMAC_256', key, 'HMAC_SHA_256', m, undefined as never), InvalidInputError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('answers false for tags of any wrong length, empty and huge included', () => {
    for (const n of [0, 1, 31, 33, 64, 1 << 16]) assert.equal(verifyMac('HMAC_256', key, 'HMAC_SHA_256', m, new Uint8Array(n)), false, `${n}`);
  });
});
