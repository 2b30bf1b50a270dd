import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ECDH, constants, createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import fc from 'fast-check';
import type { AsymmetricKeySpec, EccKeySpec, SigningAlgorithmSpec } from '../../../../core/kms/crypto/algorithms';
import { CryptoError, InvalidInputError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import { generateKeyPair, type KeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { sign, verify } from '../../../../core/kms/crypto/signing';
import { allTests, countByResult, flipBit, hex, label, loadVectors, type WycheproofTest } from './wycheproof';

interface SignatureGroup {
  publicKeyDer: string;
  sha: string;
}
interface SignatureTest extends WycheproofTest {
  msg: string;
  sig: string;
}

const HASH = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;

function digest(sha: string, msg: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash(HASH[sha as keyof typeof HASH]).update(msg).digest());
}

/**
 * Runs a Wycheproof signature-verification file through verify() twice: MessageType RAW (node:crypto) and
 * MessageType DIGEST (our own encodings, @noble/curves for ECDSA). Valid vectors must verify both ways and fail
 * with one message bit flipped; invalid and acceptable vectors must fail both ways.
 */
function runSignatureFile(file: string, spec: AsymmetricKeySpec, algorithm: SigningAlgorithmSpec, expected: Record<string, number>): void {
  const vectors = loadVectors<SignatureGroup, SignatureTest>(file);
  const tests = allTests(vectors);
  describe(`${algorithm}: Wycheproof ${file}`, () => {
    it('holds the vectors the README counts', () => {
      assert.equal(tests.length, vectors.numberOfTests);
      assert.deepEqual(countByResult(tests), expected);
    });

    it('verifies every valid vector as RAW and as DIGEST, and not with one message bit flipped', () => {
      let n = 0;
      for (const { group, test } of tests.filter(({ test }) => test.result === 'valid')) {
        const key = hex(group.publicKeyDer);
        const msg = hex(test.msg);
        const sig = hex(test.sig);
        const d = digest(group.sha, msg);
        assert.equal(verify(spec, key, algorithm, 'DIGEST', d, sig), true, `DIGEST ${label(test)}`);
        // RAW takes 1 to 4096 bytes: AWS's Sign refuses an empty message, so empty-message vectors run as DIGEST
        // only. The negative case (one bit of the message flipped) runs once per vector, as RAW where it can:
        // the DIGEST path of P-521 costs tens of milliseconds a verification in JavaScript.
        if (msg.length > 0) {
          assert.equal(verify(spec, key, algorithm, 'RAW', msg, sig), true, `RAW ${label(test)}`);
          assert.equal(verify(spec, key, algorithm, 'RAW', flipBit(msg), sig), false, `RAW flipped ${label(test)}`);
        } else {
          assert.equal(verify(spec, key, algorithm, 'DIGEST', flipBit(d), sig), false, `DIGEST flipped ${label(test)}`);
        }
        n++;
      }
      assert.equal(n, expected.valid);
    });

    it('rejects every invalid vector, and every acceptable one, as RAW and as DIGEST', () => {
      let n = 0;
      for (const { group, test } of tests.filter(({ test }) => test.result !== 'valid')) {
        const key = hex(group.publicKeyDer);
        const msg = hex(test.msg);
        const sig = hex(test.sig);
        assert.equal(verify(spec, key, algorithm, 'DIGEST', digest(group.sha, msg), sig), false, `DIGEST ${label(test)}`);
        if (msg.length > 0) assert.equal(verify(spec, key, algorithm, 'RAW', msg, sig), false, `RAW ${label(test)}`);
        n++;
      }
      assert.equal(n, expected.invalid + expected.acceptable);
    });
  });
}

runSignatureFile('ecdsa_secp256r1_sha256_test.json', 'ECC_NIST_P256', 'ECDSA_SHA_256', { valid: 174, invalid: 310, acceptable: 0 });
runSignatureFile('ecdsa_secp384r1_sha384_test.json', 'ECC_NIST_P384', 'ECDSA_SHA_384', { valid: 194, invalid: 310, acceptable: 0 });
runSignatureFile('ecdsa_secp521r1_sha512_test.json', 'ECC_NIST_P521', 'ECDSA_SHA_512', { valid: 232, invalid: 310, acceptable: 0 });
runSignatureFile('ecdsa_secp256k1_sha256_test.json', 'ECC_SECG_P256K1', 'ECDSA_SHA_256', { valid: 168, invalid: 308, acceptable: 0 });
runSignatureFile('rsa_pss_2048_sha256_mgf1_32_test.json', 'RSA_2048', 'RSASSA_PSS_SHA_256', { valid: 63, invalid: 45, acceptable: 0 });
// The one acceptable vector is a DigestInfo without the NULL parameters (flag MissingNull). We compare the whole
// encoded message against the one we build, so it is rejected; AWS's verifier is not known to accept it either.
runSignatureFile('rsa_signature_2048_sha256_test.json', 'RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', { valid: 9, invalid: 249, acceptable: 1 });

const RSA_ALGORITHMS: SigningAlgorithmSpec[] = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
];
const EC: Array<[EccKeySpec, SigningAlgorithmSpec]> = [
  ['ECC_NIST_P256', 'ECDSA_SHA_256'],
  ['ECC_NIST_P384', 'ECDSA_SHA_384'],
  ['ECC_NIST_P521', 'ECDSA_SHA_512'],
  ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
];
const hashOf = (a: SigningAlgorithmSpec) => `sha${a.slice(-3)}`;
const keys = new Map<AsymmetricKeySpec, KeyPair>();
const keyOf = (spec: AsymmetricKeySpec): KeyPair => {
  if (!keys.has(spec)) keys.set(spec, generateKeyPair(spec));
  return keys.get(spec)!;
};

