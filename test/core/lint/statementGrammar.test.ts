import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { statementStub, validateGrammar, validateStatementGrammar, type SchemaError } from '../../../core/lint/schemaValidation';
import { policyTextArbitrary } from './policyArbitraries';

/**
 * The grammar rule validates each statement on its own (so that an unchanged statement's findings can be kept)
 * and the document with a stand-in for every statement. That is sound while the schemas apply one definition to
 * each statement and nothing above a statement looks inside one: the errors of the whole document are then
 * exactly the stand-in document's and each statement's. This checks it of the schemas as they are.
 */

type PolicyKind = 'keyPolicy' | 'identityPolicy';
const FILES: Record<PolicyKind, string> = { keyPolicy: 'policy-key.schema.json', identityPolicy: 'policy-identity.schema.json' };

function isStatement(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The errors of the document, found the way the grammar rule finds them, as sorted JSON. */
function decomposed(kind: PolicyKind, document: unknown): string[] {
  if (!isStatement(document)) return validateGrammar(FILES[kind], document).map((e) => JSON.stringify(e)).sort();
  const errors: SchemaError[] = [];
  const statement = document['Statement'];
  let skeleton: unknown = document;
  const check = (value: unknown, prefix: Array<string | number>) => {
    for (const e of validateStatementGrammar(kind, value)) errors.push({ ...e, path: [...prefix, ...e.path] });
  };
  if (Array.isArray(statement)) {
    statement.forEach((s, i) => isStatement(s) && check(s, ['Statement', i]));
    skeleton = { ...document, Statement: statement.map((s) => (isStatement(s) ? statementStub(kind) : s)) };
  } else if (isStatement(statement)) {
    check(statement, ['Statement']);
    skeleton = { ...document, Statement: statementStub(kind) };
  }
  errors.push(...validateGrammar(FILES[kind], skeleton));
  return errors.map((e) => JSON.stringify(e)).sort();
}

function whole(kind: PolicyKind, document: unknown): string[] {
  return validateGrammar(FILES[kind], document).map((e) => JSON.stringify(e)).sort();
}

describe('statement-by-statement grammar validation', () => {
  for (const kind of ['keyPolicy', 'identityPolicy'] as const) {
    it(`finds the errors whole-document validation finds (${kind})`, () => {
      for (const stub of [statementStub(kind)]) assert.deepEqual(validateStatementGrammar(kind, stub), [], 'the stand-in statement is valid');
      let withErrors = 0;
      fc.assert(
        fc.property(policyTextArbitrary(kind), fc.boolean(), (text, asOther) => {
          const document: unknown = JSON.parse(text);
          const expected = whole(kind, document);
          if (expected.length > 0) withErrors++;
          assert.deepEqual(decomposed(kind, document), expected);
          // A key policy's statements validated as an identity policy's, and the other way round: other errors.
          const other: PolicyKind = kind === 'keyPolicy' ? 'identityPolicy' : 'keyPolicy';
          if (asOther) assert.deepEqual(decomposed(other, document), whole(other, document));
        }),
        { seed: 5, numRuns: 600 },
      );
      assert.ok(withErrors > 300, 'most random policies have grammar errors');
    });
  }

  it('finds the errors of hostile shapes', () => {
    const shapes: unknown[] = [
      null,
      5,
      [],
      { Statement: 5 },
      { Statement: [] },
      { Statement: [null, 1, 'x', [], {}] },
      { Statement: {} },
      { Version: 1, Statement: [{ Effect: 'Allow', Principal: { AWS: {} }, Action: [1], Resource: [null], Condition: { StringEquals: [1], Bool: null } }] },
      { Statement: [{ Effect: 'Allow', Action: 'a', NotAction: 'b', Resource: '*', NotResource: '*', Principal: '*', NotPrincipal: '*' }], Extra: true },
    ];
    for (const kind of ['keyPolicy', 'identityPolicy'] as const) for (const shape of shapes) assert.deepEqual(decomposed(kind, shape), whole(kind, shape), JSON.stringify(shape));
  });
});
