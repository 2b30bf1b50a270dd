import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePieces, compileWildcard, matchWildcard, wildcardMatches, type WorkCounter } from '../../../core/authz/wildcard';

describe('wildcard matching', () => {
  const table: Array<[pattern: string, text: string, expected: boolean]> = [
    ['*', '', true],
    ['*', 'kms:Decrypt', true],
    ['kms:*', 'kms:Decrypt', true],
    ['kms:De*', 'kms:Decrypt', true],
    ['kms:*crypt', 'kms:Decrypt', true],
    ['kms:*crypt', 'kms:Decrypts', false],
    ['kms:Decrypt', 'kms:Decrypt', true],
    ['kms:Decrypt', 'kms:Decryp', false],
    ['kms:Decryp?', 'kms:Decrypt', true],
    ['kms:Decryp?', 'kms:Decryp', false],
    ['kms:?', 'kms:', false],
    ['kms:GenerateDataKey*', 'kms:GenerateDataKeyWithoutPlaintext', true],
    ['kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', false],
    ['kms:ReEncrypt*', 'kms:ReEncryptFrom', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'acb', false],
    ['a*a', 'a', false],
    ['a**a', 'aa', true],
    ['*a*', 'bab', true],
    ['?*?', 'ab', true],
    ['?*?', 'a', false],
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:us-west-2:111122223333:key/abcd', true],
    ['arn:aws:kms:*:111122223333:key/*', 'arn:aws:kms:us-west-2:444455556666:key/abcd', false],
  ];
  for (const [pattern, text, expected] of table) {
    it(`${expected ? 'matches' : 'does not match'} "${text}" with "${pattern}"`, () => {
      assert.equal(wildcardMatches(pattern, text), expected);
    });
  }

  it('compares without case only when asked (actions), and with case otherwise (ARNs, StringLike)', () => {
    assert.equal(wildcardMatches('KMS:decrypt', 'kms:Decrypt', true), true);
    assert.equal(wildcardMatches('KMS:decrypt', 'kms:Decrypt', false), false);
    assert.equal(wildcardMatches('kms:DE*', 'kms:Decrypt', true), true);
  });

  it('treats literal pieces as text, so an escaped * matches only a *', () => {
    const pattern = compilePieces([{ literal: 'a' }, { literal: '*' }, { wildcard: '*' }]);
    assert.equal(matchWildcard(pattern, 'a*xyz'), true);
    assert.equal(matchWildcard(pattern, 'abxyz'), false);
  });

  it('agrees with a reference regular expression on random patterns', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 8 }), fc.array(fc.constantFrom('a', 'b'), { maxLength: 10 }), (p, t) => {
        const pattern = p.join('');
        const text = t.join('');
        const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
        return wildcardMatches(pattern, text) === regex.test(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('does work linear in the text for a pattern that makes backtracking matchers explode', () => {
    const n = 100_000;
    const pattern = `${'a*'.repeat(50)}b`;
    const text = 'a'.repeat(n);
    const counter: WorkCounter = { steps: 0 };
    assert.equal(matchWildcard(compileWildcard(pattern), text, counter), false);
    assert.ok(counter.steps <= 4 * (n + pattern.length), `took ${counter.steps} steps for ${n} characters`);

    const matching: WorkCounter = { steps: 0 };
    assert.equal(matchWildcard(compileWildcard(pattern), `${text}b`, matching), true);
    assert.ok(matching.steps <= 4 * (n + pattern.length), `took ${matching.steps} steps`);
  });
});

describe('wildcard matching work bounds (hostile patterns and texts)', () => {
  it('does work linear in the text for a long literal segment between stars', () => {
    // A middle segment that almost matches everywhere: a naive scan compares ~segment length characters at
    // every position of the text.
    const n = 100_000;
    const pattern = `*${'a'.repeat(5000)}b*`;
    const text = 'a'.repeat(n);
    const counter: WorkCounter = { steps: 0 };
    assert.equal(matchWildcard(compileWildcard(pattern), text, counter), false);
    assert.ok(counter.steps <= 4 * (n + pattern.length), `took ${counter.steps} steps for ${n} characters`);

    const hit: WorkCounter = { steps: 0 };
    assert.equal(matchWildcard(compileWildcard(pattern), `${text}b${text}`, hit), true);
    assert.ok(hit.steps <= 4 * (2 * n + pattern.length), `took ${hit.steps} steps`);
  });

  it('bounds the work of a segment with ? by text length × one step per 32 pattern characters', () => {
    const n = 100_000;
    const segment = `${'a?'.repeat(2500)}b`;
    const pattern = `*${segment}*`;
    const text = 'a'.repeat(n);
    const counter: WorkCounter = { steps: 0 };
    assert.equal(matchWildcard(compileWildcard(pattern), text, counter), false);
    const words = Math.ceil(segment.length / 32);
    assert.ok(counter.steps <= 4 * (n + pattern.length) * words, `took ${counter.steps} steps for ${n} characters`);
  });

  it('agrees with a reference regular expression on long random patterns and texts', () => {
    // Long enough that segments span several 32-character words and literal runs repeat.
    const alphabet = fc.constantFrom('a', 'a', 'b', '*', '?');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 90 }), fc.array(fc.constantFrom('a', 'a', 'b'), { maxLength: 160 }), (p, t) => {
        const pattern = p.join('');
        const text = t.join('');
        const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
        return wildcardMatches(pattern, text) === regex.test(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with a reference regular expression when a long segment sits between stars', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '?'), { minLength: 30, maxLength: 70 }),
        fc.array(fc.constantFrom('a', 'b'), { maxLength: 200 }),
        (segment, t) => {
          const pattern = `a*${segment.join('')}*b`;
          const text = t.join('');
          const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
          return wildcardMatches(pattern, text) === regex.test(text);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
