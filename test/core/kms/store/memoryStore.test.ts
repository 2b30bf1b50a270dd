import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MemoryStore } from '../../../../core/kms/store/memoryStore';
import { describeStoreContract, type TestRecord } from './storeContract';

describeStoreContract('MemoryStore', () => new MemoryStore<TestRecord>());

describe('MemoryStore', () => {
  it('serves the identities and clock offset it was given', () => {
    const identities = [{ principal: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's', policies: [], tags: {} }];
    const store = new MemoryStore({ identities, clockOffsetMs: 5 });
    assert.deepEqual(store.readIdentities(), identities);
    assert.notEqual(store.readIdentities(), store.readIdentities());
    assert.equal(store.readClockOffset(), 5);
  });

  it('stops telling a disposed watcher', async () => {
    const store = new MemoryStore<TestRecord>();
    const seen: string[] = [];
    const watcher = store.watch((change) => seen.push(change.version));
    store.writeKey('us-east-1', 'k1', { description: 'a' });
    await Promise.resolve();
    watcher.dispose();
    store.writeKey('us-east-1', 'k1', { description: 'b' });
    await Promise.resolve();
    assert.deepEqual(seen, ['1']);
  });
});
