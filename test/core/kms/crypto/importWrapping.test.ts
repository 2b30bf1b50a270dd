import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { WrappingAlgorithmSpec, WrappingKeySpec } from '../../../../core/kms/crypto/algorithms';
import { AuthenticationError, CryptoError, InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateWrappingKeyPair, unwrapKeyMaterial, wrapKeyMaterial } from '../../../../core/kms/crypto/importWrapping';
import { generateKeyPair, generateSecretKey, keySpecOfPrivateKey, type KeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { flipBit } from './wycheproof';

const SPECS: WrappingKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096'];
const ALGORITHMS: WrappingAlgorithmSpec[] = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256'];
const wrapping = new Map<WrappingKeySpec, KeyPair>(SPECS.map((s) => [s, generateWrappingKeyPair(s)]));
const oaepHash = (a: WrappingAlgorithmSpec) => (a.endsWith('SHA_1') ? 'sha1' : 'sha256');

/**
 * The caller's side of ImportKeyMaterial done with node:crypto only, as AWS's OpenSSL instructions do it:
 * `openssl enc -id-aes256-wrap-pad -iv A65959A6` for the material and `openssl pkeyutl -encrypt` with OAEP for
 * the AES key, concatenated key first.
 */
function wrapWithNode(spec: WrappingKeySpec, algorithm: WrappingAlgorithmSpec, material: Uint8Array): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(wrapping.get(spec)!.publicKey), format: 'der', type: 'spki' });
  const oaep = (data: Uint8Array) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(algorithm) }, data);
  if (algorithm.startsWith('RSAES')) return new Uint8Array(oaep(material));
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
  return new Uint8Array(Buffer.concat([oaep(aesKey), kwp.update(material), kwp.final()]));
}

describe('import wrapping: the wrapping key', () => {
  it('GetParametersForImport makes an RSA key pair of each WrappingKeySpec', () => {
    for (const spec of SPECS) assert.equal(keySpecOfPrivateKey(wrapping.get(spec)!.privateKey), spec);
  });
});