describe('Sign and Verify round trips', () => {
  const cases: Array<[AsymmetricKeySpec, SigningAlgorithmSpec]> = [
    ...RSA_ALGORITHMS.map((a): [AsymmetricKeySpec, SigningAlgorithmSpec] => ['RSA_2048', a]),
    ['RSA_3072', 'RSASSA_PSS_SHA_384'],
    ['RSA_4096', 'RSASSA_PKCS1_V1_5_SHA_512'],
    ...EC,
  ];
  for (const [spec, algorithm] of cases) {
    it(`${spec} with ${algorithm}: RAW and DIGEST signatures verify either way, and in node:crypto`, () => {
      const { privateKey, publicKey } = keyOf(spec);
      const message = new TextEncoder().encode(`a message for ${algorithm}`);
      const d = Uint8Array.from(createHash(hashOf(algorithm)).update(message).digest());
      for (const sig of [sign(spec, privateKey, algorithm, 'RAW', message), sign(spec, privateKey, algorithm, 'DIGEST', d)]) {
        assert.equal(verify(spec, publicKey, algorithm, 'RAW', message, sig), true);
        assert.equal(verify(spec, publicKey, algorithm, 'DIGEST', d, sig), true);
        assert.equal(verify(spec, publicKey, algorithm, 'RAW', flipBit(message), sig), false);
        assert.equal(verify(spec, publicKey, algorithm, 'DIGEST', d, flipBit(sig, 8 * sig.length - 1)), false);
        // An independent verifier: node:crypto on the message, with AWS's parameters.
        const key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
        const options = algorithm.startsWith('RSASSA_PSS')
          ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: d.length }
          : algorithm.startsWith('RSASSA_PKCS1')
            ? { key, padding: constants.RSA_PKCS1_PADDING }
            : { key, dsaEncoding: 'der' as const };
        assert.equal(nodeVerify(hashOf(algorithm), message, options, sig), true);
      }
    });
  }

  it('RSA signatures are k bytes and ECDSA signatures are DER SEQUENCEs', () => {
    const m = Uint8Array.of(1);
    assert.equal(sign('RSA_2048', keyOf('RSA_2048').privateKey, 'RSASSA_PSS_SHA_256', 'RAW', m).length, 256);
    for (const [spec, algorithm] of EC) {
      const sig = sign(spec, keyOf(spec).privateKey, algorithm, 'RAW', m);
      assert.equal(sig[0], 0x30, spec);
    }
  });

  it('PSS salts make each RSA-PSS signature different; all verify', () => {
    const { privateKey, publicKey } = keyOf('RSA_2048');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (m) => {
        const a = sign('RSA_2048', privateKey, 'RSASSA_PSS_SHA_512', 'RAW', m);
        const b = sign('RSA_2048', privateKey, 'RSASSA_PSS_SHA_512', 'RAW', m);
        assert.notDeepEqual(a, b);
        assert.ok(verify('RSA_2048', publicKey, 'RSASSA_PSS_SHA_512', 'RAW', m, a));
        assert.ok(verify('RSA_2048', publicKey, 'RSASSA_PSS_SHA_512', 'RAW', m, b));
      }),
      { numRuns: 20 },
    );
  });

  it('RAW and DIGEST accept the same public keys: a compressed-point key verifies both ways', () => {
    const { privateKey, publicKey } = keyOf('ECC_NIST_P256');
    const point = publicKey.subarray(publicKey.length - 65);
    const compressed = ECDH.convertKey(point, 'prime256v1', undefined, undefined, 'compressed') as Buffer;
    const spki = Uint8Array.from([...Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex'), ...compressed]);
    const m = Uint8Array.of(4, 5, 6);
    const sig = sign('ECC_NIST_P256', privateKey, 'ECDSA_SHA_256', 'RAW', m);
    assert.equal(verify('ECC_NIST_P256', spki, 'ECDSA_SHA_256', 'RAW', m, sig), true);
    assert.equal(verify('ECC_NIST_P256', spki, 'ECDSA_SHA_256', 'DIGEST', Uint8Array.from(createHash('sha256').update(m).digest()), sig), true);
  });

  it('a signature under one key does not verify under another of the same spec', () => {
    const other = generateKeyPair('ECC_NIST_P256');
    const m = Uint8Array.of(1, 2, 3);
    const sig = sign('ECC_NIST_P256', keyOf('ECC_NIST_P256').privateKey, 'ECDSA_SHA_256', 'RAW', m);
    assert.equal(verify('ECC_NIST_P256', other.publicKey, 'ECDSA_SHA_256', 'RAW', m, sig), false);
  });
});

