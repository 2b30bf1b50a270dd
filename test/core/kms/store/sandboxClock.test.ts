import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ManualClock, SandboxClock, systemClock } from '../../../../core/kms/clock';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { MemoryStore } from '../../../../core/kms/store/memoryStore';
import { ROOT_KEY, tempDir } from './helpers';

const DAY = 86_400_000;

describe('ManualClock', () => {
  it('stands still until set or advanced', () => {
    const clock = new ManualClock('2024-03-01T00:00:00Z');
    assert.equal(clock.now().toISOString(), '2024-03-01T00:00:00.000Z');
    assert.equal(clock.advance(1.5).toISOString(), '2024-03-02T12:00:00.000Z');
    clock.advanceMs(1000);
    assert.equal(clock.now().toISOString(), '2024-03-02T12:00:01.000Z');
    clock.set(0);
    assert.equal(clock.now().getTime(), 0);
  });

  it('refuses to run backwards or to start at an invalid time', () => {
    const clock = new ManualClock();
    assert.throws(() => clock.advance(-1), RangeError);
    assert.throws(() => clock.advanceMs(Number.POSITIVE_INFINITY), RangeError);
    assert.throws(() => new ManualClock('not a date'), RangeError);
  });
});

describe('systemClock', () => {
  it('reads real time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    assert.ok(now >= before && now <= Date.now());
  });
});

describe('SandboxClock', () => {
  it('is the base clock plus the offset the store keeps', () => {
    const base = new ManualClock('2024-01-01T00:00:00Z');
    const clock = new SandboxClock(new MemoryStore(), base);
    assert.equal(clock.now().toISOString(), '2024-01-01T00:00:00.000Z');
    assert.equal(clock.advance(30).toISOString(), '2024-01-31T00:00:00.000Z');
    base.advance(1);
    assert.equal(clock.now().toISOString(), '2024-02-01T00:00:00.000Z');
    assert.equal(clock.offsetMs(), 30 * DAY);
  });

  it('shares its advance with every process using the store (as `kms-studio clock advance` needs)', () => {
    const dir = tempDir('kms-clock');
    const base = new ManualClock('2024-01-01T00:00:00Z');
    const cli = new SandboxClock(FolderStore.open(dir, ROOT_KEY), base);
    const vscode = new SandboxClock(FolderStore.open(dir, ROOT_KEY), base);
    cli.advance(7);
    assert.equal(vscode.now().toISOString(), '2024-01-08T00:00:00.000Z');
    vscode.advance(0.5);
    assert.equal(new SandboxClock(FolderStore.open(dir, ROOT_KEY), base).now().toISOString(), '2024-01-08T12:00:00.000Z');
  });

  it('never runs backwards, and resets to system time', () => {
    const store = new MemoryStore();
    const clock = new SandboxClock(store, new ManualClock('2024-01-01T00:00:00Z'));
    clock.advance(3);
    assert.throws(() => clock.advance(-1), RangeError);
    assert.equal(store.readClockOffset(), 3 * DAY);
    clock.reset();
    assert.equal(clock.now().toISOString(), '2024-01-01T00:00:00.000Z');
  });
});
