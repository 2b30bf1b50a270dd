/**
 * The parts of a SigV4 canonical request that come from the HTTP request itself (AWS General Reference, "Create a
 * canonical request for Signature Version 4"): the canonical URI, the canonical query string and the canonical
 * header values. The signing side of these rules lives in every AWS SDK; this is the verifying side, so each
 * function takes the request as it arrived on the wire (percent-encoded path and query) and produces exactly what
 * a signer produced from the request it sent.
 */
import { KmsError } from '../kms/errors';

/** RFC 3986 unreserved characters: the only ones SigV4 leaves unencoded. */
function isUnreserved(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e // - . _ ~
  );
}

const HEX = '0123456789ABCDEF';

function percentEncodeBytes(bytes: Uint8Array, out: string[]): void {
  for (const byte of bytes) {
    if (isUnreserved(byte)) out.push(String.fromCharCode(byte));
    else out.push('%', HEX[byte >> 4]!, HEX[byte & 15]!);
  }
}

/**
 * SigV4's UriEncode: every byte of the UTF-8 form except the unreserved characters becomes `%XY` with upper-case
 * hex. Unlike encodeURIComponent it also encodes `!'()*`, which is the difference that breaks hand-rolled signers.
 */
export function uriEncode(text: string): string {
  // The common case (an ASCII token) needs no allocation beyond the result.
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    if (!isUnreserved(text.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return text;
  const out: string[] = [];
  percentEncodeBytes(Buffer.from(text, 'utf8'), out);
  return out.join('');
}

/** A query string that cannot be read, answered as AWS's query front end answers one. */
function malformedQuery(message: string): KmsError {
  return new KmsError('MalformedQueryString', message);
}

/**
 * One name or value of a query string as it arrived, normalized to SigV4's encoding: unreserved characters as
 * they are, `%xy` escapes of unreserved characters decoded, other escapes upper-cased, everything else encoded.
 * Working on the escaped form (rather than decoding and re-encoding) keeps bytes that are not UTF-8 exactly as the
 * signer encoded them.
 */
export function normalizeQueryComponent(raw: string): string {
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    if (!isUnreserved(raw.charCodeAt(i))) {
      plain = false;
      break;
    }
  }
  if (plain) return raw;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x25) {
      if (i + 2 >= raw.length) throw malformedQuery('Incomplete trailing escape % sequence');
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw malformedQuery(`Illegal hex character in escape % pattern: %${hex}`);
      const byte = Number.parseInt(hex, 16);
      if (isUnreserved(byte)) out.push(String.fromCharCode(byte));
      else out.push('%', hex.toUpperCase());
      i += 2;
    } else if (isUnreserved(code)) {
      out.push(raw[i]!);
    } else {
      // A character the client left unescaped (a `+`, a space, a non-ASCII letter): escaped as the signer would.
      const end = code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1;
      percentEncodeBytes(Buffer.from(raw.slice(i, end), 'utf8'), out);
      i = end - 1;
    }
  }
  return out.join('');
}

/** The parameters of a query string in arrival order, names and values still as they arrived. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  if (rawQuery === '') return [];
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)]);
  }
  return pairs;
}

/**
 * The canonical query string: every parameter except X-Amz-Signature (left out in both forms, as the SDKs'
 * signers leave it out), names and values in SigV4 encoding, sorted by name and then by value, `name=value`
 * joined by `&`; empty for no query.
 */
export function canonicalQueryString(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  const encoded: string[] = [];
  for (const [name, value] of pairs) {
    const canonicalName = normalizeQueryComponent(name);
    if (canonicalName.toLowerCase() === 'x-amz-signature') continue;
    encoded.push(`${canonicalName}=${normalizeQueryComponent(value)}`);
  }
  // Code-unit order of the encoded forms is byte order: every character left is ASCII.
  return encoded.sort((a, b) => {
    const an = a.slice(0, a.indexOf('='));
    const bn = b.slice(0, b.indexOf('='));
    if (an !== bn) return an < bn ? -1 : 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }).join('&');
}

/**
 * The canonical URI of every service but S3: the path with `.` and `..` segments and empty segments removed,
 * then URI-encoded once more, `/` kept. The path that arrives is already percent-encoded for HTTP, and the SDKs
 * (`uriEscapePath`) and botocore encode that form again, so the verifier does the same: `/a%20b` is `/a%2520b`.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '/' || rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `${rawPath.startsWith('/') ? '/' : ''}${segments.map(uriEncode).join('/')}${trailing}`;
}

/**
 * A header's canonical value: its values in arrival order, each with runs of spaces and tabs folded to one space
 * and the ends trimmed (SigV4's Trimall), joined by `,`.
 */
export function canonicalHeaderValue(values: readonly string[]): string {
  if (values.length === 1) return trimAll(values[0]!);
  return values.map(trimAll).join(',');
}

function trimAll(value: string): string {
  return /[\t\r\n]| {2}|^ | $/.test(value) ? value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim() : value;
}
