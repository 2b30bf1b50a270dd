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

/**
 * A JSON-friendly deep copy of a request or response as the API took or gave it: dates as ISO text (what JSON
 * writes for them), byte arrays kept as they are (redaction drops them), arrays copied, any other object as a plain
 * object of its own enumerable fields.
 */
export function jsonFriendly(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(jsonFriendly);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonFriendly(v)]));
  return value;
}

/**
 * What the log holds of a request or response as the API took or gave it: `redactFields(jsonFriendly(value))`, or
 * null when that copy is empty (undefined, null, ""), computed in one pass without the intermediate copy. Every
 * field is read once and in the same order as the two-step form reads it, secret fields included (their getters
 * run, a Date in them is converted), so the outcome, thrown errors included, is the same.
 */
export function redactJsonFriendly(value: unknown): Record<string, unknown> | null {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) {
    // Only a request that failed validation gets here; the two steps say what becomes of it.
    const copy = jsonFriendly(value);
    return copy ? redactFields(copy as Record<string, unknown>) : null;
  }
  return redactObjectOnce(value);
}

/** redactFields(jsonFriendly(fields)) for an object that is neither an array, a Date nor bytes. */
function redactObjectOnce(fields: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const field = fieldOf(name);
    if (value instanceof Uint8Array) continue;
    if (field.secret) {
      // Dropped, but read as the copy would read it.
      jsonFriendly(value);
      continue;
    }
    const copied = field.context ? copyContextOnce(value) : redactValueOnce(value);
    if (copied !== undefined) define(out, field.logged, copied);
  }
  return out;
}

interface FieldName {
  secret: boolean;
  context: boolean;
  /** The name the log uses: lowerCamelCase. */
  logged: string;
}

/** What each field name means to redaction, worked out once per name: requests use few names, many times. */
const fieldNames = new Map<string, FieldName>();

function fieldOf(name: string): FieldName {
  let field = fieldNames.get(name);
  if (!field) {
    const lower = name.toLowerCase();
    field = { secret: SECRET_FIELDS.has(lower), context: CONTEXT_FIELDS.has(lower), logged: lowerCamel(name) };
    // Names of the API are few; names inside a caller's values are not, and are not kept past a bound.
    if (fieldNames.size < 1024) fieldNames.set(name, field);
  }
  return field;
}

/**
 * Sets an own data property as Object.defineProperty would: plain assignment does the same on a fresh object for
 * every name but `__proto__`, whose inherited setter would change the prototype instead, and is much cheaper.
 */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** copyContext(jsonFriendly(value)), for a value that is not bytes. */
function copyContextOnce(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) {
    jsonFriendly(value);
    return undefined;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const friendly = jsonFriendly(item);
    if (typeof friendly === 'string') define(copy, key, friendly);
  }
  return copy;
}

/** redactValue(jsonFriendly(value)). */
function redactValueOnce(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return value.map(redactValueOnce).filter((item) => item !== undefined);
  if (value && typeof value === 'object') return redactObjectOnce(value);
  return value;
}
