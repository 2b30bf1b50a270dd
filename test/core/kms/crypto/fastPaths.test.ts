/**
 * The shortcuts the ciphertext format takes on its hot path give the same bytes as the general code: the ASCII
 * encoding of an encryption context, node's sealInto, the single-block HKDF, the kept header prefixes.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { openCiphertext, parseCiphertext, sealCiphertext } from '../../../../core/kms/ciphertext';
import { nobleAesGcm, nodeAesGcm } from '../../../../core/kms/crypto/aesGcm';
import { toHex } from '../../../../core/kms/crypto/bytes';
import { InvalidInputError } from '../../../../core/kms/crypto/errors';
import { nodeHkdfSha256 } from '../../../../core/kms/crypto/hkdf';
import { encodeEncryptionContext, encodeEncryptionContextAfter } from '../../../../core/kms/encryptionContext';

/** The encoding as its description in encryptionContext.ts gives it, through TextEncoder: the reference. */
function reference(context: Record<string, string>): Uint8Array {
  const utf8 = new TextEncoder();
  const pairs = Object.entries(context).map(([k, v]) => [utf8.encode(k), utf8.encode(v)] as const);
  pairs.sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  parts.push(u32(pairs.length));
  for (const [k, v] of pairs) parts.push(u32(k.length), Buffer.from(k), u32(v.length), Buffer.from(v));
  return new Uint8Array(Buffer.concat(parts));
}

describe('encryption context encoding: ASCII and UTF-8 paths', () => {
  it('gives the reference bytes for ASCII contexts, mixed ones, and after a prefix', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 12 });
    const any = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(fc.dictionary(ascii, ascii, { maxKeys: 6 }), fc.dictionary(any, any, { maxKeys: 3 }), fc.uint8Array({ maxLength: 8 }), (a, b, prefix) => {
        for (const context of [a, b, { ...a, ...b }]) {
          const plain = Object.fromEntries(Object.entries(context));
          assert.deepEqual(encodeEncryptionContext(plain), reference(plain));
          assert.deepEqual(encodeEncryptionContextAfter(prefix, plain), new Uint8Array([...prefix, ...reference(plain)]));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a lone surrogate in a key or a value on either path', () => {
    for (const context of [{ ['\uD800']: 'v' }, { k: '\uDFFF' }, { a: 'b', ['x\uD800']: 'v' }] as Record<string, string>[]) {
      assert.throws(() => encodeEncryptionContext(context), InvalidInputError);
    }
  });
});

describe('AES-GCM sealInto', () => {
  it('writes exactly what seal returns, where it is told', () => {
    const key = new Uint8Array(randomBytes(32));
    const iv = new Uint8Array(randomBytes(12));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.uint8Array({ maxLength: 40 }), fc.nat(20), (plaintext, aad, offset) => {
        const out = new Uint8Array(offset + plaintext.length + 16 + 3).fill(0xee);
        nodeAesGcm!.sealInto!(key, iv, plaintext, aad, out, offset);
        const sealed = nodeAesGcm!.seal(key, iv, plaintext, aad);
        assert.deepEqual(out.subarray(offset, offset + sealed.length), sealed);
        assert.deepEqual(sealed, nobleAesGcm.seal(key, iv, plaintext, aad));
        assert.ok(out.subarray(0, offset).every((b) => b === 0xee) && out.subarray(offset + sealed.length).every((b) => b === 0xee));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses an output without room for the sealed data', () => {
    const key = new Uint8Array(32);
    const iv = new Uint8Array(12);
    assert.throws(() => nodeAesGcm!.sealInto!(key, iv, new Uint8Array(10), new Uint8Array(0), new Uint8Array(25), 0), InvalidInputError);
    assert.throws(() => nodeAesGcm!.sealInto!(key, iv, new Uint8Array(10), new Uint8Array(0), new Uint8Array(40), 15), InvalidInputError);
    assert.throws(() => nodeAesGcm!.sealInto!(key, iv, new Uint8Array(10), new Uint8Array(0), new Uint8Array(40), -1), InvalidInputError);
  });
});

describe('HKDF-SHA-256: the one-block output', () => {
  it('matches node:crypto hkdfSync and comes back as a plain Uint8Array', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 100 }), (ikm, salt, info) => {
        const ours = nodeHkdfSha256!(ikm, salt, info, 32);
        assert.equal(ours.constructor, Uint8Array);
        assert.deepEqual(ours, new Uint8Array(hkdfSync('sha256', ikm, salt, info, 32)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('ciphertext: header prefixes kept per key and material', () => {
  it('seals and opens under more key and material IDs than it keeps, each blob naming its own', () => {
    const key = new Uint8Array(randomBytes(32));
    for (let i = 0; i < 600; i++) {
      const keyId = i % 2 === 0 ? randomUUID() : `mrk-${toHex(new Uint8Array(randomBytes(16)))}`;
      const materialId = toHex(new Uint8Array(randomBytes(32)));
      const blob = sealCiphertext({ keyId, materialId, key, plaintext: Uint8Array.of(i & 0xff), encryptionContext: { i: String(i) } });
      const parsed = parseCiphertext(blob);
      assert.equal(parsed.keyId, keyId);
      assert.equal(parsed.materialId, materialId);
      assert.deepEqual(openCiphertext(parsed, key, { i: String(i) }), Uint8Array.of(i & 0xff));
    }
  });

  it('a key ID or material ID refused once is refused every time', () => {
    const key = new Uint8Array(32);
    for (let i = 0; i < 2; i++) {
      assert.throws(() => sealCiphertext({ keyId: 'not-a-key', materialId: 'ab'.repeat(32), key, plaintext: Uint8Array.of(1) }), InvalidInputError);
      assert.throws(() => sealCiphertext({ keyId: randomUUID(), materialId: 'AB'.repeat(32), key, plaintext: Uint8Array.of(1) }), InvalidInputError);
    }
  });
});
