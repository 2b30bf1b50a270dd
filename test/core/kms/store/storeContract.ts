/**
 * The behaviour every KmsStore shares, run against FolderStore and MemoryStore alike so the in-memory store the
 * KMS layer's unit tests use cannot drift from the real one.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InvalidStoreNameError } from '../../../../core/kms/store/errors';
import type { AliasRecord, KmsStore } from '../../../../core/kms/store/kmsStore';
import { within } from './helpers';

export interface TestRecord {
  description: string;
  keyState?: string;
  policy?: unknown;
  createdAt?: string | Date;
  data?: unknown;
}

const bytes = (...values: number[]) => new Uint8Array(values);

function alias(targetKeyId: string): AliasRecord {
  return { targetKeyId, creationDate: '2024-01-01T00:00:00.000Z', lastUpdatedDate: '2024-01-01T00:00:00.000Z' };
}

export function describeStoreContract(name: string, open: () => KmsStore<TestRecord>): void {
  describe(`${name} (the KmsStore contract)`, () => {
    it('returns undefined for a key that was never written', () => {
      assert.equal(open().readKey('us-east-1', 'missing'), undefined);
    });

    it('reads back the record and material that were written', () => {
      const store = open();
      store.writeKey('us-east-1', 'k1', { description: 'first', policy: { Statement: [] } }, new Map([['v1', bytes(1, 2, 3)], ['v2', bytes(4)]]));
      const key = store.readKey('us-east-1', 'k1')!;
      assert.deepEqual(key.record, { description: 'first', policy: { Statement: [] } });
      assert.deepEqual([...key.material.keys()].sort(), ['v1', 'v2']);
      assert.deepEqual([...key.material.get('v1')!], [1, 2, 3]);
      assert.deepEqual([...key.material.get('v2')!], [4]);
    });

    it('keeps the material when a record is rewritten without material', () => {
      const store = open();
      store.writeKey('us-east-1', 'k1', { description: 'first' }, new Map([['v1', bytes(9, 9)]]));
      store.writeKey('us-east-1', 'k1', { description: 'policy changed' });
      const key = store.readKey('us-east-1', 'k1')!;
      assert.equal(key.record.description, 'policy changed');
      assert.deepEqual([...key.material.get('v1')!], [9, 9]);
    });

    it('replaces all material when material is given', () => {
      const store = open();
      store.writeKey('us-east-1', 'k1', { description: 'a' }, new Map([['v1', bytes(1)]]));
      store.writeKey('us-east-1', 'k1', { description: 'a' }, new Map([['v2', bytes(2)]]));
      assert.deepEqual([...store.readKey('us-east-1', 'k1')!.material.keys()], ['v2']);
    });

    it('hands out copies: changing what was read or written does not change the store', () => {
      const store = open();
      const record: TestRecord = { description: 'original' };
      const material = bytes(1, 2);
      store.writeKey('us-east-1', 'k1', record, new Map([['v1', material]]));
      record.description = 'mutated after write';
      material[0] = 99;
      const read = store.readKey('us-east-1', 'k1')!;
      read.record.description = 'mutated after read';
      read.material.get('v1')![1] = 99;
      const again = store.readKey('us-east-1', 'k1')!;
      assert.equal(again.record.description, 'original');
      assert.deepEqual([...again.material.get('v1')!], [1, 2]);
    });

    it('stores records as JSON: a Date comes back as its ISO string', () => {
      const store = open();
      store.writeKey('us-east-1', 'k1', { description: 'd', createdAt: new Date('2024-05-01T00:00:00Z') });
      assert.equal(store.readKey('us-east-1', 'k1')!.record.createdAt, '2024-05-01T00:00:00.000Z');
    });

    it('refuses binary data inside a record, where it would be written unwrapped', () => {
      const store = open();
      assert.throws(() => store.writeKey('us-east-1', 'k1', { description: 'x', data: { nested: [Buffer.from('secret')] } }), /record\.data\.nested\[0\] holds binary data/);
      assert.equal(store.readKey('us-east-1', 'k1'), undefined);
    });

    it('refuses names that could leave the store folder', () => {
      const store = open();
      for (const [region, keyId] of [['../etc', 'k'], ['us-east-1', '../k'], ['us-east-1', 'a/b'], ['US-EAST-1', 'k'], ['us-east-1', '']]) {
        assert.throws(() => store.writeKey(region!, keyId!, { description: 'x' }), InvalidStoreNameError, `${region} ${keyId}`);
        assert.throws(() => store.readKey(region!, keyId!), InvalidStoreNameError, `${region} ${keyId}`);
      }
      assert.throws(() => store.writeKey('us-east-1', 'k', { description: 'x' }, new Map([['../v1', bytes(1)]])), InvalidStoreNameError);
    });

    it('deletes a key and says whether it existed', () => {
      const store = open();
      store.writeKey('us-east-1', 'k1', { description: 'a' });
      assert.equal(store.deleteKey('us-east-1', 'k1'), true);
      assert.equal(store.readKey('us-east-1', 'k1'), undefined);
      assert.equal(store.deleteKey('us-east-1', 'k1'), false);
    });

    it('lists keys sorted by region then key ID, or one region only', () => {
      const store = open();
      store.writeKey('us-west-2', 'b', { description: 'w-b' });
      store.writeKey('eu-west-1', 'z', { description: 'e-z' });
      store.writeKey('us-west-2', 'a', { description: 'w-a' });
      assert.deepEqual(
        store.listKeys().map((k) => `${k.region}/${k.keyId}=${k.record.description}`),
        ['eu-west-1/z=e-z', 'us-west-2/a=w-a', 'us-west-2/b=w-b'],
      );
      assert.deepEqual(store.listKeys('us-west-2').map((k) => k.keyId), ['a', 'b']);
      assert.deepEqual(store.listKeys('ap-south-1'), []);
    });

    it('lists the regions that have keys or aliases, and forgets a region left empty', () => {
      const store = open();
      store.writeKey('us-west-2', 'a', { description: 'a' });
      store.writeAliases('eu-west-1', new Map([['alias/x', alias('a')]]));
      assert.deepEqual(store.listRegions(), ['eu-west-1', 'us-west-2']);
      store.deleteKey('us-west-2', 'a');
      store.writeAliases('eu-west-1', new Map());
      assert.deepEqual(store.listRegions(), []);
    });

    it('keeps aliases per region', () => {
      const store = open();
      store.writeAliases('us-east-1', new Map([['alias/b', alias('k2')], ['alias/a', alias('k1')]]));
      store.writeAliases('us-west-2', new Map([['alias/a', alias('k9')]]));
      assert.deepEqual([...store.readAliases('us-east-1').keys()], ['alias/a', 'alias/b']);
      assert.equal(store.readAliases('us-east-1').get('alias/b')!.targetKeyId, 'k2');
      assert.equal(store.readAliases('us-west-2').get('alias/a')!.targetKeyId, 'k9');
      assert.equal(store.readAliases('eu-west-1').size, 0);
    });

    it('keeps an alias named like an object prototype key as plain data', () => {
      const store = open();
      store.writeAliases('us-east-1', new Map([['__proto__', alias('k1')]]));
      assert.equal(store.readAliases('us-east-1').get('__proto__')!.targetKeyId, 'k1');
    });

    it('runs nested transactions under one lock', () => {
      const store = open();
      const result = store.withLock((tx) => tx.withLock((inner) => {
        inner.writeKey('us-east-1', 'k1', { description: 'nested' });
        return 42;
      }));
      assert.equal(result, 42);
      assert.equal(store.readKey('us-east-1', 'k1')!.record.description, 'nested');
    });

    it('refuses an async transaction, whose work would run after the lock is released', () => {
      const store = open();
      assert.throws(() => store.withLock(async () => 1), /synchronous/);
    });

    it('changes its version on each committed write and not on reads', () => {
      const store = open();
      const v0 = store.version();
      store.readKey('us-east-1', 'k1');
      store.listKeys();
      assert.equal(store.version(), v0);
      store.writeKey('us-east-1', 'k1', { description: 'a' });
      const v1 = store.version();
      assert.notEqual(v1, v0);
      store.withLock((tx) => {
        tx.writeKey('us-east-1', 'k2', { description: 'b' });
        tx.writeKey('us-east-1', 'k3', { description: 'c' });
      });
      assert.notEqual(store.version(), v1);
    });

    it('tells a watcher about a change', async () => {
      const store = open();
      let resolve: (version: string) => void;
      const changed = new Promise<string>((r) => (resolve = r));
      const watcher = store.watch((change) => resolve(change.version));
      try {
        store.writeKey('us-east-1', 'k1', { description: 'a' });
        const version = await within(changed, 5000, 'the change notification');
        assert.equal(version, store.version());
      } finally {
        watcher.dispose();
      }
    });

    it('keeps the sandbox clock offset, refusing a negative one', () => {
      const store = open();
      assert.equal(store.readClockOffset(), 0);
      store.writeClockOffset(86_400_000);
      assert.equal(store.readClockOffset(), 86_400_000);
      assert.throws(() => store.writeClockOffset(-1), RangeError);
      assert.throws(() => store.writeClockOffset(Number.NaN), RangeError);
    });
  });
}
