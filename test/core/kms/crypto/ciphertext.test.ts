import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  CIPHERTEXT_OVERHEAD,
  HEADER_BYTES,
  MESSAGES_PER_SEALING_KEY,
  openCiphertext,
  parseCiphertext,
  sealCiphertext,
  type ParsedCiphertext,
} from '../../../../core/kms/ciphertext';
import { nobleAesGcm, nodeAesGcm, type AesGcm } from '../../../../core/kms/crypto/aesGcm';
import { MessageKeys } from '../../../../core/kms/messageKeys';
import { AuthenticationError, CryptoError, InvalidInputError, InvalidKeyError, MalformedCiphertextError } from '../../../../core/kms/crypto/errors';
import type { EncryptionContext } from '../../../../core/kms/encryptionContext';

const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab';
const materialId = 'a'.repeat(60) + '0123';
const key = new Uint8Array(randomBytes(32));
const context: EncryptionContext = { purpose: 'test', department: 'payments' };
// Rest parameters rather than defaults: a default would turn an explicit `undefined` (no context) into the usual one.
function seal(plaintext: Uint8Array, ...ctx: [EncryptionContext | undefined] | []): Uint8Array {
  return sealCiphertext({ keyId, materialId, key, plaintext, encryptionContext: ctx.length ? ctx[0] : context });
}
function decrypt(blob: Uint8Array, ...rest: [EncryptionContext | undefined, Uint8Array?] | []): Uint8Array {
  return openCiphertext(parseCiphertext(blob), rest[1] ?? key, rest.length ? rest[0] : context);
}

/** Parsing and opening may only ever fail with one of the two errors the KMS maps to InvalidCiphertextException. */
function assertRejected(run: () => unknown, message?: string): void {
  assert.throws(run, (e: unknown) => e instanceof MalformedCiphertextError || e instanceof AuthenticationError, message);
}

