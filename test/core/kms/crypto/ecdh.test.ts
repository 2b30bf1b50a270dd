import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist';
import { deriveSharedSecret, type KeyAgreementKeySpec } from '../../../../core/kms/crypto/ecdh';
import { encodeEcPublicKey, parseEcPublicKey } from '../../../../core/kms/crypto/ecPublicKey';
import { CryptoError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateKeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface EcdhTest extends WycheproofTest {
  public: string;
  private: string;
  shared: string;
}

/** A Wycheproof private scalar (big-endian hex, sometimes with a leading zero byte) as PKCS#8 DER. */
function p256PrivateKey(scalarHex: string): Uint8Array {
  const d = hex(scalarHex.replace(/^(00)+/, '').padStart(64, '0'));
  const point = p256.getPublicKey(d, false);
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  const key = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: b64(d), x: b64(point.subarray(1, 33)), y: b64(point.subarray(33)) }, format: 'jwk' });
  return new Uint8Array(key.export({ format: 'der', type: 'pkcs8' }));
}

const vectors = loadVectors<{ encoding: string }, EcdhTest>('ecdh_secp256r1_test.json');
const tests = allTests(vectors);

describe('ECDH: Wycheproof ecdh_secp256r1_test.json (public keys as SubjectPublicKeyInfo DER)', () => {
  it('holds the vectors the README counts, all in the asn (SubjectPublicKeyInfo) encoding', () => {
    assert.equal(tests.length, vectors.numberOfTests);
    assert.deepEqual(countByResult(tests), { valid: 330, invalid: 52, acceptable: 230 });
    assert.ok(vectors.testGroups.every((g) => g.encoding === 'asn'));
  });

  it('derives the shared secret of every valid vector, and refuses the peer key with one bit of y flipped', () => {
    for (const { test } of tests.filter(({ test }) => test.result === 'valid')) {
      const priv = p256PrivateKey(test.private);
      const pub = hex(test.public);
      assert.deepEqual(deriveSharedSecret('ECC_NIST_P256', priv, 'ECDH', pub), hex(test.shared), label(test));
      // Flipping the lowest bit of y moves the point off the curve: the invalid-curve check must catch it.
      assert.throws(() => deriveSharedSecret('ECC_NIST_P256', priv, 'ECDH', flipBit(pub, pub.length * 8 - 8)), InvalidKeyError, label(test));
    }
  });

  it('refuses every invalid vector with InvalidKeyError', () => {
    for (const { test } of tests.filter(({ test }) => test.result === 'invalid')) {
      assert.throws(() => deriveSharedSecret('ECC_NIST_P256', p256PrivateKey(test.private), 'ECDH', hex(test.public)), InvalidKeyError, label(test));
    }
  });

  it('refuses every acceptable vector too: only DER, a named curve and an uncompressed point are taken', () => {
    // 222 are BER or otherwise non-DER encodings, 7 spell the curve out as explicit parameters, 1 is a compressed
    // point. Each would be harmless to accept when it encodes the right curve, but one canonical form leaves no
    // parser differential to exploit.
    for (const { test } of tests.filter(({ test }) => test.result === 'acceptable')) {
      assert.throws(() => deriveSharedSecret('ECC_NIST_P256', p256PrivateKey(test.private), 'ECDH', hex(test.public)), InvalidKeyError, label(test));
    }
  });
});

