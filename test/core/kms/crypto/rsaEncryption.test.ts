import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { constants, createPrivateKey, privateDecrypt } from 'node:crypto';
import fc from 'fast-check';
import type { RsaEncryptionAlgorithmSpec, RsaKeySpec } from '../../../../core/kms/crypto/algorithms';
import { AuthenticationError, CryptoError, InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateKeyPair, type KeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { rsaOaepDecrypt, rsaOaepEncrypt, rsaOaepMaxPlaintext } from '../../../../core/kms/crypto/rsaEncryption';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface OaepGroup {
  privateKeyPkcs8: string;
}
interface OaepTest extends WycheproofTest {
  msg: string;
  ct: string;
  label: string;
}

function runOaepFile(file: string, algorithm: RsaEncryptionAlgorithmSpec, expected: { valid: number; invalid: number; labelled: number }): void {
  const vectors = loadVectors<OaepGroup, OaepTest>(file);
  const tests = allTests(vectors);
  const valid = tests.filter(({ test }) => test.result === 'valid');
  describe(`${algorithm}: Wycheproof ${file}`, () => {
    it('holds the vectors the README counts', () => {
      assert.equal(tests.length, vectors.numberOfTests);
      assert.deepEqual(countByResult(tests), { valid: expected.valid, invalid: expected.invalid, acceptable: 0 });
      assert.equal(valid.filter(({ test }) => test.label !== '').length, expected.labelled);
    });

    it('decrypts every valid vector with an empty label, and fails with one ciphertext bit flipped', () => {
      for (const { group, test } of valid.filter(({ test }) => test.label === '')) {
        const key = hex(group.privateKeyPkcs8);
        const ct = hex(test.ct);
        assert.deepEqual(rsaOaepDecrypt('RSA_2048', key, algorithm, ct), hex(test.msg), label(test));
        assert.throws(() => rsaOaepDecrypt('RSA_2048', key, algorithm, flipBit(ct, 8 * ct.length - 1)), AuthenticationError, label(test));
      }
    });

    it('refuses every valid vector made with a non-empty label: AWS always uses the empty label', () => {
      for (const { group, test } of valid.filter(({ test }) => test.label !== '')) {
        const key = hex(group.privateKeyPkcs8);
        assert.throws(() => rsaOaepDecrypt('RSA_2048', key, algorithm, hex(test.ct)), AuthenticationError, label(test));
        // The vector itself is sound: it decrypts once its label is supplied.
        const plaintext = privateDecrypt(
          { key: createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256', oaepLabel: hex(test.label) },
          hex(test.ct),
        );
        assert.deepEqual(new Uint8Array(plaintext), hex(test.msg), label(test));
      }
    });

    it('rejects every invalid vector with AuthenticationError', () => {
      for (const { group, test } of tests.filter(({ test }) => test.result === 'invalid')) {
        assert.throws(() => rsaOaepDecrypt('RSA_2048', hex(group.privateKeyPkcs8), algorithm, hex(test.ct)), AuthenticationError, label(test));
      }
    });
  });
}

runOaepFile('rsa_oaep_2048_sha1_mgf1sha1_test.json', 'RSAES_OAEP_SHA_1', { valid: 17, invalid: 19, labelled: 7 });
runOaepFile('rsa_oaep_2048_sha256_mgf1sha256_test.json', 'RSAES_OAEP_SHA_256', { valid: 18, invalid: 19, labelled: 8 });

const SPECS: RsaKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const ALGORITHMS: RsaEncryptionAlgorithmSpec[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const keys = new Map<RsaKeySpec, KeyPair>(SPECS.map((s) => [s, generateKeyPair(s)]));

describe('RSA-OAEP: AWS plaintext caps and round trips', () => {
  it('caps plaintext at 214/342/470 bytes with SHA-1 and 190/318/446 with SHA-256', () => {
    assert.deepEqual(
      SPECS.map((s) => ALGORITHMS.map((a) => rsaOaepMaxPlaintext(s, a))),
      [
        [214, 190],
        [342, 318],
        [470, 446],
      ],
    );
  });

  for (const spec of SPECS) {
    for (const algorithm of ALGORITHMS) {
      it(`${spec} ${algorithm}: 1 byte and the cap round-trip, one byte over the cap is refused`, () => {
        const { privateKey, publicKey } = keys.get(spec)!;
        const max = rsaOaepMaxPlaintext(spec, algorithm);
        for (const n of [1, max]) {
          const pt = new Uint8Array(n).fill(7);
          const ct = rsaOaepEncrypt(spec, publicKey, algorithm, pt);
          assert.equal(ct.length, Number(spec.slice(4)) / 8);
          assert.deepEqual(rsaOaepDecrypt(spec, privateKey, algorithm, ct), pt);
        }
        assert.throws(() => rsaOaepEncrypt(spec, publicKey, algorithm, new Uint8Array(max + 1)), InvalidInputError);
      });
    }
  }

  it('a ciphertext made with one hash does not decrypt with the other', () => {
    const { privateKey, publicKey } = keys.get('RSA_2048')!;
    const ct = rsaOaepEncrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_256', Uint8Array.of(1, 2, 3));
    assert.throws(() => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', ct), AuthenticationError);
  });

  it('every single-bit change of a ciphertext fails to decrypt', () => {
    const { privateKey, publicKey } = keys.get('RSA_2048')!;
    const ct = rsaOaepEncrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_256', Uint8Array.of(9, 9, 9));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ct.length * 8 - 1 }), (bit) => {
        assert.throws(() => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_256', flipBit(ct, bit)), AuthenticationError);
      }),
      { numRuns: 100 },
    );
  });
});

describe('RSA-OAEP: hostile inputs', () => {
  const { privateKey, publicKey } = keys.get('RSA_2048')!;
  const ec = generateKeyPair('ECC_NIST_P256');
  const one = Uint8Array.of(1);
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['SYMMETRIC_DEFAULT as algorithm', () => rsaOaepEncrypt('RSA_2048', publicKey, 'SYMMETRIC_DEFAULT' as never, one), UnsupportedAlgorithmError],
    ['the deprecated RSAES_PKCS1_V1_5', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_PKCS1_V1_5' as never, new Uint8Array(256)), UnsupportedAlgorithmError],
    ['SM2PKE', () => rsaOaepMaxPlaintext('RSA_2048', 'SM2PKE' as never), UnsupportedAlgorithmError],
    ['an EC key spec', () => rsaOaepMaxPlaintext('ECC_NIST_P256' as never, 'RSAES_OAEP_SHA_1'), UnsupportedAlgorithmError],
    ['an EC public key under RSA_2048', () => rsaOaepEncrypt('RSA_2048', ec.publicKey, 'RSAES_OAEP_SHA_1', one), InvalidKeyError],
    ['an RSA_2048 key under RSA_3072', () => rsaOaepEncrypt('RSA_3072', publicKey, 'RSAES_OAEP_SHA_1', one), InvalidKeyError],
    ['the private key as public key', () => rsaOaepEncrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', one), InvalidKeyError],
    ['the public key as private key', () => rsaOaepDecrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_1', new Uint8Array(256)), InvalidKeyError],
    ['garbage DER as private key', () => rsaOaepDecrypt('RSA_2048', new Uint8Array(600).fill(0x30), 'RSAES_OAEP_SHA_1', new Uint8Array(256)), InvalidKeyError],
    ['an empty plaintext', () => rsaOaepEncrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_1', new Uint8Array(0)), InvalidInputError],
    ['a 1 MB plaintext', () => rsaOaepEncrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_1', new Uint8Array(1 << 20)), InvalidInputError],
    ['a string plaintext', () => rsaOaepEncrypt('RSA_2048', publicKey, 'RSAES_OAEP_SHA_1', 'hi' as never), InvalidInputError],
    ['an empty ciphertext', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', new Uint8Array(0)), AuthenticationError],
    ['a 255-byte ciphertext', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', new Uint8Array(255).fill(1)), AuthenticationError],
    ['a ciphertext of all 0xff (above the modulus)', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', new Uint8Array(256).fill(0xff)), AuthenticationError],
    ['a 1 MB ciphertext', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', new Uint8Array(1 << 20)), AuthenticationError],
    ['a null ciphertext', () => rsaOaepDecrypt('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', null as never), InvalidInputError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));
});