describe('ciphertext blob: round trips and layout', () => {
  it('opens what it sealed, with the same encryption context', () => {
    const pt = new TextEncoder().encode('hello, KMS');
    assert.deepEqual(decrypt(seal(pt)), pt);
  });

  it('treats no encryption context and the empty one alike, as AWS does', () => {
    const pt = Uint8Array.of(1);
    assert.deepEqual(decrypt(seal(pt, undefined), {}), pt);
    assert.deepEqual(decrypt(seal(pt, {}), undefined), pt);
  });

  it('adds 94 bytes: a 4096-byte plaintext makes a 4190-byte blob, under the 6144-byte CiphertextBlob limit', () => {
    assert.equal(CIPHERTEXT_OVERHEAD, 94);
    const blob = seal(new Uint8Array(4096));
    assert.equal(blob.length, 4190);
    assert.ok(blob.length <= 6144);
  });

  it('the parsed blob names the key and the key material that sealed it', () => {
    const parsed = parseCiphertext(seal(Uint8Array.of(1)));
    assert.equal(parsed.version, 1);
    assert.equal(parsed.keyId, keyId);
    assert.equal(parsed.materialId, materialId);
    assert.equal(parsed.header.length, HEADER_BYTES);
  });

  it('carries multi-Region key IDs (mrk-) as well as UUIDs, and tells them apart', () => {
    const mrk = 'mrk-1234abcd12ab34cd56ef1234567890ab';
    const blob = sealCiphertext({ keyId: mrk, materialId, key, plaintext: Uint8Array.of(1) });
    assert.equal(parseCiphertext(blob).keyId, mrk);
    assert.deepEqual(openCiphertext(parseCiphertext(blob), key, undefined), Uint8Array.of(1));
    // The same 16 bytes under the other form byte is another key ID, and fails authentication.
    const asUuid = Uint8Array.from(blob, (b, i) => (i === 1 ? 0 : b));
    assert.equal(parseCiphertext(asUuid).keyId, '1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.throws(() => openCiphertext(parseCiphertext(asUuid), key, undefined), AuthenticationError);
  });

  it('each seal of the same plaintext is different (a random IV per message)', () => {
    const pt = Uint8Array.of(1, 2, 3);
    const [a, b] = [seal(pt), seal(pt)];
    assert.notDeepEqual(a.subarray(66, 78), b.subarray(66, 78));
    assert.notDeepEqual(a, b);
  });

  it('without kept message keys, seals each message under a salt of its own', () => {
    const salt = (blob: Uint8Array) => Buffer.from(blob.subarray(50, 66)).toString('hex');
    const pt = Uint8Array.of(1);
    assert.notEqual(salt(seal(pt)), salt(seal(pt)));
  });

  it('with kept message keys, draws a fresh salt, so a fresh message key, after messagesPerKey seals under one material', () => {
    const messagesPerKey = 1000;
    const messageKeys = new MessageKeys();
    const own = { keyId: randomUUID(), materialId: randomBytes(32).toString('hex'), key: new Uint8Array(randomBytes(32)), plaintext: Uint8Array.of(7), messagesPerKey, messageKeys };
    const salt = (blob: Uint8Array) => Buffer.from(blob.subarray(50, 66)).toString('hex');
    const first = sealCiphertext(own);
    let last = first;
    for (let i = 1; i < messagesPerKey; i++) last = sealCiphertext(own);
    assert.equal(salt(last), salt(first), 'the first messagesPerKey seals share one salt');
    const next = sealCiphertext(own);
    assert.notEqual(salt(next), salt(first));
    for (const blob of [first, last, next]) {
      assert.deepEqual(openCiphertext(parseCiphertext(blob), own.key, undefined), own.plaintext);
      assert.deepEqual(openCiphertext(parseCiphertext(blob), own.key, undefined, undefined, messageKeys), own.plaintext);
    }
    for (const bad of [0, MESSAGES_PER_SEALING_KEY + 1, 1.5, '10']) {
      assert.throws(() => sealCiphertext({ ...own, messagesPerKey: bad as number }), InvalidInputError);
    }
  });

  it('never seals or opens with a key derived from other material that carries the same key ID and material ID', () => {
    const messageKeys = new MessageKeys();
    const other = new Uint8Array(randomBytes(32));
    const pt = Uint8Array.of(1, 2, 3);
    const mine = sealCiphertext({ keyId, materialId, key, plaintext: pt, encryptionContext: context, messageKeys });
    const theirs = sealCiphertext({ keyId, materialId, key: other, plaintext: pt, encryptionContext: context, messageKeys });
    assert.deepEqual(openCiphertext(parseCiphertext(theirs), other, context, undefined, messageKeys), pt);
    assert.throws(() => openCiphertext(parseCiphertext(theirs), key, context, undefined, messageKeys), AuthenticationError);
    assert.throws(() => openCiphertext(parseCiphertext(mine), other, context, undefined, messageKeys), AuthenticationError);
    assert.deepEqual(openCiphertext(parseCiphertext(mine), key, context, undefined, messageKeys), pt);
  });

  it('hands an AES-GCM implementation not of this package a copy of a kept key, so wiping it harms nothing', () => {
    const messageKeys = new MessageKeys();
    const wiping: AesGcm = {
      name: 'wiping',
      seal(k, iv, p, aad) {
        const out = nobleAesGcm.seal(k, iv, p, aad);
        k.fill(0);
        return out;
      },
      open: (k, iv, s, aad) => nobleAesGcm.open(k, iv, s, aad),
    };
    const pt = Uint8Array.of(9, 9);
    const blobs = [0, 1, 2].map(() => sealCiphertext({ keyId, materialId, key, plaintext: pt, encryptionContext: context, messageKeys, aes: wiping }));
    for (const blob of blobs) assert.deepEqual(decrypt(blob), pt);
  });

  it('forgets and wipes what it derived from a key that was deleted', () => {
    const messageKeys = new MessageKeys();
    const own = { keyId: randomUUID(), materialId, key: new Uint8Array(randomBytes(32)), plaintext: Uint8Array.of(1), messageKeys };
    const salt = (blob: Uint8Array) => Buffer.from(blob.subarray(50, 66)).toString('hex');
    const before = sealCiphertext(own);
    assert.equal(salt(sealCiphertext(own)), salt(before));
    messageKeys.forgetKey(own.keyId);
    assert.notEqual(salt(sealCiphertext(own)), salt(before));
  });

  it('gives each blob bytes of its own: blobs kept from many seals all open, and changing one changes no other', () => {
    const bytes1 = new Uint8Array([1, 2, 3]);
    const plaintexts = Array.from({ length: 40 }, (_, i) => new Uint8Array(randomBytes(1 + ((i * 397) % 4096))));
    const blobs = plaintexts.map((pt) => seal(pt));
    const copies = blobs.map((b) => b.slice());
    blobs[7]!.fill(0xff);
    blobs.forEach((blob, i) => {
      assert.equal(blob.length, plaintexts[i]!.length + CIPHERTEXT_OVERHEAD);
      if (i === 7) assertRejected(() => decrypt(blob));
      else assert.deepEqual(decrypt(blob), plaintexts[i]);
      assert.deepEqual(decrypt(copies[i]!), plaintexts[i]);
    });
    // Handing one blob's buffer to another thread leaves the blobs that share it as they were.
    const [first, second] = [seal(bytes1), seal(bytes1)];
    structuredClone(first, { transfer: [first.buffer as ArrayBuffer] });
    assert.equal(second.length, bytes1.length + CIPHERTEXT_OVERHEAD);
    assert.deepEqual(decrypt(second), bytes1);
  });

  it('round-trips random plaintexts, contexts and key IDs, between both AES-GCM implementations', () => {
    const text = fc.string({ unit: 'binary', maxLength: 10 });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 4096 }), fc.dictionary(text, text, { maxKeys: 4 }), fc.boolean(), (pt, ctx, nobleFirst) => {
        const id = randomUUID();
        const [a, b] = nobleFirst ? [nobleAesGcm, nodeAesGcm!] : [nodeAesGcm!, nobleAesGcm];
        const blob = sealCiphertext({ keyId: id, materialId, key, plaintext: pt, encryptionContext: ctx, aes: a });
        const parsed = parseCiphertext(blob);
        assert.equal(parsed.keyId, id);
        assert.deepEqual(openCiphertext(parsed, key, ctx, b), pt);
      }),
      { numRuns: 100 },
    );
  });
});

