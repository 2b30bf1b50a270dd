/**
 * Wrapping of key material under the host's root key, so no key material is ever written to the store in the
 * clear.
 *
 * The root key is never used directly: HKDF-SHA256 derives, with the store's random ID as salt, one key that wraps
 * material and one key check value (KCV) kept in the store's header. Salting with the store ID means two stores
 * under the same root key have unrelated wrapping keys, so a blob cannot be carried from one store to another
 * either. The KCV is an HKDF output, not an encryption of a known value, so it reveals nothing usable about the
 * wrapping key; it exists only to tell "wrong root key" apart from "damaged file".
 *
 * A blob is `w1.` + base64(nonce(12) || ciphertext || tag(16)) under AES-256-GCM with a fresh random nonce. With
 * one wrapping key per store and a few wraps per key, random 96-bit nonces stay far below the 2^32 messages NIST
 * SP 800-38D allows per key. The AAD is chosen by the caller and must name the record the blob belongs to; a blob
 * opened under any other AAD fails authentication.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

export const ROOT_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const BLOB_PREFIX = 'w1.';
const WRAPPING_KEY_INFO = 'kms-studio/store/material-wrapping-key/v1';
const KEY_CHECK_VALUE_INFO = 'kms-studio/store/key-check-value/v1';

/** A blob that is malformed or does not authenticate under the wrapping key and the AAD given. */
export class UnwrapError extends Error {
  override readonly name = 'UnwrapError';
}

/** AES-256-GCM seal: returns ciphertext || tag. Kept behind this function so another AES-GCM can replace node's. */
export function aesGcmSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** AES-256-GCM open of ciphertext || tag; undefined when the tag does not verify. */
export function aesGcmOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | undefined {
  if (sealed.length < TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([plaintext, decipher.final()]);
  } catch {
    plaintext.fill(0);
    return undefined;
  }
}

function toBytes(aad: string | Uint8Array): Uint8Array {
  return typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad;
}

function derive(rootKey: Uint8Array, salt: Uint8Array, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', rootKey, salt, info, length));
}

export class KeyWrapper {
  private constructor(
    private readonly wrappingKey: Buffer,
    /** Base64 of the key check value, as written in the store header. */
    readonly keyCheckValue: string,
  ) {}

  /** Derives the store's wrapping key and key check value from the root key and the store's ID. */
  static derive(rootKey: Uint8Array, storeId: Uint8Array): KeyWrapper {
    if (rootKey.length !== ROOT_KEY_BYTES) throw new RangeError(`A root key is ${ROOT_KEY_BYTES} bytes, got ${rootKey.length}`);
    if (storeId.length < 16) throw new RangeError('A store ID is at least 16 bytes');
    return new KeyWrapper(
      derive(rootKey, storeId, WRAPPING_KEY_INFO, 32),
      derive(rootKey, storeId, KEY_CHECK_VALUE_INFO, 16).toString('base64'),
    );
  }

  /** Constant-time comparison with the key check value read from a store header. */
  matchesKeyCheckValue(stored: string): boolean {
    const a = Buffer.from(this.keyCheckValue, 'base64');
    const b = Buffer.from(stored, 'base64');
    return a.length === b.length && timingSafeEqual(a, b);
  }

  wrap(plaintext: Uint8Array, aad: string | Uint8Array): string {
    const nonce = randomBytes(NONCE_BYTES);
    const sealed = aesGcmSeal(this.wrappingKey, nonce, plaintext, toBytes(aad));
    return BLOB_PREFIX + Buffer.concat([nonce, sealed]).toString('base64');
  }

  /** Throws UnwrapError when the blob is malformed, was wrapped under another AAD, or was altered. */
  unwrap(blob: string, aad: string | Uint8Array): Uint8Array {
    if (typeof blob !== 'string' || !blob.startsWith(BLOB_PREFIX)) throw new UnwrapError(`not a wrapped blob (expected the prefix "${BLOB_PREFIX}")`);
    const body = blob.slice(BLOB_PREFIX.length);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) throw new UnwrapError('the wrapped blob is not base64');
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new UnwrapError('the wrapped blob is truncated');
    const plaintext = aesGcmOpen(this.wrappingKey, bytes.subarray(0, NONCE_BYTES), bytes.subarray(NONCE_BYTES), toBytes(aad));
    if (!plaintext) throw new UnwrapError('the wrapped blob does not authenticate (altered, or moved from another record)');
    // A copy of its own: a small Buffer may be a view into node's shared pool, which must not leak via `.buffer`.
    const own = new Uint8Array(plaintext);
    plaintext.fill(0);
    return own;
  }
}