describe('ECDH: key agreement on every KEY_AGREEMENT curve', () => {
  const CURVES: Array<[KeyAgreementKeySpec, typeof p256, number]> = [
    ['ECC_NIST_P256', p256, 32],
    ['ECC_NIST_P384', p384, 48],
    ['ECC_NIST_P521', p521, 66],
  ];
  for (const [spec, curve, length] of CURVES) {
    it(`${spec}: both sides derive the same ${length}-byte secret, the x coordinate of d*Q`, () => {
      const alice = generateKeyPair(spec);
      const bob = generateKeyPair(spec);
      const a = deriveSharedSecret(spec, alice.privateKey, 'ECDH', bob.publicKey);
      const b = deriveSharedSecret(spec, bob.privateKey, 'ECDH', alice.publicKey);
      assert.deepEqual(a, b);
      assert.equal(a.length, length);
      // An independent computation: @noble/curves' point multiplication, x coordinate only.
      const d = new Uint8Array(Buffer.from(createPrivateKey({ key: Buffer.from(alice.privateKey), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).d!, 'base64url'));
      const full = curve.getSharedSecret(d, parseEcPublicKey(spec, bob.publicKey), false);
      assert.deepEqual(a, full.subarray(1, 1 + length));
    });
  }
});

describe('ECDH: hostile inputs', () => {
  const ours = generateKeyPair('ECC_NIST_P256');
  const peer = generateKeyPair('ECC_NIST_P256');
  const point = parseEcPublicKey('ECC_NIST_P256', peer.publicKey);
  const withPoint = (p: Uint8Array) => {
    const der = Uint8Array.from(peer.publicKey);
    der.set(p, der.length - p.length);
    return der;
  };
  const p = 'ffffffff00000001000000000000000000000000ffffffffffffffffffffffff';
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['a secp256k1 key spec (AWS offers no key agreement on it)', () => deriveSharedSecret('ECC_SECG_P256K1' as never, ours.privateKey, 'ECDH', peer.publicKey), UnsupportedAlgorithmError],
    ['an RSA key spec', () => deriveSharedSecret('RSA_2048' as never, ours.privateKey, 'ECDH', peer.publicKey), UnsupportedAlgorithmError],
    ['an unknown algorithm', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDHE' as never, peer.publicKey), UnsupportedAlgorithmError],
    ['a peer key of another curve', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', generateKeyPair('ECC_NIST_P384').publicKey), InvalidKeyError],
    ['a secp256k1 peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', generateKeyPair('ECC_SECG_P256K1').publicKey), InvalidKeyError],
    ['an RSA peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', generateKeyPair('RSA_2048').publicKey), InvalidKeyError],
    ['a compressed peer point', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', Uint8Array.from([...peer.publicKey.subarray(0, 26), 0x02, ...point.subarray(1, 33)])), InvalidKeyError],
    ['the point (0, 0)', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', withPoint(new Uint8Array(65).fill(0, 1).fill(4, 0, 1))), InvalidKeyError],
    ['x = p, out of the field', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', withPoint(Uint8Array.from([4, ...hex(p), ...point.subarray(33)]))), InvalidKeyError],
    ['a peer key with a trailing byte', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', Uint8Array.from([...peer.publicKey, 0])), InvalidKeyError],
    ['a truncated peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', peer.publicKey.subarray(0, 90)), InvalidKeyError],
    ['an empty peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', new Uint8Array(0)), InvalidKeyError],
    ['a 1 MB peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', new Uint8Array(1 << 20)), InvalidKeyError],
    ['a PEM string as peer key', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', '-----BEGIN PUBLIC KEY-----' as never), InvalidKeyError],
    ['our private key where the peer public key goes', () => deriveSharedSecret('ECC_NIST_P256', ours.privateKey, 'ECDH', ours.privateKey), InvalidKeyError],
    ['a P-384 private key under P-256', () => deriveSharedSecret('ECC_NIST_P256', generateKeyPair('ECC_NIST_P384').privateKey, 'ECDH', peer.publicKey), InvalidKeyError],
    ['garbage as private key', () => deriveSharedSecret('ECC_NIST_P256', new Uint8Array(100).fill(0x30), 'ECDH', peer.publicKey), InvalidKeyError],
  ];
  for (const [what, run, error] of rows) it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('encodeEcPublicKey refuses a point of the wrong length or form', () => {
    assert.throws(() => encodeEcPublicKey('ECC_NIST_P256', point.subarray(1)), InvalidKeyError);
    assert.throws(() => encodeEcPublicKey('ECC_NIST_P384', point), InvalidKeyError);
  });
});
