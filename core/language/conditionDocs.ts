import { actionSupportsConditionKey, allActions, findConditionKey, parseOperator, type ConditionKeyInfo, type ConditionOperatorInfo } from '../catalog';
import { catalogData } from '../catalog/catalogData';
import { escapeMarkdown, inlineCode, limitList } from './markdown';

/** Who puts a condition key into the request context, and where a scenario case gives it. */
export interface ConditionKeySource {
  /** `AWS, from the caller's identity`. */
  setBy: string;
  /** Where a KMS Studio scenario takes it from. */
  inScenario: string;
  /**
   * Whether the caller chooses the value by what it puts in the request (an encryption context, a grant's
   * parameters, tags to set). Such a condition limits what may be asked, never who may ask.
   */
  callerChooses: boolean;
}

const keyResourceKeys = new Set((catalogData.resourceTypes['key']?.conditionKeys ?? []).map((k) => k.toLowerCase()));
const globalCategory = new Map(catalogData.globalConditionKeys.map((k) => [k.name.toLowerCase(), k.category]));

/**
 * Where a key's value comes from. AWS sets every key itself (a caller can never choose a value for one); what
 * differs is what AWS reads it from: the authenticated caller, the key, the request's parameters, or the
 * network and service path the request took.
 */
export function conditionKeySource(info: ConditionKeyInfo): ConditionKeySource {
  const ref = info.name.toLowerCase();
  if (keyResourceKeys.has(ref)) {
    return { setBy: 'AWS, from the KMS key itself (its attributes, tags or aliases)', inScenario: 'derived from the key in `keys`', callerChooses: false };
  }
  if (ref.startsWith('kms:encryptioncontext')) {
    return { setBy: 'AWS KMS, from the encryption context in the request', inScenario: 'derived from the case\'s `encryptionContext`', callerChooses: true };
  }
  if (ref === 'kms:grantisforawsresource') {
    return { setBy: 'AWS, when an integrated AWS service (EBS, RDS, …) creates the grant for the caller', inScenario: 'given in the case\'s `context`', callerChooses: false };
  }
  if (ref.startsWith('kms:grant') || ref.startsWith('kms:grantee') || ref.startsWith('kms:retiring')) {
    return { setBy: 'AWS KMS, from the CreateGrant request\'s parameters', inScenario: 'derived from the requested grant', callerChooses: true };
  }
  if (ref === 'kms:calleraccount') {
    return { setBy: 'AWS, from the caller\'s identity (the account it belongs to)', inScenario: 'derived from the case\'s `principal`', callerChooses: false };
  }
  if (ref === 'kms:requestalias') {
    return { setBy: 'AWS KMS, from the alias the request names the key by', inScenario: 'derived from the case\'s `via`', callerChooses: true };
  }
  if (ref === 'kms:viaservice') {
    return { setBy: 'AWS, when an AWS service calls KMS on the caller\'s behalf', inScenario: 'given in the case\'s `context`', callerChooses: false };
  }
  if (ref.startsWith('aws:requesttag/') || ref === 'aws:tagkeys') {
    return { setBy: 'AWS, from the tags in the request', inScenario: 'given in the case\'s `context`', callerChooses: true };
  }
  const category = globalCategory.get(ref);
  switch (category) {
    case 'principal':
      return { setBy: 'AWS, from the caller\'s identity (its ARN, account, tags)', inScenario: 'derived from the case\'s `principal` and the principal\'s `tags`', callerChooses: false };
    case 'session':
      return { setBy: 'AWS, from the caller\'s session (how it signed in)', inScenario: 'given in the case\'s `context`', callerChooses: false };
    case 'network':
      return { setBy: 'AWS, from the network path of the request (source IP, VPC, endpoint)', inScenario: 'given in the case\'s `context`', callerChooses: false };
    case 'resource':
      return { setBy: 'AWS, from the KMS key and its account', inScenario: 'derived from the key in `keys`', callerChooses: false };
    case 'request':
      return { setBy: 'AWS, from the request (time, transport, calling service)', inScenario: 'given in the case\'s `context`', callerChooses: false };
  }
  return { setBy: 'AWS KMS, from the request\'s parameters', inScenario: 'given in the case\'s `context`', callerChooses: true };
}

/** The KMS actions that put `key` in their request context. */
export function actionsSupportingKey(key: string): string[] {
  return allActions()
    .filter((a) => actionSupportsConditionKey(a.fullName, key))
    .map((a) => a.fullName);
}

