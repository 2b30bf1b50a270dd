import { parseOperator } from '../catalog/operators';
import type { ConditionElement, ConditionKeyEntry } from '../policy/model';
import { SCALAR_TYPES, evaluateKey } from './conditionMatcher';
import { operatorBehaviour } from './conditionOperators';
import { resolveVariables } from './policyVariables';
import type { RequestContext } from './requestContext';

/**
 * A Condition element read once: operators parsed, policy values parsed and compiled into their tests. Deciding a
 * request then only looks its values up and runs the tests. It must decide exactly as matchCondition does, which
 * stays the straightforward reading and builds the explanation (tested against each other in
 * test/core/authz/compiled.test.ts).
 */
export type CompiledCondition = (context: RequestContext) => boolean;

type KeyTest = (context: RequestContext) => boolean;

const never: KeyTest = () => false;

/** No request context at all: values without variables resolve the same against any context. */
const NO_CONTEXT: RequestContext = { entries: new Map(), ignored: [] };

export function compileCondition(condition: ConditionElement | undefined, variablesEnabled: boolean): CompiledCondition {
  if (!condition) return () => true;
  // A Condition, or an operator block, that is not an object cannot be satisfied.
  if (condition.valueType !== 'object' || condition.operators.some((b) => b.valueType !== 'object')) return () => false;
  const tests: KeyTest[] = [];
  for (const block of condition.operators) {
    for (const entry of block.keys) tests.push(compileKey(block.operator.value, entry, variablesEnabled));
  }
  if (tests.length === 1) return tests[0]!;
  return (context) => {
    for (let i = 0; i < tests.length; i++) if (!tests[i]!(context)) return false;
    return true;
  };
}

/** evaluateKey's decision for one condition key, with everything that does not depend on the request done now. */
function compileKey(operatorText: string, entry: ConditionKeyEntry, variablesEnabled: boolean): KeyTest {
  const policyValues = entry.values.filter((v) => SCALAR_TYPES.has(v.jsonType)).map((v) => v.value);
  const parsed = parseOperator(operatorText);
  if (!parsed.operator || policyValues.length === 0) return never;
  const lowerKey = entry.key.value.toLowerCase();
  const requestValuesOf = (context: RequestContext): string[] | undefined => context.entries.get(lowerKey)?.values;

  if (parsed.operator.name === 'Null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present.
    const absent = policyValues.some((v) => v.toLowerCase() === 'true');
    const present = policyValues.some((v) => v.toLowerCase() === 'false');
    return (context) => {
      const values = requestValuesOf(context);
      const missing = values === undefined || values.length === 0;
      return missing ? absent : present;
    };
  }

  const { comparison, negated } = operatorBehaviour(parsed.operator)!;
  // A value with a variable resolves differently for each request: such keys are decided the straightforward way.
  if (variablesEnabled && comparison.usesVariables && policyValues.some((v) => v.includes('${'))) {
    return (context) => evaluateKey(operatorText, entry, context, variablesEnabled).matches;
  }
  const matchers = policyValues.map((v) => comparison.matcher(resolveVariables(v, NO_CONTEXT, false)));
  const matchesAny = (requestValue: string): boolean => {
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(requestValue)) return true;
    return false;
  };
  const valueMatches = negated ? (r: string) => !matchesAny(r) : matchesAny;
  const { ifExists, setOperator } = parsed;

  return (context) => {
    const values = requestValuesOf(context);
    if (values === undefined || values.length === 0) {
      // IfExists makes a missing key true; otherwise ForAllValues is vacuously true for an empty set, ForAnyValue
      // is false, and a single-valued operator is false, or true when negated.
      if (ifExists) return true;
      if (setOperator === 'ForAllValues') return true;
      if (setOperator === 'ForAnyValue') return false;
      return negated;
    }
    if (setOperator === 'ForAllValues') return values.every(valueMatches);
    if (setOperator === 'ForAnyValue') return values.some(valueMatches);
    // Several request values without a set operator: the positive test is "any value matches".
    const positive = values.some(matchesAny);
    return negated ? !positive : positive;
  };
}
