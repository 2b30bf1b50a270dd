import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { decodeRequest, encodeResponse, validateRequest } from '../../../../core/kms/model/codec';
import { KmsError } from '../../../../core/kms/errors';

function errorOf(fn: () => unknown): KmsError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof KmsError, String(e));
    return e;
  }
  assert.fail('expected an error');
}

describe('KMS request codec', () => {
  it('decodes base64 blobs to bytes and keeps the model members only', () => {
    const req = decodeRequest('Encrypt', { KeyId: 'alias/app', Plaintext: 'aGVsbG8=', EncryptionContext: { a: 'b' }, Extra: 1 });
    assert.deepEqual(Object.keys(req).sort(), ['EncryptionContext', 'KeyId', 'Plaintext']);
    assert.deepEqual([...(req['Plaintext'] as Uint8Array)], [...Buffer.from('hello')]);
  });

  const wrongTypes: Array<[string, unknown, RegExp]> = [
    ['a number for a string', { KeyId: 5, Plaintext: 'aGk=' }, /string at 'keyId'/],
    ['text that is not base64', { KeyId: 'k', Plaintext: 'not base64!' }, /base64 at 'plaintext'/],
    ['a list for a map', { KeyId: 'k', Plaintext: 'aGk=', EncryptionContext: ['a'] }, /map at 'encryptionContext'/],
    ['a string for a list', { KeyId: 'k', Plaintext: 'aGk=', GrantTokens: 'token' }, /list at 'grantTokens'/],
    ['a body that is a list', [1, 2], /object/],
  ];
  for (const [name, body, message] of wrongTypes) {
    it(`refuses ${name} with SerializationException`, () => {
      const e = errorOf(() => decodeRequest('Encrypt', body));
      assert.equal(e.name, 'SerializationException');
      assert.match(e.message, message);
    });
  }

  it('validates as AWS does, listing every violation with lowerCamelCase member names', () => {
    const e = errorOf(() => validateRequest('GenerateDataKey', { KeyId: '', NumberOfBytes: 2000, KeySpec: 'AES_512' }));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /^3 validation errors detected: /);
    assert.match(e.message, /Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    assert.match(e.message, /Value '2000' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024/);
    assert.match(e.message, /Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[AES_256, AES_128\]/);
  });

  it('names a missing required member', () => {
    const e = errorOf(() => validateRequest('Encrypt', { KeyId: 'k' }));
    assert.equal(e.message, "1 validation error detected: Value null at 'plaintext' failed to satisfy constraint: Member must not be null");
  });

  it('refuses a wrong type anywhere before wording any constraint, and lists missing members first', () => {
    // Eleven tokens break the list's limit, but the twelfth is no string: SerializationException, and the
    // symbol is never turned into text for a message.
    const tokens = [...Array<string>(11).fill('t'), Symbol('x')];
    const wrong = errorOf(() => validateRequest('Encrypt', { KeyId: 'k', Plaintext: new Uint8Array(1), GrantTokens: tokens }));
    assert.equal(wrong.name, 'SerializationException');
    assert.equal(wrong.message, "Expected a string at 'grantTokens.12.member'");
    // Members are read in the model's order, the first of the wrong type decides, and nothing after it is read.
    const request = Object.defineProperty({ KeyId: 5 }, 'Plaintext', { enumerable: true, get: () => assert.fail('read after a wrong type') });
    assert.equal(errorOf(() => validateRequest('Encrypt', request)).message, "Expected a string at 'keyId'");
    const both = errorOf(() => validateRequest('Encrypt', { KeyId: '', EncryptionAlgorithm: 'NONE' }));
    assert.match(both.message, /^3 validation errors detected: Value null at 'plaintext'.*; Value '' at 'keyId'.*; Value 'NONE' at 'encryptionAlgorithm'/);
  });

  it('enforces the 4096-byte plaintext limit and the alias pattern', () => {
    assert.match(errorOf(() => validateRequest('Encrypt', { KeyId: 'k', Plaintext: new Uint8Array(4097) })).message, /length less than or equal to 4096/);
    assert.doesNotThrow(() => validateRequest('Encrypt', { KeyId: 'k', Plaintext: new Uint8Array(4096) }));
    assert.match(errorOf(() => validateRequest('CreateAlias', { AliasName: 'alias/has space', TargetKeyId: 'k' })).message, /regular expression pattern/);
  });

  it('encodes responses with base64 blobs and epoch-second dates', () => {
    const wire = encodeResponse('DescribeKey', { KeyMetadata: { KeyId: 'k', CreationDate: new Date(1_700_000_000_500), Enabled: true } });
    assert.deepEqual(wire, { KeyMetadata: { KeyId: 'k', CreationDate: 1_700_000_000.5, Enabled: true } });
    const enc = encodeResponse('Encrypt', { CiphertextBlob: new Uint8Array([1, 2, 3]), KeyId: 'arn' });
    assert.equal(enc['CiphertextBlob'], 'AQID');
  });
});
