/**
 * Byte helpers shared by the crypto modules. Every public entry point checks its arguments with these before any
 * primitive sees them, so a string, a number or a detached buffer becomes a typed error instead of whatever the
 * underlying library happens to throw.
 */
import { CryptoError, InvalidInputError } from './errors';

type ErrorClass = new (message: string) => CryptoError;

/**
 * Checks that `value` is a Uint8Array (a Buffer is one) whose length lies in [min, max]; throws `error` naming
 * `what` otherwise. Returns the value typed, for chaining.
 */
export function checkBytes(
  what: string,
  value: unknown,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
  error: ErrorClass = InvalidInputError,
): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new error(`${what} must be bytes (a Uint8Array)`);
  if (value.length < min || value.length > max) {
    const range = min === max ? `${min}` : max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `${min} to ${max}`;
    throw new error(`${what} must be ${range} bytes long, got ${value.length}`);
  }
  return value;
}

/** A plain Uint8Array view of the same memory, so results compare equal whether node returned a Buffer or not. */
export function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Equality in time that depends only on the lengths, not on where the first difference is. Use it for every
 * comparison of a secret-derived value (tags, MACs, re-encoded signatures): `===` on bytes leaks the position.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The two lowercase hex digits of each byte value, so toHex does one lookup per byte. */
const HEX_PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX_PAIRS[bytes[i]!]!;
  return s;
}

/** Parses lowercase hex of an exact length; undefined for anything else (uppercase included, so one value has one spelling). */
export function fromLowerHex(hex: string, bytes: number): Uint8Array | undefined {
  if (hex.length !== bytes * 2) return undefined;
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) {
    const hi = nibble(hex.charCodeAt(2 * i));
    const lo = nibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** The value of a lowercase hex digit's char code, or -1. */
function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}
