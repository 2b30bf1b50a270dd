import { parseOperator } from '../catalog';
import type { ConditionElement, ConditionOperatorBlock } from '../policy/model';
import type { Fix } from './finding';
import { nodeForSpan } from './jsonTree';
import { defineRule, POLICY_KINDS } from './lintRule';
import { removeArrayItem, replaceNode } from './textEdits';

const CODES = {
  WILDCARD_WITHOUT_LIKE_OPERATOR: { severity: 'WARNING', description: 'A * or ? in the value of StringEquals (or ArnEquals, …), where a Like operator is meant.' },
  REDUNDANT_CONDITION_VALUE: { severity: 'SUGGESTION', description: 'The same value twice for one condition key.' },
} as const;

/** The Like operator of each exact-match operator; the IgnoreCase ones have none (StringLike is case-sensitive). */
const LIKE: Readonly<Record<string, string>> = {
  StringEquals: 'StringLike',
  StringNotEquals: 'StringNotLike',
  ArnEquals: 'ArnLike',
  ArnNotEquals: 'ArnNotLike',
};
const EXACT = new Set(['StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'ArnEquals', 'ArnNotEquals']);

/** Whether a value has `*` or `?` outside policy variables (`${*}` is the escape for a literal `*`). */
function hasWildcard(value: string): boolean {
  return /[*?]/.test(value.replace(/\$\{[^}]*\}/g, ''));
}

function likeFix(condition: ConditionElement, block: ConditionOperatorBlock, base: string): Fix | undefined {
  const like = LIKE[base];
  if (!like) return undefined;
  const written = block.operator.value;
  const at = written.toLowerCase().indexOf(base.toLowerCase());
  const replacement = written.slice(0, at) + like + written.slice(at + base.length);
  // Renaming onto an operator the block already has would make a duplicate JSON key.
  if (condition.operators.some((o) => o.operator.value === replacement)) return undefined;
  return { title: `Change ${written} to ${replacement}`, edits: [replaceNode(block.operator, JSON.stringify(replacement))] };
}

/** Wildcards under exact-match operators, and values repeated for one key. */
export const conditionValueRule = defineRule({
  id: 'conditionValues',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    const condition = statement.condition;
    for (const block of condition?.operators ?? []) {
      const operator = parseOperator(block.operator.value).operator;
      for (const entry of block.keys) {
        const seen = new Map<string, { offset: number; length: number }>();
        const ignoreCase = /IgnoreCase$/.test(operator?.name ?? '');
        for (const [index, value] of entry.values.entries()) {
          if (value.jsonType === 'object' || value.jsonType === 'array') continue;
          if (operator && EXACT.has(operator.name) && value.jsonType === 'string' && hasWildcard(value.value)) {
            const fix = likeFix(condition!, block, operator.name);
            const arn = operator.type === 'ARN';
            report(
              'WILDCARD_WITHOUT_LIKE_OPERATOR',
              value,
              arn
                ? `${operator.name} treats * and ? in ${JSON.stringify(value.value)} as wildcards, exactly as ${LIKE[operator.name]} does; write ${LIKE[operator.name]} so the policy says so.`
                : `${operator.name} compares ${JSON.stringify(value.value)} literally, * and ? included. If they are meant as wildcards, use ${LIKE[operator.name] ?? 'StringLike (which is case-sensitive)'}.`,
              fix ? { fix } : {},
            );
          }
          const normal = ignoreCase ? value.value.toLowerCase() : value.value;
          const first = seen.get(normal);
          if (!first) {
            seen.set(normal, value);
            continue;
          }
          const array = entry.isArray ? nodeForSpan(ctx.root, value)?.parent : undefined;
          const fix: Fix | undefined = array?.type === 'array' ? { title: `Remove the repeated ${JSON.stringify(value.value)}`, edits: [removeArrayItem(array, index)] } : undefined;
          report('REDUNDANT_CONDITION_VALUE', value, `${JSON.stringify(value.value)} is already a value of ${entry.key.value}. Remove the repeated value.`, {
            related: [{ ...first, message: 'The first occurrence' }],
            ...(fix ? { fix } : {}),
          });
        }
      }
    }
  },
});
