/**
 * The ciphertext blob of SYMMETRIC_DEFAULT keys (Encrypt's CiphertextBlob, GenerateDataKey's, ReEncrypt's):
 * format version 1.
 *
 *   offset  bytes   field
 *        0      1   version, 0x01. Any other value is refused; a future format takes the next number.
 *        1      1   key ID form: 0x00 for a UUID key ID (1234abcd-12ab-34cd-56ef-1234567890ab), 0x01 for a
 *                   multi-Region key ID (mrk- and 32 hex digits). Any other value is refused.
 *        2     16   key ID: the 128 bits of the KeyId, as 16 raw bytes.
 *       18     32   key material ID: AWS's KeyMaterialId (64 lowercase hex characters) as 32 raw bytes. It names
 *                   which material of the key sealed the blob, so Decrypt keeps working after rotation.
 *       50     16   salt: random, the HKDF salt of this message's key.
 *       66     12   IV: random.
 *       78   n+16   AES-256-GCM ciphertext of the n-byte plaintext (1 to 4096 bytes), then the 16-byte tag.
 *
 * Bytes 0 to 77 are the header; the overhead is 94 bytes, so a 4096-byte plaintext makes a 4190-byte blob, under
 * AWS's 6144-byte CiphertextBlob limit.
 *
 * Messages are sealed under a key derived from the key material and the salt in the header:
 *
 *   messageKey = HKDF-SHA-256(ikm = key material, salt, info = "kms-studio/ciphertext/v1" || header[0..50), 32)
 *
 * and AES-256-GCM runs with AAD = header || encodeEncryptionContext(context). A derived key seals at most
 * MESSAGES_PER_SEALING_KEY messages (a KMS keeps it in its MessageKeys; without one, a key seals one message),
 * each with its own random IV, before a fresh salt is drawn: so however much one KMS key encrypts, no GCM key
 * comes near NIST SP 800-38D's bound for random IVs (with 2^20 messages per key the chance of any IV repeating is
 * under 2^-57, where the standard asks for under 2^-32). The header in the AAD means
 * every byte of the blob is authenticated: change the key ID,
 * the material ID, the salt, the IV, the ciphertext or the tag, or decrypt with another encryption context, and
 * opening fails with AuthenticationError.
 *
 * The KMS layer parses first (parseCiphertext) to learn which key and material to fetch, checks the key ID
 * against the request's (IncorrectKeyException), then opens (openCiphertext). Both failures, MalformedCiphertextError
 * and AuthenticationError, are AWS's InvalidCiphertextException.
 */
// Web Crypto's generator (crypto.getRandomValues), for runtimes without node:crypto: present in browsers too.
import { randomBytes } from '@noble/hashes/utils';
import { defaultAesGcm, GCM_IV_BYTES, GCM_TAG_BYTES, nobleAesGcm, nodeAesGcm, type AesGcm } from './crypto/aesGcm';
import { checkBytes, fromLowerHex, toHex } from './crypto/bytes';
import { AuthenticationError, CryptoError, InvalidInputError, InvalidKeyError, MalformedCiphertextError } from './crypto/errors';
import { hkdfSha256 } from './crypto/hkdf';
import { optionalNodeCrypto } from './crypto/optionalNodeCrypto';
import { encodeEncryptionContextAfter, type EncryptionContext } from './encryptionContext';
import type { MessageKeys } from './messageKeys';

export const CIPHERTEXT_VERSION = 1;
export const KEY_ID_BYTES = 16;
export const MATERIAL_ID_BYTES = 32;
export const SALT_BYTES = 16;
export const HEADER_BYTES = 2 + KEY_ID_BYTES + MATERIAL_ID_BYTES + SALT_BYTES + GCM_IV_BYTES;
export const CIPHERTEXT_OVERHEAD = HEADER_BYTES + GCM_TAG_BYTES;
/** Encrypt's plaintext limit; GenerateDataKey's 1024-byte keys and data key pairs' private keys fit under it. */
export const MAX_PLAINTEXT_BYTES = 4096;
export const KEY_BYTES = 32;

