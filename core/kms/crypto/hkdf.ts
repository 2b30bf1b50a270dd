/**
 * HKDF-SHA-256 (RFC 5869), used by core/kms/ciphertext.ts to derive a fresh AES key for every message. Two
 * implementations give the same bytes: one on node:crypto's HMAC, and @noble/hashes for runtimes without
 * node:crypto. Both run Project Wycheproof's hkdf_sha256 vectors in the tests, and are compared with node's
 * hkdfSync.
 *
 * Misuse to avoid: HKDF extracts entropy, it does not create it. A low-entropy input (a password) needs a slow
 * KDF instead. Distinct uses of one input key must differ in `info`, or they derive the same key.
 */
import { hkdf } from '@noble/hashes/hkdf';
import { sha256 } from '@noble/hashes/sha2';
import { checkBytes, plain } from './bytes';
import { InvalidInputError } from './errors';
import { optionalNodeCrypto } from './optionalNodeCrypto';

/** RFC 5869: at most 255 blocks of output. */
export const HKDF_SHA256_MAX_OUTPUT = 255 * 32;

/** Derives `length` bytes from input keying material, salt and info. */
export type HkdfSha256 = (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) => Uint8Array;

function checkArguments(ikm: unknown, salt: unknown, info: unknown, length: unknown): void {
  checkBytes('the input keying material', ikm);
  checkBytes('the HKDF salt', salt);
  // node's hkdfSync caps info at 1024 bytes; the same cap here keeps every implementation interchangeable.
  checkBytes('the HKDF info', info, 0, 1024);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_OUTPUT) {
    throw new InvalidInputError(`HKDF-SHA-256 output must be 1 to ${HKDF_SHA256_MAX_OUTPUT} bytes`);
  }
}

export const nobleHkdfSha256: HkdfSha256 = (ikm, salt, info, length) => {
  checkArguments(ikm, salt, info, length);
  return hkdf(sha256, ikm, salt, info, length);
};

const nodeCrypto = optionalNodeCrypto;
const HASH_BYTES = 32;
/** The counter byte of the first output block, T(1). */
const FIRST_BLOCK = Uint8Array.of(1);

/**
 * HKDF on node:crypto's HMAC, written out from RFC 5869 (extract, then expand block by block). node's own
 * hkdfSync gives the same bytes but sets up an OpenSSL KDF context per call, which costs more than the two HMACs
 * a 32-byte key needs; the per-message key of every Encrypt pays that.
 */
export const nodeHkdfSha256: HkdfSha256 | undefined = nodeCrypto
  ? (ikm, salt, info, length) => {
      checkArguments(ikm, salt, info, length);
      // An empty salt is HashLen zero bytes (RFC 5869, 2.2); HMAC pads any short key with zeros, so both agree.
      const prk = nodeCrypto.createHmac('sha256', salt).update(ikm).digest();
      if (length === HASH_BYTES) {
        // One block is the whole output (an AES-256 key, the usual ask): no output buffer to fill and copy.
        const block = nodeCrypto.createHmac('sha256', prk).update(info).update(FIRST_BLOCK).digest();
        prk.fill(0);
        return plain(block);
      }
      const out = new Uint8Array(length);
      let block: Uint8Array = new Uint8Array(0);
      for (let i = 1, offset = 0; offset < length; i++) {
        block = nodeCrypto.createHmac('sha256', prk).update(block).update(info).update(Uint8Array.of(i)).digest();
        out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
        offset += block.length;
      }
      prk.fill(0);
      return out;
    }
  : undefined;

/** node:crypto where available (it is several times faster per call), the portable one elsewhere. */
export const hkdfSha256: HkdfSha256 = nodeHkdfSha256 ?? nobleHkdfSha256;
