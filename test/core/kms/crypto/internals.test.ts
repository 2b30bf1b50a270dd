import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import {
  describeValue,
  isAsymmetricKeySpec,
  isEccKeySpec,
  isHmacKeySpec,
  isKeySpec,
  isMacAlgorithm,
  isRsaEncryptionAlgorithm,
  isRsaKeySpec,
  isSigningAlgorithm,
  requireKeySpec,
  signingAlgorithmsFor,
  encryptionAlgorithmsFor,
  macAlgorithmsFor,
  keyAgreementAlgorithmsFor,
} from '../../../../core/kms/crypto/algorithms';
import { ecPrivateScalar, keySpecOfKeyObject, loadPrivateKey, loadPublicKey, parsePrivateKey } from '../../../../core/kms/crypto/asymmetricKeys';
import { checkBytes, concatBytes, constantTimeEqual, fromLowerHex, plain, toHex } from '../../../../core/kms/crypto/bytes';
import { encodeEcPublicKey, parseEcPublicKey } from '../../../../core/kms/crypto/ecPublicKey';
import { CryptoError, InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateKeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { signPkcs1v15Digest, signPssDigest, verifyPkcs1v15Digest, verifyPssDigest } from '../../../../core/kms/crypto/rsaSignatureEncoding';

/**
 * The helper modules under the public operations. They are exported for the modules beside them, so they get the
 * same treatment: every entry point, every kind of hostile argument, a typed error or a plain answer.
 */

const hostileNames: unknown[] = [undefined, null, 0, '', 'toString', '__proto__', 'constructor', 'hasOwnProperty', 'rsa_2048', ' RSA_2048', 'RSA_2048 ', {}, [], Symbol('x')];

describe('algorithms: guards answer false for anything that is not a known name', () => {
  const guards = [isKeySpec, isRsaKeySpec, isEccKeySpec, isHmacKeySpec, isAsymmetricKeySpec, isSigningAlgorithm, isMacAlgorithm, isRsaEncryptionAlgorithm];
  for (const guard of guards) {
    it(`${guard.name} refuses Object members, case variants and non-strings`, () => {
      for (const v of hostileNames) assert.equal(guard(v), false, String(typeof v === 'symbol' ? 'symbol' : v));
    });
  }

  it('the algorithm lists are empty for anything that is not an implemented key spec', () => {
    for (const v of hostileNames) {
      for (const f of [signingAlgorithmsFor, encryptionAlgorithmsFor, macAlgorithmsFor, keyAgreementAlgorithmsFor]) {
        assert.deepEqual(f(v as never), [], `${f.name} ${typeof v === 'symbol' ? 'symbol' : String(v)}`);
      }
    }
  });

  it('requireKeySpec throws UnsupportedAlgorithmError, with a bounded message even for a huge string', () => {
    assert.throws(() => requireKeySpec('x'.repeat(1 << 20), isKeySpec, 'a key spec'), (e: unknown) => e instanceof UnsupportedAlgorithmError && e.message.length < 200);
    assert.equal(describeValue(Symbol('s')), 'symbol');
    assert.equal(describeValue(new Uint8Array(3)), '3 bytes');
  });
});

describe('bytes helpers', () => {
  it('checkBytes refuses non-bytes and lengths out of range with the error class it is given', () => {
    assert.throws(() => checkBytes('x', 'abc'), InvalidInputError);
    assert.throws(() => checkBytes('x', [1, 2]), InvalidInputError);
    assert.throws(() => checkBytes('x', new ArrayBuffer(4)), InvalidInputError);
    assert.throws(() => checkBytes('x', new Uint16Array(4)), InvalidInputError);
    assert.throws(() => checkBytes('x', new Uint8Array(3), 4, 4, InvalidKeyError), InvalidKeyError);
    assert.throws(() => checkBytes('x', new Uint8Array(5), 0, 4), InvalidInputError);
    assert.equal(checkBytes('x', Buffer.alloc(4), 4, 4).length, 4);
  });

  it('constantTimeEqual is plain equality on bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        assert.equal(constantTimeEqual(a, b), Buffer.from(a).equals(Buffer.from(b)));
        assert.equal(constantTimeEqual(a, Uint8Array.from(a)), true);
      }),
    );
  });

  it('fromLowerHex takes exactly one spelling of each value', () => {
    assert.deepEqual(fromLowerHex('00ff', 2), Uint8Array.of(0, 255));
    for (const bad of ['00FF', '00f', '00fff', '0x0f', 'zz00', ' 00f', '']) assert.equal(fromLowerHex(bad, 2), undefined, bad);
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (b) => assert.deepEqual(fromLowerHex(toHex(b), b.length), b)));
  });

  it('concatBytes and plain keep bytes and drop the Buffer prototype', () => {
    assert.deepEqual(concatBytes(Uint8Array.of(1), new Uint8Array(0), Buffer.from([2, 3])), Uint8Array.of(1, 2, 3));
    assert.equal(plain(Buffer.from([1])).constructor, Uint8Array);
  });
});

