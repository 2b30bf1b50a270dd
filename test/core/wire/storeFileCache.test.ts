import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cachedClockOffsets, identitiesFromFile } from '../../../core/wire/storeFileCache';
import { tempDir } from './wireHelpers';

/** Replaces `file` as the store and `kms-studio` do: a new file renamed over the old one. */
function rewrite(file: string, text: string): void {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

const identitiesText = (...accessKeyIds: string[]) =>
  JSON.stringify({ identities: accessKeyIds.map((accessKeyId) => ({ principal: 'arn:aws:iam::111122223333:root', accessKeyId, secretAccessKey: 's' })) });

/** What one request's synchronous run sees: each function called twice in it, as the KMS calls the clock. */
function oneRun<T>(read: () => T): [T, T] {
  return [read(), read()];
}

/** Lets the current synchronous run end, as a request's does before the next one is handled. */
const nextRun = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('identitiesFromFile: identities.json read again only when it changed', () => {
  it('the same array while the file is unchanged, the new identities on the next run after a rewrite', async () => {
    const file = path.join(tempDir(), 'identities.json');
    rewrite(file, identitiesText('AKIAFIRST00000000001'));
    const identities = identitiesFromFile(file);
    const first = identities();
    await nextRun();
    assert.equal(identities(), first, 'unchanged: the very same array, so what is cached per array survives');
    rewrite(file, identitiesText('AKIASECOND0000000001'));
    await nextRun();
    assert.deepEqual(identities().map((i) => i.accessKeyId), ['AKIASECOND0000000001']);
    fs.rmSync(file);
    await nextRun();
    assert.deepEqual(identities(), []);
  });

  it('one look per synchronous run: a run sees one version of the file throughout', async () => {
    const file = path.join(tempDir(), 'identities.json');
    rewrite(file, identitiesText('AKIAFIRST00000000001'));
    const identities = identitiesFromFile(file);
    const before = identities();
    rewrite(file, identitiesText('AKIASECOND0000000001'));
    assert.equal(identities(), before, 'a change during a run waits for the next run');
    await nextRun();
    const [a, b] = oneRun(identities);
    assert.equal(a, b);
    assert.deepEqual(a.map((i) => i.accessKeyId), ['AKIASECOND0000000001']);
  });

  it('a file that became invalid fails every run until it is fixed', async () => {
    const file = path.join(tempDir(), 'identities.json');
    rewrite(file, identitiesText('AKIAFIRST00000000001'));
    const identities = identitiesFromFile(file);
    identities();
    await nextRun();
    rewrite(file, '{"identities": [');
    await nextRun();
    assert.throws(() => identities());
    assert.throws(() => identities(), 'a failed read is not remembered, not even within the run');
    rewrite(file, identitiesText('AKIAFIXED00000000001'));
    await nextRun();
    assert.deepEqual(identities().map((i) => i.accessKeyId), ['AKIAFIXED00000000001']);
  });
});

describe('cachedClockOffsets: clock.json read again only when it changed', () => {
  function offsetStore(dir: string) {
    const file = path.join(dir, 'clock.json');
    let reads = 0;
    return {
      dir,
      get reads() {
        return reads;
      },
      readClockOffset: () => {
        reads++;
        return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { offsetMs: number }).offsetMs : 0;
      },
      writeClockOffset: (offsetMs: number) => rewrite(file, JSON.stringify({ offsetMs })),
      withLock: <T>(fn: () => T) => fn(),
    };
  }

  it('another process advancing the clock is seen on the next run; an unchanged file is not read again', async () => {
    const dir = tempDir();
    const store = offsetStore(dir);
    const offsets = cachedClockOffsets(store);
    assert.deepEqual(oneRun(() => offsets.readClockOffset()), [0, 0]);
    await nextRun();
    rewrite(path.join(dir, 'clock.json'), JSON.stringify({ offsetMs: 86_400_000 }));
    await nextRun();
    assert.deepEqual(oneRun(() => offsets.readClockOffset()), [86_400_000, 86_400_000]);
    const reads = store.reads;
    await nextRun();
    assert.equal(offsets.readClockOffset(), 86_400_000);
    assert.equal(store.reads, reads, 'unchanged: answered from the stamp, not read and parsed again');
  });

  it('a write through it is seen by the very next read, even within the run', () => {
    const offsets = cachedClockOffsets(offsetStore(tempDir()));
    assert.equal(offsets.readClockOffset(), 0);
    offsets.writeClockOffset(3_600_000);
    assert.equal(offsets.readClockOffset(), 3_600_000);
  });
});
