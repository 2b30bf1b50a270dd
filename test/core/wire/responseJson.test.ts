import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { operationModel, operationNames, shape, type MemberRef } from '../../../core/kms/model/apiModel';
import { encodeResponse } from '../../../core/kms/model/codec';
import { responseJson } from '../../../core/wire/responseJson';

/**
 * A value of every member of a shape, awkward where it can be: strings that need JSON escaping, binary that is
 * not text, a timestamp with a fraction of a second, lists and maps of two. Depth-limited for recursive shapes.
 */
function sample(ref: MemberRef, depth = 0): unknown {
  const s = shape(ref.shape);
  switch (s.type) {
    case 'structure':
      return depth > 4 ? {} : Object.fromEntries(Object.entries(s.members ?? {}).map(([name, member]) => [name, sample(member, depth + 1)]));
    case 'list':
      return [sample(s.member!, depth + 1), sample(s.member!, depth + 1)];
    case 'map':
      return { 'a "quoted" key': sample(s.value!, depth + 1), 'ключ\n': sample(s.value!, depth + 1) };
    case 'string':
      return s.enum ? s.enum[0] : 'text with "quotes", \\ a backslash, a\nnewline, \u2028 and 🔑';
    case 'integer':
      return 7;
    case 'boolean':
      return true;
    case 'blob':
      return new Uint8Array([0, 255, 62, 63, 10, 13, 34]);
    case 'timestamp':
      return new Date('2024-05-24T10:20:30.125Z');
  }
}

describe('responseJson writes exactly what JSON.stringify(encodeResponse(...)) writes', () => {
  for (const operation of operationNames()) {
    it(operation, () => {
      const output = operationModel(operation)?.output;
      const response = output ? sample({ shape: output }) : {};
      assert.equal(responseJson(operation, response), JSON.stringify(encodeResponse(operation, response)));
    });
  }

  it('leaves out absent members and answers {} for an operation without output', () => {
    assert.equal(responseJson('Encrypt', { KeyId: 'k', CiphertextBlob: undefined, EncryptionAlgorithm: null }), '{"KeyId":"k"}');
    assert.equal(responseJson('DisableKey', {}), '{}');
  });

  it('writes a Buffer and a Uint8Array over part of a larger buffer as their own bytes only', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    assert.equal(responseJson('GenerateRandom', { Plaintext: backing.subarray(2, 5) }), '{"Plaintext":"AQID"}');
    assert.equal(responseJson('GenerateRandom', { Plaintext: Buffer.from([1, 2, 3]) }), '{"Plaintext":"AQID"}');
  });
});