/** Hover text for a condition key as written in a Condition block. */
export function conditionKeyHoverMarkdown(written: string): string {
  const info = findConditionKey(written);
  if (!info) {
    const service = written.includes(':') ? written.slice(0, written.indexOf(':')).toLowerCase() : '';
    if (service !== 'kms' && service !== 'aws') return `**${escapeMarkdown(written)}**: a condition key of another service; AWS KMS requests never carry it.`;
    return `**${escapeMarkdown(written)}** is not a condition key AWS KMS knows: a condition on it never sees a value (a positive operator is false, a negated one true).`;
  }
  const source = conditionKeySource(info);
  const supporting = actionsSupportingKey(written);
  const total = allActions().length;
  const lines = [`**${escapeMarkdown(written)}**: ${info.type} condition key`];
  if (info.variablePart !== undefined) {
    lines[0] += ` (${inlineCode(info.name)} with ${inlineCode(info.variablePart)})`;
  }
  if (info.description) lines.push('', info.description.replace(/\.?$/, '.'));
  lines.push('');
  lines.push(`- Set by: ${source.setBy}; in a scenario ${source.inScenario}`);
  lines.push(
    source.callerChooses
      ? '- Value: chosen by the caller, as part of its request: a condition on it limits what may be asked, not who asks'
      : '- Value: set by AWS; the caller cannot choose it',
  );
  lines.push(
    supporting.length === 0
      ? '- Supported by: no AWS KMS action, so it never has a value in a KMS request'
      : supporting.length === total
        ? '- Supported by: every AWS KMS action'
        : `- Supported by ${supporting.length} action${supporting.length === 1 ? '' : 's'}: ${limitList(supporting.map(inlineCode), 12)}`,
  );
  lines.push(
    info.multiValued
      ? '- Multi-valued: use `ForAnyValue:` (any value matches) or `ForAllValues:` (every value matches, and true when the key is absent)'
      : '- Single-valued: use a plain operator, not `ForAllValues:` / `ForAnyValue:`',
  );
  return lines.join('\n');
}

/** What the base operator compares, said from its name and type (IAM User Guide, condition operators). */
export function operatorMeaning(op: ConditionOperatorInfo): string {
  const n = op.name;
  const not = op.negated ? 'does not ' : '';
  switch (op.type) {
    case 'String':
      if (n.includes('Like')) return `true when the value ${not}match${op.negated ? '' : 'es'} one of the patterns, case-sensitively, with \`*\` and \`?\` as wildcards`;
      if (n.includes('IgnoreCase')) return `true when the value ${not}equal${op.negated ? '' : 's'} one of the policy's values, ignoring case`;
      return `true when the value ${not}equal${op.negated ? '' : 's'} one of the policy's values exactly (case-sensitive)`;
    case 'Numeric':
    case 'Date': {
      const what = op.type === 'Date' ? 'date (ISO 8601 or epoch seconds)' : 'number';
      const RELATIONS: Record<string, string> = {
        Equals: 'equal to',
        NotEquals: 'not equal to',
        LessThan: 'less than',
        LessThanEquals: 'less than or equal to',
        GreaterThan: 'greater than',
        GreaterThanEquals: 'greater than or equal to',
      };
      const rel = RELATIONS[n.replace(/^(Numeric|Date)/, '')] ?? n;
      return `true when the ${what} in the request is ${rel} ${op.negated ? 'every one' : 'one'} of the policy's values`;
    }
    case 'Boolean':
      return 'true when the value is the policy\'s `true` or `false`';
    case 'Binary':
      return 'true when the request\'s binary value, base64-encoded, equals one of the policy\'s values';
    case 'IP':
      return `true when the IP address ${not}lie${op.negated ? '' : 's'} in one of the policy's CIDR ranges`;
    case 'ARN':
      if (n.includes('Like')) return `true when the ARN ${not}match${op.negated ? '' : 'es'} one of the patterns, with wildcards per ARN part`;
      return `true when the ARN ${not}equal${op.negated ? '' : 's'} one of the policy's ARNs`;
    case 'Existence':
      return 'checks whether the key is in the request: `"true"` asks for it to be absent, `"false"` for it to be present';
  }
}

/** Hover text for a condition operator as written (`ForAnyValue:StringLikeIfExists`). */
export function operatorHoverMarkdown(written: string): string {
  const parsed = parseOperator(written);
  const op = parsed.operator;
  if (!op) {
    return `**${escapeMarkdown(written)}** is not an IAM condition operator: a condition using it is never true, so an Allow with it never applies and a Deny with it never denies.`;
  }
  const lines = [`**${escapeMarkdown(written)}**: ${op.type} operator`, '', `${op.name}: ${operatorMeaning(op)}.`, ''];
  const missing = parsed.ifExists
    ? 'Missing key: **true**, because of IfExists; when the key is present it compares as ' + op.name
    : parsed.setOperator === 'ForAllValues'
      ? 'Missing key: **true**: ForAllValues is true for an empty set, so pair it with a `Null` check when the key must be there'
      : parsed.setOperator === 'ForAnyValue'
        ? 'Missing key: **false**: ForAnyValue needs at least one value'
        : op.name === 'Null'
          ? 'Missing key: this operator is about exactly that'
          : op.trueWhenKeyMissing
            ? 'Missing key: **true**: a negated operator is true when the request does not have the key'
            : 'Missing key: **false**: the condition fails when the request does not have the key';
  lines.push(`- ${missing}`);
  if (parsed.ifExists) lines.push('- IfExists: the condition only constrains requests that carry the key');
  else if (op.allowsIfExists) lines.push(`- \`${op.name}IfExists\`: the same, but true when the key is absent`);
  if (parsed.setOperator === 'ForAllValues') {
    lines.push('- ForAllValues: every value of a multi-valued key must satisfy the test');
  } else if (parsed.setOperator === 'ForAnyValue') {
    lines.push('- ForAnyValue: at least one value of a multi-valued key must satisfy the test');
  } else if (op.name !== 'Null') {
    lines.push('- For multi-valued keys (`kms:EncryptionContextKeys`, `kms:GrantOperations`, `aws:TagKeys`) prefix `ForAllValues:` or `ForAnyValue:`');
  }
  return lines.join('\n');
}