const KEY_ID_OFFSET = 2;
const MATERIAL_ID_OFFSET = KEY_ID_OFFSET + KEY_ID_BYTES;
const SALT_OFFSET = MATERIAL_ID_OFFSET + MATERIAL_ID_BYTES;
const IV_OFFSET = SALT_OFFSET + SALT_BYTES;
const KDF_LABEL = new TextEncoder().encode('kms-studio/ciphertext/v1');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MULTI_REGION = /^mrk-[0-9a-f]{32}$/;
const KEY_ID_FORM_UUID = 0x00;
const KEY_ID_FORM_MULTI_REGION = 0x01;

export interface SealCiphertextInput {
  /** The KMS key's ID as CreateKey makes them: a lowercase UUID, or mrk- and 32 lowercase hex digits. */
  keyId: string;
  /** The KeyMaterialId of the material used: 64 lowercase hex characters. */
  materialId: string;
  /** The key material: 32 bytes. */
  key: Uint8Array;
  /** 1 to 4096 bytes. */
  plaintext: Uint8Array;
  encryptionContext?: EncryptionContext;
  /** The AES-GCM implementation; defaults to node:crypto's where available. */
  aes?: AesGcm;
  /**
   * Where derived keys are kept between calls (a KMS keeps one); without it each message gets a key derived for it
   * alone, under its own salt.
   */
  messageKeys?: MessageKeys;
  /** With messageKeys: seal at most this many messages under one derived key (1 to MESSAGES_PER_SEALING_KEY, the default). */
  messagesPerKey?: number;
}

/** A blob whose structure has been checked; nothing in it is authenticated until openCiphertext succeeds. */
export interface ParsedCiphertext {
  readonly version: number;
  /** Untrusted until opened: use it to find the key, never to decide access on its own. */
  readonly keyId: string;
  /** Untrusted until opened: use it to find the key material. */
  readonly materialId: string;
  /** The 78 header bytes, exactly as they appeared in the blob. */
  readonly header: Uint8Array;
  /** Ciphertext || tag. */
  readonly sealed: Uint8Array;
}

/** The key ID form byte and the 16 bytes of a key ID, written at `offset` of `out`. */
function writeKeyId(keyId: unknown, out: Uint8Array, offset: number): void {
  let form: number;
  let hex: string;
  if (typeof keyId === 'string' && UUID.test(keyId)) {
    form = KEY_ID_FORM_UUID;
    hex = keyId.replace(/-/g, '');
  } else if (typeof keyId === 'string' && MULTI_REGION.test(keyId)) {
    form = KEY_ID_FORM_MULTI_REGION;
    hex = keyId.slice(4);
  } else {
    throw new InvalidInputError('the key ID must be a lowercase UUID, or mrk- and 32 lowercase hex digits');
  }
  out[offset] = form;
  out.set(fromLowerHex(hex, KEY_ID_BYTES)!, offset + 1);
}

/** The key ID string of a form byte and 16 bytes; undefined for an unknown form. */
function keyIdString(form: number, bytes: Uint8Array): string | undefined {
  const h = toHex(bytes);
  if (form === KEY_ID_FORM_UUID) return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  if (form === KEY_ID_FORM_MULTI_REGION) return `mrk-${h}`;
  return undefined;
}

function materialIdBytes(materialId: unknown): Uint8Array {
  const bytes = typeof materialId === 'string' ? fromLowerHex(materialId, MATERIAL_ID_BYTES) : undefined;
  if (!bytes) throw new InvalidInputError('the key material ID must be 64 lowercase hex characters');
  return bytes;
}

function checkAes(aes: unknown): AesGcm {
  const a = aes as Partial<AesGcm> | null;
  if (typeof a !== 'object' || a === null || typeof a.seal !== 'function' || typeof a.open !== 'function') {
    throw new InvalidInputError('aes must be an AesGcm implementation');
  }
  return a as AesGcm;
}

/** Where the header's fixed part (version, key ID, material ID) starts in the HKDF info. */
const INFO_HEADER_OFFSET = KDF_LABEL.length;