describe('asymmetric key loading: hostile inputs', () => {
  const p256 = generateKeyPair('ECC_NIST_P256');
  const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['an unknown key spec', () => loadPrivateKey('RSA_1024', p256.privateKey), UnsupportedAlgorithmError],
    ['a symmetric key spec', () => loadPublicKey('SYMMETRIC_DEFAULT', p256.publicKey), UnsupportedAlgorithmError],
    ['an RSA-PSS-only key', () => loadPublicKey('RSA_2048', new Uint8Array(rsaPss.publicKey.export({ format: 'der', type: 'spki' }))), InvalidKeyError],
    ['an Ed25519 private key', () => loadPrivateKey('ECC_NIST_P256', new Uint8Array(ed.privateKey.export({ format: 'der', type: 'pkcs8' }))), InvalidKeyError],
    ['an empty DER', () => parsePrivateKey(new Uint8Array(0)), InvalidKeyError],
    ['8193 bytes of DER', () => parsePrivateKey(new Uint8Array(8193)), InvalidKeyError],
    ['a PEM string', () => parsePrivateKey('-----BEGIN PRIVATE KEY-----'), InvalidKeyError],
    ['a SEC1 (not PKCS#8) EC key', () => parsePrivateKey(new Uint8Array(createPrivateKey({ key: Buffer.from(p256.privateKey), format: 'der', type: 'pkcs8' }).export({ format: 'der', type: 'sec1' }))), InvalidKeyError],
    ['a private key where a public key goes', () => loadPublicKey('ECC_NIST_P256', p256.privateKey), InvalidKeyError],
    ['an RSA key for ecPrivateScalar', () => ecPrivateScalar(loadPrivateKey('RSA_2048', generateKeyPair('RSA_2048').privateKey)), InvalidKeyError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('keySpecOfKeyObject names only implemented specs', () => {
    assert.equal(keySpecOfKeyObject(rsaPss.publicKey), undefined);
    assert.equal(keySpecOfKeyObject(ed.publicKey), undefined);
    assert.equal(keySpecOfKeyObject(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey), undefined);
    assert.equal(keySpecOfKeyObject(generateKeyPairSync('ec', { namedCurve: 'secp224r1' }).publicKey), undefined);
    assert.equal(keySpecOfKeyObject(createPublicKey({ key: Buffer.from(p256.publicKey), format: 'der', type: 'spki' })), 'ECC_NIST_P256');
  });

  it('ecPrivateScalar pads the scalar to the field length', () => {
    for (const [spec, n] of [['ECC_NIST_P256', 32], ['ECC_NIST_P521', 66]] as const) {
      for (let i = 0; i < 5; i++) assert.equal(ecPrivateScalar(loadPrivateKey(spec, generateKeyPair(spec).privateKey)).length, n);
    }
  });
});

describe('EC public key parsing: hostile inputs', () => {
  const { publicKey } = generateKeyPair('ECC_NIST_P384');
  it('accepts exactly the canonical encoding and round-trips it', () => {
    assert.deepEqual(encodeEcPublicKey('ECC_NIST_P384', parseEcPublicKey('ECC_NIST_P384', publicKey)), publicKey);
  });

  it('refuses every single-byte change of the prefix, and off-curve points', () => {
    for (let i = 0; i < publicKey.length; i++) {
      const bad = Uint8Array.from(publicKey);
      bad[i] ^= 0x01;
      // A change in x or y is refused unless it happens to land on the curve, which one flipped bit never does.
      assert.throws(() => parseEcPublicKey('ECC_NIST_P384', bad), InvalidKeyError, `byte ${i}`);
    }
  });

  it('refuses random bytes of the right length with InvalidKeyError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 97, maxLength: 97 }), (point) => {
        point[0] = 4;
        assert.throws(() => parseEcPublicKey('ECC_NIST_P384', Uint8Array.from([...publicKey.subarray(0, publicKey.length - 97), ...point])), InvalidKeyError);
      }),
      { numRuns: 100 },
    );
  });
});

describe('RSA digest encodings: hostile inputs', () => {
  const rsa = loadPrivateKey('RSA_2048', generateKeyPair('RSA_2048').privateKey);
  const rsaPublic = createPublicKey(rsa);
  const ec = loadPrivateKey('ECC_NIST_P256', generateKeyPair('ECC_NIST_P256').privateKey);
  const d = new Uint8Array(32);
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['a digest of the wrong length (PSS sign)', () => signPssDigest(rsa, 'sha256', new Uint8Array(31)), InvalidInputError],
    ['a digest of the wrong length (PKCS#1 verify)', () => verifyPkcs1v15Digest(rsaPublic, 'sha384', d, new Uint8Array(256)), InvalidInputError],
    ['an EC key (PSS sign)', () => signPssDigest(ec, 'sha256', d), InvalidKeyError],
    ['an EC key (PKCS#1 sign)', () => signPkcs1v15Digest(ec, 'sha256', d), InvalidKeyError],
    ['SHA-1 for PKCS#1 v1.5 (not an AWS algorithm)', () => signPkcs1v15Digest(rsa, 'sha1', new Uint8Array(20)), UnsupportedAlgorithmError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('answers false for signatures of the wrong length or above the modulus', () => {
    for (const sig of [new Uint8Array(0), new Uint8Array(255), new Uint8Array(257), new Uint8Array(256).fill(0xff)]) {
      assert.equal(verifyPssDigest(rsaPublic, 'sha256', d, sig), false);
      assert.equal(verifyPkcs1v15Digest(rsaPublic, 'sha256', d, sig), false);
    }
  });
});
