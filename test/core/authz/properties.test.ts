import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { evaluate } from '../../../core/authz/evaluate';
import type { AuthorizationRequest, Decision, Grant } from '../../../core/authz/request';
import { ACCOUNT, ALICE, BOB, KEY_ARN, OTHER_ACCOUNT, OTHER_ROOT, OTHER_USER, ROOT, policy } from './helpers';

const RANK: Record<Decision, number> = { explicitDeny: 0, implicitDeny: 1, allowed: 2 };
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Worker`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job`;
const OTHER_SESSION = `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Worker/job`;

type Statement = Record<string, unknown>;

const principal = fc.constantFrom<unknown>(
  '*', { AWS: '*' }, { AWS: ROOT }, { AWS: ACCOUNT }, { AWS: ALICE }, { AWS: [ALICE, BOB] }, { AWS: ROLE }, { AWS: SESSION },
  { AWS: OTHER_ROOT }, { AWS: OTHER_USER }, { Service: 'cloudtrail.amazonaws.com' },
);
const actions = fc.constantFrom<unknown>('kms:*', 'kms:Decrypt', 'kms:De*', ['kms:Encrypt', 'kms:GenerateDataKey*'], 'kms:PutKeyPolicy', 'kms:CreateGrant', '*');
const resources = fc.constantFrom<unknown>('*', KEY_ARN, `arn:aws:kms:*:${ACCOUNT}:key/*`, `arn:aws:kms:us-west-2:${ACCOUNT}:key/other`);
const condition = fc.option(
  fc.constantFrom<unknown>(
    { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } },
    { StringNotEquals: { 'kms:CallerAccount': ACCOUNT } },
    { Bool: { 'aws:SecureTransport': 'false' } },
    { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'Department' } },
    { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department'] } },
    { Null: { 'kms:EncryptionContextKeys': 'true' } },
    { StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } },
    { StringEqualsIfExists: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' } },
  ),
  { nil: undefined, freq: 2 },
);

function statementArb(withPrincipal: boolean, effect?: 'Allow' | 'Deny'): fc.Arbitrary<Statement> {
  return fc
    .record({
      effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Allow', 'Deny'),
      principal,
      notPrincipal: fc.boolean(),
      action: actions,
      notAction: fc.boolean(),
      resource: resources,
      notResource: fc.boolean(),
      condition,
    })
    .map((s) => {
      const out: Statement = { Effect: s.effect };
      // NotPrincipal is only valid with Deny.
      if (withPrincipal) out[s.notPrincipal && s.effect === 'Deny' ? 'NotPrincipal' : 'Principal'] = s.principal;
      out[s.notAction ? 'NotAction' : 'Action'] = s.action;
      out[s.notResource ? 'NotResource' : 'Resource'] = s.resource;
      if (s.condition) out['Condition'] = s.condition;
      return out;
    });
}

const grantArb: fc.Arbitrary<Grant> = fc.record({
  GrantId: fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 }),
  KeyId: fc.constant(KEY_ARN),
  GranteePrincipal: fc.constantFrom(ALICE, BOB, ROLE, OTHER_USER),
  Operations: fc.subarray(['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'CreateGrant', 'RetireGrant']),
  Constraints: fc.option(fc.constant({ EncryptionContextSubset: { Department: 'IT' } }), { nil: undefined }),
});

interface World {
  keyStatements: Statement[];
  iamStatements: Statement[];
  grants: Grant[];
  request: AuthorizationRequest;
}

const requestArb: fc.Arbitrary<AuthorizationRequest> = fc.record({
  action: fc.constantFrom('kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:CreateGrant'),
  principal: fc.constantFrom(ALICE, BOB, ROOT, SESSION, OTHER_USER, OTHER_ROOT, OTHER_SESSION, 'cloudtrail.amazonaws.com').map((arn) => ({ arn })),
  key: fc.constant({ arn: KEY_ARN }),
  encryptionContext: fc.constantFrom<Record<string, string>>({}, { Department: 'IT' }, { owner: 'alice' }, { Department: 'IT', Secret: 'x' }),
  context: fc.constantFrom<Record<string, string | boolean>>({}, { 'kms:ViaService': 's3.us-west-2.amazonaws.com' }, { 'aws:SecureTransport': false }),
});