describe('ciphertext blob: every change fails', () => {
  const pt = Uint8Array.of(7, 7, 7, 7);
  const blob = seal(pt);

  it('every single-byte change, at every position, header included, fails to open', () => {
    for (let i = 0; i < blob.length; i++) {
      for (const delta of [0x01, 0x80, 0xff]) {
        const bad = Uint8Array.from(blob);
        bad[i] ^= delta;
        assertRejected(() => decrypt(bad), `byte ${i} xor ${delta}`);
      }
    }
  });

  it('a changed version or key ID form is a malformed blob; a changed key ID, material ID, salt or IV fails authentication', () => {
    const at = (i: number, delta = 1) => {
      const bad = Uint8Array.from(blob);
      bad[i] ^= delta;
      return bad;
    };
    assert.throws(() => decrypt(at(0)), MalformedCiphertextError);
    assert.throws(() => decrypt(at(1, 2)), MalformedCiphertextError);
    // Form byte 0x01 still parses (as a multi-Region key ID) but names another key.
    for (const i of [1, 2, 17, 18, 49, 50, 65, 66, 77, 78, blob.length - 1]) assert.throws(() => decrypt(at(i)), AuthenticationError, `byte ${i}`);
  });

  it('every truncation and any extension fails', () => {
    for (let n = 0; n < blob.length; n++) assertRejected(() => decrypt(blob.subarray(0, n)), `${n} bytes`);
    assertRejected(() => decrypt(Uint8Array.from([...blob, 0])));
  });

  it('another encryption context fails: a changed value, an extra pair, a missing pair, none at all', () => {
    for (const other of [{ ...context, purpose: 'Test' }, { ...context, extra: '' }, { purpose: 'test' }, {}, undefined]) {
      assert.throws(() => decrypt(blob, other), AuthenticationError, JSON.stringify(other));
    }
  });

  it('another key fails, and so does the same key in another blob header', () => {
    assert.throws(() => decrypt(blob, context, new Uint8Array(randomBytes(32))), AuthenticationError);
    const other = sealCiphertext({ keyId: randomUUID(), materialId, key, plaintext: pt, encryptionContext: context });
    const spliced = Uint8Array.from([...other.subarray(0, 18), ...blob.subarray(18)]);
    assert.throws(() => decrypt(spliced), AuthenticationError);
  });

  it('random bytes never fail with anything but the two ciphertext errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4300 }), fc.boolean(), (bytes, asVersion1) => {
        // Half the cases get a valid version and key ID form, so they get past parsing and reach AES-GCM.
        if (asVersion1 && bytes.length > 1) {
          bytes[0] = 1;
          bytes[1] &= 1;
        }
        assertRejected(() => decrypt(bytes));
      }),
      { numRuns: 500 },
    );
  });
});

