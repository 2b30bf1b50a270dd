/**
 * Turns the parameters of a KMS request or response into what CloudTrail would log: field names in lowerCamelCase
 * (`KeyId` -> `keyId`, as in CloudTrail's `requestParameters`), and nothing secret.
 *
 * AWS KMS omits plaintext, ciphertext, data keys, private keys, imported key material, messages and signatures
 * from its CloudTrail entries (AWS KMS Developer Guide, "Logging AWS KMS API calls with AWS CloudTrail"; e.g. the
 * Decrypt entry: "The ciphertext in the request and the plaintext in the response are omitted."). The same fields
 * are dropped here by name, and as a second line of defence every binary value is dropped whatever its name: the
 * KMS API's binary fields are all blobs, none of which belongs in a log.
 *
 * Encryption context maps are copied verbatim, keys and all: they are not secret (AWS logs them in the clear, and
 * warns not to put secrets in them), and their keys are user data, not field names to rename or match against.
 */

/** Field names (compared case-insensitively) whose values never reach the log. */
const SECRET_FIELDS = new Set(
  [
    'Plaintext',
    'CiphertextBlob',
    'SourceCiphertextBlob',
    'CiphertextForRecipient',
    'PrivateKeyPlaintext',
    'PrivateKeyCiphertextBlob',
    'PrivateKey',
    'KeyMaterial',
    'EncryptedKeyMaterial',
    'ImportToken',
    'Message',
    'Signature',
    'Mac',
    'SharedSecret',
    'PublicKey',
    'AttestationDocument',
    'SecretAccessKey',
    'SessionToken',
    'Password',
    'KeyStorePassword',
    'XksProxyAuthenticationCredential',
  ].map((name) => name.toLowerCase()),
);

/** Fields holding an encryption context map, copied without renaming its keys. */
const CONTEXT_FIELDS = new Set(
  ['EncryptionContext', 'SourceEncryptionContext', 'DestinationEncryptionContext', 'EncryptionContextSubset', 'EncryptionContextEquals'].map((name) =>
    name.toLowerCase(),
  ),
);

function isBinary(value: unknown): boolean {
  return value instanceof Uint8Array || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

function lowerCamel(name: string): string {
  return name.length > 0 ? name[0]!.toLowerCase() + name.slice(1) : name;
}

function copyContext(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || isBinary(value)) return undefined;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Context values are strings by AWS rule; anything else is dropped rather than trusted.
    if (typeof item === 'string') Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

function redactValue(value: unknown): unknown {
  if (isBinary(value)) return undefined;
  if (Array.isArray(value)) return value.map(redactValue).filter((item) => item !== undefined);
  if (value && typeof value === 'object') return redactFields(value as Record<string, unknown>);
  return value;
}

/** A redacted, lowerCamelCase copy of request or response fields. */
export function redactFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const lower = name.toLowerCase();
    if (value === undefined || SECRET_FIELDS.has(lower) || isBinary(value)) continue;
    const copied = CONTEXT_FIELDS.has(lower) ? copyContext(value) : redactValue(value);
    if (copied !== undefined) {
      Object.defineProperty(out, lowerCamel(name), { value: copied, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}
