/**
 * Verification of AWS Signature Version 4 (AWS General Reference, "Signature Version 4 signing process"; IAM User
 * Guide, "Elements of an AWS API request signature"), in the header form (`Authorization: AWS4-HMAC-SHA256
 * Credential=…, SignedHeaders=…, Signature=…`) and the presigned query form (`X-Amz-Algorithm`, `X-Amz-Credential`,
 * `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`, `X-Amz-Signature`).
 *
 * The checks run in the order AWS's front end reports them, so a request with several faults gets the error AWS
 * would give first: missing pieces (MissingAuthenticationTokenException, IncompleteSignatureException), the
 * credential scope (date, region, service, terminator: InvalidSignatureException), the clock (5 minutes of skew
 * either way, or the presigned lifetime), the access key (UnrecognizedClientException), and only then the
 * signature itself, compared in constant time. Messages are AWS's words.
 *
 * HMAC-SHA256 and SHA-256 come from node:crypto, not @noble/hashes: this is the hot path of every request, and on
 * the 2-core reference machine node:crypto hashes a 5.6 KB body in 7 µs against noble's 63 µs, and an HMAC of a
 * string to sign in 5.5 µs against 14 µs (measured with the bodies of bench/wire.bench.ts). Nothing here needs to
 * run outside Node: the endpoint is a node:http server.
 */
import * as crypto from 'node:crypto';
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { KmsError } from '../kms/errors';
import { canonicalHeaderValue, canonicalQueryString, canonicalUri, parseQuery } from './canonicalRequest';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS's allowance for clocks that disagree, either way. */
export const MAX_SKEW_MS = 5 * 60_000;
/** The longest life a presigned request may ask for (X-Amz-Expires), one week. */
export const MAX_EXPIRES_SECONDS = 604_800;

/** A request as it arrived: what the canonical request is built from. */
export interface SignedRequest {
  method: string;
  /** The path as it arrived, still percent-encoded, without the query. */
  path: string;
  /** The query string as it arrived, without the `?`; empty for none. */
  query: string;
  /** The values of a header (lower-case name) in arrival order, or undefined when it is absent. */
  header(name: string): readonly string[] | undefined;
  body: Uint8Array;
}

export interface VerifyOptions {
  /** The time to check the signature's date against, in milliseconds since the epoch. */
  now: number;
  /** The service the endpoint serves: the fourth element of the credential scope (`kms`). */
  service: string;
  /** The secret access key of an access key ID, or undefined for a key the endpoint does not know. */
  secretOf(accessKeyId: string): string | undefined;
  /** Whether a region name in the credential scope is one the endpoint serves. */
  isRegion(region: string): boolean;
}

export interface VerifiedSignature {
  accessKeyId: string;
  /** The region of the credential scope: the region the request is for. */
  region: string;
  /** X-Amz-Date (or the Date header, in ISO 8601 basic format). */
  date: string;
  form: 'header' | 'query';
  signedHeaders: readonly string[];
}

const incomplete = (message: string) => new KmsError('IncompleteSignatureException', message);
const invalid = (message: string) => new KmsError('InvalidSignatureException', message);

/** AWS's words for a signature that does not match; also what a tampered request gets. */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
export const UNRECOGNIZED_CLIENT_MESSAGE = 'The security token included in the request is invalid.';

/** What the Authorization header or the query parameters say, before any of it is checked against the request. */
interface AuthParameters {
  form: 'header' | 'query';
  credential: string;
  signedHeaders: string;
  signature: string;
  date: string;
  /** X-Amz-Expires of a presigned request, in seconds. */
  expires?: number;
}

function firstHeader(request: SignedRequest, name: string): string | undefined {
  return request.header(name)?.[0];
}

/**
 * The Authorization header's parameters. AWS reads `name=value` pairs separated by commas (and, leniently,
 * spaces) and lists every missing one at once, echoing the header.
 */
