import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, createPublicKey, diffieHellman, createPrivateKey, generateKeyPairSync, verify as nodeVerify } from 'node:crypto';
import { ROOT, bytes, harness, rejectsWith } from './helpers';

describe('Sign and Verify', () => {
  it('signs RAW messages and DIGESTs alike, and GetPublicKey verifies outside the KMS', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT);
    const KeyId = KeyMetadata.KeyId;
    const message = bytes('pay 10 to bob');
    const s = await kms.sign({ KeyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT);
    assert.equal(s.KeyId, KeyMetadata.Arn);
    const digest = new Uint8Array(createHash('sha256').update(message).digest());
    const v = await kms.verify({ KeyId, Message: digest, MessageType: 'DIGEST', Signature: s.Signature, SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT);
    assert.deepEqual(v, { KeyId: KeyMetadata.Arn, SignatureValid: true, SigningAlgorithm: 'ECDSA_SHA_256' });
    const pub = await kms.getPublicKey({ KeyId }, ROOT);
    assert.deepEqual([pub.KeySpec, pub.KeyUsage, pub.SigningAlgorithms], ['ECC_NIST_P256', 'SIGN_VERIFY', ['ECDSA_SHA_256']]);
    const key = createPublicKey({ key: Buffer.from(pub.PublicKey), format: 'der', type: 'spki' });
    assert.equal(nodeVerify('sha256', message, key, s.Signature), true);
  });

  it('answers a signature that does not verify with KMSInvalidSignatureException, never SignatureValid false', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }, ROOT);
    const KeyId = KeyMetadata.KeyId;
    const s = await kms.sign({ KeyId, Message: bytes('m'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, ROOT);
    await kms.verify({ KeyId, Message: bytes('m'), Signature: s.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, ROOT);
    await rejectsWith(kms.verify({ KeyId, Message: bytes('M'), Signature: s.Signature, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, ROOT), 'KMSInvalidSignatureException', '');
    await rejectsWith(kms.verify({ KeyId, Message: bytes('m'), Signature: s.Signature, SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }, ROOT), 'KMSInvalidSignatureException', '');
  });

  it('refuses algorithms the key spec does not have, digests of the wrong length, and keys of another usage', async () => {
    const { kms } = harness();
    const ecc = (await kms.createKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata;
    const sym = (await kms.createKey({}, ROOT)).KeyMetadata;
    await rejectsWith(kms.sign({ KeyId: ecc.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT), 'InvalidKeyUsageException', 'Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_P384.');
    await rejectsWith(kms.sign({ KeyId: ecc.KeyId, Message: new Uint8Array(32), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_384' }, ROOT), 'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_384.');
    await rejectsWith(kms.sign({ KeyId: sym.KeyId, Message: bytes('m'), SigningAlgorithm: 'ECDSA_SHA_256' }, ROOT), 'InvalidKeyUsageException', `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`);
    await rejectsWith(kms.getPublicKey({ KeyId: sym.KeyId }, ROOT), 'UnsupportedOperationException');
  });
});

describe('GenerateMac and VerifyMac', () => {
  it('makes and checks HMACs; a wrong MAC is KMSInvalidMacException', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, ROOT);
    const KeyId = KeyMetadata.KeyId;
    const g = await kms.generateMac({ KeyId, Message: bytes('hello'), MacAlgorithm: 'HMAC_SHA_256' }, ROOT);
    assert.equal(g.Mac.length, 32);
    assert.deepEqual(await kms.verifyMac({ KeyId, Message: bytes('hello'), Mac: g.Mac, MacAlgorithm: 'HMAC_SHA_256' }, ROOT), { KeyId: KeyMetadata.Arn, MacValid: true, MacAlgorithm: 'HMAC_SHA_256' });
    const bad = g.Mac.slice();
    bad[0]! ^= 1;
    await rejectsWith(kms.verifyMac({ KeyId, Message: bytes('hello'), Mac: bad, MacAlgorithm: 'HMAC_SHA_256' }, ROOT), 'KMSInvalidMacException', '');
    await rejectsWith(kms.verifyMac({ KeyId, Message: bytes('hello'), Mac: g.Mac.slice(0, 16), MacAlgorithm: 'HMAC_SHA_256' }, ROOT), 'KMSInvalidMacException', '');
    await rejectsWith(kms.generateMac({ KeyId, Message: bytes('hello'), MacAlgorithm: 'HMAC_SHA_512' }, ROOT), 'InvalidKeyUsageException', 'Algorithm HMAC_SHA_512 is incompatible with key spec HMAC_256.');
  });
});

describe('DeriveSharedSecret', () => {
  it('agrees on the same ECDH secret as the peer computes with the key\'s public key', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' }, ROOT);
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const r = await kms.deriveSharedSecret({ KeyId: KeyMetadata.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' })) }, ROOT);
    const ours = (await kms.getPublicKey({ KeyId: KeyMetadata.KeyId }, ROOT)).PublicKey;
    const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: createPublicKey({ key: Buffer.from(ours), format: 'der', type: 'spki' }) });
    assert.deepEqual(Buffer.from(r.SharedSecret), expected);
    assert.deepEqual([r.KeyId, r.KeyAgreementAlgorithm, r.KeyOrigin], [KeyMetadata.Arn, 'ECDH', 'AWS_KMS']);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    await rejectsWith(kms.deriveSharedSecret({ KeyId: KeyMetadata.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(p384.publicKey.export({ format: 'der', type: 'spki' })) }, ROOT), 'ValidationException');
    const signing = (await kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata;
    await rejectsWith(kms.deriveSharedSecret({ KeyId: signing.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: new Uint8Array(peer.publicKey.export({ format: 'der', type: 'spki' })) }, ROOT), 'InvalidKeyUsageException', `${signing.Arn} key usage is SIGN_VERIFY which is not valid for DeriveSharedSecret.`);
  });
});

describe('GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext', () => {
  it('returns a key pair whose private key is also encrypted under the symmetric key', async () => {
    const { kms } = harness();
    const { KeyMetadata } = await kms.createKey({}, ROOT);
    const p = await kms.generateDataKeyPair({ KeyId: KeyMetadata.KeyId, KeyPairSpec: 'ECC_NIST_P256', EncryptionContext: { use: 'signing' } }, ROOT);
    assert.equal(p.KeyPairSpec, 'ECC_NIST_P256');
    const decrypted = await kms.decrypt({ CiphertextBlob: p.PrivateKeyCiphertextBlob, EncryptionContext: { use: 'signing' } }, ROOT);
    assert.deepEqual(decrypted.Plaintext, p.PrivateKeyPlaintext);
    const fromPrivate = createPublicKey(createPrivateKey({ key: Buffer.from(p.PrivateKeyPlaintext), format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
    assert.deepEqual(Buffer.from(p.PublicKey), fromPrivate);

    const w = await kms.generateDataKeyPairWithoutPlaintext({ KeyId: KeyMetadata.KeyId, KeyPairSpec: 'RSA_2048' }, ROOT);
    assert.equal('PrivateKeyPlaintext' in w, false);
    const rsaPrivate = (await kms.decrypt({ CiphertextBlob: w.PrivateKeyCiphertextBlob }, ROOT)).Plaintext;
    assert.equal(createPrivateKey({ key: Buffer.from(rsaPrivate), format: 'der', type: 'pkcs8' }).asymmetricKeyDetails?.modulusLength, 2048);
    await rejectsWith(kms.generateDataKeyPair({ KeyId: KeyMetadata.KeyId, KeyPairSpec: 'SM2' }, ROOT), 'UnsupportedOperationException');
  });
});
