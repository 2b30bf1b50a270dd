import type { PrincipalElement, Statement, StringListElement } from '../policy/model';
import { actionsCoveredBy } from './actionDocs';
import { describePrincipal } from './principalDocs';
import { escapeMarkdown, inlineCode, joinWords, limitList, quoted } from './markdown';

/** The label a statement goes by in symbols and explanations: its Sid, or its position. */
export function statementLabel(statement: Pick<Statement, 'sid' | 'index'>): string {
  const sid = statement.sid?.value;
  return sid ? sid : `Statement ${statement.index + 1}`;
}

function stringValues(element: StringListElement | undefined): string[] {
  return (element?.values ?? []).filter((v) => v.jsonType === 'string').map((v) => v.value);
}

function principals(element: PrincipalElement | undefined): string[] {
  return (element?.entries ?? []).flatMap((e) => e.values.filter((v) => v.jsonType === 'string').map((v) => describePrincipal(e.type, v.value).short));
}

function actionsPhrase(statement: Statement): string {
  if (statement.notAction) {
    const listed = stringValues(statement.notAction);
    return `every action except ${joinWords(listed.map(inlineCode), 'and') || 'none'}`;
  }
  const listed = stringValues(statement.action);
  if (listed.length === 0) return 'no action (the statement has no Action)';
  if (listed.some((a) => a === '*' || a.toLowerCase() === 'kms:*')) return '**every KMS action** (`kms:*`)';
  const count = new Set(listed.flatMap((a) => actionsCoveredBy(a).map((x) => x.fullName))).size;
  const wildcard = listed.some((a) => a.includes('*') || a.includes('?'));
  return `${limitList(listed.map(inlineCode), 8)}${wildcard ? ` (${count} action${count === 1 ? '' : 's'})` : ''}`;
}

function resourcePhrase(statement: Statement, kind: 'keyPolicy' | 'identityPolicy'): string {
  if (statement.notResource) return `every resource except ${joinWords(stringValues(statement.notResource).map(inlineCode), 'and')}`;
  const listed = stringValues(statement.resource);
  if (listed.length === 0) return 'no resource (the statement has no Resource)';
  if (listed.includes('*')) return kind === 'keyPolicy' ? 'this key (in a key policy `*` means the key the policy is attached to)' : '**every key** (`*`)';
  return limitList(listed.map(inlineCode), 4);
}

function whoPhrase(statement: Statement, kind: 'keyPolicy' | 'identityPolicy'): string {
  if (kind === 'identityPolicy') return 'the users and roles this policy is attached to';
  if (statement.notPrincipal) return `everyone except ${joinWords(principals(statement.notPrincipal), 'and') || 'no one'}`;
  const who = principals(statement.principal);
  return who.length ? joinWords(who, 'and') : 'no one (the statement has no Principal)';
}

function conditionPhrase(statement: Statement): string | undefined {
  const parts = (statement.condition?.operators ?? []).flatMap((block) =>
    block.keys.map((k) => {
      const values = k.values.filter((v) => v.jsonType !== 'object' && v.jsonType !== 'array').map((v) => quoted(v.value));
      return `${inlineCode(block.operator.value)} holds for ${inlineCode(k.key.value)} against ${values.join(' or ') || '(no value)'}`;
    }),
  );
  return parts.length ? parts.join(' and ') : undefined;
}

/**
 * One paragraph saying what a statement does: its effect, to whom, which actions, on what, under which
 * conditions. Shown when hovering its Sid or Effect.
 */
export function statementSummaryMarkdown(statement: Statement, kind: 'keyPolicy' | 'identityPolicy'): string {
  const effect = statement.effect;
  const verb = effect === 'Deny' ? 'Denies' : effect === 'Allow' ? 'Allows' : 'Would allow or deny (its Effect is neither Allow nor Deny)';
  const title = `**${effect ?? 'Statement'}**: ${escapeMarkdown(statementLabel(statement))}`;
  const condition = conditionPhrase(statement);
  const sentence =
    `${verb} ${whoPhrase(statement, kind)} ${effect === 'Deny' ? 'from calling' : 'to call'} ${actionsPhrase(statement)} ` +
    `on ${resourcePhrase(statement, kind)}${condition ? `, only when ${condition}` : ''}.`;
  const notes: string[] = [];
  if (effect === 'Deny') notes.push('An explicit Deny wins over every Allow, in any policy and any grant.');
  if (effect === 'Allow' && kind === 'keyPolicy' && statement.principal?.entries.some((e) => e.values.some((v) => /:root$|^\d{12}$/.test(v.value)))) {
    notes.push('Naming an account lets that account\'s IAM policies allow these actions; it allows nobody by itself except the root user.');
  }
  return [title, '', sentence, ...(notes.length ? ['', notes.join(' ')] : [])].join('\n');
}
