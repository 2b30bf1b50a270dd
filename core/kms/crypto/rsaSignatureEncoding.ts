/**
 * RSA signatures over a digest the caller already computed (Sign and Verify with MessageType DIGEST). node:crypto
 * only signs messages it hashes itself, so for a digest this module builds the encoded message of RFC 8017 and
 * applies the raw RSA operation: EMSA-PKCS1-v1_5 (section 9.2) and EMSA-PSS (section 9.1) with MGF1 over the same
 * hash and a salt as long as the digest, as AWS specifies for RSASSA_PSS_SHA_*.
 *
 * Verification re-derives rather than parses where it can: for PKCS#1 v1.5 the expected encoded message is built
 * from the digest and compared whole, in constant time, with the one recovered from the signature. Parsing the
 * recovered padding instead is what let Bleichenbacher's 2006 forgery through lenient verifiers.
 *
 * The raw operations run in OpenSSL (node's RSA_NO_PADDING), which blinds the private operation.
 */
import { constants, createHash, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { HASH_BYTES, type HashName } from './algorithms';
import { checkBytes, concatBytes, constantTimeEqual, plain } from './bytes';
import { InvalidKeyError, UnsupportedAlgorithmError } from './errors';

/** DER of DigestInfo's AlgorithmIdentifier and the OCTET STRING header, before the digest (RFC 8017, section 9.2, note 1). */
const DIGEST_INFO_PREFIX: Readonly<Partial<Record<HashName, string>>> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

/** The digest must be the hash's length: these functions are also reached by callers other than signing.ts. */
function checkDigest(hashName: HashName, digest: Uint8Array): void {
  checkBytes(`a ${hashName} digest`, digest, HASH_BYTES[hashName], HASH_BYTES[hashName]);
}

function hash(name: HashName, ...parts: Uint8Array[]): Uint8Array {
  const h = createHash(name);
  for (const p of parts) h.update(p);
  return plain(h.digest());
}

/** MGF1 (RFC 8017, B.2.1). */
function mgf1(name: HashName, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const counter = new Uint8Array(4);
  for (let offset = 0, i = 0; offset < length; i++) {
    new DataView(counter.buffer).setUint32(0, i, false);
    const block = hash(name, seed, counter);
    out.set(block.subarray(0, Math.min(block.length, length - offset)), offset);
    offset += block.length;
  }
  return out;
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || typeof bits !== 'number') throw new InvalidKeyError('not an RSA key');
  return bits;
}

/** s = m^d mod n on a k-byte big-endian m < n. */
function rsaPrivate(key: KeyObject, m: Uint8Array): Uint8Array {
  return plain(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, m));
}

/** m = s^e mod n; undefined when s is not k bytes or not below n, which is an invalid signature, not an error. */
function rsaPublic(key: KeyObject, s: Uint8Array): Uint8Array | undefined {
  const k = Math.ceil(modulusBits(key) / 8);
  if (s.length !== k) return undefined;
  try {
    return plain(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, s));
  } catch {
    return undefined;
  }
}

function pkcs1v15Encoded(hashName: HashName, digest: Uint8Array, k: number): Uint8Array {
  const prefix = DIGEST_INFO_PREFIX[hashName];
  if (!prefix) throw new UnsupportedAlgorithmError(`PKCS#1 v1.5 signatures with ${hashName} are not implemented`);
  const t = concatBytes(Buffer.from(prefix, 'hex'), digest);
  // EM = 0x00 || 0x01 || PS (0xff, at least 8) || 0x00 || T (RFC 8017, 9.2 step 3).
  if (k < t.length + 11) throw new InvalidKeyError('the RSA key is too short for this hash');
  const em = new Uint8Array(k).fill(0xff);
  em[0] = 0x00;
  em[1] = 0x01;
  em[k - t.length - 1] = 0x00;
  em.set(t, k - t.length);
  return em;
}

export function signPkcs1v15Digest(key: KeyObject, hashName: HashName, digest: Uint8Array): Uint8Array {
  checkDigest(hashName, digest);
  const k = Math.ceil(modulusBits(key) / 8);
  return rsaPrivate(key, pkcs1v15Encoded(hashName, digest, k));
}

export function verifyPkcs1v15Digest(key: KeyObject, hashName: HashName, digest: Uint8Array, signature: Uint8Array): boolean {
  checkDigest(hashName, digest);
  const k = Math.ceil(modulusBits(key) / 8);
  const recovered = rsaPublic(key, signature);
  return recovered !== undefined && constantTimeEqual(recovered, pkcs1v15Encoded(hashName, digest, k));
}

/** EMSA-PSS-ENCODE (RFC 8017, 9.1.1) with sLen = hLen. */
function pssEncode(hashName: HashName, digest: Uint8Array, emBits: number): Uint8Array {
  const hLen = HASH_BYTES[hashName];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + sLen + 2) throw new InvalidKeyError('the RSA key is too short for this PSS hash');
  const salt = plain(randomBytes(sLen));
  const h = hash(hashName, new Uint8Array(8), digest, salt);
  const db = new Uint8Array(emLen - hLen - 1);
  db[db.length - sLen - 1] = 0x01;
  db.set(salt, db.length - sLen);
  const mask = mgf1(hashName, h, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]!;
  db[0] &= 0xff >>> (8 * emLen - emBits);
  return concatBytes(db, h, Uint8Array.of(0xbc));
}

/** EMSA-PSS-VERIFY (RFC 8017, 9.1.2) with sLen = hLen: any other salt length is a failed verification. */
function pssVerify(hashName: HashName, digest: Uint8Array, em: Uint8Array, emBits: number): boolean {
  const hLen = HASH_BYTES[hashName];
  const sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length !== emLen || emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >>> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const db = mgf1(hashName, h, maskedDb.length);
  for (let i = 0; i < db.length; i++) db[i] ^= maskedDb[i]!;
  db[0] &= topMask;
  const psLength = emLen - hLen - sLen - 2;
  let bad = db[psLength] ^ 0x01;
  for (let i = 0; i < psLength; i++) bad |= db[i]!;
  if (bad !== 0) return false;
  const salt = db.subarray(db.length - sLen);
  return constantTimeEqual(h, hash(hashName, new Uint8Array(8), digest, salt));
}

export function signPssDigest(key: KeyObject, hashName: HashName, digest: Uint8Array): Uint8Array {
  checkDigest(hashName, digest);
  const bits = modulusBits(key);
  const k = Math.ceil(bits / 8);
  const em = pssEncode(hashName, digest, bits - 1);
  // When modBits - 1 is a multiple of 8 the encoded message is one byte shorter than the modulus.
  const m = em.length === k ? em : concatBytes(new Uint8Array(k - em.length), em);
  return rsaPrivate(key, m);
}

export function verifyPssDigest(key: KeyObject, hashName: HashName, digest: Uint8Array, signature: Uint8Array): boolean {
  checkDigest(hashName, digest);
  const bits = modulusBits(key);
  const recovered = rsaPublic(key, signature);
  if (!recovered) return false;
  const emLen = Math.ceil((bits - 1) / 8);
  const extra = recovered.length - emLen;
  for (let i = 0; i < extra; i++) if (recovered[i] !== 0) return false;
  return pssVerify(hashName, digest, recovered.subarray(extra), bits - 1);
}
