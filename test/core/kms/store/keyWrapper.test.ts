import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { KeyWrapper, UnwrapError, aesGcmOpen, aesGcmSeal } from '../../../../core/kms/store/keyWrapper';

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
const ROOT = new Uint8Array(32).map((_, i) => i);
const STORE_ID = new Uint8Array(16).fill(0xaa);

// The GCM specification's AES-256 test case with AAD (McGrew and Viega, "The Galois/Counter Mode of Operation",
// test case 16).
const GCM_16 = {
  key: hex('feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308'),
  nonce: hex('cafebabefacedbaddecaf888'),
  plaintext: hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39'),
  aad: hex('feedfacedeadbeeffeedfacedeadbeefabaddad2'),
  sealed: hex(
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662' +
      '76fc6ece0f4e1768cddf8853bb2d551b',
  ),
};

describe('aesGcmSeal and aesGcmOpen', () => {
  it('match the GCM specification test case 16', () => {
    assert.deepEqual(new Uint8Array(aesGcmSeal(GCM_16.key, GCM_16.nonce, GCM_16.plaintext, GCM_16.aad)), GCM_16.sealed);
    assert.deepEqual(new Uint8Array(aesGcmOpen(GCM_16.key, GCM_16.nonce, GCM_16.sealed, GCM_16.aad)!), GCM_16.plaintext);
  });

  it('reject the test case with any single bit flipped, in ciphertext, tag or AAD', () => {
    for (let i = 0; i < GCM_16.sealed.length; i++) {
      const sealed = GCM_16.sealed.slice();
      sealed[i]! ^= 0x01;
      assert.equal(aesGcmOpen(GCM_16.key, GCM_16.nonce, sealed, GCM_16.aad), undefined, `byte ${i}`);
    }
    const aad = GCM_16.aad.slice();
    aad[0]! ^= 0x80;
    assert.equal(aesGcmOpen(GCM_16.key, GCM_16.nonce, GCM_16.sealed, aad), undefined);
    assert.equal(aesGcmOpen(GCM_16.key, GCM_16.nonce, GCM_16.sealed.subarray(0, 10), GCM_16.aad), undefined);
  });
});

describe('KeyWrapper', () => {
  it('derives a stable key check value (changing the derivation would orphan every existing store)', () => {
    // Cross-checked with `openssl kdf -keylen 16 -kdfopt digest:SHA256 -kdfopt hexkey:000102…1f
    // -kdfopt hexsalt:aa…aa -kdfopt info:kms-studio/store/key-check-value/v1 HKDF`.
    assert.equal(KeyWrapper.derive(ROOT, STORE_ID).keyCheckValue, 'R+UOnnmmaG+0dq9rEtATDw==');
  });

  it('derives different keys for another root key or another store', () => {
    const base = KeyWrapper.derive(ROOT, STORE_ID);
    const otherRoot = KeyWrapper.derive(new Uint8Array(32).fill(1), STORE_ID);
    const otherStore = KeyWrapper.derive(ROOT, new Uint8Array(16).fill(0xbb));
    assert.notEqual(otherRoot.keyCheckValue, base.keyCheckValue);
    assert.notEqual(otherStore.keyCheckValue, base.keyCheckValue);
    const blob = base.wrap(new Uint8Array([1, 2, 3]), 'aad');
    assert.throws(() => otherRoot.unwrap(blob, 'aad'), UnwrapError);
    assert.throws(() => otherStore.unwrap(blob, 'aad'), UnwrapError);
  });

  it('compares key check values', () => {
    const wrapper = KeyWrapper.derive(ROOT, STORE_ID);
    assert.equal(wrapper.matchesKeyCheckValue('R+UOnnmmaG+0dq9rEtATDw=='), true);
    assert.equal(wrapper.matchesKeyCheckValue('S+UOnnmmaG+0dq9rEtATDw=='), false);
    assert.equal(wrapper.matchesKeyCheckValue(''), false);
  });

  it('wraps with a fresh nonce each time and unwraps under the same AAD', () => {
    const wrapper = KeyWrapper.derive(ROOT, STORE_ID);
    const material = new Uint8Array(32).fill(7);
    const a = wrapper.wrap(material, 'key k1');
    const b = wrapper.wrap(material, 'key k1');
    assert.notEqual(a, b);
    assert.match(a, /^w1\.[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(wrapper.unwrap(a, 'key k1'), material);
    assert.deepEqual(wrapper.unwrap(b, new TextEncoder().encode('key k1')), material);
  });

  it('refuses a blob under another AAD, altered anywhere, or malformed', () => {
    const wrapper = KeyWrapper.derive(ROOT, STORE_ID);
    const blob = wrapper.wrap(new Uint8Array(32).fill(7), 'key k1');
    assert.throws(() => wrapper.unwrap(blob, 'key k2'), /does not authenticate/);
    const bytes = Buffer.from(blob.slice(3), 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i]! ^= 0x10;
      assert.throws(() => wrapper.unwrap('w1.' + altered.toString('base64'), 'key k1'), UnwrapError, `byte ${i}`);
    }
    const hostile = ['', 'w1.', 'w2.' + blob.slice(3), blob.slice(3), 'w1.***', 'w1.' + bytes.subarray(0, 27).toString('base64')];
    for (const text of hostile) assert.throws(() => wrapper.unwrap(text, 'key k1'), UnwrapError, JSON.stringify(text));
  });

  it('refuses a root key that is not 32 bytes', () => {
    assert.throws(() => KeyWrapper.derive(new Uint8Array(16), STORE_ID), RangeError);
  });
});
