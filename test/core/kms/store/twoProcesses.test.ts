import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import type { AliasRecord } from '../../../../core/kms/store/kmsStore';
import { ROOT_KEY, ROOT_KEY_BASE64, STORE_CHILD, materialFor, spawnNode, tempDir, within } from './helpers';

interface ChildRecord {
  n?: number;
  count?: number;
  writer?: string;
}

const REGION = 'us-east-1';
const KEYS = 25;
const INCREMENTS = 25;

describe('two processes sharing one store', () => {
  it('lose no key and no update of a record both change under the lock', async () => {
    // No store yet: both processes race to create it, too.
    const dir = tempDir('kms-shared');
    const children = ['alpha', 'beta'].map((name) =>
      spawnNode(STORE_CHILD, ['shared', dir, name, String(KEYS), String(INCREMENTS)], { KMS_STUDIO_ROOT_KEY: ROOT_KEY_BASE64 }),
    );
    const codes = await within(Promise.all(children.map((c) => c.exited)), 120_000, 'both writers to finish');
    children.forEach((child, i) => assert.equal(codes[i], 0, child.stderr()));
    for (const child of children) assert.deepEqual(child.lines, ['done']);

    const store = FolderStore.open<ChildRecord, AliasRecord>(dir, ROOT_KEY);
    for (const name of ['alpha', 'beta']) {
      for (let i = 0; i < KEYS; i++) {
        const key = store.readKey(REGION, `${name}-k${i}`);
        assert.ok(key, `${name}-k${i} is missing`);
        assert.equal(key.record.writer, name);
        assert.deepEqual(key.material.get('v1'), materialFor(`${name}-k${i}`));
      }
    }
    assert.equal(store.listKeys(REGION).length, 2 * KEYS + 1);
    assert.equal(store.readKey(REGION, 'counter')!.record.count, 2 * INCREMENTS);
    assert.equal(store.readAliases(REGION).size, 2 * INCREMENTS);
  });
});
