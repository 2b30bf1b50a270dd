import type { Node } from 'jsonc-parser';
import type { DocumentKind } from '../policy/documentKind';
import type { Policy, Span, Statement } from '../policy/model';
import type { Finding, Fix, RelatedLocation, Severity } from './finding';

/** What one finding code means: its default severity and a one-line description for READMEs and hovers. */
export interface CodeInfo {
  severity: Severity;
  description: string;
  /** The kinds of document the code applies to, when fewer than its rule reads. */
  kinds?: readonly DocumentKind[];
}

/** Everything a rule may read. Rules never read settings: the rule configuration is applied after them. */
export interface LintContext {
  text: string;
  kind: DocumentKind;
  /** The jsonc-parser tree; undefined when the text holds no value at all. */
  root: Node | undefined;
  /** The policy model (empty for grants and scenario files). */
  policy: Policy;
  /**
   * Where a document check keeps what it derives from one statement alone (its text decides it), so that the
   * next version of the document, where most statements are unchanged, does not derive it again. Absent when
   * nothing is kept: `derived` then computes.
   */
  statementMemo?: (statement: Statement) => Map<string, unknown>;
  /**
   * Where a document check keeps a result across versions of one document, with the inputs it depends on:
   * the result is reused only when every input is identical (===) to the one it was computed from.
   */
  documentMemo?: DocumentMemo;
}

export interface DocumentMemo {
  get<T>(name: string, inputs: readonly unknown[], compute: () => T): T;
}

/**
 * A value derived from one statement's text alone (never from its offsets or from other statements), computed
 * once per statement text when the linter keeps it.
 */
export function derived<T>(ctx: LintContext, statement: Statement, name: string, compute: () => T): T {
  const memo = ctx.statementMemo?.(statement);
  if (!memo) return compute();
  if (memo.has(name)) return memo.get(name) as T;
  const value = compute();
  memo.set(name, value);
  return value;
}

/** A document result reused while its inputs are unchanged (see LintContext.documentMemo). */
export function remembered<T>(ctx: LintContext, name: string, inputs: readonly unknown[], compute: () => T): T {
  return ctx.documentMemo ? ctx.documentMemo.get(name, inputs, compute) : compute();
}

export interface ReportOptions {
  fix?: Fix;
  related?: RelatedLocation[];
}

/** Reports a finding of one of the rule's own codes; its severity is the code's default. */
export type Report<Code extends string> = (code: Code, at: Span, message: string, options?: ReportOptions) => void;

/**
 * A family of checks: the codes it can report, the kinds of document it reads, and the checks themselves.
 *
 * Most checks read one statement and nothing else: those are `checkStatement`, whose findings the language
 * server reuses, shifted, for a statement whose text has not changed since the previous version. Such a check
 * may read the statement's model, the tree and text inside the statement's span, the document kind and whether
 * Statement is a list; anything beyond (another statement, the document's size) belongs in `checkDocument`,
 * which runs on every version. `run` is both, for one document.
 */
export interface LintRule<Code extends string = string> {
  /** A short name for the family, e.g. `actionNames`. */
  id: string;
  kinds: readonly DocumentKind[];
  codes: Readonly<Record<Code, CodeInfo>>;
  run(context: LintContext, report: Report<Code>): void;
  checkStatement?(context: LintContext, statement: Statement, report: Report<Code>): void;
  checkDocument?(context: LintContext, report: Report<Code>): void;
}

type RuleDefinition<Code extends string> = Omit<LintRule<Code>, 'run'> &
  ({ run: LintRule<Code>['run'] } | { run?: undefined; checkStatement?: LintRule<Code>['checkStatement']; checkDocument?: LintRule<Code>['checkDocument'] });

/**
 * Declares a rule; the type parameter makes a rule report only the codes it declares. A rule written as
 * `checkStatement` and `checkDocument` runs, as a whole, each statement's checks in order and then the document's.
 */
export function defineRule<Code extends string>(rule: RuleDefinition<Code>): LintRule<Code> {
  if (rule.run) return rule as LintRule<Code>;
  const { checkStatement, checkDocument } = rule;
  return {
    ...rule,
    run(context, report) {
      if (checkStatement) for (const statement of context.policy.statements) checkStatement(context, statement, report);
      checkDocument?.(context, report);
    },
  };
}

export const POLICY_KINDS: readonly DocumentKind[] = ['keyPolicy', 'identityPolicy'];
export const KEY_POLICY: readonly DocumentKind[] = ['keyPolicy'];
export const GRANT: readonly DocumentKind[] = ['grant'];

/** The report function of a rule: each finding at the code's default severity, pushed onto `into`. */
export function reporterInto<Code extends string>(rule: LintRule<Code>, into: Finding[]): Report<Code> {
  return (code, at, message, options = {}) => {
    const finding: Finding = { code, severity: rule.codes[code].severity, message, offset: at.offset, length: at.length };
    if (options.related?.length) finding.related = options.related;
    if (options.fix) finding.fix = options.fix;
    into.push(finding);
  };
}

/** Runs one rule and collects its findings. */
export function runRule<Code extends string>(rule: LintRule<Code>, context: LintContext, into: Finding[]): void {
  rule.run(context, reporterInto(rule, into));
}
