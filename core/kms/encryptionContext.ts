/**
 * The canonical byte encoding of an encryption context, which core/kms/ciphertext.ts binds into every ciphertext
 * as authenticated data. AWS treats the context as an unordered map of strings: Decrypt succeeds only with
 * exactly the pairs Encrypt was given, in any order. So the encoding must be
 *
 * - independent of insertion order: pairs are sorted by the UTF-8 bytes of their keys (keys are unique);
 * - injective: every key and value carries its length, so {"ab": "c"} and {"a": "bc"}, or a value that
 *   contains what looks like a separator, never encode alike;
 * - defined for the empty context: it encodes to the four bytes 00 00 00 00.
 *
 * Layout, all integers unsigned 32-bit big-endian:
 *
 *   count || ( keyLength || key || valueLength || value ) * count
 *
 * Strings are UTF-8. A string with an unpaired surrogate (possible in JavaScript and in JSON's \uD800 escapes)
 * has no UTF-8 form: TextEncoder would turn it into U+FFFD and make two different contexts encode alike, so such
 * strings are refused instead.
 *
 * Changing this encoding changes the AAD of every stored ciphertext and makes them all undecryptable: a new
 * encoding needs a new ciphertext format version.
 */
import { InvalidInputError } from './crypto/errors';

/** Encrypt's EncryptionContext: a map of string keys to string values. */
export type EncryptionContext = Readonly<Record<string, string>>;

const encoder = new TextEncoder();
/** Matches a lone surrogate: in a `u` regex a well-formed pair is one code point and does not match \p{Cs}. */
const LONE_SURROGATE = /\p{Cs}/u;
/** String.prototype.isWellFormed (ES2024, in Node 20) where present: the same test, several times faster. */
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Reads the pairs of an encryption context, refusing anything that is not a plain object of own, enumerable,
 * string-valued data properties. Accessors are refused without being called, so a hostile object cannot run code
 * or answer differently on a second read. Returns the keys and values as strings, in the object's key order.
 */
function pairsOf(context: unknown): string[] {
  try {
    return readPairs(context);
  } catch (e) {
    // A Proxy's traps can throw anything; the caller is promised InvalidInputError.
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError('the encryption context could not be read as a map of strings');
  }
}

/** Keys and values alternating: [key0, value0, key1, value1, ...]. */
function readPairs(context: unknown): string[] {
  if (context === undefined || context === null) return [];
  if (typeof context !== 'object' || Array.isArray(context)) throw new InvalidInputError('the encryption context must be a map of strings to strings');
  const proto = Object.getPrototypeOf(context) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new InvalidInputError('the encryption context must be a plain object');
  if (Object.getOwnPropertySymbols(context).length > 0) throw new InvalidInputError('the encryption context must have only string keys');
  const strings: string[] = [];
  for (const key of Object.getOwnPropertyNames(context)) {
    const d = Object.getOwnPropertyDescriptor(context, key)!;
    if (!d.enumerable) throw new InvalidInputError('the encryption context must have only enumerable properties');
    if (!('value' in d) || typeof d.value !== 'string') throw new InvalidInputError('every encryption context value must be a string');
    // Checked in the order the UTF-8 encoding used to check them, so the first bad string is the one named.
    checkWellFormed(key, 'key');
    checkWellFormed(d.value, 'value');
    strings.push(key, d.value);
  }
  return strings;
}

function checkWellFormed(s: string, what: string): void {
  if (!isWellFormed(s)) throw new InvalidInputError(`the encryption context ${what} is not valid Unicode (it has an unpaired surrogate)`);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The encoding's length for pairs of ASCII strings (one byte per character). */
function asciiLength(strings: readonly string[]): number {
  let length = 4;
  for (const s of strings) length += 4 + s.length;
  return length;
}

function writeUint32(out: Uint8Array, offset: number, n: number): void {
  out[offset] = n >>> 24;
  out[offset + 1] = (n >>> 16) & 0xff;
  out[offset + 2] = (n >>> 8) & 0xff;
  out[offset + 3] = n & 0xff;
}

/**
 * Writes the encoding at `offset` of `out`, which has room for it. Every string is ASCII here: its UTF-8 bytes are
 * its character codes, and ordering keys as strings is ordering them by their UTF-8 bytes.
 */
function writeAscii(out: Uint8Array, offset: number, strings: readonly string[]): void {
  const order: number[] = [];
  for (let i = 0; i < strings.length; i += 2) order.push(i);
  order.sort((a, b) => (strings[a]! < strings[b]! ? -1 : strings[a]! > strings[b]! ? 1 : 0));
  writeUint32(out, offset, order.length);
  offset += 4;
  for (const i of order) {
    offset = writeAsciiString(out, offset, strings[i]!);
    offset = writeAsciiString(out, offset, strings[i + 1]!);
  }
}

/** Writes the length and characters of `s`; returns the offset after them. */
function writeAsciiString(out: Uint8Array, offset: number, s: string): number {
  writeUint32(out, offset, s.length);
  offset += 4;
  for (let j = 0; j < s.length; j++) out[offset + j] = s.charCodeAt(j);
  return offset + s.length;
}

/** The general case: any well-formed strings, as UTF-8, pairs sorted by the bytes of their keys. */
function encodeUtf8(prefix: Uint8Array, strings: readonly string[]): Uint8Array {
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < strings.length; i += 2) pairs.push([encoder.encode(strings[i]!), encoder.encode(strings[i + 1]!)]);
  pairs.sort((a, b) => compareBytes(a[0], b[0]));
  let length = prefix.length + 4;
  for (const [k, v] of pairs) length += 8 + k.length + v.length;
  const out = new Uint8Array(length);
  out.set(prefix, 0);
  let offset = prefix.length;
  writeUint32(out, offset, pairs.length);
  offset += 4;
  for (const [k, v] of pairs) {
    writeUint32(out, offset, k.length);
    out.set(k, offset + 4);
    offset += 4 + k.length;
    writeUint32(out, offset, v.length);
    out.set(v, offset + 4);
    offset += 4 + v.length;
  }
  return out;
}

const NO_PREFIX = new Uint8Array(0);

/**
 * `prefix` followed by the canonical encoding of `context`, in one array: the ciphertext format's AAD is the blob
 * header followed by the encoding, and building it in place saves a copy. Throws as encodeEncryptionContext does.
 * With `scratch`, an ASCII encoding that fits is written into it and a view of it returned: the caller must be
 * done with that view before the next call that is given the same scratch.
 */
export function encodeEncryptionContextAfter(prefix: Uint8Array, context: EncryptionContext | undefined, scratch?: Uint8Array): Uint8Array {
  const strings = pairsOf(context);
  // Contexts are almost always ASCII (names, IDs, ARNs): those skip TextEncoder, which costs more than the
  // copying itself for strings this short. Both paths give the same bytes.
  if (strings.every(isAscii)) {
    const length = prefix.length + asciiLength(strings);
    // A scratch array the caller owns, when the encoding fits: a fresh array per call costs a backing store the
    // collector must track, for bytes used once.
    const out = scratch && length <= scratch.length ? scratch.subarray(0, length) : new Uint8Array(length);
    out.set(prefix, 0);
    writeAscii(out, prefix.length, strings);
    return out;
  }
  return encodeUtf8(prefix, strings);
}

/**
 * The canonical encoding of `context` (undefined and {} both encode as the empty context). Throws
 * InvalidInputError for anything that is not a map of well-formed strings.
 */
export function encodeEncryptionContext(context: EncryptionContext | undefined): Uint8Array {
  return encodeEncryptionContextAfter(NO_PREFIX, context);
}
