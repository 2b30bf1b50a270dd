import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { canonicalHeaderValue, canonicalQueryString, canonicalUri, normalizeQueryComponent, parseQuery, uriEncode } from '../../../core/wire/canonicalRequest';

describe('canonical request parts (AWS General Reference, "Create a canonical request")', () => {
  it("UriEncode leaves only A-Z a-z 0-9 - . _ ~ and encodes !'()* too, as encodeURIComponent does not", () => {
    assert.equal(uriEncode('AZaz09-._~'), 'AZaz09-._~');
    assert.equal(uriEncode("!'()*"), '%21%27%28%29%2A');
    assert.equal(uriEncode('a b/c+ሴ'), 'a%20b%2Fc%2B%E1%88%B4');
  });

  const uris: Array<[string, string]> = [
    ['/', '/'],
    ['', '/'],
    ['//', '/'],
    ['/a/./b/../c', '/a/c'],
    ['/a//b/', '/a/b/'],
    ['/a%20b', '/a%2520b'],
    ['/-._~', '/-._~'],
  ];
  for (const [path, canonical] of uris) {
    it(`the canonical URI of ${JSON.stringify(path)} is ${canonical} (segments normalized, encoded once more)`, () => {
      assert.equal(canonicalUri(path), canonical);
    });
  }

  it('the canonical query string: sorted by name then value, every name and value in SigV4 encoding, no X-Amz-Signature', () => {
    assert.equal(canonicalQueryString(parseQuery('b=2&a=2&a=1&X-Amz-Signature=abc&c')), 'a=1&a=2&b=2&c=');
    assert.equal(canonicalQueryString(parseQuery('k=a+b&s=%7e&t=%2a&u=*')), 'k=a%2Bb&s=~&t=%2A&u=%2A');
    assert.equal(canonicalQueryString(parseQuery('')), '');
  });

  it('a broken escape in the query is MalformedQueryString', () => {
    assert.throws(() => normalizeQueryComponent('%zz'), { name: 'MalformedQueryString', message: 'Illegal hex character in escape % pattern: %zz' });
    assert.throws(() => normalizeQueryComponent('ab%2'), { name: 'MalformedQueryString', message: 'Incomplete trailing escape % sequence' });
  });

  it('header values: runs of spaces folded, ends trimmed, several values joined by commas', () => {
    assert.equal(canonicalHeaderValue(['  a   b\tc  ']), 'a b c');
    assert.equal(canonicalHeaderValue(['value2', ' value1 ']), 'value2,value1');
    assert.equal(canonicalHeaderValue(['"a   b   c"']), '"a b c"');
  });
});
