import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveCaller, type CallerIdentity } from '../../../core/authz/arn';
import { compileCondition } from '../../../core/authz/compiledCondition';
import { checkStatement, compiledPolicy, type StatementOutcome } from '../../../core/authz/compiledPolicy';
import { compilePrincipal, principalLevel } from '../../../core/authz/compiledPrincipal';
import { matchAction } from '../../../core/authz/actionMatcher';
import { matchCondition } from '../../../core/authz/conditionMatcher';
import { matchPrincipal } from '../../../core/authz/principalMatcher';
import { matchResource } from '../../../core/authz/resourceMatcher';
import type { RequestContext } from '../../../core/authz/requestContext';
import { evaluateStatement } from '../../../core/authz/statementMatcher';
import { parsePolicy } from '../../../core/policy/policyModel';
import { ACCOUNT, KEY_ARN } from './helpers';
import { ROLE, actionValue, callerArb, checkArb, conditionElement, contextArb, listOf, principalElement, resourceValue, statementArb } from './arbitraries';

/**
 * The compiled policy (core/authz/compiledPolicy and its parts) must decide every statement exactly as the
 * straightforward matchers do, for any statement and any request: these properties compare the two on random
 * statements (see arbitraries). Each element is also compared on its own, since a whole statement reaches the
 * branches of one element only when all the others match.
 */

function parsed(statement: unknown) {
  return parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [statement] })).policy.statements[0]!;
}

function expectedOutcome(applies: boolean, matchesApartFromCondition: boolean, level: string | undefined): StatementOutcome {
  if (applies) return level === 'account' ? 'appliesToAccount' : 'appliesToCaller';
  return matchesApartFromCondition ? 'conditionFailed' : 'notMatched';
}