/**
 * The HKDF info of a key ID and material ID: the label, then header bytes 0 to 49, which depend on nothing else.
 * The same bytes are the start of every header sealed under that material, so they are made once and kept:
 * checking and decoding the IDs per message costs more than the copy. Only IDs that passed the checks get here.
 */
const infoCache = new Map<string, Uint8Array>();
const INFO_CACHE_SIZE = 256;

function infoFor(keyId: unknown, materialId: unknown): Uint8Array {
  const name = typeof keyId === 'string' && typeof materialId === 'string' ? `${keyId} ${materialId}` : undefined;
  const cached = name !== undefined ? infoCache.get(name) : undefined;
  if (cached) return cached;
  const info = new Uint8Array(INFO_HEADER_OFFSET + SALT_OFFSET);
  info.set(KDF_LABEL, 0);
  info[INFO_HEADER_OFFSET] = CIPHERTEXT_VERSION;
  writeKeyId(keyId, info, INFO_HEADER_OFFSET + 1);
  info.set(materialIdBytes(materialId), INFO_HEADER_OFFSET + MATERIAL_ID_OFFSET);
  if (infoCache.size >= INFO_CACHE_SIZE) infoCache.clear();
  infoCache.set(name!, info);
  return info;
}

/** The HKDF info of a parsed header: the label, then header bytes 0 to 49. */
function infoOf(header: Uint8Array): Uint8Array {
  const info = new Uint8Array(INFO_HEADER_OFFSET + SALT_OFFSET);
  info.set(KDF_LABEL, 0);
  info.set(header.subarray(0, SALT_OFFSET), INFO_HEADER_OFFSET);
  return info;
}

function messageKey(key: Uint8Array, salt: Uint8Array, info: Uint8Array): Uint8Array {
  return hkdfSha256(key, salt, info, KEY_BYTES);
}

/** How many messages one derived key seals at most, each with its own random IV (see the format notes above). */
export const MESSAGES_PER_SEALING_KEY = 2 ** 20;

/** The AES-GCM implementations of this package: they copy the key they are given and never change it. */
const OWN_AES: ReadonlySet<AesGcm> = new Set([defaultAesGcm, nobleAesGcm, ...(nodeAesGcm ? [nodeAesGcm] : [])]);

/** A kept key handed to an AES-GCM implementation not of this package: a copy, which it may wipe or change. */
function keyFor(aes: AesGcm, key: Uint8Array): Uint8Array {
  return OWN_AES.has(aes) ? key : key.slice();
}

function newSalt(): Uint8Array {
  const salt = new Uint8Array(SALT_BYTES);
  writeRandom(salt, 0, SALT_BYTES);
  return salt;
}

function messagesPerKey(limit: unknown): number {
  if (limit === undefined) return MESSAGES_PER_SEALING_KEY;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MESSAGES_PER_SEALING_KEY) {
    throw new InvalidInputError(`messagesPerKey must be an integer from 1 to ${MESSAGES_PER_SEALING_KEY}`);
  }
  return limit;
}

/**
 * Where the AAD (header and encoded encryption context) of one seal or open is written: it is used only while
 * that call runs, synchronously, so one array serves every call. Larger contexts get an array of their own.
 */
const aadScratch = new Uint8Array(4096);

/**
 * Salts and IVs come from a pool filled a few kilobytes at a time: a call into the generator costs about as much
 * for 28 bytes as for 4 KB. Each byte is handed out once and then cleared from the pool. Salt and IV are public
 * (they are in the header), so the pool holds nothing secret; what matters is only that they are unpredictable
 * and never repeat, which the generator's output guarantees however it is sliced.
 *
 * A pool is only ever used by the process that filled it: were this module's memory carried into another process
 * (a V8 startup snapshot), both would otherwise hand out the same salts and IVs under the same key material.
 */
const RANDOM_POOL_BYTES = 4096;
const randomPool = new Uint8Array(RANDOM_POOL_BYTES);
let randomPoolUsed = RANDOM_POOL_BYTES;
let randomPoolOwner: number | undefined;
const fillRandom: (bytes: Uint8Array) => void = optionalNodeCrypto
  ? (bytes) => {
      optionalNodeCrypto!.randomFillSync(bytes);
    }
  : (bytes) => bytes.set(randomBytes(bytes.length));

