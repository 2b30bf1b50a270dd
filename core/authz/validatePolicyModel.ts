/**
 * The shape of a policy model handed to `evaluate`. `parsePolicy` always builds a well-formed model, however broken
 * the text; a model built some other way (a scenario runner, an editor extension, deserialised JSON) is checked
 * here, so a malformed one is refused with a ValidationException instead of failing deep inside a matcher.
 * Only what the evaluator reads is checked: spans and the linter's fields are not.
 */

type Check = (value: unknown, where: string) => string | undefined;

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** A `Located` value: its text and the JSON type it was written as. */
const located: Check = (value, where) =>
  isObject(value) && typeof value['value'] === 'string' && typeof value['jsonType'] === 'string'
    ? undefined
    : `${where} must be a located value ({ value: string, jsonType: string })`;

const optional = (check: Check): Check => (value, where) => (value === undefined ? undefined : check(value, where));

function listOf(check: Check): Check {
  return (value, where) => {
    if (!Array.isArray(value)) return `${where} must be a list`;
    for (let i = 0; i < value.length; i++) {
      const problem = check(value[i], `${where}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function fields(spec: Record<string, Check>): Check {
  return (value, where) => {
    if (!isObject(value)) return `${where} must be an object`;
    for (const [name, check] of Object.entries(spec)) {
      const problem = check(value[name], `${where}.${name}`);
      if (problem) return problem;
    }
    return undefined;
  };
}

const string: Check = (value, where) => (typeof value === 'string' ? undefined : `${where} must be a string`);
const effect: Check = (value, where) => (value === undefined || value === 'Allow' || value === 'Deny' ? undefined : `${where} must be "Allow", "Deny" or absent`);
const index: Check = (value, where) => (Number.isInteger(value) ? undefined : `${where} must be an integer`);

const principal = optional(fields({ entries: listOf(fields({ type: string, values: listOf(located) })) }));
const stringList = optional(fields({ values: listOf(located) }));
const condition = optional(
  fields({
    valueType: string,
    operators: listOf(fields({ operator: located, valueType: string, keys: listOf(fields({ key: located, values: listOf(located) })) })),
  }),
);

const statement = fields({
  index,
  effect,
  sid: optional(located),
  principal,
  notPrincipal: principal,
  action: stringList,
  notAction: stringList,
  resource: stringList,
  notResource: stringList,
  condition,
});

const policy = fields({ version: optional(located), statements: listOf(statement) });

/**
 * Models found well-formed. A policy model is treated as immutable once evaluated (the compiled form of it is
 * cached too, see compiledPolicy), so its shape is checked once per object rather than on every request; the
 * WeakSet lets a model go when its document does. Problems are not cached: a refused model never got evaluated.
 */
const wellFormed = new WeakSet<object>();

/** Why `value` is not a policy model the evaluator can read, or undefined when it is one. */
export function policyModelProblem(value: unknown, where: string): string | undefined {
  if (isObject(value) && wellFormed.has(value)) return undefined;
  const problem = policy(value, where);
  if (problem === undefined && isObject(value)) wellFormed.add(value);
  return problem;
}
