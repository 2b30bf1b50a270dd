import { allConditionKeys, allOperators, findConditionKey, parseOperator } from '../catalog';
import type { Located } from '../policy/model';
import { closestName } from './closestName';
import type { Fix } from './finding';
import { defineRule, POLICY_KINDS } from './lintRule';
import { replaceNode } from './textEdits';

const CODES = {
  INVALID_CONDITION_OPERATOR: { severity: 'ERROR', description: 'A condition operator IAM does not know.' },
  NULL_WITH_IF_EXISTS: { severity: 'ERROR', description: 'NullIfExists: the Null operator takes no IfExists suffix.' },
  INVALID_SERVICE_CONDITION_KEY: { severity: 'ERROR', description: 'A kms: condition key that does not exist.' },
  INVALID_GLOBAL_CONDITION_KEY: { severity: 'ERROR', description: 'An aws: condition key that does not exist.' },
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: { severity: 'ERROR', description: 'One condition key twice under one operator, spelled in different case.' },
  KMS_DEPRECATED_CONDITION_KEY: { severity: 'WARNING', description: 'A deprecated AWS KMS condition key (kms:CustomerMasterKeySpec, kms:CustomerMasterKeyUsage).' },
} as const;

// Suggestion lists, built on the first unknown name: the catalog does not change while the process runs.
let spellings: string[] | undefined;
let kmsKeys: string[] | undefined;
let awsKeys: string[] | undefined;

/** Every spelling of an operator IAM accepts: with or without a set prefix and, where allowed, IfExists. */
function operatorSpellings(): string[] {
  const out: string[] = [];
  for (const prefix of ['', 'ForAllValues:', 'ForAnyValue:']) {
    for (const op of allOperators()) {
      out.push(prefix + op.name);
      if (op.allowsIfExists) out.push(`${prefix}${op.name}IfExists`);
    }
  }
  return out;
}

/** Key names to suggest: the fixed names of one service (patterns such as kms:EncryptionContext:${…} left out). */
function keyNames(service: 'kms' | 'aws'): string[] {
  return allConditionKeys()
    .filter((k) => k.service === service && !k.name.includes('${'))
    .map((k) => k.name);
}

function rename(node: Located, to: string): Fix {
  return { title: `Change to ${to}`, edits: [replaceNode(node, JSON.stringify(to))] };
}

/** "Instead, use the kms:KeySpec condition key": the catalog's own words name the replacement. */
function replacementOf(description: string | undefined): string | undefined {
  return /use the (kms:\w+) condition key/i.exec(description ?? '')?.[1];
}

/** Condition operator and condition key names (IAM User Guide, condition operators; Service Authorization Reference). */
export const conditionNameRule = defineRule({
  id: 'conditionNames',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(_ctx, statement, report) {
    for (const block of statement.condition?.operators ?? []) {
      const written = block.operator.value;
      const parsed = parseOperator(written);
      if (!parsed.operator) {
        const base = written.includes(':') ? written.slice(written.indexOf(':') + 1) : written;
        if (/^null/i.test(base) && /ifexists$/i.test(base)) {
          const fixed = written.slice(0, -'IfExists'.length);
          report('NULL_WITH_IF_EXISTS', block.operator, `The Null operator cannot take IfExists: Null itself tests whether the key exists. Use "${fixed}".`, {
            fix: rename(block.operator, fixed),
          });
        } else {
          const closest = closestName(written, (spellings ??= operatorSpellings()));
          report(
            'INVALID_CONDITION_OPERATOR',
            block.operator,
            `${JSON.stringify(written)} is not a condition operator${closest ? `. Did you mean ${closest}?` : ': use one such as StringEquals, ArnLike, Bool, NumericLessThan, DateGreaterThan or IpAddress.'}`,
            closest ? { fix: rename(block.operator, closest) } : {},
          );
        }
      }
      const byLower = new Map<string, Located>();
      for (const entry of block.keys) {
        const key = entry.key;
        const lower = key.value.toLowerCase();
        const earlier = byLower.get(lower);
        if (earlier && earlier.value !== key.value) {
          report('DUPLICATE_KEYS_WITH_DIFFERENT_CASE', key, `${key.value} repeats ${earlier.value} in different case: condition key names are not case-sensitive, so one of them overrides the other. Keep one.`, {
            related: [{ offset: earlier.offset, length: earlier.length, message: 'The same key, spelled differently' }],
          });
        }
        byLower.set(lower, key);
        const info = findConditionKey(key.value);
        if (lower.startsWith('kms:') && !info) {
          const needsContextKey = lower === 'kms:encryptioncontext:' || lower === 'kms:encryptioncontext';
          const closest = needsContextKey ? undefined : closestName(key.value, (kmsKeys ??= keyNames('kms')));
          report(
            'INVALID_SERVICE_CONDITION_KEY',
            key,
            needsContextKey
              ? `${key.value} needs the name of an encryption context key after it, such as kms:EncryptionContext:Department.`
              : `${key.value} is not an AWS KMS condition key${closest ? `. Did you mean ${closest}?` : '.'}`,
            closest ? { fix: rename(key, closest) } : {},
          );
        } else if (lower.startsWith('aws:') && !info) {
          const closest = closestName(key.value, (awsKeys ??= keyNames('aws')));
          report(
            'INVALID_GLOBAL_CONDITION_KEY',
            key,
            `${key.value} is not an AWS global condition key${closest ? `. Did you mean ${closest}?` : '.'}`,
            closest ? { fix: rename(key, closest) } : {},
          );
        } else if (info?.service === 'kms' && /deprecated/i.test(info.description ?? '')) {
          const replacement = replacementOf(info.description);
          report(
            'KMS_DEPRECATED_CONDITION_KEY',
            key,
            `${info.name} is deprecated${replacement ? `: use ${replacement}, which works the same way` : ''}.`,
            replacement ? { fix: rename(key, replacement) } : {},
          );
        }
      }
    }
  },
});
