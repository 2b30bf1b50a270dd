import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate } from '../../../core/authz/evaluate';
import type { AuthorizationInputs, AuthorizationRequest } from '../../../core/authz/request';
import { ValidationException } from '../../../core/authz/validateRequest';
import { ALICE, KEY_ARN, allowAll, keyPolicy } from './helpers';

/**
 * `evaluate` takes requests from scenario files and editors: whatever it is given, it either answers or throws a
 * ValidationException, and it answers in time linear in its input.
 */

const inputs: AuthorizationInputs = { keyPolicy: keyPolicy(allowAll()), identityPolicies: [], grants: [] };
const good: AuthorizationRequest = { action: 'kms:Decrypt', principal: { arn: ALICE }, key: { arn: KEY_ARN } };

function onlyValidationErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof ValidationException, `threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
  }
}

/**
 * These inputs are sized so that a backtracking or quadratic matcher would run for minutes; a linear one takes
 * well under a second. The suite's timeout catches the hang; no test asserts how long a normal run takes.
 */
const HANG_TIMEOUT_MS = 120_000;

describe('malformed requests', () => {
  const shapes: Array<[string, unknown]> = [
    ['createGrant: null', { ...good, action: 'kms:CreateGrant', createGrant: null }],
    ['createGrant with a numeric RetiringPrincipal', { ...good, action: 'kms:CreateGrant', createGrant: { GranteePrincipal: ALICE, Operations: ['Decrypt'], RetiringPrincipal: 5 } }],
    ['createGrant with list Constraints', { ...good, action: 'kms:CreateGrant', createGrant: { GranteePrincipal: ALICE, Operations: ['Decrypt'], Constraints: [] } }],
    ['a numeric resourceArn', { ...good, resourceArn: 5 }],
    ['a numeric roleArn', { ...good, principal: { arn: 'arn:aws:sts::111122223333:assumed-role/R/s', roleArn: 5 } }],
    ['a roleArn of another service', { ...good, principal: { arn: 'arn:aws:sts::111122223333:assumed-role/R/s', roleArn: 'arn:aws:sts::111122223333:role/R' } }],
    ['a numeric userId', { ...good, principal: { arn: ALICE, userId: 5 } }],
    ['a string multiRegion', { ...good, key: { arn: KEY_ARN, multiRegion: 'yes' } }],
    ['a numeric keySpec', { ...good, key: { arn: KEY_ARN, keySpec: 5 } }],
    ['an object grantId', { ...good, action: 'kms:RetireGrant', grantId: {} }],
    ['a string context', { ...good, context: 'aws:SourceIp' }],
    ['a list context', { ...good, context: ['aws:SourceIp'] }],
    ['a numeric grantTokens', { ...good, grantTokens: 5 }],
  ];
  for (const [what, request] of shapes) {
    it(`refuses ${what} with a ValidationException`, () => {
      assert.throws(() => evaluate(request as AuthorizationRequest, inputs), (e: unknown) => e instanceof ValidationException);
    });
  }

  const badInputs: Array<[string, unknown]> = [
    ['a key policy without a statement list', { ...inputs, keyPolicy: { text: '', statements: null } }],
    ['a key policy with a null statement', { ...inputs, keyPolicy: { ...keyPolicy(allowAll()), statements: [null] } }],
    ['an identity policy without a statement list', { ...inputs, identityPolicies: [{ name: 'x', policy: {} }] }],
    ['a statement whose Action values are not a list', { ...inputs, keyPolicy: { text: '', statements: [{ index: 0, effect: 'Allow', action: { values: 'kms:*' }, unknownElements: [] }] } }],
    ['a statement whose Principal entries are not a list', { ...inputs, keyPolicy: { text: '', statements: [{ index: 0, effect: 'Allow', principal: { entries: 5 }, unknownElements: [] }] } }],
    ['a condition whose keys are not a list', { ...inputs, keyPolicy: { text: '', statements: [{ index: 0, effect: 'Allow', condition: { valueType: 'object', operators: [{ operator: { value: 'StringEquals' }, valueType: 'object', keys: null }] }, unknownElements: [] }] } }],
  ];
  for (const [what, given] of badInputs) {
    it(`refuses ${what} with a ValidationException`, () => {
      assert.throws(() => evaluate(good, given as AuthorizationInputs), (e: unknown) => e instanceof ValidationException);
    });
  }

  it('throws nothing but ValidationException for any shape of request fields', () => {
    const anything = fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: true });
    const request = fc.record(
      {
        action: fc.oneof(fc.constantFrom('kms:Decrypt', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:CreateAlias', 'kms:CreateKey'), anything),
        principal: fc.oneof(fc.record({ arn: fc.constantFrom(ALICE, 'arn:aws:sts::111122223333:assumed-role/R/s', 'cloudtrail.amazonaws.com'), roleArn: anything, userId: anything, tags: anything }, { requiredKeys: ['arn'] }), anything),
        key: fc.oneof(fc.record({ arn: fc.constant(KEY_ARN), keySpec: anything, keyUsage: anything, origin: anything, multiRegion: anything, multiRegionKeyType: anything, aliases: anything, tags: anything }, { requiredKeys: ['arn'] }), anything),
        encryptionContext: anything,
        grantTokens: anything,
        resourceArn: anything,
        createGrant: anything,
        grantId: anything,
        context: anything,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (r) => onlyValidationErrors(() => evaluate(r as unknown as AuthorizationRequest, inputs))),
      { numRuns: 1500 },
    );
  });
});

describe('inputs that make backtracking matchers hang', { timeout: HANG_TIMEOUT_MS }, () => {
  const withCondition = (condition: unknown) =>
    keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: condition });

  it('reads a very long number in a numeric condition in linear time', () => {
    const digits = `${'1'.repeat(300_000)}x`;
    const scenario = { ...inputs, keyPolicy: withCondition({ NumericEquals: { 'kms:RotationPeriodInDays': digits } }) };
    const result = evaluate({ ...good, action: 'kms:EnableKeyRotation', context: { 'kms:RotationPeriodInDays': digits } }, scenario);
    assert.equal(result.decision, 'implicitDeny');
  });

  it('reads a policy variable full of spaces in linear time', () => {
    const variable = `\${a${' '.repeat(300_000)}x}`;
    const scenario = { ...inputs, keyPolicy: withCondition({ StringEquals: { 'kms:ViaService': variable } }) };
    const result = evaluate({ ...good, context: { 'kms:ViaService': 'x' } }, scenario);
    assert.equal(result.decision, 'implicitDeny');
  });

  it('matches a long StringLike segment against a long request value in linear time', () => {
    const value = 'a'.repeat(1_000_000);
    const scenario = { ...inputs, keyPolicy: withCondition({ StringLike: { 'kms:ViaService': `*${'a'.repeat(100_000)}b*` } }) };
    const result = evaluate({ ...good, context: { 'kms:ViaService': value } }, scenario);
    assert.equal(result.decision, 'implicitDeny');
  });

  it('reads each policy value once when a set operator compares many request values with many policy values', () => {
    // 5,000 × 1,000 comparisons: compiling the ARN pattern again for each of them took seconds.
    const policyValues = Array.from({ length: 1000 }, (_, i) => `arn:aws:iam::*:role/team-${i}-*`);
    const requestValues = Array.from({ length: 5000 }, (_, i) => `arn:aws:iam::111122223333:role/other-${i}`);
    const scenario = { ...inputs, keyPolicy: withCondition({ 'ForAnyValue:ArnLike': { 'aws:PrincipalServiceNamesList': policyValues } }) };
    const decision = evaluate({ ...good, context: { 'aws:PrincipalServiceNamesList': requestValues } }, scenario).decision;
    assert.equal(decision, 'implicitDeny');
  });

  it('handles huge lists of values, unicode and empty strings', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `v${i}`);
    const scenario = { ...inputs, keyPolicy: withCondition({ 'ForAnyValue:StringLike': { 'aws:TagKeys': ['', '😀*', ...many.slice(0, 2000)] } }) };
    const result = evaluate({ ...good, context: { 'aws:TagKeys': [...many, '😀x', ''] } }, scenario);
    assert.equal(result.decision, 'allowed');
  });
});