function currentProcess(): number | undefined {
  return typeof process === 'object' && process !== null ? process.pid : undefined;
}

function writeRandom(out: Uint8Array, offset: number, length: number): void {
  const owner = currentProcess();
  if (randomPoolUsed + length > RANDOM_POOL_BYTES || owner !== randomPoolOwner) {
    fillRandom(randomPool);
    randomPoolUsed = 0;
    randomPoolOwner = owner;
  }
  const taken = randomPool.subarray(randomPoolUsed, randomPoolUsed + length);
  out.set(taken, offset);
  taken.fill(0);
  randomPoolUsed += length;
}

/**
 * Blobs are cut from shared slabs of 16 KB, as node:buffer cuts small Buffers from its pool: an array of its own
 * per blob costs a backing store to allocate, zero, track and free that takes longer than the header, the context
 * encoding and the key lookup together (2 to 5 µs for 4 KB here). A blob is a view of its own bytes in the slab
 * (byteOffset and byteLength say where; `.buffer` is the slab); the slab's other bytes are zeros or other sealed
 * blobs, and callers that seal a blob only to wrap it (an external key store's) wipe it once wrapped. As
 * node:buffer does with its pool, slabs are marked untransferable, so handing one blob's buffer to a worker cannot
 * detach the others. A slab lives as long as any blob cut from it.
 */
const SLAB_BYTES = 16 * 1024;
let slab = new Uint8Array(0);
let slabUsed = 0;

/** node:worker_threads' markAsUntransferable where the runtime has it. */
const markAsUntransferable: (value: object) => void = (() => {
  try {
    return (require('node:worker_threads') as typeof import('node:worker_threads')).markAsUntransferable;
  } catch {
    return () => undefined;
  }
})();

function newBlob(length: number): Uint8Array {
  if (slabUsed + length > slab.length) {
    slab = new Uint8Array(SLAB_BYTES);
    markAsUntransferable(slab.buffer);
    slabUsed = 0;
  }
  const blob = slab.subarray(slabUsed, slabUsed + length);
  // The next blob starts on an 8-byte boundary, as node:buffer's pool aligns its Buffers.
  slabUsed += (length + 7) & ~7;
  return blob;
}

/** Encrypts under a SYMMETRIC_DEFAULT key and returns the version 1 blob. */
export function sealCiphertext(input: SealCiphertextInput): Uint8Array {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('sealCiphertext takes an object');
  const { keyId, materialId, key, plaintext, encryptionContext } = input;
  const aes = checkAes(input.aes ?? defaultAesGcm);
  const info = infoFor(keyId, materialId);
  checkBytes('the key material', key, KEY_BYTES, KEY_BYTES, InvalidKeyError);
  checkBytes('the plaintext', plaintext, 1, MAX_PLAINTEXT_BYTES);
  const limit = messagesPerKey(input.messagesPerKey);
  // The blob is built in place: the header, then the sealed plaintext and tag after it.
  const blob = newBlob(HEADER_BYTES + plaintext.length + GCM_TAG_BYTES);
  blob.set(info.subarray(INFO_HEADER_OFFSET), 0);
  const derive = (material: Uint8Array, salt: Uint8Array) => messageKey(material, salt, info);
  const kept = input.messageKeys;
  const sealing = kept ? kept.sealingKey(keyId as string, `${keyId as string} ${materialId as string}`, key, limit, newSalt, derive) : undefined;
  const salt = sealing ? sealing.salt : newSalt();
  const k = sealing ? keyFor(aes, sealing.key) : derive(key, salt);
  blob.set(salt, SALT_OFFSET);
  writeRandom(blob, IV_OFFSET, GCM_IV_BYTES);
  const header = blob.subarray(0, HEADER_BYTES);
  const aad = encodeEncryptionContextAfter(header, encryptionContext, aadScratch);
  const iv = header.subarray(IV_OFFSET);
  try {
    if (aes.sealInto) aes.sealInto(k, iv, plaintext, aad, blob, HEADER_BYTES);
    else blob.set(aes.seal(k, iv, plaintext, aad), HEADER_BYTES);
    return blob;
  } finally {
    // A key derived for this message alone, or a copy of a kept one, is done with.
    if (k !== sealing?.key) k.fill(0);
  }
}