describe('the compiled policy decides as the straightforward matchers do', () => {
  it('for every statement of a random policy, against several random requests in turn', () => {
    fc.assert(
      fc.property(
        // Half the statements cover every action and resource, so that their principal and condition decide.
        fc.array(fc.oneof(statementArb, statementArb.map(({ NotAction: _a, NotResource: _r, ...s }) => ({ ...s, Action: 'kms:*', Resource: '*' }))), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('2012-10-17', '2008-10-17', undefined),
        fc.array(checkArb, { minLength: 1, maxLength: 4 }),
        (statements, version, checks) => {
          const policy = parsePolicy(JSON.stringify({ ...(version ? { Version: version } : {}), Statement: statements })).policy;
          // One compiled policy for all the requests, as in use: what it remembers must not leak between them.
          const compiled = compiledPolicy(policy);
          assert.equal(compiledPolicy(policy), compiled);
          for (const check of checks) {
            compiled.statements.forEach((s, i) => {
              const reference = evaluateStatement(policy.statements[i]!, { kind: 'keyPolicy' }, { ...check, variablesEnabled: version === '2012-10-17' });
              const expected = expectedOutcome(reference.applies, reference.matchesApartFromCondition, reference.principalLevel);
              assert.equal(checkStatement(s, check), expected, `statement ${JSON.stringify(statements[i])} for ${JSON.stringify({ ...check, context: [...check.context.entries.values()] })}`);
            });
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('for every condition, with and without policy variables', () => {
    fc.assert(
      fc.property(conditionElement, fc.boolean(), fc.array(contextArb, { minLength: 1, maxLength: 4 }), (condition, variables, contexts) => {
        const element = parsePolicy(JSON.stringify({ Statement: [{ Effect: 'Allow', Condition: condition }] })).policy.statements[0]!.condition;
        const compiled = compileCondition(element, variables);
        for (const context of contexts) {
          assert.equal(compiled(context), matchCondition(element, context, variables).matches, JSON.stringify({ condition, context: [...context.entries.values()] }));
        }
      }),
      // Null reads "true" and "false" in any case.
      { numRuns: 3000, examples: [[{ Null: { 'aws:missing': 'TRUE' } }, false, [{ entries: new Map(), ignored: [] }]], [{ Null: { 'kms:ViaService': 'False' } }, true, [{ entries: new Map([['kms:viaservice', { name: 'kms:ViaService', values: ['x'], derived: false }]]), ignored: [] }]]] },
    );
  });

  it('for every Principal or NotPrincipal and every caller', () => {
    fc.assert(
      fc.property(principalElement, fc.boolean(), fc.array(callerArb, { minLength: 1, maxLength: 4 }), (element, not, callers) => {
        const statement = parsed({ Effect: 'Deny', [not ? 'NotPrincipal' : 'Principal']: element });
        const compiled = compilePrincipal(statement);
        for (const caller of callers) {
          const reference = matchPrincipal(statement, caller);
          assert.equal(principalLevel(compiled, caller), reference.matches ? reference.level : undefined, `${JSON.stringify(element)} for ${caller.arn}`);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('for every Action, NotAction, Resource and NotResource', () => {
    fc.assert(
      fc.property(
        fc.record({ Action: listOf(actionValue), NotAction: listOf(actionValue), Resource: listOf(resourceValue), NotResource: listOf(resourceValue) }, { requiredKeys: [] }),
        fc.boolean(),
        fc.array(checkArb, { minLength: 1, maxLength: 4 }),
        (elements, variables, checks) => {
          const statement = parsed({ Effect: 'Allow', ...elements });
          const compiled = compiledPolicy(parsePolicy(JSON.stringify({ ...(variables ? { Version: '2012-10-17' } : {}), Statement: [{ Effect: 'Allow', ...elements }] })).policy).statements[0]!;
          for (const check of checks) {
            assert.equal(compiled.action(check.actionFullName), matchAction(statement, check.actionFullName).matches, `${JSON.stringify(elements)} ${check.actionFullName}`);
            assert.equal(
              compiled.resource(check.resourceArn, check.context),
              matchResource(statement, check.resourceArn, check.context, variables).matches,
              `${JSON.stringify(elements)} ${check.resourceArn}`,
            );
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('for conditions whose values use policy variables that the request resolves', () => {
    const variableValue = fc.constantFrom(
      '${aws:username}', 'team-${aws:username}', '${aws:PrincipalTag/team}', "${aws:PrincipalTag/none, 'dflt'}", '${missing:key}',
      '${*}', 's3.${aws:PrincipalTag/team}*', 'arn:aws:iam::*:role/${aws:username}', 'plain', '*',
    );
    const condition = fc.dictionary(
      fc.constantFrom('StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIgnoreCase', 'ArnLike', 'ArnNotEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'NumericEquals'),
      fc.dictionary(fc.constantFrom('kms:ViaService', 'kms:EncryptionContext:team', 'aws:PrincipalArn', 'aws:username'), fc.oneof(variableValue, fc.array(variableValue, { maxLength: 3 })), { minKeys: 1, maxKeys: 2 }),
      { minKeys: 1, maxKeys: 2 },
    );
    const context = fc
      .record({
        username: fc.constantFrom<string[]>(['alice'], ['Worker'], ['alice', 'bob'], []),
        team: fc.constantFrom<string[]>(['blue'], ['team-alice'], ['${aws:username}'], []),
        via: fc.constantFrom<string[]>(['s3.blue.amazonaws.com'], ['alice'], ['*'], ['dflt'], ['plain'], ['team-Worker']),
        arn: fc.constantFrom<string[]>([ROLE], [`arn:aws:iam::${ACCOUNT}:role/alice`], []),
      })
      .map((c): RequestContext => ({
        entries: new Map([
          ['aws:username', { name: 'aws:username', values: c.username, derived: true }],
          ['aws:principaltag/team', { name: 'aws:PrincipalTag/team', values: c.team, derived: true }],
          ['kms:encryptioncontext:team', { name: 'kms:EncryptionContext:team', values: c.team, derived: true }],
          ['kms:viaservice', { name: 'kms:ViaService', values: c.via, derived: false }],
          ['aws:principalarn', { name: 'aws:PrincipalArn', values: c.arn, derived: true }],
        ]),
        ignored: [],
      }));
    let trueCount = 0;
    fc.assert(
      fc.property(condition, fc.boolean(), fc.array(context, { minLength: 1, maxLength: 4 }), (written, variables, contexts) => {
        const element = parsed({ Effect: 'Allow', Condition: written }).condition;
        const compiled = compileCondition(element, variables);
        for (const c of contexts) {
          const expected = matchCondition(element, c, variables).matches;
          if (expected) trueCount++;
          assert.equal(compiled(c), expected, `${JSON.stringify(written)} ${JSON.stringify([...c.entries.values()])}`);
        }
      }),
      { numRuns: 2000 },
    );
    assert.ok(trueCount > 500, `only ${trueCount} conditions were true`);
  });

  it('compiles a policy once per model object, and a changed document is a new object', () => {
    const text = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: action, Resource: '*' }] });
    const check = { policyKind: 'resourceBased' as const, caller: resolveCaller(`arn:aws:iam::${ACCOUNT}:user/alice`) as CallerIdentity, actionFullName: 'kms:Decrypt', resourceArn: KEY_ARN, context: { entries: new Map(), ignored: [] } };
    const before = parsePolicy(text('kms:Decrypt')).policy;
    const after = parsePolicy(text('kms:Encrypt')).policy;
    assert.equal(checkStatement(compiledPolicy(before).statements[0]!, check), 'appliesToCaller');
    assert.equal(checkStatement(compiledPolicy(after).statements[0]!, check), 'notMatched');
    assert.notEqual(compiledPolicy(before), compiledPolicy(after));
  });
});
