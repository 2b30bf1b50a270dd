import * as path from 'node:path';
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { Range } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import type { StatementRef } from '../../core/authz';
import type { SourceLink, StatementLinker } from '../../core/language/caseExplanation';
import { statementName } from '../../core/language/caseExplanation';
import { LineIndex } from '../../core/policy/lineIndex';
import { loadScenario, type LoadResult } from '../../core/scenario/loadScenario';
import { requestFor, runScenario, type CaseResult, type ScenarioRun } from '../../core/scenario/runScenario';
import type { PolicySource, Scenario } from '../../core/scenario/scenarioModel';
import type { CaseStatementLocation } from './protocol';
import type { PolicySources } from './policySources';
import { rangeInText } from './ranges';

/** A scenario file loaded and run once for one version of its text and of the policy files it reads. */
export interface ScenarioAnalysis {
  file: string;
  load: LoadResult;
  run?: ScenarioRun;
  /** An unexpected failure of the evaluator, reported rather than thrown. */
  failure?: string;
  /** The policy files read, with their fingerprints at the time. */
  reads: Map<string, string>;
  /** Line indexes of the policy texts, built on first use for links and ranges. */
  lines: Map<string, LineIndex>;
}

export function analyzeScenario(text: string, file: string, sources: PolicySources): ScenarioAnalysis {
  const reads = new Map<string, string>();
  const analysis: ScenarioAnalysis = { file, load: { problems: [] }, reads, lines: new Map() };
  try {
    analysis.load = loadScenario(text, file, (f) => sources.read(f, reads));
    if (analysis.load.scenario) analysis.run = runScenario(analysis.load.scenario);
  } catch (e) {
    // The evaluator promises never to throw for a policy; if it does anyway the file still gets a diagnostic.
    analysis.failure = e instanceof Error ? e.message : String(e);
  }
  return analysis;
}

/** The result of the case whose object contains `offset` (or whose index is given). */
export function caseResultAt(analysis: ScenarioAnalysis, where: { offset?: number; index?: number }): CaseResult | undefined {
  return analysis.run?.results.find((r) =>
    where.index !== undefined ? r.case.index === where.index : where.offset! >= r.case.offset && where.offset! <= r.case.offset + r.case.length,
  );
}

/** Where a statement reference's text lives, for one case. */
function sourceOf(scenario: Scenario, result: CaseResult, ref: StatementRef): PolicySource | undefined {
  if (ref.source.kind === 'grant') return undefined;
  const { policyFiles } = requestFor(scenario, result.case);
  // runScenario keys its policy files by source kind, and identity policies also by name.
  return policyFiles.get(ref.source.kind === 'identityPolicy' ? `identityPolicy:${ref.source.name}` : ref.source.kind);
}

function linesOf(analysis: ScenarioAnalysis, source: PolicySource): LineIndex {
  let lines = analysis.lines.get(source.file);
  if (!lines || source.file === analysis.file) {
    lines = new LineIndex(source.policy.text);
    analysis.lines.set(source.file, lines);
  }
  return lines;
}

/** A grant is written in the scenario file itself, under its key. */
function grantNode(root: Node | undefined, result: CaseResult, ref: StatementRef): Node | undefined {
  if (!root) return undefined;
  // `grants` is the Grants list of list-grants output, or that whole output.
  const grants = findNodeAtLocation(root, ['keys', result.case.key, 'grants']);
  const list = grants?.type === 'object' ? findNodeAtLocation(grants, ['Grants']) : grants;
  return list?.type === 'array' ? list.children?.[ref.index] : undefined;
}

/** The scenario document as the editor has it: its tree, lines and URI. */
export interface ScenarioText {
  root: Node | undefined;
  lines: LineIndex;
  uri: string;
}

export interface LocatedRef {
  uri: string;
  range: Range;
  /** `app.keypolicy.json:28`, relative to the scenario file. */
  label: string;
}

/**
 * Places a statement (or an offset inside it, such as a failed condition) of a case's explanation: the file's
 * URI and the LSP range, computed from the text the evaluator saw.
 */
export function locateRef(
  analysis: ScenarioAnalysis,
  result: CaseResult,
  ref: StatementRef,
  scenarioText: ScenarioText,
  offset?: number,
  length?: number,
): LocatedRef | undefined {
  const scenario = analysis.load.scenario;
  if (!scenario) return undefined;
  if (ref.source.kind === 'grant') {
    const node = grantNode(scenarioText.root, result, ref);
    if (!node) return undefined;
    const range = rangeInText(scenarioText.lines, node.offset, node.length);
    return { uri: scenarioText.uri, range, label: `${path.basename(analysis.file)}:${range.start.line + 1}` };
  }
  const source = sourceOf(scenario, result, ref);
  const start = offset ?? ref.offset;
  if (!source || start === undefined) return undefined;
  const lines = source.file === analysis.file ? scenarioText.lines : linesOf(analysis, source);
  const range = rangeInText(lines, start, offset !== undefined ? (length ?? 0) : (ref.length ?? 0));
  const relative = path.relative(path.dirname(analysis.file), source.file) || path.basename(source.file);
  const uri = source.file === analysis.file ? scenarioText.uri : URI.file(source.file).toString();
  return { uri, range, label: `${relative}:${range.start.line + 1}` };
}

/** A linker for the case explanation markdown: links open the file at the line (`#L28`), as VS Code reads them. */
export function linkerFor(
  analysis: ScenarioAnalysis,
  result: CaseResult,
  scenarioText: ScenarioText,
): StatementLinker {
  return (ref, offset): SourceLink | undefined => {
    const located = locateRef(analysis, result, ref, scenarioText, offset);
    if (!located) return undefined;
    return { label: located.label, href: `${located.uri}#L${located.range.start.line + 1},${located.range.start.character + 1}` };
  };
}

/** The deciding statements and the failed conditions of a case, placed, for explainCase and related information. */
export function caseLocations(
  analysis: ScenarioAnalysis,
  result: CaseResult,
  scenarioText: ScenarioText,
): { deciding: CaseStatementLocation[]; conditions: CaseStatementLocation[] } {
  const deciding = result.explanation.deciding.map((ref) => {
    const located = locateRef(analysis, result, ref, scenarioText);
    return { description: statementName(ref), ...(located ? { uri: located.uri, range: located.range } : {}) };
  });
  const conditions = result.explanation.conditionMismatches.map((m) => {
    const located = locateRef(analysis, result, m.statement, scenarioText, m.offset, m.length);
    const description = `${statementName(m.statement)}: ${m.operator} ${m.key} not met`;
    return { description, ...(located ? { uri: located.uri, range: located.range } : {}) };
  });
  return { deciding, conditions };
}