describe('import wrapping: round trips', () => {
  const symmetric = generateSecretKey('SYMMETRIC_DEFAULT');
  const p521 = generateKeyPair('ECC_NIST_P521').privateKey;
  const rsa = generateKeyPair('RSA_4096').privateKey;

  for (const spec of SPECS) {
    for (const algorithm of ALGORITHMS) {
      it(`${spec} ${algorithm}: material wrapped by node:crypto (as AWS's OpenSSL steps do) unwraps, and so does our own wrapping`, () => {
        const { privateKey, publicKey } = wrapping.get(spec)!;
        const materials = [symmetric, generateSecretKey('HMAC_512')];
        if (algorithm.startsWith('RSA_AES')) materials.push(p521, rsa);
        for (const material of materials) {
          assert.deepEqual(unwrapKeyMaterial(spec, privateKey, algorithm, wrapWithNode(spec, algorithm, material)), material);
          assert.deepEqual(unwrapKeyMaterial(spec, privateKey, algorithm, wrapKeyMaterial(spec, publicKey, algorithm, material)), material);
        }
      });
    }
  }

  it('RSAES_OAEP cannot carry an RSA private key or, under RSA_2048, a P-521 key: AWS sends those through RSA_AES_KEY_WRAP', () => {
    assert.throws(() => wrapKeyMaterial('RSA_4096', wrapping.get('RSA_4096')!.publicKey, 'RSAES_OAEP_SHA_256', rsa), InvalidInputError);
    assert.throws(() => wrapKeyMaterial('RSA_2048', wrapping.get('RSA_2048')!.publicKey, 'RSAES_OAEP_SHA_1', p521), InvalidInputError);
  });

  it('our AES key wrap with padding matches OpenSSL id-aes256-wrap-pad for every length up to 80 bytes', () => {
    const { privateKey } = wrapping.get('RSA_2048')!;
    for (let n = 1; n <= 80; n++) {
      const material = randomBytes(n);
      assert.deepEqual(unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', wrapWithNode('RSA_2048', 'RSA_AES_KEY_WRAP_SHA_256', material)), new Uint8Array(material), `${n} bytes`);
    }
  });
});

describe('import wrapping: tampering and mismatches fail as AuthenticationError', () => {
  const { privateKey, publicKey } = wrapping.get('RSA_2048')!;
  const material = generateSecretKey('SYMMETRIC_DEFAULT');

  for (const algorithm of ALGORITHMS) {
    it(`${algorithm}: any flipped bit, in the RSA part or the key-wrap part, fails`, () => {
      const wrapped = wrapKeyMaterial('RSA_2048', publicKey, algorithm, material);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: wrapped.length * 8 - 1 }), (bit) => {
          assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, algorithm, flipBit(wrapped, bit)), AuthenticationError);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('material wrapped for one algorithm does not unwrap under another', () => {
    const aesWrapped = wrapKeyMaterial('RSA_2048', publicKey, 'RSA_AES_KEY_WRAP_SHA_256', material);
    assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_1', aesWrapped), AuthenticationError);
    assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSAES_OAEP_SHA_256', aesWrapped), AuthenticationError);
    const oaepWrapped = wrapKeyMaterial('RSA_2048', publicKey, 'RSAES_OAEP_SHA_256', material);
    assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', oaepWrapped), AuthenticationError);
  });

  it('material wrapped under another wrapping key does not unwrap', () => {
    const other = generateWrappingKeyPair('RSA_2048');
    const wrapped = wrapKeyMaterial('RSA_2048', other.publicKey, 'RSA_AES_KEY_WRAP_SHA_256', material);
    assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', wrapped), AuthenticationError);
  });

  it('an ephemeral key that is not 256 bits is refused', () => {
    const key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
    const aesKey = randomBytes(16);
    const kwp = createCipheriv('id-aes128-wrap-pad', aesKey, Buffer.from('a65959a6', 'hex'));
    const wrapped = Buffer.concat([publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey), kwp.update(material), kwp.final()]);
    assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', wrapped), AuthenticationError);
  });

  it('truncations of a wrapped key fail at every length', () => {
    const wrapped = wrapKeyMaterial('RSA_2048', publicKey, 'RSA_AES_KEY_WRAP_SHA_256', material);
    for (let n = 1; n < wrapped.length; n += 7) {
      assert.throws(() => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', wrapped.subarray(0, n)), AuthenticationError, `${n}`);
    }
  });
});

describe('import wrapping: hostile inputs', () => {
  const { privateKey, publicKey } = wrapping.get('RSA_2048')!;
  const m = new Uint8Array(32);
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['an SM2 wrapping key spec', () => generateWrappingKeyPair('SM2' as never), UnsupportedAlgorithmError],
    ['an EC wrapping key spec', () => generateWrappingKeyPair('ECC_NIST_P256' as never), UnsupportedAlgorithmError],
    ['the deprecated RSAES_PKCS1_V1_5', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSAES_PKCS1_V1_5' as never, new Uint8Array(256)), UnsupportedAlgorithmError],
    ['SM2PKE', () => wrapKeyMaterial('RSA_2048', publicKey, 'SM2PKE' as never, m), UnsupportedAlgorithmError],
    ['valueOf as algorithm', () => wrapKeyMaterial('RSA_2048', publicKey, 'valueOf' as never, m), UnsupportedAlgorithmError],
    ['a wrapping key of another size', () => unwrapKeyMaterial('RSA_3072', privateKey, 'RSAES_OAEP_SHA_256', new Uint8Array(384)), InvalidKeyError],
    ['the public key as the unwrapping key', () => unwrapKeyMaterial('RSA_2048', publicKey, 'RSA_AES_KEY_WRAP_SHA_256', new Uint8Array(10)), InvalidKeyError],
    ['garbage as the wrapping public key', () => wrapKeyMaterial('RSA_2048', new Uint8Array(300).fill(0x30), 'RSA_AES_KEY_WRAP_SHA_256', m), InvalidKeyError],
    ['empty encrypted material', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', new Uint8Array(0)), InvalidInputError],
    ['6145 bytes of encrypted material', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_256', new Uint8Array(6145)), InvalidInputError],
    ['a string as encrypted material', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', 'AAAA' as never), InvalidInputError],
    ['256 zero bytes under RSAES_OAEP', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSAES_OAEP_SHA_1', new Uint8Array(256)), AuthenticationError],
    ['6144 random bytes under RSA_AES_KEY_WRAP', () => unwrapKeyMaterial('RSA_2048', privateKey, 'RSA_AES_KEY_WRAP_SHA_1', randomBytes(6144)), AuthenticationError],
    ['empty key material to wrap', () => wrapKeyMaterial('RSA_2048', publicKey, 'RSA_AES_KEY_WRAP_SHA_1', new Uint8Array(0)), InvalidInputError],
    ['1 MB of key material to wrap', () => wrapKeyMaterial('RSA_2048', publicKey, 'RSA_AES_KEY_WRAP_SHA_1', new Uint8Array(1 << 20)), InvalidInputError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));
});
