import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { defaultAesGcm, nobleAesGcm, nodeAesGcm, type AesGcm } from '../../../../core/kms/crypto/aesGcm';
import { AuthenticationError, CryptoError, InvalidInputError, InvalidKeyError } from '../../../../core/kms/crypto/errors';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface GcmGroup {
  keySize: number;
  ivSize: number;
  tagSize: number;
}
interface GcmTest extends WycheproofTest {
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
}

const vectors = loadVectors<GcmGroup, GcmTest>('aes_gcm_test.json');
const tests = allTests(vectors);
/** The KMS profile: AES-256, 96-bit IV, 128-bit tag. Every other vector is outside what AesGcm accepts. */
const inProfile = tests.filter(({ group }) => group.keySize === 256 && group.ivSize === 96 && group.tagSize === 128);
const outOfProfile = tests.filter((t) => !inProfile.includes(t));

assert.ok(nodeAesGcm, 'node:crypto is available under node --test');
const implementations: AesGcm[] = [nodeAesGcm, nobleAesGcm];

describe('AES-256-GCM: Wycheproof aes_gcm_test.json', () => {
  it('holds the vectors the README counts', () => {
    assert.equal(tests.length, vectors.numberOfTests);
    assert.deepEqual(countByResult(tests), { valid: 229, invalid: 87, acceptable: 0 });
    assert.deepEqual(countByResult(inProfile), { valid: 39, invalid: 27, acceptable: 0 });
  });

  for (const aes of implementations) {
    it(`${aes.name} seals and opens every valid AES-256 / 96-bit IV vector, and rejects each with one bit flipped`, () => {
      let checked = 0;
      for (const { test } of inProfile.filter(({ test }) => test.result === 'valid')) {
        const key = hex(test.key);
        const iv = hex(test.iv);
        const aad = hex(test.aad);
        const sealed = hex(test.ct + test.tag);
        assert.deepEqual(aes.seal(key, iv, hex(test.msg), aad), sealed, label(test));
        assert.deepEqual(aes.open(key, iv, sealed, aad), hex(test.msg), label(test));
        // The negative of each vector: flipping any input must fail authentication.
        const flips: Array<[string, () => unknown]> = [
          ['tag', () => aes.open(key, iv, flipBit(sealed, sealed.length * 8 - 1), aad)],
          ['iv', () => aes.open(key, flipBit(iv), sealed, aad)],
          ['key', () => aes.open(flipBit(key, 255), iv, sealed, aad)],
          ['aad', () => aes.open(key, iv, sealed, aad.length ? flipBit(aad) : Uint8Array.of(0))],
        ];
        if (test.ct.length > 0) flips.push(['ciphertext', () => aes.open(key, iv, flipBit(sealed), aad)]);
        for (const [what, run] of flips) assert.throws(run, AuthenticationError, `${label(test)}: flipped ${what}`);
        checked++;
      }
      assert.equal(checked, 39);
    });

    it(`${aes.name} rejects every invalid AES-256 / 96-bit IV vector with AuthenticationError`, () => {
      let checked = 0;
      for (const { test } of inProfile.filter(({ test }) => test.result === 'invalid')) {
        assert.throws(() => aes.open(hex(test.key), hex(test.iv), hex(test.ct + test.tag), hex(test.aad)), AuthenticationError, label(test));
        checked++;
      }
      assert.equal(checked, 27);
    });

    it(`${aes.name} refuses, with a typed error, every vector outside the AES-256 / 96-bit IV profile`, () => {
      // 190 valid vectors of AES-128/192 or other IV lengths, 60 invalid (empty IVs): none is ever used by the KMS,
      // and accepting them would widen the interface. Each must be refused for its key or IV, before any AES.
      for (const { group, test } of outOfProfile) {
        const expected = group.keySize !== 256 ? InvalidKeyError : InvalidInputError;
        assert.throws(() => aes.open(hex(test.key), hex(test.iv), hex(test.ct + test.tag), hex(test.aad)), expected, label(test));
        assert.throws(() => aes.seal(hex(test.key), hex(test.iv), hex(test.msg), hex(test.aad)), expected, label(test));
      }
      assert.equal(outOfProfile.length, 250);
    });
  }
});

