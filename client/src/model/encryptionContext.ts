/**
 * The encryption context a person types into an input box: empty for none, a JSON object
 * (`{"app": "payments"}`), or pairs (`app=payments, team=blue`). AWS takes string keys and string values only
 * (EncryptionContextType is a map of strings), so JSON numbers or nested objects are refused here with the key
 * named, rather than turned into text the person did not write.
 */

export type EncryptionContext = Record<string, string>;

export class EncryptionContextSyntaxError extends Error {
  override readonly name = 'EncryptionContextSyntaxError';
}

const HINT = 'Write pairs as key=value,key2=value2, or a JSON object such as {"app": "payments"}.';

function parseJsonContext(text: string): EncryptionContext {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EncryptionContextSyntaxError(`The encryption context is not valid JSON (${(error as Error).message}). ${HINT}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new EncryptionContextSyntaxError(`The encryption context must be a JSON object of strings. ${HINT}`);
  }
  const context: EncryptionContext = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (key === '') throw new EncryptionContextSyntaxError(`An encryption context key cannot be empty. ${HINT}`);
    if (typeof item !== 'string') {
      throw new EncryptionContextSyntaxError(`The value of "${key}" is ${item === null ? 'null' : typeof item}; AWS takes strings only (write "${String(item)}" in quotes).`);
    }
    context[key] = item;
  }
  return context;
}

function parsePairs(text: string): EncryptionContext {
  const context: EncryptionContext = {};
  for (const [index, raw] of text.split(',').entries()) {
    const pair = raw.trim();
    if (pair === '') {
      throw new EncryptionContextSyntaxError(`Pair ${index + 1} of the encryption context is empty (two commas, or a comma at the end). ${HINT}`);
    }
    const equals = pair.indexOf('=');
    if (equals < 0) throw new EncryptionContextSyntaxError(`"${pair}" has no "=": ${HINT}`);
    // Split on the first "=" only, so a value may hold "=" (base64 padding, for instance).
    const key = pair.slice(0, equals).trim();
    const value = pair.slice(equals + 1).trim();
    if (key === '') throw new EncryptionContextSyntaxError(`"${pair}" has no key before "=". ${HINT}`);
    if (Object.prototype.hasOwnProperty.call(context, key)) {
      throw new EncryptionContextSyntaxError(`The key "${key}" appears twice; an encryption context holds each key once.`);
    }
    context[key] = value;
  }
  return context;
}

/**
 * The encryption context written in `text`, or undefined for an empty text (no context). Throws
 * EncryptionContextSyntaxError saying what is wrong and how to write it.
 */
export function parseEncryptionContext(text: string): EncryptionContext | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const context = trimmed.startsWith('{') ? parseJsonContext(trimmed) : parsePairs(trimmed);
  return Object.keys(context).length > 0 ? context : undefined;
}

/**
 * The encryption context as an argument gives it (an object, or text in either form), checked the same way.
 * Lets a command take `{ encryptionContext: {...} }` from a test or a keybinding as well as typed text.
 */
export function encryptionContextFrom(value: unknown): EncryptionContext | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return parseEncryptionContext(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    return parseEncryptionContext(JSON.stringify(value));
  }
  throw new EncryptionContextSyntaxError(`The encryption context must be an object of strings or text. ${HINT}`);
}

/** `app=payments,team=blue`; the JSON form when a key or value holds "," or "=" or surrounding spaces. */
export function formatEncryptionContext(context: EncryptionContext | undefined): string {
  if (!context) return '';
  const entries = Object.entries(context);
  const plain = entries.every(([k, v]) => ![k, v].some((s) => /[,=]/.test(s) || s !== s.trim()) && !k.startsWith('{'));
  if (!plain) return JSON.stringify(context);
  return entries.map(([k, v]) => `${k}=${v}`).join(',');
}
