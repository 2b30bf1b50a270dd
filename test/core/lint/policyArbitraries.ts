import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

/**
 * Random key policies and IAM policies that look like the ones people write, mistakes included: account,
 * role and user principals, `*`, services, misspelt actions and condition keys, wildcards, repeated Sids,
 * statements that cover others, conditions of every operator type, a Deny that pins callers, and now and then
 * an element of the wrong type or one that does not belong. Values come from small pools, so statements repeat
 * and overlap the way real ones do (which is what the redundancy, uniqueness and lockout checks look at).
 */

const ACCOUNTS = ['111122223333', '444455556666'];
const PRINCIPALS = [
  'arn:aws:iam::111122223333:root',
  'arn:aws:iam::444455556666:root',
  '111122223333',
  'arn:aws:iam::111122223333:role/App',
  'arn:aws:iam::111122223333:role/KeyAdmin',
  'arn:aws:iam::111122223333:user/alice',
  'arn:aws:sts::111122223333:assumed-role/App/session',
  'arn:aws:iam::444455556666:role/Partner',
  '*',
  'arn:aws:iam::*:root',
  'arn:aws:iam::111122223333:group/Admins',
  'AROAEXAMPLEEXAMPLE12',
  'not-an-arn',
];
const SERVICES = ['cloudtrail.amazonaws.com', 'logs.us-east-1.amazonaws.com', 'not a service'];
const ACTIONS = [
  'kms:*',
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:Get*',
  'kms:List*',
  'kms:Decyrpt',
  'kms:Nothing*',
  'KMS:decrypt',
  's3:GetObject',
  'Decrypt',
  '*',
];
const RESOURCES = ['*', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'arn:aws:kms:us-east-1:111122223333:alias/app', 'arn:aws:kms:*:111122223333:key/*'];
const CONDITIONS: Array<[string, string, unknown]> = [
  ['StringEquals', 'kms:CallerAccount', '111122223333'],
  ['StringEquals', 'kms:ViaService', ['s3.us-east-1.amazonaws.com', 'rds.us-east-1.amazonaws.com']],
  ['StringEquals', 'kms:EncryptionContext:team', 'payments'],
  ['StringLike', 'kms:EncryptionContext:team', 'pay*'],
  ['StringEquals', 'aws:PrincipalOrgID', 'o-exampleorgid'],
  ['StringNotEquals', 'aws:PrincipalOrgID', 'o-exampleorgid'],
  ['ArnNotEquals', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/KeyAdmin'],
  ['ArnLike', 'aws:PrincipalArn', 'arn:aws:iam::111122223333:role/*'],
  ['Bool', 'kms:GrantIsForAWSResource', 'true'],
  ['Bool', 'aws:SecureTransport', 'yes'],
  ['ForAllValues:StringEquals', 'kms:EncryptionContextKeys', ['team', 'app']],
  ['ForAllValues:StringEquals', 'kms:EncryptionContext:team', 'x'],
  ['ForAnyValue:StringLike', 'aws:PrincipalTag/team', 'a'],
  ['NumericLessThan', 'kms:ExpirationModel', '5'],
  ['DateGreaterThan', 'aws:CurrentTime', '2026-02-30'],
  ['IpAddress', 'aws:SourceIp', '10.0.0.0/33'],
  ['StringEquals', 'kms:CustomerMasterKeySpec', 'SYMMETRIC_DEFAULT'],
  ['StringEquals', 'kms:NoSuchKey', 'v'],
  ['StringEqualsIfExists', 'aws:SourceVpce', 'vpce-1a2b3c'],
  ['NullIfExists', 'aws:MultiFactorAuthPresent', 'true'],
  ['StringEquals', 'aws:userid', 'AIDAEXAMPLE*'],
  ['Null', 'kms:GranteePrincipal', 'false'],
  ['StringEquals', 'kms:ViaService', []],
];
const SIDS = ['Enable IAM User Permissions', 'Allow access for Key Administrators', 'Allow use of the key', 'UseTheKey', 'Admin', 'Team1', 'Team2', ''];

type Json = Record<string, unknown>;

function oneOrList<T>(items: fc.Arbitrary<T>): fc.Arbitrary<T | T[]> {
  return fc.oneof({ weight: 2, arbitrary: items }, { weight: 3, arbitrary: fc.array(items, { minLength: 1, maxLength: 4 }) }, { weight: 1, arbitrary: fc.constant([] as T[]) });
}

const principal: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ AWS: oneOrList(fc.constantFrom(...PRINCIPALS)) }) },
  { weight: 1, arbitrary: fc.constant('*') },
  { weight: 1, arbitrary: fc.record({ Service: oneOrList(fc.constantFrom(...SERVICES)) }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('arn:aws:iam::111122223333:root', {}, { AWS: 5 }, { Bogus: 'x' }, { AWS: '*', Service: 'cloudtrail.amazonaws.com' }) },
);

