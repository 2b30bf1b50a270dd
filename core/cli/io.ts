import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Where a CLI command writes and reads; passed in so tests run commands in process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Reads all of standard input as UTF-8 (for `--input -`); absent where there is no stdin to read. */
  readStdin?: () => Promise<string>;
}

/** Exit codes shared by every command: 0 success, 1 a finding or a failed case, 2 usage or I/O error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A usage error: the message is shown with a pointer to --help and the command exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * node:util's parseArgs with positionals allowed, where a flag it does not know or a missing value is a usage
 * error (exit 2) rather than an exception.
 */
export function parseCommandArgs<const O extends OptionsConfig>(
  args: string[],
  options: O,
): ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>> {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
