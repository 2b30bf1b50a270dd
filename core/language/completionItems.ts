import {
  actionSupportsConditionKey,
  allActions,
  allConditionKeys,
  allOperators,
  grantOperationNames,
  findAction,
  type ConditionKeyInfo,
  type KmsAction,
} from '../catalog';
import { actionDescription, actionFacts, actionsCoveredBy, usefulActionWildcards } from './actionDocs';
import { conditionKeySource, operatorMeaning } from './conditionDocs';
import { catalogData } from '../catalog/catalogData';
import { inlineCode } from './markdown';

const GLOBAL_KEYS: ReadonlySet<string> = new Set(catalogData.globalConditionKeys.map((k) => k.name.toLowerCase()));

/**
 * A completion proposal, independent of any editor protocol. The caller decides where it goes (replacing the
 * string under the cursor, or inserted at it) and turns it into its editor's item.
 */
export interface CompletionEntry {
  label: string;
  category: 'action' | 'wildcard' | 'operator' | 'conditionKey' | 'value' | 'property' | 'principal' | 'snippet';
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Ranks entries: lower sorts first. */
  sortText: string;
  /** For a value: the string it inserts (written as a JSON string). */
  value?: string;
  /**
   * For a value with placeholders, the string's content as a snippet (`kms:EncryptionContext:${1:key}`);
   * an editor without snippets inserts `value` instead.
   */
  valueSnippet?: string;
  /** For a property: its value's JSON text as a snippet (`"$1"`, `[$1]`, `{$1}`). */
  propertyValueSnippet?: string;
  /** A whole JSON value (a statement, a case) as a snippet, inserted where a value goes. */
  jsonSnippet?: string;
}

/** Common operations rank above the rest: they are what most statements are written for. */
const FREQUENT_ACTIONS = new Set(['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant']);

function actionEntry(action: KmsAction, value: string): CompletionEntry {
  return {
    label: value,
    category: 'action',
    detail: `${action.accessLevels.join(', ')}${action.crossAccount ? ' · cross-account' : ''}${action.grantOperation ? ' · grant' : ''}`,
    documentation: `${actionDescription(action)}\n\n${actionFacts(action).map((f) => `- ${f}`).join('\n')}`,
    sortText: `${FREQUENT_ACTIONS.has(action.name) ? '0' : '1'}${action.name}`,
    value,
  };
}

/** Every `kms:` action, then the useful wildcards (`kms:Describe*`, `kms:GenerateDataKey*`, `kms:*`). */
export function actionCompletions(options: { wildcards: boolean }): CompletionEntry[] {
  const entries = allActions().map((a) => actionEntry(a, a.fullName));
  if (options.wildcards) {
    for (const { pattern, covers } of usefulActionWildcards()) {
      entries.push({
        label: pattern,
        category: 'wildcard',
        detail: `${covers.length} action${covers.length === 1 ? '' : 's'}`,
        documentation: pattern === 'kms:*'
          ? 'Every AWS KMS action, including `kms:PutKeyPolicy` and `kms:ScheduleKeyDeletion`: give it only to key administrators.'
          : `Covers ${covers.map((a) => inlineCode(a.fullName)).join(', ')}.`,
        sortText: `${pattern === 'kms:*' ? '3' : '2'}${pattern}`,
        value: pattern,
      });
    }
  }
  return entries;
}

/** The operations a grant can allow, spelled as CreateGrant spells them (`Decrypt`, no prefix). */
export function grantOperationCompletions(): CompletionEntry[] {
  return grantOperationNames().map((name) => {
    const action = findAction(name)!;
    return { ...actionEntry(action, name), label: name };
  });
}

/** Operators most conditions use; the rest follow. */
const FREQUENT_OPERATORS = ['StringEquals', 'StringLike', 'ArnLike', 'ArnEquals', 'Bool', 'IpAddress', 'Null', 'StringNotEquals'];

