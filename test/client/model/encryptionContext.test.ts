import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  EncryptionContextSyntaxError,
  encryptionContextFrom,
  formatEncryptionContext,
  parseEncryptionContext,
} from '../../../client/src/model/encryptionContext';

describe('parseEncryptionContext', () => {
  const accepted: Array<[string, Record<string, string> | undefined]> = [
    ['', undefined],
    ['   ', undefined],
    ['{}', undefined],
    ['app=payments', { app: 'payments' }],
    [' app = payments , team=blue ', { app: 'payments', team: 'blue' }],
    ['token=abc==', { token: 'abc==' }],
    ['empty=', { empty: '' }],
    ['{"app": "payments", "a,b": "c=d"}', { app: 'payments', 'a,b': 'c=d' }],
  ];
  for (const [text, expected] of accepted) {
    it(`reads ${JSON.stringify(text)}`, () => assert.deepEqual(parseEncryptionContext(text), expected));
  }

  const refused: Array<[string, RegExp]> = [
    ['app', /has no "="/],
    ['=payments', /no key before "="/],
    ['a=1,,b=2', /Pair 2 .* is empty/],
    ['a=1,', /Pair 2 .* is empty/],
    ['a=1,a=2', /"a" appears twice/],
    ['{"app": 1}', /value of "app" is number; AWS takes strings only/],
    ['{"app": null}', /is null/],
    ['{"app": "x"', /not valid JSON/],
    ['{"": "x"}', /key cannot be empty/],
  ];
  for (const [text, message] of refused) {
    it(`refuses ${JSON.stringify(text)} saying what is wrong`, () => {
      assert.throws(() => parseEncryptionContext(text), (e: unknown) => e instanceof EncryptionContextSyntaxError && message.test(e.message));
    });
  }

  it('refuses a JSON array, which is not a map of strings', () => {
    assert.throws(() => encryptionContextFrom(['a']), EncryptionContextSyntaxError);
    assert.throws(() => parseEncryptionContext('{"a": ["x"]}'), /AWS takes strings only/);
  });
});

describe('encryptionContextFrom', () => {
  it('takes an object of strings as arguments give it, and text in either form', () => {
    assert.deepEqual(encryptionContextFrom({ app: 'payments' }), { app: 'payments' });
    assert.deepEqual(encryptionContextFrom('app=payments'), { app: 'payments' });
    assert.equal(encryptionContextFrom(undefined), undefined);
    assert.equal(encryptionContextFrom({}), undefined);
  });
  it('checks objects as strictly as text', () => {
    assert.throws(() => encryptionContextFrom({ n: 1 }), /AWS takes strings only/);
  });
});

describe('formatEncryptionContext', () => {
  it('writes pairs when they read back the same, JSON otherwise, and round-trips', () => {
    const contexts: Record<string, string>[] = [{ app: 'payments', team: 'blue' }, { 'a,b': 'c' }, { a: 'x=y' }, { a: ' padded ' }, { '{odd': 'v' }];
    for (const context of contexts) {
      assert.deepEqual(parseEncryptionContext(formatEncryptionContext(context)), context);
    }
    assert.equal(formatEncryptionContext({ app: 'payments', team: 'blue' }), 'app=payments,team=blue');
    assert.equal(formatEncryptionContext(undefined), '');
  });
});
