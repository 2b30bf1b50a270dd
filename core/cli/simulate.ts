import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndex } from '../policy/lineIndex';
import { loadScenario } from '../scenario/loadScenario';
import { runScenario, type CaseResult } from '../scenario/runScenario';
import type { ScenarioProblem } from '../scenario/scenarioModel';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, parseCommandArgs } from './io';
import type { Command } from './main';

/** `file:line:column: $.path: message`, the form editors and terminals link. */
function problemLine(problem: ScenarioProblem, display: (file: string) => string, texts: Map<string, string>): string {
  const text = texts.get(problem.file);
  const where =
    text !== undefined && problem.offset !== undefined
      ? (() => {
          const p = new LineIndex(text).positionAt(problem.offset);
          return `:${p.line + 1}:${p.character + 1}`;
        })()
      : '';
  return `${display(problem.file)}${where}: ${problem.jsonPath}: ${problem.message}`;
}

function mark(r: CaseResult): string {
  if (r.expected === undefined) return '·';
  return r.pass ? '✓' : '✗';
}

function explainFailure(r: CaseResult, display: (file: string) => string): string[] {
  const e = r.explanation;
  const lines = [
    `✗ ${r.case.name}`,
    `    ${r.case.principal} → ${e.action} on ${r.case.key}: ${r.decision}, expected ${r.expected}`,
    `    why: ${e.reason}`,
  ];
  for (const loc of r.locations) {
    const where = loc.file !== undefined && loc.line !== undefined ? ` (${display(loc.file)}:${loc.line + 1}:${(loc.character ?? 0) + 1})` : '';
    lines.push(`    decided by: ${loc.description}${where}`);
  }
  for (const m of e.conditionMismatches) {
    const label = m.statement.sid ? `"${m.statement.sid}"` : `#${m.statement.index + 1}`;
    const request = m.requestValues === undefined ? 'absent from the request' : JSON.stringify(m.requestValues);
    lines.push(`    condition not met in statement ${label}: ${m.operator} ${m.key}: policy ${JSON.stringify(m.policyValues)}, request ${request}${m.note ? ` (${m.note})` : ''}`);
  }
  for (const g of e.grants.filter((g) => !g.allows)) lines.push(`    grant ${g.grantId}: ${g.note}`);
  return lines;
}

export const simulateCommand: Command = {
  summary: 'simulate requests in scenario files against key policies, IAM policies and grants',
  usage: 'kms-studio simulate FILE... [--format text|json]',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseCommandArgs(args, { format: { type: 'string', default: 'text' } });
    const format = parsed.values.format;
    if (format !== 'text' && format !== 'json') throw new UsageError('--format must be text or json');
    if (parsed.positionals.length === 0) throw new UsageError('name at least one scenario file');

    const display = (file: string): string => path.relative(io.cwd, file) || file;
    const texts = new Map<string, string>();
    const readFile = (file: string): string => {
      const text = fs.readFileSync(file, 'utf8');
      texts.set(file, text);
      return text;
    };

    const all: Array<{ file: string; result: CaseResult }> = [];
    const problems: ScenarioProblem[] = [];
    for (const given of parsed.positionals) {
      const file = path.resolve(io.cwd, given);
      let text: string;
      try {
        text = readFile(file);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.push({ file, jsonPath: '$', message: code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})` });
        continue;
      }
      const loaded = loadScenario(text, file, readFile);
      if (!loaded.scenario) {
        problems.push(...loaded.problems);
        continue;
      }
      const run = runScenario(loaded.scenario);
      problems.push(...run.problems);
      all.push(...run.results.map((result) => ({ file, result })));
    }

    if (problems.length > 0) {
      for (const p of problems) io.stderr(`kms-studio simulate: ${problemLine(p, display, texts)}\n`);
      return EXIT_USAGE;
    }

    if (format === 'json') {
      const results = all.map(({ file, result }) => ({
        file: display(file),
        name: result.case.name,
        decision: result.decision,
        expected: result.expected ?? null,
        pass: result.pass,
        explanation: { ...result.explanation, locations: result.locations.map((l) => ({ ...l, ...(l.file ? { file: display(l.file) } : {}) })) },
      }));
      io.stdout(JSON.stringify({ results }, null, 2) + '\n');
    } else {
      for (const { result } of all) {
        const expected = result.expected === undefined ? '' : ` (expected ${result.expected})`;
        io.stdout(`${mark(result)} ${result.case.name}: ${result.decision}${expected}: ${result.explanation.reason}\n`);
      }
      const failures = all.filter(({ result }) => !result.pass);
      if (failures.length > 0) {
        io.stdout('\nFailures:\n');
        for (const { file, result } of failures) {
          io.stdout(`\n${display(file)}\n${explainFailure(result, display).join('\n')}\n`);
        }
      }
      const checked = all.filter(({ result }) => result.expected !== undefined).length;
      io.stdout(`\n${checked - failures.length} of ${checked} expectations met, ${all.length} case${all.length === 1 ? '' : 's'}\n`);
    }
    return all.some(({ result }) => !result.pass) ? EXIT_FAILED : EXIT_OK;
  },
};