/** Every operator, its IfExists form, and the ForAllValues: / ForAnyValue: forms. */
export function operatorCompletions(): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  for (const op of allOperators()) {
    const rank = FREQUENT_OPERATORS.indexOf(op.name);
    const base = `${rank >= 0 ? `0${rank}` : '1'}`;
    const missing = op.trueWhenKeyMissing ? 'true when the key is absent' : 'false when the key is absent';
    const documentation = `${op.type} operator: ${operatorMeaning(op)}; ${missing}.`;
    entries.push({ label: op.name, category: 'operator', detail: `${op.type} operator`, documentation, sortText: `${base}${op.name}`, value: op.name, propertyValueSnippet: '{$1}' });
    if (op.allowsIfExists) {
      const name = `${op.name}IfExists`;
      entries.push({
        label: name,
        category: 'operator',
        detail: `${op.type} operator, IfExists`,
        documentation: `As ${inlineCode(op.name)}, but true when the request does not have the key.`,
        sortText: `2${name}`,
        value: name,
        propertyValueSnippet: '{$1}',
      });
    }
    if (op.name === 'Null') continue;
    for (const set of ['ForAnyValue', 'ForAllValues'] as const) {
      const name = `${set}:${op.name}`;
      entries.push({
        label: name,
        category: 'operator',
        detail: `${op.type} operator on a multi-valued key`,
        documentation:
          set === 'ForAnyValue'
            ? `True when at least one of the key's values passes ${inlineCode(op.name)}.`
            : `True when every one of the key's values passes ${inlineCode(op.name)}, and when the key is absent.`,
        sortText: `3${name}`,
        value: name,
        propertyValueSnippet: '{$1}',
      });
    }
  }
  return entries;
}

/** The actions a statement's Action values name (wildcards expanded); NotAction and no Action give none. */
export function statementActions(actionValues: readonly string[]): KmsAction[] {
  const seen = new Map<string, KmsAction>();
  for (const written of actionValues) for (const a of actionsCoveredBy(written)) seen.set(a.fullName, a);
  return [...seen.values()];
}

function keyEntry(info: ConditionKeyInfo, rank: string, supported: string): CompletionEntry {
  const pattern = /\$\{(\w+)\}/.exec(info.name);
  const source = conditionKeySource(info);
  const documentation = [
    `${info.type}${info.multiValued ? ' (multi-valued)' : ''}${info.description ? `: ${info.description}` : ''}`,
    '',
    `- Set by: ${source.setBy}`,
    `- ${supported}`,
  ].join('\n');
  const entry: CompletionEntry = {
    label: info.name,
    category: 'conditionKey',
    detail: info.type,
    documentation,
    sortText: `${rank}${info.name}`,
    value: info.name,
    propertyValueSnippet: info.multiValued ? '[$1]' : '"$1"',
  };
  if (pattern) {
    // kms:EncryptionContext:${EncryptionContextKey} → kms:EncryptionContext:${1:key}: the author names the key.
    const placeholder = pattern[1] === 'EncryptionContextKey' ? 'key' : pattern[1] === 'TagKey' ? 'tag' : pattern[1]!;
    entry.valueSnippet = info.name.replace(/\$\{\w+\}/, `\${1:${placeholder}}`);
    entry.value = info.name.replace(/\$\{\w+\}/, placeholder);
    entry.propertyValueSnippet = '"$2"';
  }
  return entry;
}

/**
 * Condition keys for a statement: the `kms:` keys at least one of its actions supports (those all of them
 * support first), then the global `aws:` keys. With no known actions (NotAction, `*`, none yet) every key.
 */
export function conditionKeyCompletions(actions: readonly KmsAction[]): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  for (const info of allConditionKeys()) {
    const lower = info.name.toLowerCase();
    // Tag keys are listed as global but only exist for the actions that carry tags, as the catalog says.
    const tagKey = lower.startsWith('aws:resourcetag/') || lower.startsWith('aws:requesttag/') || lower === 'aws:tagkeys';
    if (info.service === 'aws' && GLOBAL_KEYS.has(lower) && !tagKey) {
      entries.push(keyEntry(info, '2', 'Global condition key: present in every request AWS has a value for'));
      continue;
    }
    if (actions.length === 0) {
      entries.push(keyEntry(info, '1', 'The statement names no actions KMS Studio can check this key against'));
      continue;
    }
    const supporting = actions.filter((a) => actionSupportsConditionKey(a.fullName, info.name));
    if (supporting.length === 0) continue;
    const all = supporting.length === actions.length;
    entries.push(
      keyEntry(
        info,
        all ? '0' : '1',
        all ? 'Supported by every action of the statement' : `Supported by ${supporting.map((a) => inlineCode(a.fullName)).join(', ')} of the statement's actions`,
      ),
    );
  }
  return entries;
}

