import fc from 'fast-check';
import { allActions } from '../../../core/catalog/actions';
import { resolveCaller, type CallerIdentity } from '../../../core/authz/arn';
import type { RequestContext } from '../../../core/authz/requestContext';
import { ACCOUNT, KEY_ARN, OTHER_ACCOUNT } from './helpers';

/**
 * Random policy elements, callers and request contexts for comparing the compiled evaluator with the
 * straightforward one. Values are chosen to reach every branch: partitions, bare account IDs, role paths, Not…
 * elements, wildcards, policy variables, every condition operator with set operators and IfExists, malformed
 * elements and values of the wrong JSON type.
 */

export const ROLE = `arn:aws:iam::${ACCOUNT}:role/Worker`;

export const principalValue = fc.constantFrom<unknown>(
  '*', ACCOUNT, OTHER_ACCOUNT, `arn:aws:iam::${ACCOUNT}:root`, `arn:aws-cn:iam::${ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`,
  `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:user/bob`, ROLE, `arn:aws:iam::${ACCOUNT}:role/path/Worker`,
  `arn:aws-cn:iam::${ACCOUNT}:role/Worker`, `arn:aws:iam::${OTHER_ACCOUNT}:role/Worker`, `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job`,
  `arn::iam::${ACCOUNT}:root`, `arn:aws:iam::x:root`, `arn:aws:sts::${ACCOUNT}:federated-user/bob`, 'cloudtrail.amazonaws.com',
  'arn:aws:iam::*:root', '', 5, null, true,
);
export const principalValues = fc.oneof(principalValue, fc.array(principalValue, { maxLength: 4 }));
export const principalElement = fc.oneof(
  fc.constantFrom<unknown>('*', 'arn:aws:iam::111122223333:root', 5, ['*']),
  fc.dictionary(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'Other'), principalValues, { maxKeys: 3 }),
);

export const actionValue = fc.constantFrom<unknown>(
  'kms:*', '*', 'kms:De*', 'KMS:DECRYPT', 'kms:Generate*Pair*', 'kms:?ncrypt', 'kms:Encrypt', 'kms:Decrypt', 's3:*', 'kms:*Grant', '', 7, null,
);
export const resourceValue = fc.constantFrom<unknown>(
  '*', KEY_ARN, `arn:aws:kms:*:${ACCOUNT}:key/*`, `arn:aws:kms:us-west-2:${ACCOUNT}:alias/*`, '${aws:username}',
  `arn:aws:kms:*:*:key/\${aws:PrincipalTag/team}`, `arn:aws:kms:*:*:key/\${aws:PrincipalTag/team, '1234*'}`, '${*}', '*${?}',
  `arn:aws:kms:us-west-2:${ACCOUNT}:key/1234?bcd*`, 'arn:aws:kms:*', '', 3, null,
);
export const listOf = (value: fc.Arbitrary<unknown>) => fc.oneof(value, fc.array(value, { maxLength: 3 }));

export const BASE_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals', 'Bool',
  'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null', 'Null', 'Null',
  'stringequals', 'StringEqualz',
];
export const operator = fc
  .tuple(fc.constantFrom('', '', 'ForAllValues:', 'ForAnyValue:', 'forallvalues:', 'Other:'), fc.constantFrom(...BASE_OPERATORS), fc.constantFrom('', '', 'IfExists'))
  .map(([set, base, ifExists]) => `${set}${base}${ifExists}`);
