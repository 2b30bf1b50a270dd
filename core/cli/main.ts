import { auditCommand } from './audit';
import { clockCommand } from './clock';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import { kmsCommand } from './kms';
import { lintCommand } from './lint';
import { serveCommand } from './serve';
import { simulateCommand } from './simulate';
import { packageVersion } from './version';

/** A subcommand: its one-line summary for --help, and how to run it. */
export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/** Subcommands register here as they are built; --help lists exactly these. */
export const COMMANDS: Record<string, Command> = {
  lint: lintCommand,
  simulate: simulateCommand,
  kms: kmsCommand,
  audit: auditCommand,
  clock: clockCommand,
  serve: serveCommand,
};

function help(): string {
  const names = Object.keys(COMMANDS).sort();
  const width = Math.max(8, ...names.map((n) => n.length));
  const lines = [
    'kms-studio: lint and simulate AWS KMS key policies, IAM policies and grants, and run a local KMS.',
    '',
    'Usage: kms-studio <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    '',
    'Options:',
    '  --help, -h     show this help (or a command\'s, after its name)',
    '  --version, -v  print the version',
  ];
  return lines.join('\n') + '\n';
}

/** Runs the command line and returns the exit code; never calls process.exit itself. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.stdout(help());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${packageVersion()}\n`);
    return EXIT_OK;
  }
  const command = COMMANDS[first];
  if (!command) {
    io.stderr(`kms-studio: unknown command '${first}'. Run 'kms-studio --help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kms-studio ${first}: ${e.message}\nUsage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
}