export function valueCompletions(values: ReadonlyArray<string | { value: string; detail?: string; documentation?: string }>, category: CompletionEntry['category'] = 'value'): CompletionEntry[] {
  return values.map((v, i) => {
    const item = typeof v === 'string' ? { value: v } : v;
    return {
      label: item.value,
      category,
      sortText: String(i).padStart(3, '0'),
      value: item.value,
      ...('detail' in item && item.detail ? { detail: item.detail } : {}),
      ...('documentation' in item && item.documentation ? { documentation: item.documentation } : {}),
    };
  });
}

export function effectCompletions(): CompletionEntry[] {
  return valueCompletions([
    { value: 'Allow', documentation: 'The statement allows the actions, when everything else in it matches.' },
    { value: 'Deny', documentation: 'An explicit Deny: it wins over every Allow, in any policy and any grant.' },
  ]);
}

/** The property names of a statement, in the order they are usually written; `present` ones are left out. */
export function statementElementCompletions(kind: 'keyPolicy' | 'identityPolicy', present: ReadonlySet<string>): CompletionEntry[] {
  const elements: Array<[string, string, string]> = [
    ['Sid', '"$1"', 'A name for the statement, unique in the policy.'],
    ['Effect', '"${1|Allow,Deny|}"', '`Allow` or `Deny`.'],
    ['Principal', '{"AWS": "$1"}', 'Who the statement is about. Required in a key policy.'],
    ['NotPrincipal', '{"AWS": "$1"}', 'Everyone except these principals. Rarely what you want; use a condition on `aws:PrincipalArn` instead.'],
    ['Action', '"$1"', 'The actions: `kms:Decrypt`, `kms:GenerateDataKey*`, …'],
    ['NotAction', '"$1"', 'Every action except these.'],
    ['Resource', '"${1:*}"', 'In a key policy `*`, which means the key the policy is attached to.'],
    ['NotResource', '"$1"', 'Every resource except these.'],
    ['Condition', '{$1}', 'When the statement applies: operator, then condition key, then values.'],
  ];
  return elements
    .filter(([name]) => !present.has(name))
    .filter(([name]) => kind === 'keyPolicy' || (name !== 'Principal' && name !== 'NotPrincipal'))
    .map(([name, snippet, documentation], i) => ({
      label: name,
      category: 'property' as const,
      documentation,
      sortText: String(i).padStart(2, '0'),
      propertyValueSnippet: snippet,
    }));
}

/** The top-level properties of a policy. */
export function policyKeyCompletions(present: ReadonlySet<string>): CompletionEntry[] {
  const elements: Array<[string, string, string]> = [
    ['Version', '"2012-10-17"', 'Always `2012-10-17`: the older version has no policy variables.'],
    ['Id', '"$1"', 'An optional name for the policy.'],
    ['Statement', '[\n\t{\n\t\t"Sid": "$1",\n\t\t"Effect": "Allow",\n\t\t$0\n\t}\n]', 'The statements.'],
  ];
  return elements
    .filter(([name]) => !present.has(name))
    .map(([name, snippet, documentation], i) => ({ label: name, category: 'property' as const, documentation, sortText: String(i), propertyValueSnippet: snippet }));
}

export function principalTypeCompletions(): CompletionEntry[] {
  const types: Array<[string, string]> = [
    ['AWS', 'An account, IAM role, user or session, or `*`.'],
    ['Service', 'An AWS service principal, such as `cloudtrail.amazonaws.com`.'],
    ['Federated', 'An identity provider.'],
  ];
  return types.map(([name, documentation], i) => ({ label: name, category: 'property' as const, documentation, sortText: String(i), propertyValueSnippet: '"$1"' }));
}

