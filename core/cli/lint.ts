import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { lintText } from '../lint/lintDocument';
import type { Finding, Severity } from '../lint/finding';
import { DocumentClassifier, type DocumentKind } from '../policy/documentKind';
import { LineIndex, type Position } from '../policy/lineIndex';
import { collectFiles, readInput } from './files';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './io';
import type { Command } from './main';

const KINDS: Record<string, DocumentKind | undefined> = { key: 'keyPolicy', identity: 'identityPolicy', grant: 'grant', auto: undefined };
const KIND_NAMES: Record<DocumentKind, string> = { keyPolicy: 'key', identityPolicy: 'identity', grant: 'grant', scenarios: 'scenarios' };

/** --fail-on levels: each fails on its own severity and every more serious one. */
const FAIL_ON: Record<string, Severity[]> = {
  error: ['ERROR'],
  security: ['ERROR', 'SECURITY_WARNING'],
  warning: ['ERROR', 'SECURITY_WARNING', 'WARNING'],
  suggestion: ['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'],
};

interface FileResult {
  file: string;
  kind: string;
  findings: Array<{ code: string; severity: Severity; message: string; range: { start: Position; end: Position } }>;
}

function toResult(file: string, kind: DocumentKind, text: string, findings: Finding[]): FileResult {
  const lines = new LineIndex(text);
  return {
    file,
    kind: KIND_NAMES[kind],
    findings: findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      message: f.message,
      range: { start: lines.positionAt(f.offset), end: lines.positionAt(f.offset + f.length) },
    })),
  };
}

export const lintCommand: Command = {
  summary: 'lint key policies, IAM identity policies and grants',
  usage: 'kms-studio lint PATH... [--kind key|identity|grant|auto] [--format text|json] [--fail-on error|security|warning|suggestion]',
  async run(args: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          kind: { type: 'string', default: 'auto' },
          format: { type: 'string', default: 'text' },
          'fail-on': { type: 'string', default: 'security' },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { kind, format, 'fail-on': failOn } = parsed.values;
    if (!(kind! in KINDS)) throw new UsageError(`--kind must be one of ${Object.keys(KINDS).join(', ')}`);
    if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
    const failing = FAIL_ON[failOn!];
    if (!failing) throw new UsageError(`--fail-on must be one of ${Object.keys(FAIL_ON).join(', ')}`);
    if (parsed.positionals.length === 0) throw new UsageError('name at least one file or folder');

    const classifier = new DocumentClassifier();
    const results: FileResult[] = [];
    try {
      for (const file of collectFiles(parsed.positionals, io.cwd, classifier)) {
        const input = readInput(file, classifier, KINDS[kind!]);
        const display = path.relative(io.cwd, file) || file;
        if (!input.kind) {
          io.stderr(`kms-studio lint: ${display}: not recognisably a key policy or an identity policy; use --kind\n`);
          continue;
        }
        results.push(toResult(display, input.kind, input.text, lintText(input.text, input.kind)));
      }
    } catch (e) {
      io.stderr(`kms-studio lint: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }

    if (format === 'json') {
      io.stdout(JSON.stringify(results, null, 2) + '\n');
    } else {
      for (const r of results) {
        for (const f of r.findings) {
          io.stdout(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code} ${f.message}\n`);
        }
      }
      const count = results.reduce((n, r) => n + r.findings.length, 0);
      io.stdout(`${count} finding${count === 1 ? '' : 's'} in ${results.length} file${results.length === 1 ? '' : 's'}\n`);
    }
    const failed = results.some((r) => r.findings.some((f) => failing.includes(f.severity)));
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
