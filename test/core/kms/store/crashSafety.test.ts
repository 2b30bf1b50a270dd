import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { isTempFile } from '../../../../core/kms/store/atomicFile';
import type { AliasRecord } from '../../../../core/kms/store/kmsStore';
import { ROOT_KEY, ROOT_KEY_BASE64, STORE_CHILD, filesUnder, materialFor, spawnNode, tempDir, within } from './helpers';

interface ChildRecord {
  n?: number;
  count?: number;
  pad?: string;
}

const REGION = 'us-east-1';
const ITERATIONS = 8;

describe('FolderStore after a writer is killed with SIGKILL mid-write', () => {
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    // Kill after a random number of acknowledged writes plus a random delay within the next key's write and
    // transaction (about 60 ms together here), so kills land at different steps: temp written, renamed, folder
    // fsynced, version bumped, lock held.
    const killAfter = 1 + Math.floor(Math.random() * 20);
    const killDelayMs = Math.floor(Math.random() * 60);

    it(`loads with every acknowledged key intact (run ${iteration + 1}, killed ${killDelayMs} ms after ack ${killAfter})`, async () => {
      const dir = tempDir('kms-crash');
      const acked: number[] = [];
      const child = spawnNode(STORE_CHILD, ['crash', dir], { KMS_STUDIO_ROOT_KEY: ROOT_KEY_BASE64 }, (line, c) => {
        const match = /^ack (\d+)$/.exec(line);
        if (!match) return;
        acked.push(Number(match[1]));
        if (acked.length === killAfter) setTimeout(() => c.process.kill('SIGKILL'), killDelayMs);
      });
      const ended = await within(child.exited, 60_000, 'the writer to be killed');
      assert.equal(ended, 'SIGKILL', `the writer ended on its own: ${child.stderr()}`);
      assert.ok(acked.length >= killAfter, `only ${acked.length} writes were acknowledged`);
      // Acks printed after the kill was decided but before it landed count too: they were acknowledged.

      const leftovers = filesUnder(dir).filter((f) => isTempFile(path.basename(f)));
      // Opening verifies every record and unwraps every blob; a torn file would throw here.
      const store = FolderStore.open<ChildRecord, AliasRecord>(dir, ROOT_KEY);
      const last = acked[acked.length - 1]!;

      for (const i of acked) {
        const key = store.readKey(REGION, `k${i}`);
        assert.ok(key, `acknowledged key k${i} is missing`);
        assert.equal(key.record.n, i);
        assert.deepEqual(key.material.get('v1'), materialFor(`k${i}`));
      }
      // Only acknowledged keys, the one in flight when killed, and the counter: nothing made of temp files.
      const listed = store.listKeys(REGION).map((k) => k.keyId);
      const allowed = new Set([...acked.map((i) => `k${i}`), `k${last + 1}`, 'counter']);
      for (const keyId of listed) assert.ok(allowed.has(keyId), `unexpected key ${keyId}`);
      const inFlight = store.readKey(REGION, `k${last + 1}`);
      if (inFlight) assert.deepEqual(inFlight.material.get('v1'), materialFor(`k${last + 1}`));

      // The counter and alias list were updated under the lock after each key: the last acknowledged update is
      // there, or the one in flight.
      const count = store.readKey(REGION, 'counter')!.record.count!;
      assert.ok(count === last + 1 || count === last + 2, `counter ${count} after ${last + 1} acknowledged updates`);
      const aliases = store.readAliases(REGION);
      for (const i of acked) assert.equal(aliases.get(`alias/a${i}`)?.targetKeyId, `k${i}`);

      for (const file of leftovers) assert.ok(!filesUnder(dir).includes(file), `temp file ${file} was left after open`);
      // And the store is usable: the stale lock (if the kill left one) was broken.
      store.writeKey(REGION, 'after-crash', { n: -1 }, new Map([['v1', materialFor('after-crash')]]));
    });
  }
});
