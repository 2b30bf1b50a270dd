/**
 * GenerateMac and VerifyMac with HMAC keys (RFC 2104) on @noble/hashes. Each HMAC key spec supports exactly one
 * MAC algorithm: HMAC_224 with HMAC_SHA_224, and so on; any other pairing is refused, as AWS refuses it.
 *
 * Tags are always full length (28, 32, 48 or 64 bytes). VerifyMac compares the whole tag in constant time; a
 * shorter tag, even a correct prefix, does not verify. Accepting prefixes would let a caller choose how many bits
 * of forgery resistance to check, down to none.
 */
import { hmac } from '@noble/hashes/hmac';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2';
import { MAC_ALGORITHM_OF, MAC_HASH, describeValue, isHmacKeySpec, isMacAlgorithm, requireKeySpec, type HmacKeySpec, type MacAlgorithmSpec } from './algorithms';
import { checkBytes, constantTimeEqual } from './bytes';
import { InvalidKeyError, UnsupportedAlgorithmError } from './errors';

/** GenerateMac's Message limit (PlaintextType). */
export const MAX_MAC_MESSAGE_BYTES = 4096;
/**
 * HMAC hashes a key longer than the hash's block down to a digest first, so a key above 128 bytes (the SHA-512
 * block) adds nothing; such keys, and empty ones, are refused as malformed material. Generated keys are exactly
 * the digest length (see keyMaterial.ts).
 */
export const MAX_HMAC_KEY_BYTES = 128;

const HASHES = { sha224, sha256, sha384, sha512 } as const;

function check(keySpec: unknown, key: unknown, algorithm: unknown, message: unknown): { key: Uint8Array; algorithm: MacAlgorithmSpec; message: Uint8Array } {
  const spec = requireKeySpec(keySpec, isHmacKeySpec, 'an HMAC key spec');
  if (!isMacAlgorithm(algorithm)) throw new UnsupportedAlgorithmError(`${describeValue(algorithm)} is not a MAC algorithm`);
  if (MAC_ALGORITHM_OF[spec] !== algorithm) throw new UnsupportedAlgorithmError(`${algorithm} is not supported by ${spec} keys`);
  return {
    key: checkBytes(`${spec} key material`, key, 1, MAX_HMAC_KEY_BYTES, InvalidKeyError),
    algorithm,
    message: checkBytes('the message', message, 1, MAX_MAC_MESSAGE_BYTES),
  };
}

/** The full-length HMAC tag of `message`. */
export function generateMac(keySpec: HmacKeySpec, key: Uint8Array, algorithm: MacAlgorithmSpec, message: Uint8Array): Uint8Array {
  const c = check(keySpec, key, algorithm, message);
  return hmac(HASHES[MAC_HASH[c.algorithm] as keyof typeof HASHES], c.key, c.message);
}

/** True only when `mac` is the full-length tag of `message`; compared in constant time. */
export function verifyMac(keySpec: HmacKeySpec, key: Uint8Array, algorithm: MacAlgorithmSpec, message: Uint8Array, mac: Uint8Array): boolean {
  const c = check(keySpec, key, algorithm, message);
  const given = checkBytes('the MAC', mac);
  const expected = hmac(HASHES[MAC_HASH[c.algorithm] as keyof typeof HASHES], c.key, c.message);
  return constantTimeEqual(expected, given);
}
