/**
 * A temp folder for the `kms`, `audit` and `clock` command tests: a store path inside it, and an environment
 * whose HOME and XDG_CONFIG_HOME point into it, so no test reads or writes the real home's root key.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, it } from 'node:test';
import { main } from '../../../core/cli/main';
import type { CliRun } from '../../support/cli';

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

export interface Sandbox {
  /** The temp folder: the commands' working folder. */
  dir: string;
  /** `store`, relative to dir, as a user would type it. */
  store: string;
  env: Record<string, string>;
  /** Runs the CLI in process in `dir`; `stdin` is what `--input -` reads. */
  run(args: string[], options?: { stdin?: string; env?: Record<string, string | undefined> }): Promise<CliRun>;
  /** Runs a `kms` operation on the store and parses the JSON it prints (asserting exit 0). */
  call(operation: string, input?: object, extra?: string[]): Promise<Record<string, unknown>>;
}

export function sandbox(options: { rootKey?: boolean } = {}): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-cli-'));
  made.push(dir);
  const env: Record<string, string> = {
    HOME: path.join(dir, 'home'),
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    ...(options.rootKey === false ? {} : { KMS_STUDIO_ROOT_KEY: randomBytes(32).toString('base64') }),
  };
  const box: Sandbox = {
    dir,
    store: 'store',
    env,
    async run(args, runOptions = {}) {
      let stdout = '';
      let stderr = '';
      const stdin = runOptions.stdin;
      const code = await main(args, {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        cwd: dir,
        env: { ...env, ...runOptions.env },
        ...(stdin !== undefined ? { readStdin: async () => stdin } : {}),
      });
      return { code, stdout, stderr };
    },
    async call(operation, input = {}, extra = []) {
      const run = await box.run(['kms', operation, '--store', box.store, '--input', JSON.stringify(input), ...extra]);
      assert.equal(run.code, 0, `${operation} failed: ${run.stderr}`);
      return JSON.parse(run.stdout) as Record<string, unknown>;
    },
  };
  return box;
}

/** The JSON error body a failed `kms` call printed on stderr. */
export function errorOf(run: CliRun): { __type: string; message: string; explanation?: string } {
  assert.equal(run.stdout, '', 'a failed call prints nothing on stdout');
  return JSON.parse(run.stderr) as { __type: string; message: string; explanation?: string };
}

export const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
export const unb64 = (text: unknown): string => Buffer.from(String(text), 'base64').toString('utf8');

/** A new symmetric key in the sandbox's store; returns its key ID. */
export async function createKey(box: Sandbox, request: object = {}): Promise<string> {
  const created = await box.call('CreateKey', request);
  return (created['KeyMetadata'] as { KeyId: string }).KeyId;
}

/** One test per case: in a store holding one key, the command exits 2 with nothing on stdout and `message` on stderr. */
export function itRefusesUsage(cases: ReadonlyArray<readonly [string, string[], RegExp]>): void {
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const box = sandbox();
      await createKey(box);
      const run = await box.run(args);
      assert.equal(run.code, 2, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
    });
  }
}
