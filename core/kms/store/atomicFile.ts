/**
 * Durable file primitives for the store. A record is replaced by writing a temp file in the same folder, fsyncing
 * it, renaming it over the record and fsyncing the folder: rename(2) within one file system is atomic, so a reader
 * or a process killed at any point sees the old file or the new one, never a mix; the file fsync makes the new
 * content durable before the name points at it, and the folder fsync makes the rename itself durable.
 *
 * Temp files are named `.<name>.<pid>.<random>.tmp`: the leading dot and the `.tmp` suffix keep them out of every
 * listing of records, and `isTempFile` is the one test for them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export function tempPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

export function isTempFile(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

function writeAll(fd: number, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
}

/** Writes `data` to a new temp file next to `target`, fsynced; returns the temp path. */
function writeTemp(target: string, data: Uint8Array, mode: number): string {
  const temp = tempPathFor(target);
  const fd = fs.openSync(temp, 'wx', mode);
  try {
    writeAll(fd, data);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

/** Fsyncs a folder so that renames, creations and removals in it survive a crash. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems (and Windows) refuse fsync on a directory; the rename is still atomic there.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR' && code !== 'EBADF') throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `target` atomically and durably with `data`. */
export function atomicWriteFileSync(target: string, data: string | Uint8Array, mode = FILE_MODE): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = writeTemp(target, bytes, mode);
  try {
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fsyncDir(path.dirname(target));
}

/**
 * Creates `target` with `data` only if it does not exist, and returns false if it does. Other processes never see
 * it half-written: the content is complete in a temp file before link(2) gives it the name, and link fails with
 * EEXIST instead of replacing. (`open(O_EXCL)` followed by a write would leave an empty file visible in between.)
 */
export function createExclusiveFileSync(target: string, data: string | Uint8Array, mode = FILE_MODE): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = writeTemp(target, bytes, mode);
  try {
    fs.linkSync(temp, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
    // A file system without hard links: fall back to O_EXCL, accepting the brief empty-file window.
    let fd: number;
    try {
      fd = fs.openSync(target, 'wx', mode);
    } catch (inner) {
      if ((inner as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw inner;
    }
    try {
      writeAll(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } finally {
    fs.rmSync(temp, { force: true });
  }
  fsyncDir(path.dirname(target));
  return true;
}

/** Creates `dir` and any missing parents, fsyncing each parent so the new entries survive a crash. */
export function mkdirDurable(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder, { mode: DIR_MODE });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    fsyncDir(path.dirname(folder));
  }
}

/** Removes `target` durably; returns whether it existed. */
export function removeDurable(target: string): boolean {
  try {
    fs.unlinkSync(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  fsyncDir(path.dirname(target));
  return true;
}

/** A file descriptor open for reading `file`, or undefined when it does not exist. */
export function openIfExists(file: string): number | undefined {
  try {
    return fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The file's text, or undefined when it does not exist. */
export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