describe('Sign and Verify: algorithms must fit the key spec, digests their hash', () => {
  it('each curve takes only its own ECDSA hash', () => {
    const m = Uint8Array.of(1);
    assert.throws(() => sign('ECC_NIST_P256', keyOf('ECC_NIST_P256').privateKey, 'ECDSA_SHA_384', 'RAW', m), UnsupportedAlgorithmError);
    assert.throws(() => sign('ECC_NIST_P384', keyOf('ECC_NIST_P384').privateKey, 'ECDSA_SHA_256', 'RAW', m), UnsupportedAlgorithmError);
    assert.throws(() => sign('ECC_NIST_P521', keyOf('ECC_NIST_P521').privateKey, 'ECDSA_SHA_384', 'RAW', m), UnsupportedAlgorithmError);
    assert.throws(() => verify('ECC_SECG_P256K1', keyOf('ECC_SECG_P256K1').publicKey, 'ECDSA_SHA_512', 'RAW', m, m), UnsupportedAlgorithmError);
  });

  it('RSA keys refuse ECDSA and EC keys refuse RSA algorithms', () => {
    const m = Uint8Array.of(1);
    assert.throws(() => sign('RSA_2048', keyOf('RSA_2048').privateKey, 'ECDSA_SHA_256', 'RAW', m), UnsupportedAlgorithmError);
    assert.throws(() => sign('ECC_NIST_P256', keyOf('ECC_NIST_P256').privateKey, 'RSASSA_PSS_SHA_256', 'RAW', m), UnsupportedAlgorithmError);
  });

  it('a DIGEST must be exactly as long as the algorithm hash', () => {
    const { privateKey, publicKey } = keyOf('ECC_NIST_P384');
    for (const n of [0, 32, 47, 49, 64]) {
      assert.throws(() => sign('ECC_NIST_P384', privateKey, 'ECDSA_SHA_384', 'DIGEST', new Uint8Array(n)), InvalidInputError, `${n}`);
      assert.throws(() => verify('ECC_NIST_P384', publicKey, 'ECDSA_SHA_384', 'DIGEST', new Uint8Array(n), new Uint8Array(8)), InvalidInputError);
    }
  });
});

