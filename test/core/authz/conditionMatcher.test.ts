import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { matchCondition } from '../../../core/authz/conditionMatcher';
import type { RequestContext } from '../../../core/authz/requestContext';
import { parsePolicy } from '../../../core/policy/policyModel';

type Values = string | string[] | undefined;

function contextOf(values: Record<string, Values>): RequestContext {
  const entries = new Map();
  for (const [name, v] of Object.entries(values)) {
    if (v !== undefined) entries.set(name.toLowerCase(), { name, values: Array.isArray(v) ? v : [v], derived: false });
  }
  return { entries, ignored: [] };
}

/** Evaluates `{"Condition": condition}` against the context. */
function check(condition: unknown, context: Record<string, Values>, variables = true): boolean {
  const text = JSON.stringify({ Statement: [{ Effect: 'Allow', Condition: condition }] });
  const statement = parsePolicy(text).policy.statements[0]!;
  return matchCondition(statement.condition, contextOf(context), variables).matches;
}

/** One operator, one key: [operator, policy value(s), request value(s) or undefined for missing, expected]. */
type Row = [string, string | string[], Values, boolean];

function table(name: string, key: string, rows: Row[]): void {
  describe(name, () => {
    for (const [operator, policyValues, request, expected] of rows) {
      it(`${operator} ${JSON.stringify(policyValues)} is ${expected} for ${JSON.stringify(request) ?? 'a missing key'}`, () => {
        assert.equal(check({ [operator]: { [key]: policyValues } }, { [key]: request }), expected);
      });
    }
  });
}

table('string operators', 'kms:ViaService', [
  ['StringEquals', 's3.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', true],
  ['StringEquals', 's3.us-east-1.amazonaws.com', 'S3.us-east-1.amazonaws.com', false],
  ['StringEquals', 's3.*', 's3.us-east-1.amazonaws.com', false],
  ['StringEquals', ['ebs.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'], 's3.us-east-1.amazonaws.com', true],
  ['StringEquals', 's3.us-east-1.amazonaws.com', undefined, false],
  ['StringNotEquals', 's3.us-east-1.amazonaws.com', 'ebs.us-east-1.amazonaws.com', true],
  ['StringNotEquals', 's3.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', false],
  ['StringNotEquals', ['a', 'b'], 'b', false],
  ['StringNotEquals', ['a', 'b'], 'c', true],
  ['StringNotEquals', 's3.us-east-1.amazonaws.com', undefined, true],
  ['StringEqualsIgnoreCase', 'S3.US-EAST-1.amazonaws.com', 's3.us-east-1.AMAZONAWS.com', true],
  ['StringEqualsIgnoreCase', 's3', 'ebs', false],
  ['StringNotEqualsIgnoreCase', 'S3', 's3', false],
  ['StringNotEqualsIgnoreCase', 'S3', undefined, true],
  ['StringLike', 's3.*.amazonaws.com', 's3.eu-west-1.amazonaws.com', true],
  ['StringLike', 's3.?s-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com', true],
  ['StringLike', 'S3.*', 's3.us-east-1.amazonaws.com', false],
  ['StringLike', ['ebs.*', 's3.*'], 's3.x', true],
  ['StringNotLike', ['ebs.*', 's3.*'], 's3.x', false],
  ['StringNotLike', ['ebs.*', 's3.*'], 'rds.x', true],
  ['StringNotLike', 's3.*', undefined, true],
  ['StringEqualsIfExists', 's3.us-east-1.amazonaws.com', undefined, true],
  ['StringEqualsIfExists', 's3.us-east-1.amazonaws.com', 'ebs.us-east-1.amazonaws.com', false],
  ['StringLikeIfExists', 's3.*', 's3.x', true],
]);

