import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { encodeRootKey } from '../../../../core/kms/store/rootKey';

export { materialFor } from './childSupport';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temp folder, removed when the test file ends. */
export function tempDir(label = 'kms-store'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  made.push(dir);
  return dir;
}

/** A fixed root key, so failures reproduce. */
export const ROOT_KEY = new Uint8Array(32).map((_, i) => i * 7 + 1);
export const OTHER_ROOT_KEY = new Uint8Array(32).map((_, i) => 255 - i);
export const ROOT_KEY_BASE64 = encodeRootKey(ROOT_KEY);

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

export const STORE_CHILD = path.join(__dirname, 'storeChild.js');

export interface Child {
  process: ChildProcess;
  /** Complete lines the child printed so far. */
  lines: string[];
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals>;
  stderr(): string;
}

/** Spawns a node script; `onLine` sees each stdout line as it arrives. */
export function spawnNode(script: string, args: string[], env: Record<string, string>, onLine?: (line: string, child: Child) => void): Child {
  const proc = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let pending = '';
  let errors = '';
  const child: Child = {
    process: proc,
    lines: [],
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve(signal ?? code ?? -1))),
    stderr: () => errors,
  };
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      child.lines.push(line);
      onLine?.(line, child);
    }
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => (errors += chunk));
  return child;
}

/** Rejects if `promise` has not settled within `ms`: a bound on waiting for an event, not a sleep. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