describe('Sign and Verify: hostile inputs', () => {
  const p256 = () => keyOf('ECC_NIST_P256');
  const rsa = () => keyOf('RSA_2048');
  const m = Uint8Array.of(1, 2, 3);
  const signRows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['an unimplemented key spec', () => sign('ECC_NIST_EDWARDS25519' as never, p256().privateKey, 'ECDSA_SHA_256', 'RAW', m), UnsupportedAlgorithmError],
    ['a symmetric key spec', () => sign('SYMMETRIC_DEFAULT' as never, p256().privateKey, 'ECDSA_SHA_256', 'RAW', m), UnsupportedAlgorithmError],
    ['an unknown algorithm', () => sign('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_1' as never, 'RAW', m), UnsupportedAlgorithmError],
    ['an algorithm named hasOwnProperty', () => sign('ECC_NIST_P256', p256().privateKey, 'hasOwnProperty' as never, 'RAW', m), UnsupportedAlgorithmError],
    ['the message type EXTERNAL_MU', () => sign('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_256', 'EXTERNAL_MU' as never, m), InvalidInputError],
    ['an empty RAW message', () => sign('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_256', 'RAW', new Uint8Array(0)), InvalidInputError],
    ['a 4097-byte RAW message', () => sign('RSA_2048', rsa().privateKey, 'RSASSA_PSS_SHA_256', 'RAW', new Uint8Array(4097)), InvalidInputError],
    ['a 16 MB RAW message', () => sign('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_256', 'RAW', new Uint8Array(1 << 24)), InvalidInputError],
    ['a string message', () => sign('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_256', 'RAW', 'hello' as never), InvalidInputError],
    ['the public key in place of the private key', () => sign('ECC_NIST_P256', p256().publicKey, 'ECDSA_SHA_256', 'RAW', m), InvalidKeyError],
    ['an RSA key under an EC spec', () => sign('ECC_NIST_P256', rsa().privateKey, 'ECDSA_SHA_256', 'RAW', m), InvalidKeyError],
    ['a P-384 key under P-256', () => sign('ECC_NIST_P256', keyOf('ECC_NIST_P384').privateKey, 'ECDSA_SHA_256', 'DIGEST', new Uint8Array(32)), InvalidKeyError],
    ['garbage DER', () => sign('RSA_2048', Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00), 'RSASSA_PSS_SHA_256', 'RAW', m), InvalidKeyError],
    ['an empty private key', () => sign('RSA_2048', new Uint8Array(0), 'RSASSA_PSS_SHA_256', 'RAW', m), InvalidKeyError],
    ['a null private key', () => sign('RSA_2048', null as never, 'RSASSA_PSS_SHA_256', 'RAW', m), InvalidKeyError],
  ];
  for (const [what, run, error] of signRows) it(`sign refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  const verifyRows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['the private key in place of the public key', () => verify('ECC_NIST_P256', p256().privateKey, 'ECDSA_SHA_256', 'RAW', m, m), InvalidKeyError],
    ['a P-256 public key under secp256k1', () => verify('ECC_SECG_P256K1', p256().publicKey, 'ECDSA_SHA_256', 'RAW', m, m), InvalidKeyError],
    ['a 1 MB public key', () => verify('RSA_2048', new Uint8Array(1 << 20), 'RSASSA_PSS_SHA_256', 'RAW', m, m), InvalidKeyError],
    ['a string signature', () => verify('RSA_2048', rsa().publicKey, 'RSASSA_PSS_SHA_256', 'RAW', m, 'sig' as never), InvalidInputError],
  ];
  for (const [what, run, error] of verifyRows) it(`verify refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('verify answers false, never throws, for malformed signatures of any kind', () => {
    const garbage = [
      new Uint8Array(0),
      Uint8Array.of(0x30),
      Uint8Array.of(0x30, 0x00),
      Uint8Array.of(0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00),
      new Uint8Array(256).fill(0xff),
      new Uint8Array(256),
      new Uint8Array(1 << 16).fill(0x30),
    ];
    for (const spec of ['RSA_2048', 'ECC_NIST_P256'] as const) {
      const { publicKey } = keyOf(spec);
      const algs: SigningAlgorithmSpec[] = spec === 'RSA_2048' ? RSA_ALGORITHMS : ['ECDSA_SHA_256'];
      for (const algorithm of algs) {
        const d = new Uint8Array(Number(algorithm.slice(-3)) / 8);
        for (const sig of garbage) {
          assert.equal(verify(spec, publicKey, algorithm, 'RAW', m, sig), false, `${algorithm} RAW ${sig.length}`);
          assert.equal(verify(spec, publicKey, algorithm, 'DIGEST', d, sig), false, `${algorithm} DIGEST ${sig.length}`);
        }
      }
    }
  });

  it('verify answers false for random bytes as a signature', () => {
    const { publicKey } = keyOf('ECC_NIST_P256');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (sig) => {
        assert.equal(verify('ECC_NIST_P256', publicKey, 'ECDSA_SHA_256', 'DIGEST', new Uint8Array(32), sig), false);
      }),
      { numRuns: 300 },
    );
  });
});
