import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKeySpec } from '../../../../core/catalog';
import {
  encryptionAlgorithmsFor,
  keyAgreementAlgorithmsFor,
  macAlgorithmsFor,
  signingAlgorithmsFor,
  isEccKeySpec,
  type AsymmetricKeySpec,
  type KeySpec,
} from '../../../../core/kms/crypto/algorithms';
import { parseEcPublicKey } from '../../../../core/kms/crypto/ecPublicKey';
import { CryptoError, InvalidKeyError, UnsupportedAlgorithmError } from '../../../../core/kms/crypto/errors';
import {
  generateDataKeyPair,
  generateKeyMaterial,
  generateKeyPair,
  generateSecretKey,
  keySpecOfPrivateKey,
  publicKeyFromPrivateKey,
} from '../../../../core/kms/crypto/keyMaterial';
import { repoRoot } from '../../../support/paths';

const ASYMMETRIC: AsymmetricKeySpec[] = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'];
const ALL: KeySpec[] = ['SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', ...ASYMMETRIC];
const NODE_CURVE = { ECC_NIST_P256: 'prime256v1', ECC_NIST_P384: 'secp384r1', ECC_NIST_P521: 'secp521r1', ECC_SECG_P256K1: 'secp256k1' } as const;
const RSA_BITS = { RSA_2048: 2048, RSA_3072: 3072, RSA_4096: 4096 } as const;

const pairs = new Map(ASYMMETRIC.map((spec) => [spec, generateKeyPair(spec)]));

describe('key material: secret keys', () => {
  it('SYMMETRIC_DEFAULT material is 32 random bytes', () => {
    const a = generateSecretKey('SYMMETRIC_DEFAULT');
    assert.equal(a.length, 32);
    assert.notDeepEqual(a, generateSecretKey('SYMMETRIC_DEFAULT'));
  });

  it('HMAC material is as long as the digest of its spec', () => {
    assert.deepEqual(
      (['HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'] as const).map((s) => generateSecretKey(s).length),
      [28, 32, 48, 64],
    );
  });
});

