import type { JSONPath } from 'jsonc-parser';
import type { CompletionEntry } from './completionItems';
import { valueCompletions } from './completionItems';
import { scenarioEnumAt, scenarioPropertiesAt } from './scenarioSchema';

/** The JSON a property's value starts as, by the type the schema gives it. */
function emptyValueSnippet(type: string | undefined, values: readonly string[] | undefined): string {
  if (values?.length) return `"\${1|${values.join(',')}|}"`;
  switch (type) {
    case 'object':
      return '{$1}';
    case 'array':
      return '[$1]';
    case 'boolean':
      return '${1|false,true|}';
    case 'number':
      return '${1:0}';
    default:
      return '"$1"';
  }
}

/** The properties the scenario schema allows at `path`, required ones first; `present` ones are left out. */
export function scenarioPropertyCompletions(path: JSONPath, present: ReadonlySet<string>): CompletionEntry[] {
  return scenarioPropertiesAt(path)
    .filter((p) => !present.has(p.name))
    .map((p, i) => ({
      label: p.name,
      category: 'property' as const,
      ...(p.description ? { documentation: p.description } : {}),
      ...(p.required ? { detail: 'required' } : {}),
      sortText: `${p.required ? '0' : '1'}${String(i).padStart(2, '0')}`,
      propertyValueSnippet: emptyValueSnippet(p.type, p.enum),
    }));
}

/** The values the schema enumerates at `path`: `expect`, `keySpec`, grant `Operations`, … */
export function scenarioEnumCompletions(path: JSONPath): CompletionEntry[] {
  const documentation: Record<string, string> = {
    allowed: 'The request is allowed.',
    implicitDeny: 'Nothing allows the request (no Allow applies), but nothing denies it explicitly either.',
    explicitDeny: 'A Deny statement applies: no Allow and no grant can override it.',
  };
  return valueCompletions(scenarioEnumAt(path).map((value) => ({ value, ...(documentation[value] ? { documentation: documentation[value] } : {}) })));
}

/** A new case where a case goes in `cases`, naming a key the file defines. */
export function caseSnippetCompletion(keyName = 'key'): CompletionEntry {
  return {
    label: 'New case',
    category: 'snippet',
    documentation: 'A request to simulate, with the decision it should get.',
    sortText: '0',
    jsonSnippet:
      '{\n\t"name": "${1:what this case checks}",\n\t"principal": "${2:arn:aws:sts::111122223333:assumed-role/App/session}",\n' +
      `\t"action": "\${3:kms:Decrypt}",\n\t"key": "\${4:${keyName}}",\n\t"expect": "\${5|allowed,implicitDeny,explicitDeny|}"\n}`,
  };
}

/** Callers for a case: the principals the file lists (a role stands for a session of it), then the forms. */
export function casePrincipalCompletions(listed: readonly string[], account = '111122223333'): CompletionEntry[] {
  const entries: CompletionEntry[] = listed.map((arn, i) => ({
    label: arn,
    category: 'principal',
    detail: 'listed in principals',
    sortText: `0${String(i).padStart(3, '0')}`,
    value: arn,
  }));
  const forms: Array<[string, string]> = [
    [`arn:aws:sts::\${1:${account}}:assumed-role/\${2:RoleName}/\${3:session}`, 'A session of a role: how a role calls AWS.'],
    [`arn:aws:iam::\${1:${account}}:user/\${2:UserName}`, 'An IAM user.'],
    [`arn:aws:iam::\${1:${account}}:root`, 'The account\'s root user.'],
    ['${1:cloudtrail}.amazonaws.com', 'An AWS service principal calling with its own identity.'],
  ];
  forms.forEach(([snippet, documentation], i) => {
    const plain = snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1');
    entries.push({ label: plain, category: 'principal', documentation, sortText: `1${i}`, value: plain, valueSnippet: snippet });
  });
  return entries;
}
