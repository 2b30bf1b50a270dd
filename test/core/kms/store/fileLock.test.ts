import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLock } from '../../../../core/kms/store/fileLock';
import { StoreLockTimeoutError } from '../../../../core/kms/store/errors';
import { spawnNode, tempDir, within } from './helpers';

function lockFile(): string {
  return path.join(tempDir('kms-lock'), '.lock');
}

function owner(pid: number, hostname = os.hostname(), token = 'stale-token') {
  return JSON.stringify({ pid, hostname, token, acquiredAt: '2024-01-01T00:00:00.000Z' });
}

/** The pid of a process that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawnNode('-e', [''], {});
  await within(child.exited, 10_000, 'a short-lived child');
  return child.process.pid!;
}

describe('FileLock', () => {
  it('is held while running and released afterwards', () => {
    const file = lockFile();
    const lock = new FileLock(file);
    lock.run(() => {
      assert.equal(lock.isHeld, true);
      assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).pid, process.pid);
    });
    assert.equal(lock.isHeld, false);
    assert.equal(fs.existsSync(file), false);
  });

  it('is re-entrant within a process, across objects for the same file', () => {
    const file = lockFile();
    const a = new FileLock(file);
    const b = new FileLock(file, { timeoutMs: 1 });
    a.run(() => b.run(() => assert.ok(fs.existsSync(file))));
    assert.equal(fs.existsSync(file), false);
  });

  it('breaks a lock left by a process that has exited', async () => {
    const file = lockFile();
    fs.writeFileSync(file, owner(await deadPid()));
    new FileLock(file, { timeoutMs: 1 }).run(() => assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).pid, process.pid));
  });

  it('breaks a lock bearing its own pid that it does not hold: an earlier process had that pid', () => {
    const file = lockFile();
    fs.writeFileSync(file, owner(process.pid));
    new FileLock(file, { timeoutMs: 1 }).run(() => undefined);
  });

  it('waits out a live holder and times out naming it', () => {
    const file = lockFile();
    fs.writeFileSync(file, owner(process.ppid, os.hostname(), 'live'));
    assert.throws(() => new FileLock(file, { timeoutMs: 20 }).acquire(), (error: unknown) => error instanceof StoreLockTimeoutError && error.holder?.pid === process.ppid);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).token, 'live');
  });

  it('respects a fresh lock from another host, whose pid it cannot check, and breaks an old one', () => {
    const file = lockFile();
    fs.writeFileSync(file, owner(1, 'elsewhere'));
    assert.throws(() => new FileLock(file, { timeoutMs: 10 }).acquire(), StoreLockTimeoutError);
    const old = new Date(Date.now() - 10 * 60_000);
    fs.utimesSync(file, old, old);
    new FileLock(file, { timeoutMs: 10 }).run(() => undefined);
  });

  it('reports, on release, a lock that was taken from it', () => {
    const file = lockFile();
    const lock = new FileLock(file);
    lock.acquire();
    fs.writeFileSync(file, owner(process.ppid, os.hostname(), 'thief'));
    assert.throws(() => lock.release(), /was taken from this process/);
    assert.equal(lock.isHeld, false);
  });
});
