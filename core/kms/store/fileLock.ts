/**
 * An exclusive lock between processes sharing a store (VS Code, the CLI, the local endpoint), made of a lock
 * file created with link(2): link fails with EEXIST when the file exists, so exactly one process wins, and the
 * winner's file is complete (pid, host, a random token) the moment it is visible.
 *
 * A process killed while holding the lock leaves the file behind. It is stale when its owner is on this host and
 * its pid is no longer running (or is our own pid, which means a previous process that had it), or when it is
 * from another host and older than `foreignStaleMs` (no pid can be checked across hosts). Two waiters may find
 * the same stale lock at once; to keep the second one from deleting the first one's fresh lock, a stale lock is
 * removed only under a short-lived breaker file, after checking again that the lock still carries the stale
 * owner's token.
 *
 * The lock is synchronous: store transactions are short synchronous file operations, and waiting blocks with
 * Atomics.wait rather than spinning. It is re-entrant within a process, per lock file, so a transaction may call
 * store methods that lock by themselves. Known limit: a stale lock whose pid has been reused by an unrelated live
 * process is taken for live until the timeout names its holder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openIfExists } from './atomicFile';
import { StoreLockTimeoutError } from './errors';

export interface LockOwner {
  pid: number;
  hostname: string;
  token: string;
  acquiredAt: string;
}

export interface FileLockOptions {
  /** How long acquire() waits for another holder; default 10 s. */
  timeoutMs?: number;
  /** Age after which a lock from another host is stale; default 5 minutes. */
  foreignStaleMs?: number;
  hostname?: string;
  isProcessAlive?: (pid: number) => boolean;
}

/** How long a breaker file may live before it is itself taken for stale; breaking takes microseconds. */
const BREAKER_STALE_MS = 2000;
/** Content that is not a lock owner comes only from a file system without link(2) or from damage. */
const UNREADABLE_STALE_MS = 2000;

/** Locks this process holds, by lock file path: module state because the lock belongs to the process, not an object. */
const held = new Map<string, { token: string; depth: number }>();

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));

function sleepSync(ms: number): void {
  Atomics.wait(waitCell, 0, 0, ms);
}

interface LockFileState {
  owner?: LockOwner;
  raw: string;
  ino: number;
  mtimeMs: number;
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.hostname === 'string' && typeof value.token === 'string' && typeof value.acquiredAt === 'string') {
      return value as LockOwner;
    }
  } catch {
    // falls through
  }
  return undefined;
}

function readState(file: string): LockFileState | undefined {
  const fd = openIfExists(file);
  if (fd === undefined) return undefined;
  try {
    const stat = fs.fstatSync(fd);
    const raw = fs.readFileSync(fd, 'utf8');
    const owner = parseOwner(raw);
    return { ...(owner ? { owner } : {}), raw, ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates `file` with `content` unless it exists. No fsync: a lock only matters while processes run. */
function createLockFile(file: string, content: string): boolean {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  fs.writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    try {
      fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
      return true;
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function sameLock(a: LockFileState, b: LockFileState): boolean {
  return a.owner && b.owner ? a.owner.token === b.owner.token : a.ino === b.ino && a.raw === b.raw;
}

export class FileLock {
  private readonly key: string;
  private readonly timeoutMs: number;
  private readonly foreignStaleMs: number;
  private readonly hostname: string;
  private readonly alive: (pid: number) => boolean;

  constructor(
    readonly file: string,
    options: FileLockOptions = {},
  ) {
    this.key = path.resolve(file);
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.foreignStaleMs = options.foreignStaleMs ?? 5 * 60_000;
    this.hostname = options.hostname ?? os.hostname();
    this.alive = options.isProcessAlive ?? isProcessAlive;
  }

  /** This process holds the lock (through this object or another on the same file). */
  get isHeld(): boolean {
    return held.has(this.key);
  }

  run<T>(fn: () => T): T {
    this.acquire();
    try {
      return fn();
    } finally {
      this.release();
    }
  }

  acquire(): void {
    const mine = held.get(this.key);
    if (mine) {
      mine.depth++;
      return;
    }
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      const owner: LockOwner = { pid: process.pid, hostname: this.hostname, token: randomBytes(16).toString('hex'), acquiredAt: new Date().toISOString() };
      if (createLockFile(this.file, JSON.stringify(owner))) {
        held.set(this.key, { token: owner.token, depth: 1 });
        return;
      }
      const state = readState(this.file);
      if (!state) continue; // released between our attempt and the read
      if (this.isStale(state)) {
        this.breakStale(state);
        continue;
      }
      if (Date.now() >= deadline) {
        const holder = state.owner ? { pid: state.owner.pid, hostname: state.owner.hostname, acquiredAt: state.owner.acquiredAt } : undefined;
        throw new StoreLockTimeoutError(this.file, this.timeoutMs, holder);
      }
      // Exponential back-off with jitter, capped low: transactions take milliseconds.
      sleepSync(Math.min(1 << Math.min(attempt, 4), 16) * (0.5 + Math.random()));
    }
  }

  release(): void {
    const mine = held.get(this.key);
    if (!mine) throw new Error(`FileLock.release: ${this.file} is not held by this process`);
    if (--mine.depth > 0) return;
    held.delete(this.key);
    const state = readState(this.file);
    if (state?.owner?.token !== mine.token) {
      throw new Error(`The KMS store lock ${this.file} was taken from this process while it held it (its holder was judged stale)`);
    }
    fs.rmSync(this.file, { force: true });
  }

  private isStale(state: LockFileState): boolean {
    const { owner } = state;
    if (!owner) return Date.now() - state.mtimeMs > UNREADABLE_STALE_MS;
    if (owner.hostname !== this.hostname) return Date.now() - state.mtimeMs > this.foreignStaleMs;
    // Our own pid on a lock we do not hold: left by an earlier process that had the same pid.
    if (owner.pid === process.pid) return true;
    return !this.alive(owner.pid);
  }

  private breakStale(stale: LockFileState): void {
    const breaker = `${this.file}.break`;
    if (!createLockFile(breaker, String(process.pid))) {
      const state = readState(breaker);
      if (state && Date.now() - state.mtimeMs > BREAKER_STALE_MS) fs.rmSync(breaker, { force: true });
      else sleepSync(1);
      return;
    }
    try {
      const again = readState(this.file);
      if (again && sameLock(again, stale)) fs.rmSync(this.file, { force: true });
    } finally {
      fs.rmSync(breaker, { force: true });
    }
  }
}
