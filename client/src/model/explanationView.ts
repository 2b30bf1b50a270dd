/**
 * The evaluator's explanation of a decision, as the editor shows it: a Markdown page to read beside the key
 * policy, and the spans of the key policy's deciding statements (and failed conditions) to highlight in it.
 * The offsets are the evaluator's, into the policy text exactly as GetKeyPolicy returns it.
 */
import type { Explanation, StatementRef } from '../../../core/authz/explanation';
import { describeStatement } from '../../../core/authz/explanation';

/** What the explanation is about, beyond what it carries itself. */
export interface ExplanationSubject {
  /** The operation as called (`Decrypt`) or the action simulated. */
  operation: string;
  keyArn?: string;
  /** The AWS exception, when the explanation came with an error. */
  errorName?: string;
  errorMessage?: string;
}

export interface PolicyHighlight {
  offset: number;
  length: number;
  kind: 'allow' | 'deny' | 'condition';
  /** Hover text of the highlight. */
  label: string;
}

/** Escapes what Markdown would read as emphasis, code, links or HTML inside a line; the page is read raw too. */
function md(text: string): string {
  return text.replace(/([\\`*_[\]<>])/g, '\\$1');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function values(list: readonly string[] | undefined): string {
  if (list === undefined) return 'absent from the request';
  if (list.length === 0) return 'empty';
  return list.map((v) => code(JSON.stringify(v))).join(', ');
}

function statementLine(ref: StatementRef): string {
  const where = ref.source.kind === 'keyPolicy' && ref.offset !== undefined ? ' (highlighted in the key policy)' : '';
  return `- ${ref.effect === 'Deny' ? '**Deny** in ' : ''}${md(describeStatement(ref))}${where}`;
}

/** The explanation as Markdown: headline, reason, deciding statements, failed conditions, grants, context. */
export function explanationMarkdown(explanation: Explanation, subject: ExplanationSubject): string {
  const e = explanation;
  const lines = [`# ${md(e.action)}: ${e.decision}`, ''];
  if (subject.errorName) lines.push(`**${md(subject.errorName)}**: ${md(subject.errorMessage ?? '')}`, '');
  lines.push(`- Caller: ${code(e.caller.arn)} (${e.caller.kind}${e.caller.account ? `, account ${e.caller.account}` : ''})`);
  if (subject.keyArn) lines.push(`- Key: ${code(subject.keyArn)} (account ${e.keyAccount}${e.crossAccount ? ', cross-account' : ''})`);
  lines.push(`- Operation: ${code(subject.operation)}`);
  lines.push(`- Decision: **${e.decision}** (${code(e.code)})`, '');
  lines.push(`${md(e.reason)}.`, '');
  if (e.deciding.length > 0) {
    lines.push('## Deciding statements', '');
    for (const ref of e.deciding) lines.push(statementLine(ref));
    lines.push('');
  }
  if (e.conditionMismatches.length > 0) {
    lines.push('## Conditions that were not met', '');
    for (const m of e.conditionMismatches) {
      lines.push(
        `- In ${md(describeStatement(m.statement))}: ${code(m.operator)} ${code(m.key)}: the policy wants ${values(m.policyValues)}, the request has ${values(m.requestValues)}${m.note ? ` (${md(m.note)})` : ''}`,
      );
    }
    lines.push('');
  }
  if (e.grants.length > 0) {
    lines.push('## Grants', '');
    for (const g of e.grants) lines.push(`- ${code(g.name ?? g.grantId)}: ${g.allows ? 'allows' : 'does not allow'}: ${md(g.note)}`);
    lines.push('');
  }
  const given = e.context.filter((c) => !c.derived);
  if (e.context.length > 0) {
    lines.push('## Request context', '');
    for (const c of [...given, ...e.context.filter((c) => c.derived)]) lines.push(`- ${code(c.name)}: ${values(c.values)}${c.derived ? '' : ' (from the request)'}`);
    lines.push('');
  }
  if (e.ignoredContextKeys.length > 0) lines.push(`Ignored (the evaluator derives these itself): ${e.ignoredContextKeys.map(code).join(', ')}`, '');
  return lines.join('\n');
}

/** The key policy's deciding statements and failed conditions, to highlight in the policy's text. */
export function policyHighlights(explanation: Explanation): PolicyHighlight[] {
  const highlights: PolicyHighlight[] = [];
  for (const ref of explanation.deciding) {
    if (ref.source.kind !== 'keyPolicy' || ref.offset === undefined || ref.length === undefined) continue;
    highlights.push({
      offset: ref.offset,
      length: ref.length,
      kind: ref.effect === 'Deny' ? 'deny' : 'allow',
      label: `Decided ${explanation.decision}: ${describeStatement(ref)}`,
    });
  }
  for (const m of explanation.conditionMismatches) {
    if (m.statement.source.kind !== 'keyPolicy') continue;
    highlights.push({ offset: m.offset, length: m.length, kind: 'condition', label: `Condition not met: ${m.operator} ${m.key}` });
  }
  return highlights;
}

/** A notification's one line for a denial: who, what, the decision and the evaluator's reason. */
export function denialSummary(explanation: Explanation, operation: string): string {
  return `${operation} was denied (${explanation.decision}): ${explanation.reason}.`;
}