describe('ciphertext blob: hostile inputs', () => {
  const pt = Uint8Array.of(1);
  const good = { keyId, materialId, key, plaintext: pt, encryptionContext: context };
  const sealRows: Array<[string, unknown, new (...a: never[]) => CryptoError]> = [
    ['no input object', undefined, InvalidInputError],
    ['a key ID in uppercase', { ...good, keyId: keyId.toUpperCase() }, InvalidInputError],
    ['a key ARN as key ID', { ...good, keyId: `arn:aws:kms:us-east-1:111122223333:key/${keyId}` }, InvalidInputError],
    ['an alias as key ID', { ...good, keyId: 'alias/app' }, InvalidInputError],
    ['a key ID without dashes', { ...good, keyId: keyId.replace(/-/g, '') }, InvalidInputError],
    ['a multi-Region key ID in uppercase', { ...good, keyId: 'mrk-1234ABCD12AB34CD56EF1234567890AB' }, InvalidInputError],
    ['a multi-Region key ID one digit short', { ...good, keyId: 'mrk-1234abcd12ab34cd56ef1234567890a' }, InvalidInputError],
    ['a numeric key ID', { ...good, keyId: 5 }, InvalidInputError],
    ['a 63-character material ID', { ...good, materialId: materialId.slice(1) }, InvalidInputError],
    ['an uppercase material ID', { ...good, materialId: materialId.toUpperCase() }, InvalidInputError],
    ['a material ID with a non-hex character', { ...good, materialId: 'g' + materialId.slice(1) }, InvalidInputError],
    ['a 16-byte key', { ...good, key: new Uint8Array(16) }, InvalidKeyError],
    ['a string key', { ...good, key: 'k'.repeat(32) }, InvalidKeyError],
    ['an empty plaintext', { ...good, plaintext: new Uint8Array(0) }, InvalidInputError],
    ['a 4097-byte plaintext', { ...good, plaintext: new Uint8Array(4097) }, InvalidInputError],
    ['a 16 MB plaintext', { ...good, plaintext: new Uint8Array(1 << 24) }, InvalidInputError],
    ['a string plaintext', { ...good, plaintext: 'secret' }, InvalidInputError],
    ['an encryption context with a number', { ...good, encryptionContext: { a: 1 } }, InvalidInputError],
    ['an encryption context that is a list', { ...good, encryptionContext: ['a'] }, InvalidInputError],
    ['an aes option that is not an AesGcm', { ...good, aes: {} }, InvalidInputError],
  ];
  for (const [what, input, error] of sealRows) {
    it(`sealCiphertext refuses ${what} with ${error.name}`, () => assert.throws(() => sealCiphertext(input as never), error));
  }

  const parseRows: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['a base64 string', Buffer.from(seal(pt)).toString('base64')],
    ['an array of numbers', [...seal(pt)]],
    ['an empty blob', new Uint8Array(0)],
    ['a header alone', seal(pt).subarray(0, HEADER_BYTES)],
    ['6145 bytes', new Uint8Array(6145).fill(1)],
    ['a blob of version 2', Uint8Array.from(seal(pt), (b, i) => (i === 0 ? 2 : b))],
    ['a blob with an unknown key ID form', Uint8Array.from(seal(pt), (b, i) => (i === 1 ? 7 : b))],
  ];
  for (const [what, input] of parseRows) {
    it(`parseCiphertext refuses ${what} with MalformedCiphertextError`, () => assert.throws(() => parseCiphertext(input), MalformedCiphertextError));
  }

  const parsed = parseCiphertext(seal(pt));
  const openRows: Array<[string, () => unknown, new (...a: never[]) => CryptoError]> = [
    ['a parsed blob that parseCiphertext did not make', () => openCiphertext({ keyId, materialId } as unknown as ParsedCiphertext, key, context), MalformedCiphertextError],
    ['a parsed blob with a short header', () => openCiphertext({ ...parsed, header: parsed.header.subarray(1) }, key, context), MalformedCiphertextError],
    ['a parsed blob with a string for sealed bytes', () => openCiphertext({ ...parsed, sealed: 'x' as never }, key, context), MalformedCiphertextError],
    ['null as parsed blob', () => openCiphertext(null as never, key, context), MalformedCiphertextError],
    ['a 31-byte key', () => openCiphertext(parsed, new Uint8Array(31), context), InvalidKeyError],
    ['an encryption context that is a string', () => openCiphertext(parsed, key, 'purpose=test' as never), InvalidInputError],
    ['an aes option that is a string', () => openCiphertext(parsed, key, context, 'node' as never), InvalidInputError],
  ];
  for (const [what, run, error] of openRows) it(`openCiphertext refuses ${what} with ${error.name}`, () => assert.throws(run, error));

  it('a changed keyId in the parsed object does not change what opens: only the authenticated header counts', () => {
    assert.deepEqual(openCiphertext({ ...parsed, keyId: randomUUID() }, key, context), pt);
  });
});
