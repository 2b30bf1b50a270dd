import { parseOperator } from '../catalog/operators';
import type { ConditionElement, ConditionKeyEntry, Span } from '../policy/model';
import { operatorBehaviour } from './conditionOperators';
import { resolveVariables, type ResolvedValue } from './policyVariables';
import { contextValues, type RequestContext } from './requestContext';

/** How one condition key fared: what the policy asked, what the request had. */
export interface ConditionKeyOutcome extends Span {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: string;
  /** The condition key as written. */
  key: string;
  /** The policy's values as written. */
  policyValues: string[];
  /** The request's values; undefined when the request context does not have the key. */
  requestValues?: string[];
  matches: boolean;
  /** Why, when it is not plain comparison: an unknown operator, IfExists on a missing key, an unresolved variable. */
  note?: string;
}

export const SCALAR_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'boolean']);

export interface ConditionResult {
  matches: boolean;
  explain: ConditionKeyOutcome[];
}

/**
 * Evaluates a Condition element: every operator block and every key in it must be true (AND); a key's values
 * are alternatives (OR). An absent Condition is true.
 */
export function matchCondition(
  condition: ConditionElement | undefined,
  context: RequestContext,
  variablesEnabled: boolean,
): ConditionResult {
  const explain: ConditionKeyOutcome[] = [];
  // A Condition, or an operator block, that is not an object cannot be satisfied.
  let malformed = !!condition && condition.valueType !== 'object';
  for (const block of condition?.operators ?? []) {
    if (block.valueType !== 'object') malformed = true;
    for (const entry of block.keys) explain.push(evaluateKey(block.operator.value, entry, context, variablesEnabled));
  }
  return { matches: !malformed && explain.every((o) => o.matches), explain };
}

export function evaluateKey(
  operatorText: string,
  entry: ConditionKeyEntry,
  context: RequestContext,
  variablesEnabled: boolean,
): ConditionKeyOutcome {
  // A condition value is a string, a number or a Boolean, read as its text (IAM User Guide, grammar of the policy
  // language); null, objects and lists are not values and match nothing.
  const policyValues = entry.values.filter((v) => SCALAR_TYPES.has(v.jsonType)).map((v) => v.value);
  const requestValues = contextValues(context, entry.key.value);
  const base = {
    operator: operatorText,
    key: entry.key.value,
    policyValues,
    requestValues,
    offset: entry.offset,
    length: entry.length,
  };
  const outcome = (matches: boolean, note?: string): ConditionKeyOutcome => (note ? { ...base, matches, note } : { ...base, matches });

  const parsed = parseOperator(operatorText);
  if (!parsed.operator) return outcome(false, `"${operatorText}" is not an IAM condition operator`);
  if (policyValues.length === 0) return outcome(false, 'the key has no values');
  const missing = requestValues === undefined || requestValues.length === 0;

  if (parsed.operator.name === 'Null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present.
    const matches = policyValues.some((v) => (v.toLowerCase() === 'true' ? missing : v.toLowerCase() === 'false' && !missing));
    return outcome(matches);
  }
  if (missing && parsed.ifExists) return outcome(true, 'the key is not in the request, and IfExists makes that true');

  const behaviour = operatorBehaviour(parsed.operator)!;
  const { comparison, negated } = behaviour;
  const resolved: ResolvedValue[] = policyValues.map((v) =>
    resolveVariables(v, context, variablesEnabled && comparison.usesVariables),
  );
  const unresolved = resolved.find((r) => r.unresolved)?.unresolved;
  const note = unresolved ? `\${${unresolved}} has no value in this request, so the values using it match nothing` : undefined;
  // Each policy value is read once, however many request values it is compared with.
  const tests = resolved.filter((p) => !p.unresolved).map((p) => comparison.matcher(p));
  const matchesAny = (requestValue: string): boolean => tests.some((test) => test(requestValue));
  // A value matches when it equals (or is like) any policy value; negated operators want it to match none.
  const valueMatches = (requestValue: string): boolean => (negated ? !matchesAny(requestValue) : matchesAny(requestValue));

  if (parsed.setOperator === 'ForAllValues') {
    // Vacuously true for a missing or empty set (IAM User Guide, multivalued context keys).
    return outcome(missing || requestValues!.every(valueMatches), missing ? 'the key is not in the request, and ForAllValues is true for an empty set' : note);
  }
  if (parsed.setOperator === 'ForAnyValue') {
    return outcome(!missing && requestValues!.some(valueMatches), note);
  }
  // A single-valued operator: a missing key makes positive operators false and negated operators true.
  if (missing) return outcome(negated, note);
  // With several request values and no set operator, the positive test is "any value matches".
  const positive = requestValues!.some(matchesAny);
  return outcome(negated ? !positive : positive, note);
}
