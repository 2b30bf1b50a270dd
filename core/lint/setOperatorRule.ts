import { findConditionKey, parseOperator } from '../catalog';
import type { ConditionElement, ConditionOperatorBlock } from '../policy/model';
import type { Fix } from './finding';
import { defineRule, POLICY_KINDS } from './lintRule';
import { replaceNode } from './textEdits';

const CODES = {
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: { severity: 'SECURITY_WARNING', description: 'ForAllValues with a single-valued key: also true when the key is absent.' },
  FORANYVALUE_WITH_SINGLE_VALUED_KEY: { severity: 'WARNING', description: 'ForAnyValue with a single-valued key, where a plain operator is meant.' },
  KMS_FORALLVALUES_ENCRYPTION_CONTEXT: { severity: 'ERROR', description: 'ForAllValues with kms:EncryptionContext:<key> in a key policy, which AWS KMS refuses.', kinds: ['keyPolicy'] },
  KMS_FORALLVALUES_REQUEST_TAG: { severity: 'ERROR', description: 'ForAllValues with aws:RequestTag/<tag> in a key policy, which AWS KMS refuses.', kinds: ['keyPolicy'] },
} as const;

/** Removes `ForAllValues:` / `ForAnyValue:` from an operator, unless the plain operator is already in the block. */
function removePrefixFix(condition: ConditionElement, block: ConditionOperatorBlock): Fix | undefined {
  const written = block.operator.value;
  const plain = written.slice(written.indexOf(':') + 1);
  if (condition.operators.some((o) => o.operator.value === plain)) return undefined;
  // Every key of the block must be single-valued: the prefix still matters for the others.
  if (!block.keys.every((k) => findConditionKey(k.key.value)?.multiValued === false)) return undefined;
  return { title: `Change ${written} to ${plain}`, edits: [replaceNode(block.operator, JSON.stringify(plain))] };
}

/**
 * Set operators on single-valued keys (IAM User Guide, single-valued vs. multivalued context keys). ForAllValues
 * is true when the key is absent, so an Allow with it allows requests that lack the key. AWS KMS refuses a key
 * policy with ForAllValues on kms:EncryptionContext:<key> or aws:RequestTag/<tag> ("OverlyPermissiveCondition",
 * AWS KMS Developer Guide, AWS KMS condition keys); IAM stores such an identity policy, so there it is a warning.
 */
export const setOperatorRule = defineRule({
  id: 'setOperators',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    const condition = statement.condition;
    for (const block of condition?.operators ?? []) {
      const parsed = parseOperator(block.operator.value);
      if (!parsed.setOperator || !parsed.operator) continue;
      for (const entry of block.keys) {
        const info = findConditionKey(entry.key.value);
        if (!info || info.multiValued) continue;
        const fix = removePrefixFix(condition!, block);
        const options = fix ? { fix } : {};
        const plain = parsed.operator.name + (parsed.ifExists ? 'IfExists' : '');
        if (parsed.setOperator === 'ForAllValues') {
          const lower = info.name.toLowerCase();
          const refusedByKms = ctx.kind === 'keyPolicy' && (lower.startsWith('kms:encryptioncontext:') || lower.startsWith('aws:requesttag/'));
          if (refusedByKms) {
            const code = lower.startsWith('kms:') ? 'KMS_FORALLVALUES_ENCRYPTION_CONTEXT' : 'KMS_FORALLVALUES_REQUEST_TAG';
            report(
              code,
              entry.key,
              `AWS KMS refuses this key policy (OverlyPermissiveCondition): ${entry.key.value} is single-valued, and ForAllValues on it also matches requests without it or with other values. Use ${plain}.`,
              options,
            );
          } else {
            report(
              'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
              entry.key,
              `${entry.key.value} is single-valued, and ForAllValues on it is also true when the request lacks it, which can be overly permissive. Use ${plain}.`,
              options,
            );
          }
        } else {
          report(
            'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
            entry.key,
            `${entry.key.value} is single-valued, and set operators are for multivalued keys: ForAnyValue on it differs from ${plain} only when the key is absent, where a negated operator turns false. Use ${plain}.`,
            options,
          );
        }
      }
    }
  },
});
