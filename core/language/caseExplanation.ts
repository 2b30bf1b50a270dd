import type { ConditionMismatch, StatementRef } from '../authz';
import { statementName, type CaseResult } from '../scenario/runScenario';
import { escapeMarkdown, inlineCode } from './markdown';

/** Where a statement or condition is written, as a reader follows it: `app.keypolicy.json:28`, with a link. */
export interface SourceLink {
  label: string;
  /** A URI the editor can open (`file:///…#L28`); absent when the text has no file. */
  href?: string;
}

/** Resolves a statement (and optionally an offset inside its policy text, such as a condition's) to a link. */
export type StatementLinker = (ref: StatementRef, offset?: number) => SourceLink | undefined;

/** `✓` met, `✗` not met, `•` no expectation. */
export function caseMark(result: Pick<CaseResult, 'expected' | 'pass'>): string {
  if (result.expected === undefined) return '•';
  return result.pass ? '✓' : '✗';
}

export { statementName };

function valueList(values: readonly string[] | undefined): string {
  if (values === undefined) return 'absent from the request';
  if (values.length === 0) return 'empty';
  return values.map((v) => inlineCode(JSON.stringify(v))).join(', ');
}

/** One failed condition, as a line: operator, key, the policy's values and the request's. */
export function mismatchText(m: ConditionMismatch): string {
  const request = m.requestValues === undefined ? 'absent from the request' : JSON.stringify(m.requestValues);
  return `${m.operator} ${m.key}: policy ${JSON.stringify(m.policyValues)}, request ${request}${m.note ? ` (${m.note})` : ''}`;
}

function linked(link: SourceLink | undefined): string {
  if (!link) return '';
  return link.href ? ` ([${escapeMarkdown(link.label)}](${link.href}))` : ` (${escapeMarkdown(link.label)})`;
}

/** The headline: mark, decision, and the expectation when it was not met. */
export function caseHeadline(result: CaseResult): string {
  const expected = result.expected !== undefined && !result.pass ? `, expected ${result.expected}` : '';
  return `${caseMark(result)} ${result.decision}${expected}`;
}

/** A code lens title: `✓ allowed — Allowed by the key policy's statement "X"`, kept to one short line. */
export function caseLensTitle(result: CaseResult, maxLength = 140): string {
  const reason = result.explanation.reason;
  const none = result.expected === undefined ? ' (no expectation)' : '';
  const title = `${caseHeadline(result)}${none} — ${reason}`;
  return title.length > maxLength ? `${title.slice(0, maxLength - 1)}…` : title;
}

/** The message of the diagnostic on a case whose expectation failed. */
export function caseFailureMessage(result: CaseResult): string {
  const lines = [`Expected ${result.expected}, but the request is ${result.decision}: ${result.explanation.reason}.`];
  for (const ref of result.explanation.deciding) lines.push(`Decided by ${statementName(ref)}.`);
  for (const m of result.explanation.conditionMismatches) lines.push(`Condition not met in ${statementName(m.statement)}: ${mismatchText(m)}.`);
  return lines.join('\n');
}

/**
 * The hover over a scenario case: a headline with the decision, the request in one line, the reason, then
 * bullets naming the deciding statements (with links), the conditions that failed with the policy's and the
 * request's values, and the grants that did not apply.
 */
export function caseHoverMarkdown(result: CaseResult, link: StatementLinker): string {
  const e = result.explanation;
  const c = result.case;
  const lines = [
    `**${escapeMarkdown(caseHeadline(result))}**: ${escapeMarkdown(c.name)}`,
    '',
    `${inlineCode(e.action)} by ${inlineCode(c.principal)} on key ${inlineCode(c.key)}${c.via ? ` via ${inlineCode(c.via)}` : ''}`,
    '',
    `${escapeMarkdown(e.reason)}.`,
  ];
  const bullets: string[] = [];
  for (const ref of e.deciding) {
    bullets.push(`Decided by ${ref.effect === 'Deny' ? 'the Deny in ' : ''}${escapeMarkdown(statementName(ref))}${linked(link(ref))}`);
  }
  for (const m of e.conditionMismatches) {
    bullets.push(
      `Condition not met in ${escapeMarkdown(statementName(m.statement))}${linked(link(m.statement, m.offset))}: ` +
        `${inlineCode(m.operator)} ${inlineCode(m.key)}, policy ${valueList(m.policyValues)}, request ${valueList(m.requestValues)}` +
        `${m.note ? ` (${escapeMarkdown(m.note)})` : ''}`,
    );
  }
  for (const g of e.grants) {
    bullets.push(`Grant ${inlineCode(g.grantId)}${g.allows ? ' allows' : ' does not apply'}: ${escapeMarkdown(g.note)}`);
  }
  if (e.crossAccount) bullets.push(`Across accounts: the caller is in ${e.caller.account ?? 'another account'}, the key in ${e.keyAccount}`);
  if (e.ignoredContextKeys.length) {
    bullets.push(`Ignored from \`context\` (AWS sets these itself): ${e.ignoredContextKeys.map(inlineCode).join(', ')}`);
  }
  if (bullets.length) lines.push('', ...bullets.map((b) => `- ${b}`));
  return lines.join('\n');
}
