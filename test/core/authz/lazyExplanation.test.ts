import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { allActions } from '../../../core/catalog/actions';
import { evaluate, evaluateStraightforwardly } from '../../../core/authz/evaluate';
import type { AuthorizationInputs, AuthorizationRequest, AuthorizationResult, Grant } from '../../../core/authz';
import { ACCOUNT, ALICE, KEY_ARN, KEY_ID, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, ROOT, allowAll, iam, keyPolicy, policy } from './helpers';
import { ROLE, statementArb } from './arbitraries';

/**
 * `evaluate` decides from compiled policies and builds its explanation when it is read; `evaluateStraightforwardly`
 * reads every statement element by element and builds the explanation at once. Whatever the request and the
 * policies, both must give the same result, read the same way (deep equality, key order, JSON), however late the
 * lazy one is read.
 */

const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job`;
const ALIAS_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/app`;

/** Statements as key policies are usually written, next to the random ones, so that requests are often allowed. */
const realisticStatement = fc.constantFrom<unknown>(
  allowAll(),
  allowAll(OTHER_ACCOUNT),
  { Sid: 'Use', Effect: 'Allow', Principal: { AWS: [ALICE, ROLE] }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payments' } } },
  { Sid: 'ViaS3', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com', 'kms:CallerAccount': ACCOUNT } } },
  { Sid: 'Guard', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'], Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': ROLE } } },
  { Sid: 'Grants', Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:CreateGrant', 'kms:RetireGrant'], Resource: '*', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } },
  { Effect: 'Deny', NotPrincipal: { AWS: [ROOT, ALICE] }, Action: 'kms:Decrypt', Resource: '*' },
  { Sid: 'Mine', Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } } },
);
const iamStatement = fc.constantFrom<unknown>(
  { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
  { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` },
  { Effect: 'Allow', Action: 'kms:CreateAlias', Resource: ALIAS_ARN },
  { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*', Condition: { StringNotEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } } },
  { Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app'] } } },
);
const keyStatements = fc.array(fc.oneof(realisticStatement, statementArb), { maxLength: 6 });
const iamStatements = fc.array(fc.oneof(iamStatement, statementArb.map(({ Principal: _p, NotPrincipal: _n, ...rest }) => rest)), { maxLength: 3 });

const grantArb: fc.Arbitrary<Grant> = fc.record({
  GrantId: fc.constantFrom('g1', 'g2', 'g3'),
  KeyId: fc.constantFrom(KEY_ARN, KEY_ID, 'other'),
  GranteePrincipal: fc.constantFrom(ALICE, ROLE, OTHER_USER, 'cloudtrail.amazonaws.com'),
  RetiringPrincipal: fc.constantFrom(ALICE, ROOT, OTHER_ROOT, ACCOUNT),
  Operations: fc.subarray(['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'CreateGrant', 'RetireGrant']),
  Constraints: fc.constantFrom(undefined, { EncryptionContextSubset: { app: 'payments' } }, { EncryptionContextEquals: { App: 'payments' } }),
}, { requiredKeys: ['GrantId', 'KeyId', 'GranteePrincipal', 'Operations'] });

const requestArb: fc.Arbitrary<AuthorizationRequest> = fc.record(
  {
    action: fc.constantFrom(...allActions().map((a) => a.fullName), 'decrypt', 'KMS:ENCRYPT'),
    principal: fc.record(
      {
        arn: fc.constantFrom(ALICE, ROOT, SESSION, OTHER_USER, OTHER_ROOT, `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Worker/job`, 'cloudtrail.amazonaws.com', `arn:aws:sts::${ACCOUNT}:federated-user/bob`),
        tags: fc.constantFrom<Record<string, string>>({ team: 'blue' }, { Team: 'x' }),
      },
      { requiredKeys: ['arn'] },
    ),
    key: fc.record({ arn: fc.constant(KEY_ARN), keySpec: fc.constantFrom('SYMMETRIC_DEFAULT', 'RSA_2048'), aliases: fc.constant(['alias/app']), tags: fc.constant({ env: 'prod' }) }, { requiredKeys: ['arn'] }),
    encryptionContext: fc.constantFrom<Record<string, string>>({}, { app: 'payments' }, { App: 'billing', owner: 'alice' }, { owner: 'job' }),
    context: fc.constantFrom<Record<string, string | boolean | string[]>>({}, { 'kms:ViaService': 's3.us-west-2.amazonaws.com' }, { 'aws:SecureTransport': false, 'aws:PrincipalArn': 'spoofed', 'kms:GrantIsForAWSResource': 'true' }, { 'aws:TagKeys': ['a', 'b'] }),
    resourceArn: fc.constant(ALIAS_ARN),
    createGrant: fc.constant({ GranteePrincipal: OTHER_USER, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { app: 'payments' } } }),
    grantId: fc.constantFrom('g1', 'g2'),
  },
  { requiredKeys: ['action', 'principal', 'key'] },
);

/** Deep copies of requests, so that a request changed after its evaluation can be evaluated as it was. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function outcome(run: () => AuthorizationResult): AuthorizationResult | string {
  try {
    return run();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe('the compiled, lazily explained evaluation equals the straightforward one', () => {
  it('for random policies, each evaluated for several requests, the explanations read after all of them', () => {
    fc.assert(
      fc.property(keyStatements, fc.array(iamStatements, { maxLength: 2 }), fc.array(grantArb, { maxLength: 2 }), fc.array(requestArb, { minLength: 1, maxLength: 4 }), (key, iams, grants, requests) => {
        const inputs: AuthorizationInputs = {
          keyPolicy: policy({ Version: '2012-10-17', Statement: key }),
          identityPolicies: iams.map((statements, i) => ({ name: `iam-${i}`, policy: policy({ Version: '2012-10-17', Statement: statements }) })),
          grants,
        };
        const eager = requests.map((r) => outcome(() => evaluateStraightforwardly(r, inputs)));
        const lazy = requests.map((r) => outcome(() => evaluate(r, inputs)));
        // Read only now, after the same policy objects served every request, and in reverse order.
        for (let i = requests.length - 1; i >= 0; i--) {
          assert.equal(JSON.stringify(lazy[i]), JSON.stringify(eager[i]));
          assert.deepStrictEqual(lazy[i], eager[i]);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('reads the same however late it is read, even after the caller changed its request', () => {
    fc.assert(
      fc.property(keyStatements, requestArb, (key, request) => {
        const inputs: AuthorizationInputs = { keyPolicy: policy({ Version: '2012-10-17', Statement: key }), identityPolicies: [iam('Ops', { Effect: 'Allow', Action: 'kms:*', Resource: '*' })], grants: [] };
        const asMade = copy(request);
        const lazy = outcome(() => evaluate(request, inputs));
        // The caller reuses its request object for something else.
        Object.assign(request, { action: 'kms:Encrypt', encryptionContext: { app: 'changed' }, context: { 'kms:ViaService': 'changed' } });
        request.principal.arn = OTHER_ROOT;
        (request.key as { aliases?: string[] }).aliases?.push('alias/changed');
        assert.deepStrictEqual(lazy, outcome(() => evaluateStraightforwardly(asMade, inputs)));
      }),
      { numRuns: 300 },
    );
  });

  it('for the requests of the other tests: same keys in the same order, same JSON, and spreading and assigning work', () => {
    const inputs: AuthorizationInputs = {
      keyPolicy: keyPolicy(allowAll(), { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payments' } } }),
      identityPolicies: [iam('Reader', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })],
      grants: [{ GrantId: 'g1', KeyId: KEY_ARN, GranteePrincipal: ALICE, Operations: ['GenerateDataKey'] }],
    };
    const requests: AuthorizationRequest[] = [
      { action: 'kms:Decrypt', principal: { arn: ALICE }, key: { arn: KEY_ARN } },
      { action: 'kms:Encrypt', principal: { arn: ALICE }, key: { arn: KEY_ARN }, encryptionContext: { app: 'billing' } },
      { action: 'kms:GenerateDataKey', principal: { arn: ALICE }, key: { arn: KEY_ARN } },
      { action: 'kms:Decrypt', principal: { arn: OTHER_USER }, key: { arn: KEY_ARN } },
      { action: 'kms:CreateKey', principal: { arn: ALICE }, key: { arn: KEY_ARN } },
    ];
    for (const request of requests) {
      const lazy = evaluate(request, inputs);
      const eager = evaluateStraightforwardly(request, inputs);
      assert.deepEqual(Object.keys(lazy), Object.keys(eager));
      assert.deepEqual(Object.keys(lazy.explanation), Object.keys(eager.explanation));
      assert.equal(JSON.stringify(lazy), JSON.stringify(eager));
      assert.deepStrictEqual({ ...evaluate(request, inputs).explanation }, { ...eager.explanation });
      assert.deepStrictEqual(structuredClone(evaluate(request, inputs)), structuredClone(eager));
      // Built once: reading again gives the very same objects.
      assert.equal(lazy.explanation, lazy.explanation);
      assert.equal(lazy.explanation.statements, lazy.explanation.statements);
      const replaced = evaluate(request, inputs);
      replaced.explanation.statements = [];
      assert.deepEqual(replaced.explanation.statements, []);
      replaced.explanation = eager.explanation;
      assert.equal(replaced.explanation, eager.explanation);
    }
  });
});