table('numeric operators', 'kms:ScheduleKeyDeletionPendingWindowInDays', [
  ['NumericEquals', '30', '30', true],
  ['NumericEquals', '30', '30.0', true],
  ['NumericEquals', '30', '7', false],
  ['NumericNotEquals', '30', '7', true],
  ['NumericNotEquals', '30', undefined, true],
  ['NumericLessThan', '30', '7', true],
  ['NumericLessThan', '30', '30', false],
  ['NumericLessThanEquals', '30', '30', true],
  ['NumericGreaterThan', '7', '30', true],
  ['NumericGreaterThan', '7', '7', false],
  ['NumericGreaterThanEquals', '7', '7', true],
  ['NumericGreaterThanEquals', '7', undefined, false],
  ['NumericEquals', '30', 'thirty', false],
  ['NumericLessThanIfExists', '30', undefined, true],
]);

table('date operators', 'aws:CurrentTime', [
  ['DateEquals', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', true],
  ['DateEquals', '2024-01-01T00:00:00Z', '1704067200', true],
  ['DateEquals', '1704067200', '2024-01-01T00:00:00Z', true],
  ['DateNotEquals', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', true],
  ['DateLessThan', '2024-06-01T00:00:00Z', '2024-01-01T00:00:00Z', true],
  ['DateLessThan', '2024-06-01T00:00:00Z', '2024-06-01T00:00:00Z', false],
  ['DateLessThanEquals', '2024-06-01', '2024-06-01T00:00:00Z', true],
  ['DateGreaterThan', '2024-06-01T00:00:00Z', '2025-01-01T12:30:00+02:00', true],
  ['DateGreaterThanEquals', '2024-06-01T00:00:00Z', '2024-05-31T23:59:59Z', false],
  ['DateGreaterThan', '2024-06-01T00:00:00Z', 'yesterday', false],
  ['DateLessThan', '2024-06-01T00:00:00Z', undefined, false],
]);

table('Bool', 'aws:SecureTransport', [
  ['Bool', 'true', 'true', true],
  ['Bool', 'true', 'false', false],
  ['Bool', 'false', 'false', true],
  ['Bool', 'true', 'TRUE', true],
  ['Bool', 'true', undefined, false],
  ['BoolIfExists', 'true', undefined, true],
]);

table('BinaryEquals', 'example:Binary', [
  ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', true],
  ['BinaryEquals', 'QmluYXJ5VmFsdWVJbkJhc2U2NA==', 'QmluYXJ5VmFsdWVJbkJhc2U2NQ==', false],
  ['BinaryEquals', 'not base64!', 'not base64!', false],
]);

table('IP address operators', 'aws:SourceIp', [
  ['IpAddress', '203.0.113.0/24', '203.0.113.7', true],
  ['IpAddress', '203.0.113.0/24', '203.0.114.7', false],
  ['IpAddress', '203.0.113.7', '203.0.113.7', true],
  ['IpAddress', '0.0.0.0/0', '198.51.100.1', true],
  ['IpAddress', ['192.0.2.0/24', '203.0.113.0/24'], '203.0.113.200', true],
  ['IpAddress', '2001:DB8:1234:5678::/64', '2001:db8:1234:5678:abcd::1', true],
  ['IpAddress', '2001:DB8:1234:5678::/64', '2001:db8:1234:5679::1', false],
  ['IpAddress', '::ffff:203.0.113.0/120', '::ffff:203.0.113.9', true],
  ['IpAddress', '203.0.113.0/24', '::ffff:cb00:7107', false],
  ['IpAddress', '203.0.113.0/24', undefined, false],
  ['NotIpAddress', '203.0.113.0/24', '198.51.100.1', true],
  ['NotIpAddress', '203.0.113.0/24', '203.0.113.1', false],
  ['NotIpAddress', '203.0.113.0/24', undefined, true],
  ['IpAddress', '203.0.113.0/33', '203.0.113.1', false],
]);

table('ARN operators', 'aws:PrincipalArn', [
  ['ArnEquals', 'arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::111122223333:role/Admin', true],
  ['ArnEquals', 'arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/Admin', true],
  ['ArnLike', 'arn:aws:iam::*:role/Admin', 'arn:aws:iam::444455556666:role/Admin', true],
  ['ArnLike', 'arn:aws:iam::111122223333:role/Ad?in', 'arn:aws:iam::111122223333:role/Admin', true],
  ['ArnLike', 'arn:aws:iam::111122223333:role/admin', 'arn:aws:iam::111122223333:role/Admin', false],
  ['ArnLike', 'arn:aws:iam::*', 'arn:aws:iam::111122223333:role/Admin', false],
  ['ArnLike', 'arn:*:role/Admin', 'arn:aws:iam::111122223333:role/Admin', false],
  ['ArnLike', 'arn:aws:iam::1111*:role/Admin', 'arn:aws:iam::111122223333:role/Admin', true],
  ['ArnLike', '*', 'arn:aws:iam::111122223333:role/Admin', true],
  ['ArnLike', 'arn:aws:iam::111122223333:role/*', 'not-an-arn', false],
  ['ArnNotEquals', 'arn:aws:iam::111122223333:role/Admin', 'arn:aws:iam::111122223333:role/Other', true],
  ['ArnNotLike', ['arn:aws:iam::*:role/Admin', 'arn:aws:iam::*:role/Ops'], 'arn:aws:iam::111122223333:role/Ops', false],
  ['ArnNotLike', 'arn:aws:iam::*:role/Admin', undefined, true],
  ['ArnLikeIfExists', 'arn:aws:iam::*:role/Admin', undefined, true],
]);

table('Null', 'kms:EncryptionContextKeys', [
  ['Null', 'true', undefined, true],
  ['Null', 'true', ['Department'], false],
  ['Null', 'false', ['Department'], true],
  ['Null', 'false', undefined, false],
  ['Null', 'false', [], false],
]);

describe('set operators on multivalued keys', () => {
  const key = 'kms:EncryptionContextKeys';
  const rows: Array<[string, string[], Values, boolean]> = [
    ['ForAllValues:StringEquals', ['Department', 'Project'], ['Department'], true],
    ['ForAllValues:StringEquals', ['Department', 'Project'], ['Department', 'Project'], true],
    ['ForAllValues:StringEquals', ['Department', 'Project'], ['Department', 'Owner'], false],
    ['ForAllValues:StringEquals', ['Department'], undefined, true],
    ['ForAllValues:StringEquals', ['Department'], [], true],
    ['ForAnyValue:StringEquals', ['Department', 'Project'], ['Owner', 'Project'], true],
    ['ForAnyValue:StringEquals', ['Department', 'Project'], ['Owner'], false],
    ['ForAnyValue:StringEquals', ['Department'], undefined, false],
    ['ForAnyValue:StringEquals', ['Department'], [], false],
    ['ForAnyValue:StringLike', ['Dep*'], ['Owner', 'Department'], true],
    ['ForAllValues:StringNotEquals', ['Secret'], ['Department', 'Project'], true],
    ['ForAllValues:StringNotEquals', ['Secret'], ['Department', 'Secret'], false],
    ['ForAnyValue:StringNotEquals', ['Secret'], ['Secret', 'Project'], true],
    ['ForAnyValue:StringNotEquals', ['Secret'], ['Secret'], false],
    ['ForAnyValue:StringEqualsIfExists', ['Department'], undefined, true],
  ];
  for (const [operator, policyValues, request, expected] of rows) {
    it(`${operator} ${JSON.stringify(policyValues)} is ${expected} for ${JSON.stringify(request) ?? 'a missing key'}`, () => {
      assert.equal(check({ [operator]: { [key]: policyValues } }, { [key]: request }), expected);
    });
  }

  it('without a set operator, a positive operator needs any request value to match and a negated one none', () => {
    assert.equal(check({ StringEquals: { [key]: 'Project' } }, { [key]: ['Department', 'Project'] }), true);
    assert.equal(check({ StringNotEquals: { [key]: 'Project' } }, { [key]: ['Department', 'Project'] }), false);
  });
});

describe('combining conditions', () => {
  const context = { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': '111122223333' };

  it('ANDs keys within an operator', () => {
    assert.equal(check({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': '111122223333' } }, context), true);
    assert.equal(check({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:CallerAccount': '444455556666' } }, context), false);
  });

  it('ANDs operators', () => {
    assert.equal(check({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, StringLike: { 'kms:CallerAccount': '1111*' } }, context), true);
    assert.equal(check({ StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' }, StringLike: { 'kms:CallerAccount': '4444*' } }, context), false);
  });

  it('treats an empty Condition as true and a malformed one as false', () => {
    assert.equal(check({}, context), true);
    assert.equal(check('StringEquals', context), false);
    assert.equal(check({ StringEquals: 'kms:ViaService' }, context), false);
  });

  it('is false for an operator IAM does not know', () => {
    assert.equal(check({ StringMatches: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } }, context), false);
  });

  it('reads condition key names without regard to case, and the encryption context key part too', () => {
    assert.equal(check({ StringEquals: { 'KMS:VIASERVICE': 's3.us-east-1.amazonaws.com' } }, context), true);
    assert.equal(check({ StringEquals: { 'kms:encryptioncontext:department': 'IT' } }, { 'kms:EncryptionContext:Department': 'IT' }), true);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:Department': 'it' } }, { 'kms:EncryptionContext:Department': 'IT' }), false, 'values keep their case');
  });

  it('reads JSON booleans and numbers in a policy as their text', () => {
    assert.equal(check({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'true' }), true);
    assert.equal(check({ NumericEquals: { 'kms:RotationPeriodInDays': 365 } }, { 'kms:RotationPeriodInDays': '365' }), true);
  });
});

describe('policy variables in condition values', () => {
  const alice = { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue', 'aws:userid': 'AIDAEXAMPLE' };

  it('substitutes ${aws:username}, ${aws:userid} and ${aws:PrincipalTag/…}', () => {
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } }, { ...alice, 'kms:EncryptionContext:owner': 'alice' }), true);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } }, { ...alice, 'kms:EncryptionContext:owner': 'bob' }), false);
    assert.equal(check({ StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' } }, { ...alice, 'aws:ResourceTag/team': 'blue' }), true);
    assert.equal(check({ StringLike: { 'kms:EncryptionContext:id': '${aws:userid}:*' } }, { ...alice, 'kms:EncryptionContext:id': 'AIDAEXAMPLE:42' }), true);
  });

  it('reads variable names without regard to case', () => {
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': '${AWS:UserName}' } }, { ...alice, 'kms:EncryptionContext:owner': 'alice' }), true);
  });

  it('makes a value whose variable has no value match nothing, unless it has a default', () => {
    const ctx = { 'kms:EncryptionContext:owner': 'alice' };
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } }, ctx), false);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': ['${aws:username}', 'alice'] } }, ctx), true, 'other values still count');
    assert.equal(check({ StringNotEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } }, ctx), true);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': "${aws:username, 'alice'}" } }, ctx), true);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': "${aws:username,'nobody'}" } }, ctx), false);
  });

  it('reads the escapes ${*}, ${?} and ${$} as the characters themselves, never as wildcards', () => {
    assert.equal(check({ StringLike: { 'kms:EncryptionContext:x': 'a${*}' } }, { 'kms:EncryptionContext:x': 'a*' }), true);
    assert.equal(check({ StringLike: { 'kms:EncryptionContext:x': 'a${*}' } }, { 'kms:EncryptionContext:x': 'ab' }), false);
    assert.equal(check({ StringLike: { 'kms:EncryptionContext:x': 'a${?}' } }, { 'kms:EncryptionContext:x': 'ab' }), false);
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:x': '${$}5' } }, { 'kms:EncryptionContext:x': '$5' }), true);
  });

  it('takes substituted text literally in StringLike', () => {
    const ctx = { 'aws:username': 'a*', 'kms:EncryptionContext:x': 'abc' };
    assert.equal(check({ StringLike: { 'kms:EncryptionContext:x': '${aws:username}' } }, ctx), false);
  });

  it('substitutes in ARN operators, reading a substituted ARN part by part', () => {
    const ctx = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Admin', 'kms:GranteePrincipal': 'arn:aws:iam::111122223333:role/Admin' };
    assert.equal(check({ ArnEquals: { 'kms:GranteePrincipal': '${aws:PrincipalArn}' } }, ctx), true);
  });

  it('leaves ${…} as text when the policy predates variables', () => {
    const ctx = { ...alice, 'kms:EncryptionContext:owner': '${aws:username}' };
    assert.equal(check({ StringEquals: { 'kms:EncryptionContext:owner': '${aws:username}' } }, ctx, false), true);
  });

  it('does not substitute in operators that take no variables', () => {
    assert.equal(check({ NumericEquals: { 'kms:RotationPeriodInDays': '${aws:username}' } }, { 'aws:username': '365', 'kms:RotationPeriodInDays': '365' }), false);
  });
});

