import Ajv, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { readPackageJson } from '../packageFiles';
import type { JsonPath } from './jsonTree';

/**
 * Validates documents against the grammar schemas in schemas/ and returns ajv's errors as data: the instance
 * path, the failing keyword and the finding code the schema itself names for it.
 *
 * Codes live in the schemas, next to the rule they belong to, under the annotation keyword `x-lint`: an object
 * from JSON Schema keyword to finding code (`{"enum": "INVALID_EFFECT"}`), where `required` maps each property
 * to its own code (`{"required": {"Effect": "MISSING_EFFECT"}}`). `expect` says in words what a value should
 * be, for messages; `elements` names the pair of elements a `not` keeps apart ("Action NotAction"). Editors
 * ignore the annotation; the schemas stay usable for VS Code's own JSON validation.
 */

export interface LintAnnotation {
  [keyword: string]: string | Readonly<Record<string, string>> | undefined;
  expect?: string;
}

export interface SchemaError {
  /** Where the failing value is. For `additionalProperties` and `required`, the object holding the property. */
  path: Array<string | number>;
  keyword: string;
  params: Readonly<Record<string, unknown>>;
  /** The code the schema names for this keyword, if any. */
  code?: string;
  annotation?: LintAnnotation;
}

const SCHEMA_BASE = 'https://kms-studio.dev/schemas/';
/** Schemas that others refer to by `$ref`; they are added before any schema is compiled. */
const SHARED = ['policy.schema.json'];

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    // verbose: errors carry their schema object, where the x-lint annotation is. Referenced definitions are
    // compiled once rather than inlined at each use, and the schemas are not checked against the draft-07
    // meta-schema at run time (a test does that): both keep the first lint of a session fast.
    ajv = new Ajv({
      allErrors: true,
      verbose: true,
      strict: true,
      strictTypes: false,
      strictRequired: false,
      allowUnionTypes: true,
      inlineRefs: false,
      validateSchema: false,
    });
    ajv.addVocabulary(['x-lint']);
    for (const file of SHARED) ajv.addSchema(readPackageJson<AnySchemaObject>(`schemas/${file}`));
  }
  return ajv;
}

/**
 * The compiled validator of a schema file. A file without `$id` (a thin wrapper such as policy-key.schema.json,
 * whose `$ref` an editor resolves relative to the file) is given one under the same base, so its relative
 * references resolve to the shared schemas here too.
 */
function validatorFor(file: string): ValidateFunction {
  let validate = compiled.get(file);
  if (!validate) {
    const schema = readPackageJson<AnySchemaObject>(`schemas/${file}`);
    const a = instance();
    validate = (schema.$id && a.getSchema(schema.$id)) || a.compile(schema.$id ? schema : { ...schema, $id: SCHEMA_BASE + file });
    compiled.set(file, validate);
  }
  return validate;
}

function segments(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function annotationOf(e: ErrorObject): LintAnnotation | undefined {
  const parent = e.parentSchema as Record<string, unknown> | undefined;
  const a = parent?.['x-lint'];
  return a && typeof a === 'object' ? (a as LintAnnotation) : undefined;
}

function codeOf(e: ErrorObject, annotation: LintAnnotation | undefined): string | undefined {
  const entry = annotation?.[e.keyword];
  if (typeof entry === 'string') return entry;
  if (entry && e.keyword === 'required') return entry[String(e.params['missingProperty'])];
  return undefined;
}

/** Whether error `inner` was raised while evaluating the alternatives of combinator error `outer`. */
function isWithin(inner: ErrorObject, outer: ErrorObject): boolean {
  return inner !== outer && inner.schemaPath.startsWith(`${outer.schemaPath}/`) && inner.instancePath.startsWith(outer.instancePath);
}

const COMBINATORS = new Set(['anyOf', 'oneOf', 'not']);

/**
 * Validates `value` against `schemas/<file>`. An `if` error only says that a `then` or `else` failed, whose own
 * errors are kept; the errors inside an annotated `anyOf`, `oneOf` or `not` are dropped, because the annotation
 * says what they mean together ("Action or NotAction is missing") better than each branch can.
 */
export function validateGrammar(file: string, value: unknown): SchemaError[] {
  return errorsOf(validatorFor(file), value);
}

/** The definition a statement of each policy kind is validated against, inside policy.schema.json. */
const STATEMENT_DEFINITIONS = { keyPolicy: 'keyPolicyStatement', identityPolicy: 'identityPolicyStatement' } as const;

export type PolicyGrammarKind = keyof typeof STATEMENT_DEFINITIONS;

const statementValidators = new Map<PolicyGrammarKind, ValidateFunction>();

/**
 * Validates one statement of a policy of `kind`, with paths relative to the statement. The document schemas
 * apply this same definition to each statement (policy-key.schema.json: Statement → keyPolicyStatements →
 * keyPolicyStatement) and nothing else of the document reaches into a statement, so a document's errors are its
 * skeleton's errors (`statementStub`) and each statement's, which the linter can keep per statement text.
 */
export function validateStatementGrammar(kind: PolicyGrammarKind, value: unknown): SchemaError[] {
  let validate = statementValidators.get(kind);
  if (!validate) {
    const id = `${SCHEMA_BASE}${SHARED[0]!}#/definitions/${STATEMENT_DEFINITIONS[kind]}`;
    validate = instance().getSchema(id);
    if (!validate) throw new Error(`${id} is not in the policy schema`);
    statementValidators.set(kind, validate);
  }
  return errorsOf(validate, value);
}

/** A statement with no error of its own in a policy of `kind`: what stands in for each statement in the skeleton. */
export function statementStub(kind: PolicyGrammarKind): Readonly<Record<string, string>> {
  return kind === 'keyPolicy' ? KEY_STUB : IDENTITY_STUB;
}

const KEY_STUB = Object.freeze({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
const IDENTITY_STUB = Object.freeze({ Effect: 'Allow', Action: '*', Resource: '*' });

function errorsOf(validate: ValidateFunction, value: unknown): SchemaError[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const summaries = errors.filter((e) => COMBINATORS.has(e.keyword) && codeOf(e, annotationOf(e)));
  const kept = summaries.length === 0 ? errors : errors.filter((e) => !summaries.some((s) => isWithin(e, s)));
  return kept.map((e) => {
    const annotation = annotationOf(e);
    const error: SchemaError = { path: segments(e.instancePath), keyword: e.keyword, params: e.params as Record<string, unknown> };
    const code = codeOf(e, annotation);
    if (code) error.code = code;
    if (annotation) error.annotation = annotation;
    return error;
  });
}

/** The path of the value an error is about: the extra property itself for `additionalProperties`. */
export function errorTargetPath(error: SchemaError): JsonPath {
  if (error.keyword === 'additionalProperties') return [...error.path, String(error.params['additionalProperty'])];
  return error.path;
}