describe('AES-256-GCM: the two implementations agree', () => {
  const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const iv = fc.uint8Array({ minLength: 12, maxLength: 12 });

  it('node:crypto and @noble/ciphers seal to the same bytes and open each other', () => {
    fc.assert(
      fc.property(key, iv, bytes(300), bytes(64), (k, n, pt, aad) => {
        const a = nodeAesGcm!.seal(k, n, pt, aad);
        const b = nobleAesGcm.seal(k, n, pt, aad);
        assert.deepEqual(a, b);
        assert.deepEqual(nobleAesGcm.open(k, n, a, aad), pt);
        assert.deepEqual(nodeAesGcm!.open(k, n, b, aad), pt);
      }),
      { numRuns: 300 },
    );
  });

  it('any single flipped bit of the sealed bytes fails in both', () => {
    fc.assert(
      fc.property(key, iv, bytes(100), bytes(16), fc.nat(), (k, n, pt, aad, bitSeed) => {
        const sealed = nobleAesGcm.seal(k, n, pt, aad);
        const bad = flipBit(sealed, bitSeed % (sealed.length * 8));
        for (const aes of implementations) assert.throws(() => aes.open(k, n, bad, aad), AuthenticationError);
      }),
      { numRuns: 200 },
    );
  });

  it('a truncated tag never authenticates', () => {
    const k = randomBytes(32);
    const n = randomBytes(12);
    const sealed = defaultAesGcm.seal(k, n, Buffer.from('four'), new Uint8Array(0));
    for (const aes of implementations) {
      for (let cut = 1; cut <= sealed.length; cut++) {
        assert.throws(() => aes.open(k, n, sealed.subarray(0, sealed.length - cut), new Uint8Array(0)), AuthenticationError, `cut ${cut}`);
      }
    }
  });

  it('the default is node:crypto when it is available', () => {
    assert.equal(defaultAesGcm, nodeAesGcm);
  });
});

describe('AES-256-GCM: hostile inputs', () => {
  const key = new Uint8Array(32);
  const iv = new Uint8Array(12);
  const empty = new Uint8Array(0);
  const rows: Array<[string, (aes: AesGcm) => unknown, new (...a: never[]) => CryptoError]> = [
    ['an empty key', (a) => a.seal(empty, iv, empty, empty), InvalidKeyError],
    ['a 16-byte (AES-128) key', (a) => a.seal(new Uint8Array(16), iv, empty, empty), InvalidKeyError],
    ['a 33-byte key', (a) => a.open(new Uint8Array(33), iv, new Uint8Array(16), empty), InvalidKeyError],
    ['a string key', (a) => a.seal('k'.repeat(32) as never, iv, empty, empty), InvalidKeyError],
    ['an array key', (a) => a.seal(Array(32).fill(0) as never, iv, empty, empty), InvalidKeyError],
    ['an empty IV', (a) => a.seal(key, empty, empty, empty), InvalidInputError],
    ['a 16-byte IV', (a) => a.open(key, new Uint8Array(16), new Uint8Array(16), empty), InvalidInputError],
    ['a null IV', (a) => a.seal(key, null as never, empty, empty), InvalidInputError],
    ['a string plaintext', (a) => a.seal(key, iv, 'secret' as never, empty), InvalidInputError],
    ['undefined AAD', (a) => a.seal(key, iv, empty, undefined as never), InvalidInputError],
    ['an empty sealed input', (a) => a.open(key, iv, empty, empty), AuthenticationError],
    ['a 15-byte sealed input', (a) => a.open(key, iv, new Uint8Array(15), empty), AuthenticationError],
    ['1 MB of zeros as sealed input', (a) => a.open(key, iv, new Uint8Array(1 << 20), empty), AuthenticationError],
    ['a number as sealed input', (a) => a.open(key, iv, 42 as never, empty), InvalidInputError],
  ];
  for (const aes of implementations) {
    for (const [what, run, error] of rows) {
      it(`${aes.name} refuses ${what} with ${error.name}`, () => {
        assert.throws(() => run(aes), error);
      });
    }
    it(`${aes.name} seals 1 MB of plaintext (large is not hostile) and opens it back`, () => {
      const big = randomBytes(1 << 20);
      assert.deepEqual(aes.open(key, iv, aes.seal(key, iv, big, empty), empty), new Uint8Array(big));
    });
  }
});