export const CONDITION_KEYS = [
  'kms:ViaService', 'KMS:VIASERVICE', 'aws:SourceIp', 'aws:CurrentTime', 'kms:EncryptionContext:team', 'aws:PrincipalArn',
  'aws:username', 'kms:GrantOperations', 'aws:SecureTransport', 'kms:Count', 'kms:Blob', 'aws:missing',
];
export const scalar = fc.constantFrom<unknown>(
  's3.us-east-1.amazonaws.com', 's3.*', '*', '', '${aws:username}', 'team-${aws:username}', "${aws:PrincipalTag/x, 'dflt'}",
  '${*}', '${missing:key}', 'arn:aws:iam::*:role/*', ROLE, 'arn:aws:iam::111122223333:*', '10.0.0.0/8', '192.0.2.1',
  '2001:db8::/32', '2020-01-01T00:00:00Z', '1700000000', '42', '4.2e1', 'true', 'false', 'TRUE', 'False', 'QUJD', 'Decrypt', 'alice',
  42, 0, true, false, null, {}, [],
);
export const conditionValues = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }));
export const conditionBlock = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(fc.constantFrom(...CONDITION_KEYS), conditionValues, { minKeys: 1, maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('x', [], 5) },
);
export const conditionElement = fc.oneof(
  { weight: 10, arbitrary: fc.dictionary(operator, conditionBlock, { minKeys: 1, maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('StringEquals', [], {}) },
);

export const REQUEST_VALUES = [
  's3.us-east-1.amazonaws.com', 'S3.US-EAST-1.AMAZONAWS.COM', 'ec2.us-east-1.amazonaws.com', '', '10.1.2.3', '192.0.2.1',
  '2001:db8::1', '2020-01-01T00:00:00Z', '2019-06-01', '1700000000', '42', '42.0', '7', 'true', 'false', 'QUJD', 'QUJE',
  ROLE, `arn:aws:iam::${ACCOUNT}:role/Other`, 'arn:aws:iam::111122223333', 'Decrypt', 'Encrypt', 'alice', 'team-alice', 'dflt',
];
export const contextArb: fc.Arbitrary<RequestContext> = fc
  .dictionary(
    fc.constantFrom('kms:ViaService', 'aws:SourceIp', 'aws:CurrentTime', 'kms:EncryptionContext:team', 'aws:PrincipalArn', 'aws:username',
      'kms:GrantOperations', 'aws:SecureTransport', 'kms:Count', 'kms:Blob', 'aws:PrincipalTag/team', 'aws:PrincipalTag/x'),
    fc.array(fc.constantFrom(...REQUEST_VALUES), { maxLength: 3 }),
    { maxKeys: 7 },
  )
  .map((values) => {
    const entries = new Map(Object.entries(values).map(([name, v]) => [name.toLowerCase(), { name, values: v, derived: false }]));
    return { entries, ignored: [] };
  });

export const statementArb = fc
  .record(
    {
      Effect: fc.constantFrom<unknown>('Allow', 'Allow', 'Deny', 'allow', 3),
      Principal: principalElement,
      NotPrincipal: principalElement,
      Action: listOf(actionValue),
      NotAction: listOf(actionValue),
      Resource: listOf(resourceValue),
      NotResource: listOf(resourceValue),
      Condition: conditionElement,
    },
    { requiredKeys: [] },
  );

export const callerArb: fc.Arbitrary<CallerIdentity> = fc
  .constantFrom(
    `arn:aws:iam::${ACCOUNT}:user/alice`, `arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${OTHER_ACCOUNT}:root`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job`, `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Worker/job`,
    `arn:aws-cn:iam::${ACCOUNT}:user/alice`, `arn:aws-cn:sts::${ACCOUNT}:assumed-role/Worker/job`, `arn::iam::${ACCOUNT}:user/alice`,
    `arn:aws:sts::${ACCOUNT}:federated-user/bob`, 'cloudtrail.amazonaws.com',
  )
  .map((arn) => resolveCaller(arn) as CallerIdentity);

export const ACTION_NAMES = allActions().map((a) => a.fullName);
export const checkArb = fc.record({
  policyKind: fc.constantFrom('resourceBased' as const, 'identityBased' as const),
  caller: callerArb,
  actionFullName: fc.constantFrom(...ACTION_NAMES),
  resourceArn: fc.constantFrom(KEY_ARN, '*', `arn:aws:kms:us-west-2:${ACCOUNT}:alias/app`, `arn:aws:kms:us-west-2:${ACCOUNT}:key/alice`),
  context: contextArb,
});
