import type { Node } from 'jsonc-parser';
import type { DocumentKind } from '../policy/documentKind';
import type { Policy, Span } from '../policy/model';
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
}

export interface ReportOptions {
  fix?: Fix;
  related?: RelatedLocation[];
}

/** Reports a finding of one of the rule's own codes; its severity is the code's default. */
export type Report<Code extends string> = (code: Code, at: Span, message: string, options?: ReportOptions) => void;

/** A family of checks: the codes it can report, the kinds of document it reads, and the check itself. */
export interface LintRule<Code extends string = string> {
  /** A short name for the family, e.g. `actionNames`. */
  id: string;
  kinds: readonly DocumentKind[];
  codes: Readonly<Record<Code, CodeInfo>>;
  run(context: LintContext, report: Report<Code>): void;
}

/** Declares a rule; the type parameter makes a rule report only the codes it declares. */
export function defineRule<Code extends string>(rule: LintRule<Code>): LintRule<Code> {
  return rule;
}

export const POLICY_KINDS: readonly DocumentKind[] = ['keyPolicy', 'identityPolicy'];
export const KEY_POLICY: readonly DocumentKind[] = ['keyPolicy'];
export const GRANT: readonly DocumentKind[] = ['grant'];

/** Runs one rule and collects its findings. */
export function runRule<Code extends string>(rule: LintRule<Code>, context: LintContext, into: Finding[]): void {
  rule.run(context, (code, at, message, options = {}) => {
    const finding: Finding = { code, severity: rule.codes[code].severity, message, offset: at.offset, length: at.length };
    if (options.related?.length) finding.related = options.related;
    if (options.fix) finding.fix = options.fix;
    into.push(finding);
  });
}
