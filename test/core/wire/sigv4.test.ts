import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import nodeCrypto = require('node:crypto');
import fc from 'fast-check';
import { KmsError } from '../../../core/kms/errors';
import { deriveSigningKey, formatIsoBasic, MAX_SKEW_MS, signatureMatches, SIGNATURE_MISMATCH_MESSAGE, verifySigV4, type SignedRequest, type VerifyOptions } from '../../../core/wire/sigv4';
import { repoRoot } from '../../support/paths';
import { presign, signHeaders, type SignOptions } from './wireHelpers';

interface VectorCase {
  name: string;
  method: string;
  path: string;
  query: string;
  headers: Array<[string, string]>;
  body: string;
  authorization: string;
}
const suite = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'core', 'wire', 'fixtures', 'aws-sig-v4-test-suite.json'), 'utf8')) as {
  credentials: { accessKeyId: string; secretAccessKey: string };
  date: string;
  service: string;
  cases: VectorCase[];
};

/** A SignedRequest from header lines in arrival order. */
function request(method: string, pathAndQuery: string, headerLines: Array<[string, string]>, body: string | Buffer = ''): SignedRequest {
  const headers = new Map<string, string[]>();
  for (const [name, value] of headerLines) headers.set(name.toLowerCase(), [...(headers.get(name.toLowerCase()) ?? []), value]);
  const q = pathAndQuery.indexOf('?');
  return {
    method,
    path: q < 0 ? pathAndQuery : pathAndQuery.slice(0, q),
    query: q < 0 ? '' : pathAndQuery.slice(q + 1),
    header: (name) => headers.get(name),
    body: typeof body === 'string' ? Buffer.from(body) : body,
  };
}

const SUITE_NOW = Date.parse('2015-08-30T12:36:00Z');
const suiteOptions: VerifyOptions = {
  now: SUITE_NOW,
  service: suite.service,
  secretOf: (id) => (id === suite.credentials.accessKeyId ? suite.credentials.secretAccessKey : undefined),
  isRegion: () => true,
};

function flipLastHexDigit(authorization: string): string {
  const last = authorization.at(-1)!;
  return authorization.slice(0, -1) + (last === '0' ? '1' : '0');
}

/** The KmsError verifySigV4 throws for `req`, asserting it throws one. */
function refusal(req: SignedRequest, options: VerifyOptions): KmsError {
  try {
    verifySigV4(req, options);
  } catch (error) {
    assert.ok(error instanceof KmsError, `expected a KmsError, got ${String(error)}`);
    return error;
  }
  assert.fail('the request verified');
}

describe('SigV4: the AWS Signature Version 4 test suite', () => {
  for (const vector of suite.cases) {
    it(`${vector.name}: verifies, and fails with its signature's last digit changed`, () => {
      const pathAndQuery = vector.query ? `${vector.path}?${vector.query}` : vector.path;
      const good = request(vector.method, pathAndQuery, [...vector.headers, ['authorization', vector.authorization]], vector.body);
      const verified = verifySigV4(good, suiteOptions);
      assert.equal(verified.accessKeyId, 'AKIDEXAMPLE');
      assert.equal(verified.region, 'us-east-1');
      const bad = request(vector.method, pathAndQuery, [...vector.headers, ['authorization', flipLastHexDigit(vector.authorization)]], vector.body);
      assert.equal(refusal(bad, suiteOptions).name, 'InvalidSignatureException');
    });
  }
});

const URL_ = 'http://127.0.0.1:4599';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const NOW = Date.parse('2024-05-24T10:20:30Z');
const options: VerifyOptions = { now: NOW, service: 'kms', secretOf: (id) => (id === KEY_ID ? SECRET : undefined), isRegion: (r) => /^[a-z]{2}-[a-z]+-\d$/.test(r) };
const credentials = { accessKeyId: KEY_ID, secretAccessKey: SECRET };

