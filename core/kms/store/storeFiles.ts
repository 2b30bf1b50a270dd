import * as fs from 'node:fs';
import { openIfExists } from './atomicFile';
import { StoreCorruptedError } from './errors';

/** Small file helpers of the folder store: each names the file in StoreCorruptedError when it is damaged. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(file: string, text: string): unknown {
  if (text.length === 0) throw new StoreCorruptedError(file, 'the file is empty');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreCorruptedError(file, `not valid JSON (${(error as Error).message}); the file may be truncated`);
  }
}

export function validate<T>(file: string, what: string, validator: ((value: unknown) => T) | undefined, value: unknown): T {
  if (!validator) return value as T;
  try {
    return validator(value);
  } catch (error) {
    throw new StoreCorruptedError(file, `${what} is not valid: ${(error as Error).message}`);
  }
}

/** The buffer small files are read into; grown when a file does not fit. */
let smallFileBuffer = Buffer.alloc(256);

/**
 * A small file's text, or undefined when it does not exist: what readTextIfExists gives, without asking the file's
 * size first. Files here are replaced by rename, never written in place, so the content of the open file cannot
 * change while it is read: a read that does not fill the buffer has reached its end.
 */
export function readSmallTextIfExists(file: string): string | undefined {
  const fd = openIfExists(file);
  if (fd === undefined) return undefined;
  try {
    let length = 0;
    for (;;) {
      if (length === smallFileBuffer.length) {
        const bigger = Buffer.alloc(smallFileBuffer.length * 2);
        smallFileBuffer.copy(bigger, 0, 0, length);
        smallFileBuffer = bigger;
      }
      const read = fs.readSync(fd, smallFileBuffer, length, smallFileBuffer.length - length, null);
      length += read;
      if (read === 0 || length < smallFileBuffer.length) break;
    }
    return smallFileBuffer.toString('utf8', 0, length);
  } finally {
    fs.closeSync(fd);
  }
}

export function readDirNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
