/**
 * The KMS's public-key cryptography against an independent implementation, node:crypto (OpenSSL), through the
 * endpoint: public keys from GetPublicKey verify KMS signatures; data encrypted locally with a KMS RSA public key
 * decrypts in KMS; ECDH in KMS and locally agree; key material wrapped locally for ImportKeyMaterial imports, and
 * what was imported is what was wrapped (the imported HMAC key computes the same MAC as node:crypto with it, the
 * imported EC private key signs for the local public key).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { constants, createCipheriv, createHash, createHmac, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import * as K from '@aws-sdk/client-kms';
import { startTestEndpoint } from '../core/wire/wireHelpers';

const spki = (der: Uint8Array | undefined): KeyObject => createPublicKey({ key: Buffer.from(der!), format: 'der', type: 'spki' });

async function kmsClient(): Promise<K.KMSClient> {
  return (await startTestEndpoint()).client();
}

async function createKey(kms: K.KMSClient, input: K.CreateKeyCommandInput): Promise<string> {
  return (await kms.send(new K.CreateKeyCommand(input))).KeyMetadata!.KeyId!;
}

describe('node:crypto verifies what KMS signs with the public key GetPublicKey gives', () => {
  const cases: Array<[K.KeySpec, K.SigningAlgorithmSpec, string, object]> = [
    ['RSA_2048', 'RSASSA_PSS_SHA_256', 'sha256', { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256', 'sha256', { padding: constants.RSA_PKCS1_PADDING }],
    ['ECC_NIST_P256', 'ECDSA_SHA_256', 'sha256', {}],
    ['ECC_NIST_P384', 'ECDSA_SHA_384', 'sha384', {}],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256', 'sha256', {}],
  ];
  for (const [keySpec, algorithm, hash, options] of cases) {
    it(`${keySpec} ${algorithm}: RAW and DIGEST messages; a changed message does not verify`, async () => {
      const kms = await kmsClient();
      const keyId = await createKey(kms, { KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' });
      const { PublicKey, SigningAlgorithms } = await kms.send(new K.GetPublicKeyCommand({ KeyId: keyId }));
      assert.ok(SigningAlgorithms?.includes(algorithm));
      const key = { key: spki(PublicKey), ...options };
      const message = Buffer.from(`signed in KMS with ${keySpec}`);
      const raw = await kms.send(new K.SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: algorithm }));
      assert.equal(verify(hash, message, key, Buffer.from(raw.Signature!)), true);
      assert.equal(verify(hash, Buffer.from('another message'), key, Buffer.from(raw.Signature!)), false);
      const digest = createHash(hash).update(message).digest();
      const ofDigest = await kms.send(new K.SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm }));
      assert.equal(verify(hash, message, key, Buffer.from(ofDigest.Signature!)), true);
    });
  }
});

describe('node:crypto encrypts for KMS with an RSA public key; KMS decrypts', () => {
  for (const [algorithm, oaepHash] of [['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']] as const) {
    it(`${algorithm}`, async () => {
      const kms = await kmsClient();
      const keyId = await createKey(kms, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
      const { PublicKey } = await kms.send(new K.GetPublicKeyCommand({ KeyId: keyId }));
      const plaintext = randomBytes(100);
      const ciphertext = publicEncrypt({ key: spki(PublicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext);
      const decrypted = await kms.send(new K.DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: algorithm }));
      assert.deepEqual(Buffer.from(decrypted.Plaintext!), plaintext);
      const other = algorithm === 'RSAES_OAEP_SHA_256' ? 'RSAES_OAEP_SHA_1' : 'RSAES_OAEP_SHA_256';
      await assert.rejects(kms.send(new K.DecryptCommand({ KeyId: keyId, CiphertextBlob: ciphertext, EncryptionAlgorithm: other })), K.InvalidCiphertextException);
    });
  }
});

describe('node:crypto and KMS agree on ECDH', () => {
  it('DeriveSharedSecret with a local public key equals node:crypto\'s ECDH with the KMS public key', async () => {
    const kms = await kmsClient();
    const keyId = await createKey(kms, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    const local = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { PublicKey } = await kms.send(new K.GetPublicKeyCommand({ KeyId: keyId }));
    const derived = await kms.send(new K.DeriveSharedSecretCommand({ KeyId: keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: local.publicKey.export({ format: 'der', type: 'spki' }) }));
    assert.deepEqual(Buffer.from(derived.SharedSecret!), diffieHellman({ privateKey: local.privateKey, publicKey: spki(PublicKey) }));
  });
});

/** RSA_AES_KEY_WRAP_SHA_256 as AWS describes it: OAEP-SHA-256(ephemeral AES-256 key) || AES-KWP(that key, material). */
function rsaAesKeyWrap(wrappingKey: KeyObject, material: Buffer): Buffer {
  const aesKey = randomBytes(32);
  const wrappedKey = publicEncrypt({ key: wrappingKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, aesKey);
  // RFC 5649 key wrap with padding; its alternative initial value A65959A6 is OpenSSL's IV for id-aes256-wrap-pad.
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([wrappedKey, kwp.update(material), kwp.final()]);
}

async function importInto(kms: K.KMSClient, keyId: string, algorithm: K.AlgorithmSpec, wrap: (key: KeyObject) => Buffer): Promise<void> {
  const parameters = await kms.send(new K.GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_2048' }));
  await kms.send(new K.ImportKeyMaterialCommand({ KeyId: keyId, ImportToken: parameters.ImportToken, EncryptedKeyMaterial: wrap(spki(parameters.PublicKey)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
}

describe('key material wrapped with node:crypto imports with ImportKeyMaterial', () => {
  for (const [algorithm, oaepHash] of [['RSAES_OAEP_SHA_256', 'sha256'], ['RSAES_OAEP_SHA_1', 'sha1']] as const) {
    it(`symmetric material, ${algorithm}: the key works, and only the same material imports again`, async () => {
      const kms = await kmsClient();
      const keyId = await createKey(kms, { Origin: 'EXTERNAL' });
      const material = randomBytes(32);
      const oaep = (bytes: Buffer) => (key: KeyObject) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, bytes);
      await importInto(kms, keyId, algorithm, oaep(material));
      const encrypted = await kms.send(new K.EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('under imported material') }));
      await kms.send(new K.DeleteImportedKeyMaterialCommand({ KeyId: keyId }));
      await assert.rejects(importInto(kms, keyId, algorithm, oaep(randomBytes(32))), K.IncorrectKeyMaterialException);
      await importInto(kms, keyId, algorithm, oaep(material));
      assert.equal(Buffer.from((await kms.send(new K.DecryptCommand({ CiphertextBlob: encrypted.CiphertextBlob }))).Plaintext!).toString(), 'under imported material');
    });
  }

  it('HMAC material, RSA_AES_KEY_WRAP_SHA_256: KMS computes the same MAC as node:crypto with that material', async () => {
    const kms = await kmsClient();
    const keyId = await createKey(kms, { Origin: 'EXTERNAL', KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const material = randomBytes(32);
    await importInto(kms, keyId, 'RSA_AES_KEY_WRAP_SHA_256', (key) => rsaAesKeyWrap(key, material));
    const message = Buffer.from('mac me');
    const { Mac } = await kms.send(new K.GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
    assert.deepEqual(Buffer.from(Mac!), createHmac('sha256', material).update(message).digest());
  });

  it('an EC private key, RSA_AES_KEY_WRAP_SHA_256: KMS signs for the local public key, and verifies local signatures', async () => {
    const kms = await kmsClient();
    const keyId = await createKey(kms, { Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const local = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await importInto(kms, keyId, 'RSA_AES_KEY_WRAP_SHA_256', (key) => rsaAesKeyWrap(key, local.privateKey.export({ format: 'der', type: 'pkcs8' })));
    assert.deepEqual(Buffer.from((await kms.send(new K.GetPublicKeyCommand({ KeyId: keyId }))).PublicKey!), local.publicKey.export({ format: 'der', type: 'spki' }));
    const message = Buffer.from('imported signer');
    const signed = await kms.send(new K.SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
    assert.equal(verify('sha256', message, local.publicKey, Buffer.from(signed.Signature!)), true);
    const localSignature = sign('sha256', message, local.privateKey);
    assert.equal((await kms.send(new K.VerifyCommand({ KeyId: keyId, Message: message, Signature: localSignature, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid, true);
  });
});