/** Signs with the reference signer and returns the SignedRequest the endpoint would see. */
async function signed(extra: Partial<SignOptions> = {}): Promise<{ req: SignedRequest; headers: Record<string, string>; body: string }> {
  const body = typeof extra.body === 'string' ? extra.body : '{"KeyId":"alias/app","Plaintext":"aGVsbG8="}';
  const pathAndQuery = (extra.path ?? '/') + (extra.query ? `?${new URLSearchParams(extra.query as Record<string, string>).toString().replace(/\+/g, '%20')}` : '');
  const headers = await signHeaders({ url: URL_, operation: 'Encrypt', credentials, signingDate: new Date(NOW), ...extra, body });
  return { req: request(extra.method ?? 'POST', pathAndQuery, Object.entries(headers), body), headers, body };
}

describe('SigV4: agreeing with the AWS SDK for JavaScript signer (@smithy/signature-v4)', () => {
  const cases: Array<[string, Partial<SignOptions>]> = [
    ['an Encrypt request', {}],
    ['another region', { region: 'eu-west-1' }],
    ['an empty body', { body: '' }],
    ['a large body', { body: JSON.stringify({ Policy: 'x'.repeat(32_000) }) }],
    ['a body in UTF-8', { body: '{"Description":"clé ключ 鍵 🔑"}' }],
    ['a query string', { query: { b: '2', a: 'x y', 'c~': "!'()*" } }],
    ['a path with segments', { path: '/a/b%20c/d' }],
    ['extra signed headers', { headers: { 'x-amz-user-agent': 'aws-sdk-js/3', 'x-custom': '  spaced   value  ' } }],
    ['the payload hash header', { headers: { 'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }, body: '' }],
  ];
  for (const [name, extra] of cases) {
    it(`${name}: verifies, as the access key and region of the credential scope`, async () => {
      const { req } = await signed(extra);
      const verified = verifySigV4(req, options);
      assert.deepEqual([verified.accessKeyId, verified.region, verified.form, verified.date], [KEY_ID, extra.region ?? 'us-east-1', 'header', formatIsoBasic(NOW)]);
    });
  }

  it('the presigned query form verifies, with X-Amz-Expires bounding its life', async () => {
    const body = '{}';
    const { headers, path: pathAndQuery } = await presign({ url: URL_, operation: 'ListKeys', credentials, body, signingDate: new Date(NOW), expiresIn: 60 });
    const at = (now: number) => ({ ...options, now });
    const req = request('POST', pathAndQuery, Object.entries(headers), body);
    assert.equal(verifySigV4(req, options).form, 'query');
    assert.equal(verifySigV4(req, at(NOW + 60_000)).form, 'query');
    const expired = refusal(req, at(NOW + 61_000));
    assert.equal(expired.name, 'InvalidSignatureException');
    assert.match(expired.message, /^Signature expired: 20240524T102030Z is now earlier than 20240524T102031Z \(20240524T102131Z - 60 sec\.\)$/);
    const tampered = request('POST', `${pathAndQuery}&Marker=1`, Object.entries(headers), body);
    assert.equal(refusal(tampered, options).name, 'InvalidSignatureException', 'an added or changed query parameter');
    const longLived = request('POST', pathAndQuery.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801'), Object.entries(headers), body);
    assert.equal(refusal(longLived, options).name, 'IncompleteSignatureException');
  });
});

describe('SigV4: tampering with any signed part is InvalidSignatureException', () => {
  const mismatch = (req: SignedRequest) => {
    const error = refusal(req, options);
    assert.deepEqual([error.name, error.message], ['InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE]);
  };
  const tamperings: Array<[string, (r: SignedRequest, headers: Record<string, string>, body: string) => SignedRequest]> = [
    ['the method', (r) => ({ ...r, method: 'PUT' })],
    ['the path', (r) => ({ ...r, path: '/other' })],
    ['the query (added)', (r) => ({ ...r, query: 'a=1' })],
    ['the body (one byte)', (r, _h, body) => ({ ...r, body: Buffer.from(body.replace('hello', 'hellp').replace('aGVsbG8=', 'aGVsbG9=')) })],
    ['the body (one byte appended)', (r, _h, body) => ({ ...r, body: Buffer.from(body + ' ') })],
    ...['host', 'content-type', 'x-amz-target', 'x-amz-date'].map(
      (name) => [`the ${name} header`, (_r: SignedRequest, headers: Record<string, string>, body: string) => {
        const changed = Object.entries(headers).map(([k, v]): [string, string] => [k, k.toLowerCase() === name ? (name === 'x-amz-date' ? v.replace(/\d(Z)$/, (d) => String((Number(d[0]) + 1) % 10) + 'Z') : v + 'x') : v]);
        return request('POST', '/', changed, body);
      }] as [string, (r: SignedRequest, headers: Record<string, string>, body: string) => SignedRequest],
    ),
    ['the signed header list (a header dropped)', (_r, headers, body) => request('POST', '/', Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'authorization' ? v.replace(';x-amz-target', '') : v]), body)],
    ['the region of the credential scope', (_r, headers, body) => request('POST', '/', Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'authorization' ? v.replace('/us-east-1/', '/us-west-2/') : v]), body)],
    ['the signature (first digit)', (_r, headers, body) => request('POST', '/', Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'authorization' ? v.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === '0' ? '1' : '0'}`) : v]), body)],
    ['the signature (last digit)', (_r, headers, body) => request('POST', '/', Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'authorization' ? flipLastHexDigit(v) : v]), body)],
  ];
  for (const [name, tamper] of tamperings) {
    it(`${name}`, async () => {
      const { req, headers, body } = await signed();
      assert.equal(verifySigV4(req, options).accessKeyId, KEY_ID, 'the untouched request verifies');
      mismatch(tamper(req, headers, body));
    });
  }

  it('a header outside SignedHeaders may change (the SDKs do not sign User-Agent)', async () => {
    const { headers, body } = await signed({ headers: { 'user-agent': 'first' }, unsignableHeaders: new Set(['user-agent']) });
    const changed = Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'user-agent' ? 'second' : v]);
    assert.equal(verifySigV4(request('POST', '/', changed, body), options).accessKeyId, KEY_ID);
  });

  it('the wrong secret is InvalidSignatureException, an unknown access key UnrecognizedClientException', async () => {
    const { headers, body } = await signHeaders({ url: URL_, operation: 'ListKeys', body: '{}', credentials: { accessKeyId: KEY_ID, secretAccessKey: 'wrong' }, signingDate: new Date(NOW) }).then((h) => ({ headers: h, body: '{}' }));
    mismatch(request('POST', '/', Object.entries(headers), body));
    const unknown = await signHeaders({ url: URL_, operation: 'ListKeys', body: '{}', credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: SECRET }, signingDate: new Date(NOW) });
    const error = refusal(request('POST', '/', Object.entries(unknown), '{}'), options);
    assert.deepEqual([error.name, error.message], ['UnrecognizedClientException', 'The security token included in the request is invalid.']);
  });

  it('signs the body itself whatever X-Amz-Content-Sha256 declares: UNSIGNED-PAYLOAD is Amazon S3\'s, not KMS\'s', async () => {
    const unsigned = await signed({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    // Signed by the SDK over the literal UNSIGNED-PAYLOAD: this verifier hashes the body, so the signature differs,
    // and the same request with another body cannot get through either.
    mismatch(unsigned.req);
    mismatch({ ...unsigned.req, body: Buffer.from('{"other":"body"}') });
    const declared = await signed({ headers: { 'x-amz-content-sha256': nodeCrypto.createHash('sha256').update('{"KeyId":"alias/app","Plaintext":"aGVsbG8="}').digest('hex') } });
    assert.equal(verifySigV4(declared.req, options).accessKeyId, KEY_ID);
    mismatch({ ...declared.req, body: Buffer.from('{"KeyId":"alias/evil","Plaintext":"aGVsbG8="}') });
  });

  it('a session token is UnrecognizedClientException: identities are long-term access keys', async () => {
    const { req } = await signed({ headers: { 'x-amz-security-token': 'FwoGZXIvYXdzEBYaDExample' } });
    const error = refusal(req, options);
    assert.equal(error.name, 'UnrecognizedClientException');
    assert.equal(error.message, 'The security token included in the request is invalid.');
  });
});

describe('SigV4: the clock', () => {
  const at = (offsetMs: number) => ({ ...options, now: NOW + offsetMs });

  it('accepts a date up to 5 minutes either side of now', async () => {
    const { req } = await signed();
    assert.equal(verifySigV4(req, at(MAX_SKEW_MS)).accessKeyId, KEY_ID);
    assert.equal(verifySigV4(req, at(-MAX_SKEW_MS)).accessKeyId, KEY_ID);
  });

  it('an old date is "Signature expired", in AWS\'s words', async () => {
    const { req } = await signed();
    const error = refusal(req, at(MAX_SKEW_MS + 1000));
    assert.equal(error.name, 'InvalidSignatureException');
    assert.equal(error.message, 'Signature expired: 20240524T102030Z is now earlier than 20240524T102031Z (20240524T102531Z - 5 min.)');
  });

  it('a future date is "Signature not yet current", in AWS\'s words', async () => {
    const { req } = await signed();
    const error = refusal(req, at(-MAX_SKEW_MS - 1000));
    assert.equal(error.name, 'InvalidSignatureException');
    assert.equal(error.message, 'Signature not yet current: 20240524T102030Z is still later than 20240524T102029Z (20240524T101529Z + 5 min.)');
  });
});

describe('SigV4: what is missing or malformed, as AWS names it', () => {
  const base: Array<[string, string]> = [
    ['host', '127.0.0.1:4599'],
    ['x-amz-date', '20240524T102030Z'],
    ['content-type', 'application/x-amz-json-1.1'],
  ];
  const auth = (value: string): Array<[string, string]> => [...base, ['authorization', value]];
  const SIG = 'a'.repeat(64);
  const GOOD_CREDENTIAL = `${KEY_ID}/20240524/us-east-1/kms/aws4_request`;
  const cases: Array<[string, Array<[string, string]>, string, string | RegExp, string?]> = [
    ['no Authorization header and no query signature', base, 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    [
      'an Authorization header with nothing in it',
      auth('AWS4-HMAC-SHA256'),
      'IncompleteSignatureException',
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
    ],
    [
      'no date header at all',
      [['host', 'h'], ['authorization', `AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=${SIG}`]],
      'IncompleteSignatureException',
      /Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4-HMAC-SHA256 Credential=/,
    ],
    ['another algorithm', auth(`AWS4-HMAC-SHA512 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=${SIG}`), 'IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'"],
    ['a parameter without "="', auth(`AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders, Signature=${SIG}`), 'IncompleteSignatureException', /^'SignedHeaders' not a valid key=value pair \(missing equal-sign\) in Authorization header/],
    ['Host not signed', auth(`AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=x-amz-date, Signature=${SIG}`), 'InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."],
    ['a credential of four elements', auth(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240524/us-east-1/kms, SignedHeaders=host, Signature=${SIG}`), 'IncompleteSignatureException', /^Credential must have exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got '/],
    [
      'a scope date that is not X-Amz-Date\'s day',
      auth(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240523/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=${SIG}`),
      'InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240523' != '20240524', from '20240524T102030Z'.",
    ],
    ['another service', auth(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240524/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=${SIG}`), 'InvalidSignatureException', "Credential should be scoped to correct service: 'kms'. "],
    ['a region the endpoint does not serve', auth(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240524/Mars_1/kms/aws4_request, SignedHeaders=host, Signature=${SIG}`), 'InvalidSignatureException', "Credential should be scoped to a valid region, not 'Mars_1'. "],
    ['another terminator', auth(`AWS4-HMAC-SHA256 Credential=${KEY_ID}/20240524/us-east-1/kms/aws4_reqest, SignedHeaders=host, Signature=${SIG}`), 'InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reqest'. "],
    [
      'an X-Amz-Date that is not ISO 8601 basic format',
      [['host', 'h'], ['x-amz-date', '2024-05-24T10:20:30Z'], ['authorization', `AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=${SIG}`]],
      'IncompleteSignatureException',
      "Date must be in ISO-8601 'basic format'. Got '2024-05-24T10:20:30Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    ],
    ['a day that does not exist', [['host', 'h'], ['x-amz-date', '20240230T102030Z'], ['authorization', `AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=${SIG}`]], 'IncompleteSignatureException', /^Date must be in ISO-8601 'basic format'/],
    ['a signature that is not hex', auth(`AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=${'z'.repeat(64)}`), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE],
    ['a signature of the wrong length', auth(`AWS4-HMAC-SHA256 Credential=${GOOD_CREDENTIAL}, SignedHeaders=host, Signature=abc`), 'InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE],
  ];
  for (const [name, headers, exception, message, pathAndQuery] of cases) {
    it(`${name}: ${exception}`, () => {
      const error = refusal(request('POST', pathAndQuery ?? '/', headers, '{}'), options);
      assert.equal(error.name, exception);
      if (typeof message === 'string') assert.equal(error.message, message);
      else assert.match(error.message, message);
    });
  }

  it('both a query signature and an Authorization header: InvalidSignatureException', () => {
    const error = refusal(request('POST', '/?X-Amz-Algorithm=AWS4-HMAC-SHA256', [...base, ['authorization', 'AWS4-HMAC-SHA256 Credential=x']], '{}'), options);
    assert.deepEqual([error.name, error.message], ['InvalidSignatureException', "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header."]);
  });

  it('a query signature without its parameters: IncompleteSignatureException listing them', () => {
    const error = refusal(request('POST', '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240524T102030Z', base, '{}'), options);
    assert.equal(error.name, 'IncompleteSignatureException');
    assert.equal(
      error.message,
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
    );
  });
});

describe('SigV4: signing keys and the comparison', () => {
  it('derives the signing key of the AWS General Reference example', () => {
    // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
    const key = deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
    assert.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('compares signatures with crypto.timingSafeEqual, 32 bytes against 32 bytes, wherever they differ', async () => {
    const calls: Array<[number, number]> = [];
    const original = nodeCrypto.timingSafeEqual;
    (nodeCrypto as { timingSafeEqual: typeof original }).timingSafeEqual = (a, b) => {
      calls.push([a.byteLength, b.byteLength]);
      return original(a, b);
    };
    try {
      const { headers, body } = await signed();
      for (const change of [(s: string) => (s[0] === '0' ? '1' : '0') + s.slice(1), (s: string) => s.slice(0, -1) + (s.at(-1) === '0' ? '1' : '0')]) {
        const changed = Object.entries(headers).map(([k, v]): [string, string] => [k, k === 'authorization' ? v.replace(/Signature=([0-9a-f]{64})/, (_m, sig: string) => `Signature=${change(sig)}`) : v]);
        assert.equal(refusal(request('POST', '/', changed, body), options).name, 'InvalidSignatureException');
      }
      assert.deepEqual(calls, [[32, 32], [32, 32]]);
    } finally {
      (nodeCrypto as { timingSafeEqual: typeof original }).timingSafeEqual = original;
    }
  });

  it('a signature that is not 64 hex digits is refused before the comparison, without throwing', () => {
    const expected = new Uint8Array(32);
    assert.equal(signatureMatches(expected, '00'.repeat(32)), true);
    for (const given of ['', '00', '00'.repeat(33), 'AA'.repeat(32), 'zz'.repeat(32)]) assert.equal(signatureMatches(expected, given), false, given);
  });
});

describe('SigV4: hostile input', () => {
  it('whatever the Authorization header, date, query and signed headers hold, the verifier answers with a KmsError', () => {
    const part = fc.oneof(fc.string(), fc.constantFrom('AWS4-HMAC-SHA256', 'Credential=', 'SignedHeaders=', 'Signature=', '/', ';', ',', ' ', '=', '%', '%zz', 'host', 'x-amz-date', 'aws4_request', 'kms', 'us-east-1', KEY_ID, '20240524', '20240524T102030Z'));
    const text = fc.array(part, { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, text, text, fc.boolean(), (authorization, date, query, withAuthorization) => {
        const headers: Array<[string, string]> = [['host', '127.0.0.1:4599'], ['x-amz-date', date]];
        if (withAuthorization) headers.push(['authorization', authorization]);
        try {
          verifySigV4(request('POST', query ? `/?${query}` : '/', headers, '{}'), options);
          return false; // nothing random may verify
        } catch (error) {
          return error instanceof KmsError;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