/**
 * Principal forms for an `AWS` (or bare) principal value, with the account the document already uses, and
 * service principals for a `Service` value.
 */
export function principalValueCompletions(type: string, account = '111122223333'): CompletionEntry[] {
  if (type === 'Service') {
    const services = ['cloudtrail.amazonaws.com', 'logs.${1:us-east-1}.amazonaws.com', 'delivery.logs.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com', '${1:service}.amazonaws.com'];
    return services.map((s, i) => ({
      label: s.replace(/\$\{\d+:([^}]*)\}/g, '$1'),
      category: 'principal' as const,
      detail: 'service principal',
      documentation: 'The service calling with its own identity. Services acting for a user (S3, EBS) use the user\'s permissions: allow those with `kms:ViaService`.',
      sortText: String(i),
      value: s.replace(/\$\{\d+:([^}]*)\}/g, '$1'),
      ...(s.includes('${') ? { valueSnippet: s } : {}),
    }));
  }
  const forms: Array<[string, string, string]> = [
    [`arn:aws:iam::\${1:${account}}:root`, 'account', 'The account: delegates to its IAM policies (the root user directly).'],
    [`arn:aws:iam::\${1:${account}}:role/\${2:RoleName}`, 'role', 'A role: every session of it.'],
    [`arn:aws:iam::\${1:${account}}:user/\${2:UserName}`, 'user', 'An IAM user.'],
    [`arn:aws:sts::\${1:${account}}:assumed-role/\${2:RoleName}/\${3:session}`, 'session', 'One session of a role only.'],
    ['*', 'everyone', 'Any principal in any account: narrow it with a condition.'],
  ];
  return forms.map(([snippet, detail, documentation], i) => ({
    label: snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1'),
    category: 'principal' as const,
    detail,
    documentation,
    sortText: String(i),
    value: snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1'),
    ...(snippet.includes('${') ? { valueSnippet: snippet } : {}),
  }));
}

export function resourceCompletions(account = '111122223333'): CompletionEntry[] {
  return [
    { label: '*', category: 'value', documentation: 'In a key policy: the key the policy is attached to. In an IAM policy: every key.', sortText: '0', value: '*' },
    {
      label: `arn:aws:kms:us-east-1:${account}:key/…`,
      category: 'value',
      documentation: 'One key, by key ARN (IAM policies).',
      sortText: '1',
      value: `arn:aws:kms:us-east-1:${account}:key/`,
      valueSnippet: `arn:aws:kms:\${1:us-east-1}:\${2:${account}}:key/\${3:key-id}`,
    },
  ];
}

/** A new statement, where a statement goes in the Statement list. */
export function statementSnippetCompletion(kind: 'keyPolicy' | 'identityPolicy', account = '111122223333'): CompletionEntry {
  const principal = kind === 'keyPolicy' ? `\n\t"Principal": {"AWS": "arn:aws:iam::\${2:${account}}:root"},` : '';
  return {
    label: 'New statement',
    category: 'snippet',
    documentation: 'A statement with the elements every statement needs.',
    sortText: '0',
    jsonSnippet: `{\n\t"Sid": "\${1:Name}",\n\t"Effect": "\${3|Allow,Deny|}",${principal}\n\t"Action": "\${4:kms:Decrypt}",\n\t"Resource": "\${5:*}"\n}`,
  };
}

/** Where a bare Principal value goes: `"*"`, or the object forms. */
export function principalElementCompletions(account = '111122223333'): CompletionEntry[] {
  return [
    { label: '{"AWS": …}', category: 'snippet', documentation: 'An account, role, user or session.', sortText: '0', jsonSnippet: `{"AWS": "arn:aws:iam::\${1:${account}}:\${2:root}"}` },
    { label: '{"Service": …}', category: 'snippet', documentation: 'An AWS service principal.', sortText: '1', jsonSnippet: '{"Service": "${1:cloudtrail}.amazonaws.com"}' },
    { label: '*', category: 'principal', documentation: 'Everyone: narrow it with a condition.', sortText: '2', value: '*' },
  ];
}