function headerParameters(request: SignedRequest, authorization: string): AuthParameters {
  const sdkForm = SDK_AUTHORIZATION.exec(authorization);
  if (sdkForm) return headerParametersOf(request, sdkForm[1]!, sdkForm[2]!, sdkForm[3]!);
  const trimmed = authorization.trim();
  const space = trimmed.search(/\s/);
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  const params = new Map<string, string>();
  for (const part of (space < 0 ? '' : trimmed.slice(space + 1)).split(/[,\s]+/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) throw incomplete(`'${part}' not a valid key=value pair (missing equal-sign) in Authorization header: '${trimmed}'`);
    params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const date = firstHeader(request, 'x-amz-date') ?? firstHeader(request, 'date');
  const missing: string[] = [];
  for (const name of ['Credential', 'Signature', 'SignedHeaders']) {
    if (!params.get(name)) missing.push(`Authorization header requires '${name}' parameter.`);
  }
  if (date === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Authorization=${trimmed}`);
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  return headerParametersOf(request, params.get('Credential')!, params.get('SignedHeaders')!, params.get('Signature')!);
}

/**
 * The Authorization header exactly as the AWS SDKs, botocore and the CLI write it: the three parameters in this
 * order, each non-empty and free of commas, spaces and `=`, separated by a comma and at most one space. For such a
 * header the general reading above finds the same three values and nothing missing, so it is read with one match
 * instead of a split and a map; anything else takes the general reading and its error messages.
 */
const SDK_AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^\s,=]+), ?SignedHeaders=([^\s,=]+), ?Signature=([^\s,=]+)$/;

/** The header form's parameters once Credential, SignedHeaders and Signature are known to be there. */
function headerParametersOf(request: SignedRequest, credential: string, signedHeaders: string, signature: string): AuthParameters {
  const amzDate = firstHeader(request, 'x-amz-date');
  const date = amzDate ?? firstHeader(request, 'date');
  if (date === undefined) {
    throw incomplete(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${firstHeader(request, 'authorization')!.trim()}`);
  }
  return { form: 'header', credential, signature, signedHeaders, date: isoBasicDate(date, amzDate === undefined) };
}

function decodeQueryValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new KmsError('MalformedQueryString', `Illegal escape sequence in query-string parameter value: '${raw}'`);
  }
}

/** The X-Amz-* query parameters of a presigned request (the first of each name, as AWS reads them). */
function queryParameters(query: Map<string, string>): AuthParameters {
  const missing: string[] = [];
  for (const name of ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date']) {
    if (!query.get(name)) missing.push(`AWS query-string parameters must include '${name}'.`);
  }
  if (missing.length > 0) throw incomplete(`${missing.join(' ')} Re-examine the query-string parameters.`);
  const algorithm = query.get('X-Amz-Algorithm')!;
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'`);
  let expires: number | undefined;
  const expiresText = query.get('X-Amz-Expires');
  if (expiresText !== undefined) {
    if (!/^\d+$/.test(expiresText)) throw incomplete(`X-Amz-Expires should be a number of seconds, got '${expiresText}'`);
    expires = Number(expiresText);
    if (expires > MAX_EXPIRES_SECONDS) throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_EXPIRES_SECONDS}`);
  }
  return {
    form: 'query',
    credential: query.get('X-Amz-Credential')!,
    signature: query.get('X-Amz-Signature')!,
    signedHeaders: query.get('X-Amz-SignedHeaders')!,
    date: isoBasicDate(query.get('X-Amz-Date')!, false),
    ...(expires !== undefined ? { expires } : {}),
  };
}

const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The last date parsed: a client sends the same X-Amz-Date for every request of a second, a replayed one forever. */
let lastParsed = { date: '', ms: Number.NaN };

/** `20130524T000000Z` as milliseconds since the epoch, or NaN for a date that is not one (20130532, 25 o'clock). */
function parseIsoBasic(date: string): number {
  if (date === lastParsed.date) return lastParsed.ms;
  const m = ISO_BASIC.exec(date);
  if (!m) return Number.NaN;
  const [year, month, day, hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (monthDays === undefined || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return Number.NaN;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  lastParsed = { date, ms };
  return ms;
}

export function formatIsoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The signature's date in ISO 8601 basic format; a `Date` header (RFC 7231 form) is converted, as AWS accepts it. */
function isoBasicDate(value: string, fromDateHeader: boolean): string {
  if (!Number.isNaN(parseIsoBasic(value))) return value;
  if (fromDateHeader) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return formatIsoBasic(ms);
  }
  throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`);
}

