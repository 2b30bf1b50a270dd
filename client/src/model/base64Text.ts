/**
 * Base64 as it sits in an editor selection: possibly wrapped over lines, possibly with surrounding whitespace.
 * Node's decoder skips characters it does not know, which would turn a wrong selection into garbage bytes and a
 * confusing InvalidCiphertextException; this checks first and says what is wrong.
 */

export class Base64TextError extends Error {
  override readonly name = 'Base64TextError';
}

export function decodeBase64Text(text: string, what: string): Uint8Array {
  const compact = text.replace(/\s+/g, '');
  if (compact === '') throw new Base64TextError(`The ${what} is empty: select the base64 text first.`);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    const bad = /[^A-Za-z0-9+/=]/.exec(compact);
    const detail = bad ? `it holds "${bad[0]}", which base64 never does` : 'its length or padding is not that of base64';
    throw new Base64TextError(`The ${what} is not base64 (${detail}): select exactly the text that Encrypt wrote.`);
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}
