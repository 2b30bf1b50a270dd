import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { DocumentKind } from '../../../core/policy/documentKind';
import { ACCOUNT, ROOT_STATEMENT, applyFix, findingAt, identityPolicy, identityStatement, keyPolicy, lint, statement } from './helpers';

interface FixCase {
  name: string;
  kind?: DocumentKind;
  text: string;
  code: string;
  covers: string;
  /** What the fixed document must look like, beyond no longer having the finding. */
  check?: (fixed: string, value: any) => void;
}

/** Applies the fix of the finding, then checks the result parses, lints clean of that code, and passes `check`. */
function fixTable(cases: FixCase[]): void {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const kind = c.kind ?? 'keyPolicy';
      const before = lint(c.text, kind).filter((f) => f.code === c.code).length;
      const fixed = applyFix(c.text, findingAt(c.text, kind, c.code, c.covers));
      const after = lint(fixed, kind).filter((f) => f.code === c.code).length;
      assert.ok(after < before, `${c.code} still reported ${after} time(s) after the fix:\n${fixed}`);
      c.check?.(fixed, JSON.parse(fixed));
    });
  }
}

const compact = (value: unknown) => JSON.stringify(value);
const actionsOf = (value: any, i = 1) => value.Statement[i].Action;

describe('quick fixes', () => {
  fixTable([
    { name: 'the closest action name', text: keyPolicy(statement({ Action: ['kms:Encrypt', 'kms:Decyrpt'] })), code: 'INVALID_ACTION', covers: '"kms:Decyrpt"', check: (_, v) => assert.deepEqual(actionsOf(v), ['kms:Encrypt', 'kms:Decrypt']) },
    { name: 'a missing service prefix', text: keyPolicy(statement({ Action: 'GenerateDataKey' })), code: 'INVALID_ACTION', covers: '"GenerateDataKey"', check: (_, v) => assert.equal(actionsOf(v), 'kms:GenerateDataKey') },
    {
      name: 'Version inserted as the first property of a pretty-printed policy',
      text: JSON.stringify({ Statement: [ROOT_STATEMENT] }, null, 2),
      code: 'MISSING_VERSION',
      covers: '{',
      check: (fixed, v) => {
        assert.deepEqual(Object.keys(v), ['Version', 'Statement']);
        assert.ok(fixed.startsWith('{\n  "Version": "2012-10-17",\n  "Statement"'), fixed);
      },
    },
    { name: 'Version inserted into a one-line policy', text: compact({ Id: 'x', Statement: [ROOT_STATEMENT] }), code: 'MISSING_VERSION', covers: '{', check: (_, v) => assert.deepEqual(Object.keys(v), ['Version', 'Id', 'Statement']) },
    { name: 'Version inserted into an empty object', text: '{}', code: 'MISSING_VERSION', covers: '{', check: (fixed) => assert.equal(fixed, '{"Version": "2012-10-17"}') },
    { name: 'StringEquals becomes StringLike', text: keyPolicy(statement({ Condition: { StringEquals: { 'kms:EncryptionContext:app': 'pay*' } } })), code: 'WILDCARD_WITHOUT_LIKE_OPERATOR', covers: '"pay*"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['StringLike']) },
    {
      name: 'a set prefix and IfExists are kept',
      text: keyPolicy(statement({ Condition: { 'ForAnyValue:StringNotEqualsIfExists': { 'kms:EncryptionContextKeys': 'tmp-*' } } })),
      code: 'WILDCARD_WITHOUT_LIKE_OPERATOR',
      covers: '"tmp-*"',
      check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['ForAnyValue:StringNotLikeIfExists']),
    },
    { name: 'ArnEquals becomes ArnLike', text: keyPolicy(statement({ Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } } })), code: 'WILDCARD_WITHOUT_LIKE_OPERATOR', covers: '"arn:aws:iam::111122223333:role/*"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['ArnLike']) },
    { name: 'a redundant first action', text: keyPolicy(statement({ Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:*'], Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } })), code: 'REDUNDANT_ACTION', covers: '"kms:Decrypt"', check: (_, v) => assert.deepEqual(actionsOf(v), ['kms:Encrypt', 'kms:*']) },
    { name: 'a redundant middle action', text: keyPolicy(statement({ Action: ['kms:Get*', 'kms:GetPublicKey', 'kms:Sign'] })), code: 'REDUNDANT_ACTION', covers: '"kms:GetPublicKey"', check: (_, v) => assert.deepEqual(actionsOf(v), ['kms:Get*', 'kms:Sign']) },
    {
      name: 'a redundant last action, in a one-line list',
      text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, statement({ Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:decrypt'] })] }),
      code: 'REDUNDANT_ACTION',
      covers: '"kms:decrypt"',
      check: (fixed, v) => {
        assert.deepEqual(actionsOf(v), ['kms:Encrypt', 'kms:Decrypt']);
        assert.ok(fixed.includes('"Action":["kms:Encrypt","kms:Decrypt"]'), fixed);
      },
    },
    {
      name: 'a redundant action on its own line takes its line with it',
      text: keyPolicy(statement({ Action: ['kms:Describe*', 'kms:DescribeKey'] })),
      code: 'REDUNDANT_ACTION',
      covers: '"kms:DescribeKey"',
      check: (fixed) => assert.ok(fixed.includes('"Action": [\n        "kms:Describe*"\n      ]'), fixed),
    },
    { name: 'a repeated condition value', text: keyPolicy(statement({ Condition: { StringEquals: { 'kms:ViaService': ['a.amazonaws.com', 'b.amazonaws.com', 'a.amazonaws.com'] } } })), code: 'REDUNDANT_CONDITION_VALUE', covers: '"a.amazonaws.com"', check: (_, v) => assert.deepEqual(v.Statement[1].Condition.StringEquals['kms:ViaService'], ['a.amazonaws.com', 'b.amazonaws.com']) },
    { name: 'a redundant statement', text: keyPolicy(statement(), statement({ Sid: 'Copy' })), code: 'REDUNDANT_STATEMENT', covers: '"Copy"', check: (_, v) => assert.equal(v.Statement.length, 2) },
    { name: 'Effect in the right case', text: keyPolicy(statement({ Effect: 'deny' })), code: 'INVALID_EFFECT', covers: '"deny"', check: (_, v) => assert.equal(v.Statement[1].Effect, 'Deny') },
    { name: 'NullIfExists becomes Null', text: keyPolicy(statement({ Condition: { NullIfExists: { 'kms:ViaService': 'true' } } })), code: 'NULL_WITH_IF_EXISTS', covers: '"NullIfExists"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['Null']) },
    { name: 'the closest operator', text: keyPolicy(statement({ Condition: { StringEqual: { 'kms:CallerAccount': ACCOUNT } } })), code: 'INVALID_CONDITION_OPERATOR', covers: '"StringEqual"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['StringEquals']) },
    { name: 'the closest condition key', text: keyPolicy(statement({ Condition: { StringEquals: { 'kms:CallerAcount': ACCOUNT } } })), code: 'INVALID_SERVICE_CONDITION_KEY', covers: '"kms:CallerAcount"' },
    { name: 'a deprecated key renamed', text: keyPolicy(statement({ Condition: { StringEquals: { 'kms:CustomerMasterKeyUsage': 'ENCRYPT_DECRYPT' } } })), code: 'KMS_DEPRECATED_CONDITION_KEY', covers: '"kms:CustomerMasterKeyUsage"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition.StringEquals), ['kms:KeyUsage']) },
    { name: 'ForAllValues removed from a single-valued key', text: keyPolicy(statement({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:dept': 'IT' } } })), code: 'KMS_FORALLVALUES_ENCRYPTION_CONTEXT', covers: '"kms:EncryptionContext:dept"', check: (_, v) => assert.deepEqual(Object.keys(v.Statement[1].Condition), ['StringEquals']) },
    { name: 'Resource "*" in a key policy', text: keyPolicy(statement({ Resource: ['arn:aws:kms:us-east-1:111122223333:key/abc', 'arn:aws:kms:us-east-1:111122223333:key/def'] })), code: 'KMS_RESOURCE_NOT_STAR', covers: '"arn:aws:kms:us-east-1:111122223333:key/abc"', check: (_, v) => assert.equal(v.Statement[1].Resource, '*') },
    { name: 'a bare principal ARN wrapped as {"AWS": …}', text: keyPolicy(statement({ Principal: 'arn:aws:iam::111122223333:role/App' })), code: 'INVALID_PRINCIPAL_FORMAT', covers: '"arn:aws:iam::111122223333:role/App"', check: (_, v) => assert.deepEqual(v.Statement[1].Principal, { AWS: 'arn:aws:iam::111122223333:role/App' }) },
    { name: 'an element name in the wrong case', text: keyPolicy(statement({ Action: undefined, action: 'kms:Decrypt' })), code: 'INVALID_POLICY_ELEMENT', covers: '"action"', check: (_, v) => assert.equal(v.Statement[1].Action, 'kms:Decrypt') },
    { name: 'an IAM Sid without its spaces', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Sid: 'Use the key' })), code: 'UNSUPPORTED_SID', covers: '"Use the key"', check: (_, v) => assert.equal(v.Statement[0].Sid, 'Usethekey') },
    { name: 'a grant operation', kind: 'grant', text: JSON.stringify({ KeyId: 'k', GranteePrincipal: 'arn:aws:iam::111122223333:role/W', Operations: ['kms:Decrypt'] }), code: 'KMS_GRANT_INVALID_OPERATION', covers: '"kms:Decrypt"', check: (_, v) => assert.deepEqual(v.Operations, ['Decrypt']) },
    { name: 'Operations made a list', kind: 'grant', text: JSON.stringify({ KeyId: 'k', GranteePrincipal: 'arn:aws:iam::111122223333:role/W', Operations: 'Decrypt' }), code: 'KMS_GRANT_INVALID_FIELD', covers: '"Decrypt"', check: (_, v) => assert.deepEqual(v.Operations, ['Decrypt']) },
  ]);
});

describe('the lockout-safe statement', () => {
  const SAFE = (account: string, sid = 'Enable IAM User Permissions') => ({ Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' });

  fixTable([
    {
      name: 'added first, for the account the principals name',
      text: JSON.stringify({ Version: '2012-10-17', Statement: [statement({ Principal: { AWS: 'arn:aws:iam::444455556666:role/App' } })] }, null, 2),
      code: 'KMS_LOCKOUT_RISK',
      covers: '"Statement"',
      check: (fixed, v) => {
        assert.deepEqual(v.Statement[0], SAFE('444455556666'));
        assert.equal(v.Statement.length, 2);
        // It takes the indentation of the statement it goes before.
        assert.ok(fixed.includes('"Resource": "*"},\n    {\n      "Sid": "UseTheKey"'), fixed);
      },
    },
    {
      name: 'with the placeholder account when the policy names none',
      text: JSON.stringify({ Version: '2012-10-17', Statement: [statement({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })] }),
      code: 'KMS_LOCKOUT_RISK',
      covers: '"Statement"',
      check: (_, v) => assert.deepEqual(v.Statement[0], SAFE(ACCOUNT)),
    },
    {
      name: 'around a Statement that is a single object',
      text: JSON.stringify({ Version: '2012-10-17', Statement: statement({ Principal: { AWS: 'arn:aws:iam::444455556666:user/Alice' } }) }),
      code: 'KMS_LOCKOUT_RISK',
      covers: '"Statement"',
      check: (_, v) => assert.deepEqual(v.Statement.map((s: any) => s.Sid), ['Enable IAM User Permissions', 'UseTheKey']),
    },
    {
      name: 'as a new Statement when there is none',
      text: JSON.stringify({ Version: '2012-10-17' }),
      code: 'KMS_LOCKOUT_RISK',
      covers: '{',
      check: (_, v) => assert.deepEqual(v.Statement, [SAFE(ACCOUNT)]),
    },
    {
      name: 'under another Sid when the usual one is taken',
      text: JSON.stringify({ Version: '2012-10-17', Statement: [{ ...ROOT_STATEMENT, Sid: 'Enable IAM User Permissions', Action: 'kms:Decrypt' }] }),
      code: 'KMS_LOCKOUT_RISK',
      covers: '"Statement"',
      check: (_, v) => assert.equal(v.Statement[0].Sid, 'Enable IAM User Permissions 2'),
    },
  ]);

  it('says in its title when the account is a placeholder', () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [statement({ Principal: { Service: 'logs.us-east-1.amazonaws.com' } })] });
    const f = findingAt(text, 'keyPolicy', 'KMS_LOCKOUT_RISK', '"Statement"');
    assert.match(f.fix!.title, /placeholder account 111122223333/);
  });

  it('is not offered when an unconditional Deny would keep everyone locked out', () => {
    const text = keyPolicy(statement({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy' }));
    const f = findingAt(text, 'keyPolicy', 'KMS_LOCKOUT_RISK', '"Statement"');
    assert.equal(f.fix, undefined);
  });
});