describe('condition explanations', () => {
  it('gives the operator, key, policy values and request values of each key', () => {
    const text = JSON.stringify({ Statement: [{ Condition: { StringEquals: { 'kms:ViaService': ['a', 'b'] } } }] });
    const statement = parsePolicy(text).policy.statements[0]!;
    const result = matchCondition(statement.condition, contextOf({ 'kms:ViaService': 'c' }), true);
    assert.equal(result.matches, false);
    const [outcome] = result.explain;
    assert.deepEqual(
      { operator: outcome!.operator, key: outcome!.key, policyValues: outcome!.policyValues, requestValues: outcome!.requestValues },
      { operator: 'StringEquals', key: 'kms:ViaService', policyValues: ['a', 'b'], requestValues: ['c'] },
    );
    assert.equal(text.slice(outcome!.offset, outcome!.offset + outcome!.length), '"kms:ViaService":["a","b"]');
  });
});

describe('date values without a UTC offset', () => {
  // IAM reads an ISO 8601 date and time without an offset as UTC (IAM User Guide, date condition operators give
  // UTC examples); the machine running the evaluator must not shift it into its own time zone.
  it('are read as UTC whatever the local time zone', () => {
    const saved = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      assert.equal(check({ DateEquals: { 'aws:CurrentTime': '2024-01-01T00:00:00' } }, { 'aws:CurrentTime': '2024-01-01T00:00:00Z' }), true);
      assert.equal(check({ DateLessThan: { 'aws:CurrentTime': '2024-01-01T03:00' } }, { 'aws:CurrentTime': '2024-01-01T04:00:00Z' }), false);
      assert.equal(check({ DateEquals: { 'aws:CurrentTime': '2024-01-01 00:00:00' } }, { 'aws:CurrentTime': '1704067200' }), true);
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});

describe('null in a list of condition values', () => {
  // JSON null is not a condition value (IAM User Guide, grammar: a condition value is a string, number or
  // Boolean); it must not be read as the text "null".
  it('matches nothing, not the text "null"', () => {
    assert.equal(check({ StringEquals: { 'kms:ViaService': ['s3.amazonaws.com', null] } }, { 'kms:ViaService': 'null' }), false);
    assert.equal(check({ StringEquals: { 'kms:ViaService': ['s3.amazonaws.com', null] } }, { 'kms:ViaService': 's3.amazonaws.com' }), true);
    assert.equal(check({ StringNotEquals: { 'kms:ViaService': [null, 'ebs.amazonaws.com'] } }, { 'kms:ViaService': 'null' }), true);
    assert.equal(check({ StringLike: { 'kms:ViaService': null } }, { 'kms:ViaService': 'null' }), false);
  });
});