interface Scope {
  accessKeyId: string;
  day: string;
  region: string;
  service: string;
  terminator: string;
  /** `day/region/service/terminator`: the credential scope line of the string to sign. */
  line: string;
  /** The signing key last derived for this scope, and the secret it was derived from. */
  signing?: { secret: string; key: KeyObject };
}

/**
 * Credential scopes by the Credential text they were read from: a client sends the same one with every request
 * of a day, so it is split once, and the signing key it needs is kept with it. Bounded, as the text comes from
 * requests; a scope is data only, checked against the request on every use.
 */
const scopes = new Map<string, Scope>();
const MAX_SCOPES = 512;

function parseScope(credential: string): Scope {
  let scope = scopes.get(credential);
  if (scope) return scope;
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) {
    throw incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, day, region, service, terminator] = parts as [string, string, string, string, string];
  scope = { accessKeyId, day, region, service, terminator, line: `${day}/${region}/${service}/${terminator}` };
  if (scopes.size >= MAX_SCOPES) scopes.clear();
  scopes.set(credential, scope);
  return scope;
}

function checkScope(scope: Scope, date: string, options: VerifyOptions): void {
  if (scope.day !== date.slice(0, 8)) {
    throw invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.day}' != '${date.slice(0, 8)}', from '${date}'.`);
  }
  if (!options.isRegion(scope.region)) throw invalid(`Credential should be scoped to a valid region, not '${scope.region}'. `);
  if (scope.service !== options.service) throw invalid(`Credential should be scoped to correct service: '${options.service}'. `);
  if (scope.terminator !== 'aws4_request') throw invalid(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `);
}

/** AWS's clock check: 5 minutes either way, or for a presigned request from 5 minutes early to its expiry. */
function checkTime(params: AuthParameters, now: number): void {
  const signed = parseIsoBasic(params.date);
  const date = params.date;
  if (signed > now + MAX_SKEW_MS) {
    throw invalid(`Signature not yet current: ${date} is still later than ${formatIsoBasic(now + MAX_SKEW_MS)} (${formatIsoBasic(now)} + 5 min.)`);
  }
  if (params.expires !== undefined) {
    if (now > signed + params.expires * 1000) {
      throw invalid(`Signature expired: ${date} is now earlier than ${formatIsoBasic(now - params.expires * 1000)} (${formatIsoBasic(now)} - ${params.expires} sec.)`);
    }
    return;
  }
  if (signed < now - MAX_SKEW_MS) {
    throw invalid(`Signature expired: ${date} is now earlier than ${formatIsoBasic(now - MAX_SKEW_MS)} (${formatIsoBasic(now)} - 5 min.)`);
  }
}

/**
 * Signing keys by secret, day, region and service: deriving one costs four HMACs, and a client signs every request
 * of a day with the same one. Kept as KeyObjects: an HMAC keyed with a KeyObject costs about half of one keyed with
 * bytes, which node:crypto would turn into a key again on every request. Bounded, as the secrets and regions come
 * from requests.
 */
const signingKeys = new Map<string, KeyObject>();
const MAX_SIGNING_KEYS = 512;

/** The SigV4 signing key (kSigning) of a secret for a day, region and service, as bytes. */
export function deriveSigningKey(secret: string, day: string, region: string, service: string): Buffer {
  let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  key = createHmac('sha256', key).update(region).digest();
  key = createHmac('sha256', key).update(service).digest();
  return createHmac('sha256', key).update('aws4_request').digest();
}

/** The signing key of `secret` for `scope`: kept on the scope for the next request of the same client. */
function signingKeyOf(scope: Scope, secret: string): KeyObject {
  const last = scope.signing;
  if (last !== undefined && last.secret === secret) return last.key;
  const key = signingKey(secret, scope.day, scope.region, scope.service);
  scope.signing = { secret, key };
  return key;
}

function signingKey(secret: string, day: string, region: string, service: string): KeyObject {
  const cacheKey = `${day}\u0000${region}\u0000${service}\u0000${secret}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = createSecretKey(deriveSigningKey(secret, day, region, service));
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

/**
 * SHA-256 as hex. crypto.hash (Node 20.12 and later) hashes in one call without a Hash object, half the cost of
 * createHash for the few hundred bytes of a canonical request; older Nodes take the long way.
 */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;
export const sha256Hex: (data: string | Uint8Array) => string = oneShot
  ? (data) => oneShot('sha256', data, 'hex')
  : (data) => createHash('sha256').update(data).digest('hex');

const EMPTY_SHA256 = sha256Hex('');

function payloadHash(body: Uint8Array): string {
  // Always the real body's hash, whatever X-Amz-Content-Sha256 declares: UNSIGNED-PAYLOAD is Amazon S3's, and
  // honouring it here would let anyone who saw one signed request replay it with another body.
  return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

/** The canonical request (AWS General Reference, "Create a canonical request"). */
export function canonicalRequest(
  request: SignedRequest,
  signedHeaders: readonly string[],
  hashedPayload: string,
  queryPairs = parseQuery(request.query),
  signedHeadersText = signedHeaders.join(';'),
): string {
  let headers = '';
  for (const name of signedHeaders) headers += `${name}:${canonicalHeaderValue(request.header(name) ?? [''])}\n`;
  return `${request.method}\n${canonicalUri(request.path)}\n${canonicalQueryString(queryPairs)}\n${headers}\n${signedHeadersText}\n${hashedPayload}`;
}

export function stringToSign(date: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${date}\n${scope}\n${sha256Hex(canonical)}`;
}

const HEX_SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Whether `given` (hex, as sent) is the signature `expected`. The comparison of the bytes takes the same time
 * wherever they first differ (crypto.timingSafeEqual), so timing tells an attacker nothing about how close a
 * forged signature came. The length and hex form are not secret and are checked first.
 */
export function signatureMatches(expected: Uint8Array, given: string): boolean {
  if (!HEX_SIGNATURE.test(given)) return false;
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/**
 * Verifies the SigV4 signature of `request`. Returns who signed it and for which region; throws a KmsError named
 * after AWS's exception otherwise.
 */
export function verifySigV4(request: SignedRequest, options: VerifyOptions): VerifiedSignature {
  const authorization = firstHeader(request, 'authorization');
  const queryPairs = parseQuery(request.query);
  const query = new Map<string, string>();
  for (const [name, value] of queryPairs) if (!query.has(name)) query.set(name, decodeQueryValue(value));
  const presigned = query.has('X-Amz-Algorithm');
  if (authorization !== undefined && presigned) {
    throw invalid("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (authorization === undefined && !presigned) throw new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const params = presigned ? queryParameters(query) : headerParameters(request, authorization!);

  const signedHeaders = params.signedHeaders.split(';');
  if (!signedHeaders.includes('host') && !signedHeaders.includes(':authority')) {
    throw invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  const scope = parseScope(params.credential);
  checkScope(scope, params.date, options);
  checkTime(params, options.now);

  const secret = options.secretOf(scope.accessKeyId);
  if (secret === undefined) throw new KmsError('UnrecognizedClientException', UNRECOGNIZED_CLIENT_MESSAGE);
  // identities.json holds long-term access keys only: a session token cannot belong to any of them.
  const token = presigned ? query.get('X-Amz-Security-Token') : firstHeader(request, 'x-amz-security-token');
  if (token !== undefined) throw new KmsError('UnrecognizedClientException', UNRECOGNIZED_CLIENT_MESSAGE);

  // SignedHeaders as sent is the list joined by `;` already: split and joined again it is the same text.
  const canonical = canonicalRequest(request, signedHeaders, payloadHash(request.body), queryPairs, params.signedHeaders);
  const expected = createHmac('sha256', signingKeyOf(scope, secret)).update(stringToSign(params.date, scope.line, canonical)).digest();
  if (!signatureMatches(expected, params.signature)) throw invalid(SIGNATURE_MISMATCH_MESSAGE);
  return { accessKeyId: scope.accessKeyId, region: scope.region, date: params.date, form: params.form, signedHeaders };
}
