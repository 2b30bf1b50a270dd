/**
 * The errors of the cryptographic layer. They are small on purpose: each says what kind of failure happened and
 * nothing about key bytes, plaintext or which check failed inside a primitive, because a message that says
 * "padding was wrong" or "tag byte 3 differs" is an oracle.
 *
 * The KMS layer maps them to AWS exception names. The usual mapping, by operation:
 *
 * | error                       | AWS exception                                                                   |
 * | --------------------------- | ------------------------------------------------------------------------------- |
 * | AuthenticationError         | InvalidCiphertextException (Decrypt, ReEncrypt, and ImportKeyMaterial when the  |
 * |                             | wrapped key material does not decrypt)                                          |
 * | MalformedCiphertextError    | InvalidCiphertextException                                                      |
 * | InvalidKeyError             | ValidationException when the caller supplied the key (DeriveSharedSecret's      |
 * |                             | PublicKey); IncorrectKeyMaterialException for imported material that does not   |
 * |                             | fit the key spec; KMSInternalException when it is the KMS's own stored material |
 * | UnsupportedAlgorithmError   | InvalidKeyUsageException (an algorithm the key spec does not support), or       |
 * |                             | UnsupportedOperationException for key specs this KMS does not implement (SM2,   |
 * |                             | ML-DSA, Ed25519)                                                                |
 * | InvalidInputError           | ValidationException (a digest of the wrong length, plaintext above the RSA      |
 * |                             | cap, an encryption context that is not a map of strings)                        |
 *
 * A failed signature or MAC check is not an error here: verify functions return false and the KMS layer raises
 * KMSInvalidSignatureException or KMSInvalidMacException.
 */

/** Base class: `catch (e) { if (e instanceof CryptoError) ... }` catches every failure this layer reports. */
export class CryptoError extends Error {
  override readonly name: string = 'CryptoError';
}

/**
 * Sealed data did not authenticate: wrong key, wrong IV, wrong AAD or encryption context, or altered bytes. Also
 * RSA-OAEP and AES key unwrap failures, which are authentication failures of the same kind. Callers must treat
 * every cause alike; the error deliberately does not say which.
 */
export class AuthenticationError extends CryptoError {
  override readonly name = 'AuthenticationError';
  constructor(message = 'the data does not authenticate under this key') {
    super(message);
  }
}

/** A ciphertext blob whose structure is wrong (too short, too long, unknown version) before any key is used. */
export class MalformedCiphertextError extends CryptoError {
  override readonly name = 'MalformedCiphertextError';
}

/** Key material of the wrong length or type, DER that does not parse, a key of another curve or size than its spec. */
export class InvalidKeyError extends CryptoError {
  override readonly name = 'InvalidKeyError';
}

/** A key spec or algorithm this layer does not implement, or one the key spec does not support. */
export class UnsupportedAlgorithmError extends CryptoError {
  override readonly name = 'UnsupportedAlgorithmError';
}

/** An argument that is not what the operation takes: wrong type, wrong length, out of AWS's limits. */
export class InvalidInputError extends CryptoError {
  override readonly name = 'InvalidInputError';
}