describe('key material: key pairs', () => {
  for (const spec of ASYMMETRIC) {
    it(`${spec}: the private key is PKCS#8 DER and the public key SubjectPublicKeyInfo DER of that spec`, () => {
      const { privateKey, publicKey } = pairs.get(spec)!;
      const priv = createPrivateKey({ key: Buffer.from(privateKey), format: 'der', type: 'pkcs8' });
      const pub = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
      if (spec.startsWith('RSA')) {
        assert.equal(priv.asymmetricKeyType, 'rsa');
        assert.equal(priv.asymmetricKeyDetails?.modulusLength, RSA_BITS[spec as keyof typeof RSA_BITS]);
        assert.equal(priv.asymmetricKeyDetails?.publicExponent, 65537n);
      } else {
        assert.equal(priv.asymmetricKeyDetails?.namedCurve, NODE_CURVE[spec as keyof typeof NODE_CURVE]);
      }
      assert.deepEqual(createPublicKey(priv).export({ format: 'der', type: 'spki' }), pub.export({ format: 'der', type: 'spki' }));
      assert.deepEqual(publicKeyFromPrivateKey(spec, privateKey), publicKey);
      assert.equal(keySpecOfPrivateKey(privateKey), spec);
    });
  }

  it('EC public keys come out with the curve named and the point uncompressed, the one form DeriveSharedSecret accepts', () => {
    for (const spec of ASYMMETRIC.filter(isEccKeySpec)) {
      const point = parseEcPublicKey(spec, pairs.get(spec)!.publicKey);
      assert.equal(point[0], 0x04);
    }
  });

  it('each call makes a new key pair', () => {
    assert.notDeepEqual(generateKeyPair('ECC_NIST_P256').privateKey, pairs.get('ECC_NIST_P256')!.privateKey);
  });

  it('GenerateDataKeyPair makes pairs of every KeyPairSpec', () => {
    for (const spec of ['RSA_2048', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'] as const) {
      const pair = generateDataKeyPair(spec);
      assert.equal(keySpecOfPrivateKey(pair.privateKey), spec);
      assert.deepEqual(publicKeyFromPrivateKey(spec, pair.privateKey), pair.publicKey);
    }
  });

  it('generateKeyMaterial gives a secret for symmetric and HMAC specs and a pair for the others', () => {
    for (const spec of ALL.filter((s) => s !== 'RSA_3072' && s !== 'RSA_4096')) {
      const m = generateKeyMaterial(spec);
      assert.equal(m.keySpec, spec);
      assert.equal('secret' in m, spec === 'SYMMETRIC_DEFAULT' || spec.startsWith('HMAC'), spec);
    }
  });

  it('a private key of one spec is refused under another', () => {
    const p256 = pairs.get('ECC_NIST_P256')!.privateKey;
    assert.throws(() => publicKeyFromPrivateKey('ECC_NIST_P384', p256), InvalidKeyError);
    assert.throws(() => publicKeyFromPrivateKey('RSA_2048', p256), InvalidKeyError);
    assert.throws(() => publicKeyFromPrivateKey('RSA_3072', pairs.get('RSA_2048')!.privateKey), InvalidKeyError);
  });
});

describe('key specs and algorithms agree with the catalog and the AWS API model', () => {
  const model = JSON.parse(readFileSync(join(repoRoot, 'core', 'kms', 'model', 'kms-api.json'), 'utf8')) as {
    shapes: Record<string, { enum?: string[] }>;
  };
  const enumOf = (shape: string) => new Set(model.shapes[shape]?.enum ?? []);

  it('every implemented key spec is an AWS KeySpec, with the usages the catalog gives it', () => {
    for (const spec of ALL) {
      assert.ok(enumOf('KeySpec').has(spec), spec);
      const usages = new Set(findKeySpec(spec)?.usages);
      assert.equal(signingAlgorithmsFor(spec).length > 0, usages.has('SIGN_VERIFY'), `${spec} SIGN_VERIFY`);
      assert.equal(encryptionAlgorithmsFor(spec).length > 0, usages.has('ENCRYPT_DECRYPT'), `${spec} ENCRYPT_DECRYPT`);
      assert.equal(macAlgorithmsFor(spec).length > 0, usages.has('GENERATE_VERIFY_MAC'), `${spec} GENERATE_VERIFY_MAC`);
      assert.equal(keyAgreementAlgorithmsFor(spec).length > 0, usages.has('KEY_AGREEMENT'), `${spec} KEY_AGREEMENT`);
    }
  });

  it('every algorithm named is in the AWS enum of its kind', () => {
    for (const spec of ALL) {
      for (const a of signingAlgorithmsFor(spec)) assert.ok(enumOf('SigningAlgorithmSpec').has(a), a);
      for (const a of encryptionAlgorithmsFor(spec)) assert.ok(enumOf('EncryptionAlgorithmSpec').has(a), a);
      for (const a of macAlgorithmsFor(spec)) assert.ok(enumOf('MacAlgorithmSpec').has(a), a);
      for (const a of keyAgreementAlgorithmsFor(spec)) assert.ok(enumOf('KeyAgreementAlgorithmSpec').has(a), a);
    }
  });

  it('each ECC spec signs with exactly the ECDSA hash of its curve, and each HMAC spec with its own MAC', () => {
    assert.deepEqual(signingAlgorithmsFor('ECC_NIST_P256'), ['ECDSA_SHA_256']);
    assert.deepEqual(signingAlgorithmsFor('ECC_NIST_P384'), ['ECDSA_SHA_384']);
    assert.deepEqual(signingAlgorithmsFor('ECC_NIST_P521'), ['ECDSA_SHA_512']);
    assert.deepEqual(signingAlgorithmsFor('ECC_SECG_P256K1'), ['ECDSA_SHA_256']);
    assert.deepEqual(keyAgreementAlgorithmsFor('ECC_SECG_P256K1'), []);
    assert.deepEqual(macAlgorithmsFor('HMAC_384'), ['HMAC_SHA_384']);
  });
});

describe('key material: hostile inputs', () => {
  const rows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['an unimplemented key spec (SM2)', () => generateKeyMaterial('SM2' as never), UnsupportedAlgorithmError],
    ['an unimplemented key spec (ML_DSA_65)', () => generateKeyPair('ML_DSA_65' as never), UnsupportedAlgorithmError],
    ['a lowercase key spec', () => generateKeyMaterial('symmetric_default' as never), UnsupportedAlgorithmError],
    ['a key spec named after an Object member', () => generateKeyMaterial('toString' as never), UnsupportedAlgorithmError],
    ['__proto__ as key spec', () => generateKeyPair('__proto__' as never), UnsupportedAlgorithmError],
    ['a number as key spec', () => generateSecretKey(256 as never), UnsupportedAlgorithmError],
    ['an asymmetric spec for a secret key', () => generateSecretKey('RSA_2048' as never), UnsupportedAlgorithmError],
    ['a secret spec for a key pair', () => generateDataKeyPair('HMAC_256' as never), UnsupportedAlgorithmError],
    ['an empty private key', () => keySpecOfPrivateKey(new Uint8Array(0)), InvalidKeyError],
    ['garbage DER as private key', () => keySpecOfPrivateKey(Uint8Array.of(0x30, 0x82, 0xff, 0xff, 1, 2, 3)), InvalidKeyError],
    ['a public key where a private key goes', () => keySpecOfPrivateKey(pairs.get('ECC_NIST_P256')!.publicKey), InvalidKeyError],
    ['a truncated private key', () => publicKeyFromPrivateKey('RSA_2048', pairs.get('RSA_2048')!.privateKey.subarray(0, 100)), InvalidKeyError],
    ['a 1 MB private key', () => publicKeyFromPrivateKey('RSA_2048', new Uint8Array(1 << 20)), InvalidKeyError],
    ['a string private key', () => publicKeyFromPrivateKey('RSA_2048', 'MIIE...' as never), InvalidKeyError],
    ['an Ed25519 private key', () => keySpecOfPrivateKey(Uint8Array.from(Buffer.from('302e020100300506032b657004220420' + '11'.repeat(32), 'hex'))), InvalidKeyError],
  ];
  for (const [what, run, error] of rows) {
    it(`refuses ${what} with ${error.name}`, () => assert.throws(run, error));
  }
});
