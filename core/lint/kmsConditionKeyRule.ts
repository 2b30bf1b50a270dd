import { actionSupportsConditionKey, findConditionKey, parseOperator } from '../catalog';
import { defineRule, POLICY_KINDS } from './lintRule';
import { statementKmsActions } from './statementActions';

const CODES = {
  KMS_CONDITION_KEY_NOT_SUPPORTED: {
    severity: 'WARNING',
    description: "A condition key none of the statement's actions has in its request context, so the condition is never met (or always met) as written.",
  },
} as const;

/** Keys scoped to AWS KMS requests: kms: keys and the tag keys, which only some actions supply. Other aws: keys are global. */
function isServiceScoped(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('kms:') || lower.startsWith('aws:resourcetag/') || lower.startsWith('aws:requesttag/') || lower === 'aws:tagkeys';
}

/** Whether an action supplies a key, by action and lower-case key name; the catalog lookups add up over a policy. */
const supportCache = new Map<string, boolean>();

function supports(action: string, key: string): boolean {
  const id = `${action} ${key.toLowerCase()}`;
  let supported = supportCache.get(id);
  if (supported === undefined) {
    if (supportCache.size > 5000) supportCache.clear();
    supported = actionSupportsConditionKey(action, key);
    supportCache.set(id, supported);
  }
  return supported;
}

function list(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/**
 * Condition keys against the actions of their statement (Service Authorization Reference: the keys each KMS
 * action supports, and the key resource type's keys for actions on a key). When no action of the statement
 * supplies the key, the key is absent from every request the statement can match, so the condition is decided
 * by how its operator treats a missing key: never met for most, always met for negated operators, IfExists and
 * ForAllValues.
 */
export const kmsConditionKeyRule = defineRule({
  id: 'kmsConditionKeys',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(_ctx, statement, report) {
    if (!statement.condition) return;
    const actions = statementKmsActions(statement);
    if (!actions || actions.length === 0) return;
    for (const block of statement.condition.operators) {
      const parsed = parseOperator(block.operator.value);
      if (!parsed.operator || parsed.operator.type === 'Existence') continue;
      for (const entry of block.keys) {
        const info = findConditionKey(entry.key.value);
        if (!info || !isServiceScoped(entry.key.value) || /deprecated/i.test(info.description ?? '')) continue;
        if (actions.some((a) => supports(a.fullName, entry.key.value))) continue;
        const alwaysTrue = parsed.operator.trueWhenKeyMissing || parsed.ifExists || parsed.setOperator === 'ForAllValues';
        const effect = alwaysTrue ? 'so this condition is always met and restricts nothing' : 'so this condition is never met and the statement never applies';
        report(
          'KMS_CONDITION_KEY_NOT_SUPPORTED',
          entry.key,
          `None of this statement's actions (${list(actions.map((a) => a.fullName))}) has ${entry.key.value} in its request context, ${effect}. Use a key those actions support, or add the actions the key is meant for.`,
        );
      }
    }
  },
});
