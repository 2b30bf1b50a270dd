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

function utf8(s: string, what: string): Uint8Array {
  if (!isWellFormed(s)) throw new InvalidInputError(`the encryption context ${what} is not valid Unicode (it has an unpaired surrogate)`);
  return encoder.encode(s);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Reads the pairs of an encryption context, refusing anything that is not a plain object of own, enumerable,
 * string-valued data properties. Accessors are refused without being called, so a hostile object cannot run code
 * or answer differently on a second read.
 */
function pairsOf(context: unknown): Array<[Uint8Array, Uint8Array]> {
  try {
    return readPairs(context);
  } catch (e) {
    // A Proxy's traps can throw anything; the caller is promised InvalidInputError.
    if (e instanceof InvalidInputError) throw e;
    throw new InvalidInputError('the encryption context could not be read as a map of strings');
  }
}

function readPairs(context: unknown): Array<[Uint8Array, Uint8Array]> {
  if (context === undefined || context === null) return [];
  if (typeof context !== 'object' || Array.isArray(context)) throw new InvalidInputError('the encryption context must be a map of strings to strings');
  const proto = Object.getPrototypeOf(context) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new InvalidInputError('the encryption context must be a plain object');
  if (Object.getOwnPropertySymbols(context).length > 0) throw new InvalidInputError('the encryption context must have only string keys');
  const pairs: Array<[Uint8Array, Uint8Array]> = [];
  for (const key of Object.getOwnPropertyNames(context)) {
    const d = Object.getOwnPropertyDescriptor(context, key)!;
    if (!d.enumerable) throw new InvalidInputError('the encryption context must have only enumerable properties');
    if (!('value' in d) || typeof d.value !== 'string') throw new InvalidInputError('every encryption context value must be a string');
    pairs.push([utf8(key, 'key'), utf8(d.value, 'value')]);
  }
  return pairs.sort((a, b) => compareBytes(a[0], b[0]));
}

/**
 * The canonical encoding of `context` (undefined and {} both encode as the empty context). Throws
 * InvalidInputError for anything that is not a map of well-formed strings.
 */
export function encodeEncryptionContext(context: EncryptionContext | undefined): Uint8Array {
  const pairs = pairsOf(context);
  let length = 4;
  for (const [k, v] of pairs) length += 8 + k.length + v.length;
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  view.setUint32(0, pairs.length, false);
  let offset = 4;
  for (const [k, v] of pairs) {
    view.setUint32(offset, k.length, false);
    out.set(k, offset + 4);
    offset += 4 + k.length;
    view.setUint32(offset, v.length, false);
    out.set(v, offset + 4);
    offset += 4 + v.length;
  }
  return out;
}
