import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { readPackageJson } from '../packageFiles';

/** One schema violation in words a policy author reads, at a JSON path (`$.cases[0].expect`). */
export interface SchemaViolation {
  /** Path segments from the document root, as jsonc-parser's findNodeAtLocation takes them. */
  path: Array<string | number>;
  message: string;
}

const compiled = new Map<string, ValidateFunction>();

/** Compiles a schema shipped in schemas/ once per process. */
function validatorFor(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(readPackageJson(`schemas/${schemaFile}`));
    compiled.set(schemaFile, validate);
  }
  return validate;
}

/** Renders path segments as `$.keys["app-key"].grants[0]`. */
export function jsonPath(path: ReadonlyArray<string | number>): string {
  return (
    '$' +
    path
      .map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
      .join('')
  );
}

function segments(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function describe(e: ErrorObject): SchemaViolation {
  const path = segments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path, message: `missing required property "${String(p['missingProperty'])}"` };
    case 'additionalProperties':
      return { path: [...path, String(p['additionalProperty'])], message: `unknown property "${String(p['additionalProperty'])}"` };
    case 'enum':
      return { path, message: `must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type': {
      const types = String(p['type']).split(',');
      return { path, message: `must be ${types.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}` };
    }
    case 'pattern':
      return { path, message: `does not have the expected form (${String(p['pattern'])})` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minItems':
      return { path, message: `must have at least ${String(p['limit'])} item${p['limit'] === 1 ? '' : 's'}` };
    case 'oneOf':
    case 'anyOf':
      return { path, message: 'is not any of the accepted forms' };
    default:
      return { path, message: `is not valid (${e.keyword})` };
  }
}

/**
 * Validates a value against a shipped schema and returns violations in plain words, never ajv's raw text.
 * Where one value fails several alternatives of a oneOf, only the summary is kept: the branch errors below
 * it would contradict each other ("must be an object", "must be a string").
 */
export function validateAgainstSchema(schemaFile: string, value: unknown): SchemaViolation[] {
  const validate = validatorFor(schemaFile);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  const alternatives = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').map((e) => e.instancePath);
  const kept = errors.filter(
    (e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || !alternatives.some((a) => e.instancePath === a || e.instancePath.startsWith(`${a}/`)),
  );
  const seen = new Set<string>();
  return kept.map(describe).filter((v) => {
    const id = `${jsonPath(v.path)} ${v.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
