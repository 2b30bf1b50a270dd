/**
 * AES-256-GCM with a 96-bit IV and a 128-bit tag, behind one interface with two implementations: node:crypto
 * (OpenSSL, AES-NI) and @noble/ciphers (portable JavaScript). Both are tested against each other and against
 * Project Wycheproof's vectors, so either can stand in for the other.
 *
 * This is deliberately one profile of GCM, not GCM in general: other key sizes, IV lengths and tag lengths are
 * refused. IVs of any length other than 12 bytes go through GHASH and lose GCM's clean bounds, and a truncated tag
 * weakens authentication; the KMS needs neither.
 *
 * Misuse to avoid: never seal twice under one key with the same IV. A repeated IV reveals the XOR of the two
 * plaintexts and lets anyone forge tags under that key. Callers pick a fresh random IV per message, and keep the
 * number of messages under one key far below 2^32 (NIST SP 800-38D); core/kms/ciphertext.ts derives a fresh key
 * per message so that bound never comes near.
 */
import type * as NodeCrypto from 'node:crypto';
import { gcm } from '@noble/ciphers/aes';
import { checkBytes, plain } from './bytes';
import { AuthenticationError, InvalidInputError, InvalidKeyError } from './errors';
import { optionalNodeCrypto } from './optionalNodeCrypto';

export const AES_256_KEY_BYTES = 32;
export const GCM_IV_BYTES = 12;
export const GCM_TAG_BYTES = 16;

export interface AesGcm {
  /** Which implementation this is, for benchmarks and error reports. */
  readonly name: string;
  /** Returns ciphertext || tag (plaintext.length + 16 bytes). */
  seal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /**
   * Takes ciphertext || tag and returns the plaintext. Throws AuthenticationError when anything differs from what
   * was sealed: key, IV, AAD, ciphertext or tag. No plaintext is returned, not even partially, on failure.
   */
  open(key: Uint8Array, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array;
  /**
   * Optional: seal as `seal` does, writing ciphertext || tag into `out` at `offset` (which has room for
   * plaintext.length + 16 bytes) instead of returning a new array, so a caller building a larger message saves a
   * copy. Callers fall back to `seal` where it is absent.
   */
  sealInto?(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): void;
}

function checkArguments(key: unknown, iv: unknown, data: unknown, aad: unknown, dataName: string): void {
  checkBytes('an AES-256 key', key, AES_256_KEY_BYTES, AES_256_KEY_BYTES, InvalidKeyError);
  checkBytes('a GCM IV', iv, GCM_IV_BYTES, GCM_IV_BYTES);
  checkBytes(dataName, data);
  checkBytes('the additional authenticated data', aad);
}

/** The portable implementation: pure JavaScript, for runtimes without node:crypto (browsers, workers). */
export const nobleAesGcm: AesGcm = {
  name: '@noble/ciphers',
  seal(key, iv, plaintext, aad) {
    checkArguments(key, iv, plaintext, aad, 'the plaintext');
    return gcm(key, iv, aad).encrypt(plaintext);
  },
  open(key, iv, sealed, aad) {
    checkArguments(key, iv, sealed, aad, 'the sealed data');
    if (sealed.length < GCM_TAG_BYTES) throw new AuthenticationError();
    try {
      return gcm(key, iv, aad).decrypt(sealed);
    } catch {
      throw new AuthenticationError();
    }
  },
};

/** Builds the node:crypto implementation around a loaded module; exported only through `nodeAesGcm`. */
function nodeImplementation(crypto: typeof NodeCrypto): AesGcm {
  const sealInto = (key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, out: Uint8Array, offset: number): void => {
    checkArguments(key, iv, plaintext, aad, 'the plaintext');
    if (!(out instanceof Uint8Array) || !Number.isInteger(offset) || offset < 0 || offset + plaintext.length + GCM_TAG_BYTES > out.length) {
      throw new InvalidInputError('the output has no room for the sealed data at that offset');
    }
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
    cipher.setAAD(aad);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    out.set(head, offset);
    out.set(tail, offset + head.length);
    out.set(cipher.getAuthTag(), offset + head.length + tail.length);
  };
  return {
    name: 'node:crypto',
    seal(key, iv, plaintext, aad) {
      const out = new Uint8Array((plaintext instanceof Uint8Array ? plaintext.length : 0) + GCM_TAG_BYTES);
      sealInto(key, iv, plaintext, aad, out, 0);
      return out;
    },
    sealInto,
    open(key, iv, sealed, aad) {
      checkArguments(key, iv, sealed, aad, 'the sealed data');
      if (sealed.length < GCM_TAG_BYTES) throw new AuthenticationError();
      const split = sealed.length - GCM_TAG_BYTES;
      // authTagLength pins the tag to 16 bytes: without it node accepts a truncated tag passed to setAuthTag.
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(sealed.subarray(split));
      const head = decipher.update(sealed.subarray(0, split));
      try {
        const tail = decipher.final();
        return plain(tail.length === 0 ? head : Buffer.concat([head, tail]));
      } catch {
        // GCM decrypts before it checks the tag: wipe what it produced so no unauthenticated plaintext lingers.
        head.fill(0);
        throw new AuthenticationError();
      }
    },
  };
}

/** The node:crypto implementation, or undefined where node:crypto is not available. */
export const nodeAesGcm: AesGcm | undefined = optionalNodeCrypto ? nodeImplementation(optionalNodeCrypto) : undefined;

/**
 * The implementation to use when the caller has no reason to choose: node:crypto where it exists, because OpenSSL
 * uses the CPU's AES and carry-less multiply instructions and is many times faster on 4 KB messages (see
 * bench/kms.bench.ts); the portable one elsewhere, which gives the same bytes, only slower.
 */
export const defaultAesGcm: AesGcm = nodeAesGcm ?? nobleAesGcm;