const condition: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 8, arbitrary: fc.uniqueArray(fc.constantFrom(...CONDITIONS), { minLength: 1, maxLength: 3, selector: ([op, key]) => `${op} ${key}` }).map((entries) => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [op, key, value] of entries) (out[op] ??= {})[key] = value;
    return out;
  }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>({}, 'true', { StringEquals: [] }, { StringEqualz: { 'kms:CallerAccount': '111122223333' } }) },
);

/** One statement; `kind` decides whether it names a Principal (and how often it breaks that rule). */
export function statementArbitrary(kind: 'keyPolicy' | 'identityPolicy'): fc.Arbitrary<Json> {
  return fc
    .record(
      {
        Sid: fc.oneof(fc.constantFrom<unknown>(...SIDS), fc.constant(7)),
        Effect: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Allow', 'Deny') }, { weight: 1, arbitrary: fc.constantFrom<unknown>('allow', 'Permit', 1) }),
        Principal: principal,
        NotPrincipal: principal,
        Action: oneOrList(fc.constantFrom(...ACTIONS)),
        NotAction: oneOrList(fc.constantFrom(...ACTIONS)),
        Resource: oneOrList(fc.constantFrom(...RESOURCES)),
        NotResource: fc.constantFrom<unknown>('*', ['arn:aws:kms:us-east-1:111122223333:key/other']),
        Condition: condition,
        Extra: fc.constantFrom<unknown>(true, 'x'),
      },
      { requiredKeys: [] },
    )
    .chain((s) =>
      fc.record({
        s: fc.constant(s),
        keepPrincipal: fc.integer({ min: 0, max: 9 }),
        keepNot: fc.integer({ min: 0, max: 9 }),
      }),
    )
    .map(({ s, keepPrincipal, keepNot }) => {
      const out: Json = { ...s };
      // Mostly the usual shape: Effect, a Principal in key policies only, Action and Resource, rarely their Not forms.
      if (out['Effect'] === undefined && keepNot > 1) out['Effect'] = 'Allow';
      if (kind === 'identityPolicy' ? keepPrincipal > 0 : keepPrincipal === 0) delete out['Principal'];
      else if (kind === 'keyPolicy' && out['Principal'] === undefined && keepPrincipal > 1) out['Principal'] = { AWS: PRINCIPALS[keepPrincipal % 4] };
      if (keepNot > 0) delete out['NotPrincipal'];
      if (keepNot > 1) delete out['NotAction'];
      if (keepNot > 1) delete out['NotResource'];
      if (keepNot > 2) delete out['Extra'];
      if (out['Action'] === undefined && out['NotAction'] === undefined && keepNot > 2) out['Action'] = 'kms:Decrypt';
      if (out['Resource'] === undefined && out['NotResource'] === undefined && keepNot > 2) out['Resource'] = '*';
      return out;
    });
}

const ROOT_STATEMENT: Json = { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };

/** A whole policy as text, pretty-printed or compact, Statement usually a list. */
export function policyTextArbitrary(kind: 'keyPolicy' | 'identityPolicy'): fc.Arbitrary<string> {
  return fc
    .record({
      statements: fc.array(statementArbitrary(kind), { minLength: 0, maxLength: 12 }),
      root: fc.boolean(),
      single: fc.integer({ min: 0, max: 9 }),
      top: fc.integer({ min: 0, max: 19 }),
      indent: fc.constantFrom(0, 2, 4),
      account: fc.constantFrom(...ACCOUNTS),
    })
    .map(({ statements, root, single, top, indent, account }) => {
      const list = root && kind === 'keyPolicy' ? [{ ...ROOT_STATEMENT, Principal: { AWS: `arn:aws:iam::${account}:root` } }, ...statements] : statements;
      const document: Json = { Version: '2012-10-17', Id: 'key-policy', Statement: single === 0 && list.length > 0 ? list[0] : list };
      if (top === 0) delete document['Version'];
      if (top === 1) document['Version'] = '2008-10-17x';
      if (top === 2) document['Id'] = 5;
      if (top === 3) document['Extra'] = {};
      if (top === 4) document['Statement'] = 'none';
      if (top === 5) document['Statement'] = [...list, 'oops', null];
      return JSON.stringify(document, null, indent);
    });
}

/** The spans of the statements of a policy text (the objects of its Statement), for edits that target one. */
export function statementSpans(text: string): Array<{ offset: number; length: number }> {
  const root = parseTree(text);
  const element = root ? findNodeAtLocation(root, ['Statement']) : undefined;
  if (!element) return [];
  const items = element.type === 'array' ? (element.children ?? []) : [element];
  return items.filter((n) => n.type === 'object').map((n) => ({ offset: n.offset, length: n.length }));
}
