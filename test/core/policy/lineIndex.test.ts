import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndex } from '../../../core/policy/lineIndex';

describe('LineIndex', () => {
  it('maps offsets to 0-based lines and characters across \\n, \\r\\n and \\r', () => {
    const index = new LineIndex('ab\ncd\r\nef\rgh');
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
    assert.deepEqual(index.positionAt(10), { line: 3, character: 0 });
    assert.deepEqual(index.positionAt(12), { line: 3, character: 2 });
  });
  it('counts characters in UTF-16 code units, as LSP does', () => {
    const index = new LineIndex('"🔑" x');
    assert.deepEqual(index.positionAt(5), { line: 0, character: 5 });
  });
  it('clamps offsets outside the text', () => {
    const index = new LineIndex('a\nb');
    assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(99), { line: 1, character: 1 });
  });
});
