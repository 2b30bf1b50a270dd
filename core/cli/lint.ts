import * as path from 'node:path';
import { lintDocument } from '../lint/lintDocument';
import { parseJson } from '../policy/parse';
import { RULE_CODES } from '../lint/ruleRegistry';
import { toSarif } from '../lint/sarif';
import { findStudioConfig, parseStudioConfig, type StudioConfig } from '../lint/studioConfig';
import * as fs from 'node:fs';
import { packageVersion } from './version';
import type { Finding, Severity } from '../lint/finding';
import { DocumentClassifier, type DocumentKind } from '../policy/documentKind';
import { LineIndex, type Position } from '../policy/lineIndex';
import { collectFiles, readInput } from './files';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, parseCommandArgs } from './io';
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

/**
 * The `.kmsstudio.json` in force: the one named by --config, else the nearest one at or above the current
 * folder. Problems in it are printed (the readable parts still apply); an unreadable --config is an error.
 */
function loadConfig(explicit: string | undefined, io: CliIo): StudioConfig | undefined {
  let found: { file: string; config: StudioConfig } | undefined;
  if (explicit !== undefined) {
    const file = path.resolve(io.cwd, explicit);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${explicit}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    found = { file, config: parseStudioConfig(text) };
  } else {
    found = findStudioConfig(io.cwd);
  }
  for (const problem of found?.config.problems ?? []) {
    io.stderr(`kms-studio lint: ${path.relative(io.cwd, found!.file) || found!.file}: ${problem}\n`);
  }
  return found?.config;
}

export const lintCommand: Command = {
  summary: 'lint key policies, IAM identity policies and grants',
  usage:
    'kms-studio lint PATH... [--kind key|identity|grant|auto] [--format text|json|sarif] [--fail-on error|security|warning|suggestion] [--config FILE]',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseCommandArgs(args, {
          kind: { type: 'string', default: 'auto' },
          format: { type: 'string', default: 'text' },
          'fail-on': { type: 'string', default: 'security' },
          config: { type: 'string' },
        });
    const { kind, format, 'fail-on': failOn } = parsed.values;
    if (!(kind! in KINDS)) throw new UsageError(`--kind must be one of ${Object.keys(KINDS).join(', ')}`);
    if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError('--format must be text, json or sarif');
    const failing = FAIL_ON[failOn!];
    if (!failing) throw new UsageError(`--fail-on must be one of ${Object.keys(FAIL_ON).join(', ')}`);
    if (parsed.positionals.length === 0) throw new UsageError('name at least one file or folder');

    const results: FileResult[] = [];
    const sarifFiles: Array<{ uri: string; text: string; findings: Finding[] }> = [];
    try {
      const config = loadConfig(parsed.values.config, io);
      const classifier = new DocumentClassifier(config?.files);
      for (const file of collectFiles(parsed.positionals, io.cwd, classifier)) {
        const input = readInput(file, classifier, KINDS[kind!]);
        const display = path.relative(io.cwd, file) || file;
        if (!input.kind) {
          io.stderr(`kms-studio lint: ${display}: not recognisably a key policy or an identity policy; use --kind\n`);
          continue;
        }
        // AWS takes only strict JSON in a policy or grant; scenario files are the user's own and may be JSONC.
        const json = parseJson(input.text, { strict: input.kind !== 'scenarios' });
        const findings = lintDocument(json, input.kind, { rules: config?.rules ?? {} });
        results.push(toResult(display, input.kind, input.text, findings));
        sarifFiles.push({ uri: display.split(path.sep).join('/'), text: input.text, findings });
      }
    } catch (e) {
      io.stderr(`kms-studio lint: ${(e as Error).message}\n`);
      return EXIT_USAGE;
    }

    if (format === 'json') {
      io.stdout(JSON.stringify(results, null, 2) + '\n');
    } else if (format === 'sarif') {
      // Each rule that reported goes in tool.driver.rules with its description, which code scanning shows.
      const used = new Set(sarifFiles.flatMap((f) => f.findings.map((finding) => finding.code)));
      const rules = RULE_CODES.filter((r) => used.has(r.code)).map((r) => ({ code: r.code, description: r.description, severity: r.severity }));
      io.stdout(JSON.stringify(toSarif(sarifFiles, packageVersion(), rules), null, 2) + '\n');
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