const worldArb: fc.Arbitrary<World> = fc.record({
  keyStatements: fc.array(statementArb(true), { maxLength: 5 }),
  iamStatements: fc.array(statementArb(false), { maxLength: 4 }),
  grants: fc.array(grantArb, { maxLength: 3 }),
  request: requestArb,
});

function decide(world: World): Decision {
  return evaluate(world.request, {
    keyPolicy: policy({ Version: '2012-10-17', Statement: world.keyStatements }),
    identityPolicies: [{ name: 'Identity', policy: policy({ Version: '2012-10-17', Statement: world.iamStatements }) }],
    grants: world.grants,
  }).decision;
}

const RUNS = { numRuns: 400 };

describe('properties of the evaluator', () => {
  it('draws worlds that reach all three decisions, so the properties below are not vacuous', () => {
    const counts: Record<Decision, number> = { allowed: 0, implicitDeny: 0, explicitDeny: 0 };
    for (const world of fc.sample(worldArb, { numRuns: 600, seed: 42 })) counts[decide(world)]++;
    for (const d of Object.keys(counts) as Decision[]) assert.ok(counts[d] >= 30, `only ${counts[d]} of 600 worlds were ${d}: ${JSON.stringify(counts)}`);
  });

  it('adding a Deny statement to the key policy never widens access', () => {
    fc.assert(
      fc.property(worldArb, statementArb(true, 'Deny'), fc.nat(), (world, deny, at) => {
        const keyStatements = [...world.keyStatements];
        keyStatements.splice(at % (keyStatements.length + 1), 0, deny);
        return RANK[decide({ ...world, keyStatements })] <= RANK[decide(world)];
      }),
      RUNS,
    );
  });

  it('adding a Deny statement to an IAM policy never widens access', () => {
    fc.assert(
      fc.property(worldArb, statementArb(false, 'Deny'), (world, deny) => {
        return RANK[decide({ ...world, iamStatements: [...world.iamStatements, deny] })] <= RANK[decide(world)];
      }),
      RUNS,
    );
  });

  it('removing an Allow statement never widens access', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), fc.boolean(), (world, pick, fromKeyPolicy) => {
        const list = fromKeyPolicy ? world.keyStatements : world.iamStatements;
        const allows = list.map((s, i) => [s, i] as const).filter(([s]) => s['Effect'] === 'Allow');
        if (allows.length === 0) return true;
        const index = allows[pick % allows.length]![1];
        const without = list.filter((_, i) => i !== index);
        const smaller = fromKeyPolicy ? { ...world, keyStatements: without } : { ...world, iamStatements: without };
        return RANK[decide(smaller)] <= RANK[decide(world)];
      }),
      RUNS,
    );
  });

  it('removing a grant never widens access', () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), (world, pick) => {
        if (world.grants.length === 0) return true;
        const grants = world.grants.filter((_, i) => i !== pick % world.grants.length);
        return RANK[decide({ ...world, grants })] <= RANK[decide(world)];
      }),
      RUNS,
    );
  });

  it('statement order never changes a decision', () => {
    fc.assert(
      fc.property(worldArb, fc.func(fc.integer()), (world, order) => {
        const shuffle = <T>(list: T[]): T[] =>
          list.map((item, i) => ({ item, k: order(i) })).sort((a, b) => a.k - b.k).map((x) => x.item);
        const reordered = { ...world, keyStatements: shuffle(world.keyStatements), iamStatements: shuffle(world.iamStatements), grants: shuffle(world.grants) };
        return decide(reordered) === decide(world);
      }),
      RUNS,
    );
  });

  it('a request denied explicitly stays denied whatever grants are added', () => {
    fc.assert(
      fc.property(worldArb, fc.array(grantArb, { minLength: 1, maxLength: 5 }), (world, extra) => {
        fc.pre(decide(world) === 'explicitDeny');
        const generous = extra.map((g) => ({ ...g, GranteePrincipal: world.request.principal.arn, Operations: ['Decrypt', 'Encrypt', 'GenerateDataKey', 'DescribeKey', 'CreateGrant'] }));
        return decide({ ...world, grants: [...world.grants, ...generous] }) === 'explicitDeny';
      }),
      { numRuns: 200, maxSkipsPerRun: 1000 },
    );
  });

  it('never throws on any combination of these policies and requests', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        assert.ok(['allowed', 'implicitDeny', 'explicitDeny'].includes(decide(world)));
      }),
      RUNS,
    );
  });
});