/**
 * Checks a blob's structure and splits it. Throws MalformedCiphertextError for anything that is not a version 1
 * blob of a possible length; never anything else.
 */
export function parseCiphertext(blob: unknown): ParsedCiphertext {
  if (!(blob instanceof Uint8Array)) throw new MalformedCiphertextError('the ciphertext must be bytes');
  if (blob.length < CIPHERTEXT_OVERHEAD + 1 || blob.length > CIPHERTEXT_OVERHEAD + MAX_PLAINTEXT_BYTES) {
    throw new MalformedCiphertextError('the ciphertext has an impossible length');
  }
  if (blob[0] !== CIPHERTEXT_VERSION) throw new MalformedCiphertextError('the ciphertext is not of a known format version');
  // Copies, so a caller reusing the blob's buffer cannot change what is opened after it was checked.
  const header = blob.slice(0, HEADER_BYTES);
  const keyId = keyIdString(header[1]!, header.subarray(KEY_ID_OFFSET, MATERIAL_ID_OFFSET));
  if (keyId === undefined) throw new MalformedCiphertextError('the ciphertext names its key in an unknown form');
  return {
    version: CIPHERTEXT_VERSION,
    keyId,
    materialId: toHex(header.subarray(MATERIAL_ID_OFFSET, SALT_OFFSET)),
    header,
    sealed: blob.slice(HEADER_BYTES),
  };
}

/**
 * Decrypts a parsed blob with its key material and the encryption context given to Decrypt. Throws
 * AuthenticationError when anything differs from what was sealed, InvalidKeyError for key material that is not
 * 32 bytes, InvalidInputError for an encryption context that is not a map of strings, and
 * MalformedCiphertextError for a `parsed` that parseCiphertext did not produce.
 */
export function openCiphertext(parsed: ParsedCiphertext, key: Uint8Array, encryptionContext?: EncryptionContext, aes: AesGcm = defaultAesGcm, messageKeys?: MessageKeys): Uint8Array {
  const { header, sealed } = checkParsed(parsed);
  checkAes(aes);
  checkBytes('the key material', key, KEY_BYTES, KEY_BYTES, InvalidKeyError);
  const aad = encodeEncryptionContextAfter(header, encryptionContext, aadScratch);
  const salt = header.subarray(SALT_OFFSET, IV_OFFSET);
  const derive = (material: Uint8Array, s: Uint8Array) => messageKey(material, s, infoOf(header));
  const keptKey = messageKeys?.openingKey(parsed.keyId, toHex(header.subarray(1, IV_OFFSET)), key, salt, derive);
  const k = keptKey ? keyFor(aes, keptKey) : derive(key, salt);
  try {
    return aes.open(k, header.subarray(IV_OFFSET), sealed, aad);
  } catch (e) {
    if (e instanceof CryptoError) throw e;
    throw new AuthenticationError();
  } finally {
    if (k !== keptKey) k.fill(0);
  }
}

function checkParsed(parsed: unknown): { header: Uint8Array; sealed: Uint8Array } {
  const p = parsed as Partial<ParsedCiphertext> | null;
  const header = typeof p === 'object' && p !== null ? p.header : undefined;
  const sealed = typeof p === 'object' && p !== null ? p.sealed : undefined;
  if (
    !(header instanceof Uint8Array) ||
    header.length !== HEADER_BYTES ||
    header[0] !== CIPHERTEXT_VERSION ||
    !(sealed instanceof Uint8Array) ||
    sealed.length < GCM_TAG_BYTES + 1 ||
    sealed.length > GCM_TAG_BYTES + MAX_PLAINTEXT_BYTES
  ) {
    throw new MalformedCiphertextError('not a parsed ciphertext');
  }
  return { header, sealed };
}
