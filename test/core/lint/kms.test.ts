import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture } from '../../support/paths';
import {
  ADMIN,
  ROLE,
  ROOT_STATEMENT,
  cleanTable,
  findingAt,
  findingTable,
  identityPolicy,
  identityStatement,
  keyPolicy,
  lint,
  statement,
} from './helpers';

const compact = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const anyone = (overrides: Record<string, unknown> = {}) => statement({ Sid: 'Anyone', Principal: { AWS: '*' }, ...overrides });

describe('KMS_LOCKOUT_RISK', () => {
  findingTable([
    { name: 'only a key user, no one to manage the key', text: compact(statement()), code: 'KMS_LOCKOUT_RISK', severity: 'ERROR', covers: '"Statement"' },
    { name: 'an unconditional Deny of PutKeyPolicy to everyone', text: keyPolicy(statement({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy' })), code: 'KMS_LOCKOUT_RISK', severity: 'ERROR', covers: '"Statement"' },
    { name: 'a root statement that names another action', text: compact({ ...ROOT_STATEMENT, Action: 'kms:Decrypt' }), code: 'KMS_LOCKOUT_RISK', severity: 'ERROR', covers: '"Statement"' },
    { name: 'no Statement at all', text: JSON.stringify({ Version: '2012-10-17' }), code: 'KMS_LOCKOUT_RISK', severity: 'ERROR', covers: '{' },
  ]);
  cleanTable([
    { name: 'the account principal with kms:*', text: keyPolicy(), codes: ['KMS_LOCKOUT_RISK'] },
    { name: 'a key administrator role, without the root statement', text: compact(statement({ Principal: { AWS: ADMIN }, Action: ['kms:Put*', 'kms:Describe*'] })), codes: ['KMS_LOCKOUT_RISK'] },
    { name: 'the account principal under an MFA condition', text: compact({ ...ROOT_STATEMENT, Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }), codes: ['KMS_LOCKOUT_RISK'] },
    { name: 'a Deny that spares the key administrator', text: keyPolicy(statement({ Sid: 'OnlyAdmins', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Condition: { ArnNotEquals: { 'aws:PrincipalArn': ADMIN } } }), statement({ Sid: 'Admin', Principal: { AWS: ADMIN }, Action: 'kms:PutKeyPolicy' })), codes: ['KMS_LOCKOUT_RISK'] },
    { name: 'a conditional Deny of PutKeyPolicy beside the root statement (the spared role gets it through IAM)', text: keyPolicy(statement({ Sid: 'OnlyAdmins', Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Condition: { StringNotEquals: { 'aws:PrincipalArn': ADMIN } } })), codes: ['KMS_LOCKOUT_RISK'] },
    { name: 'a cross-account key with its own account', text: keyPolicy(statement({ Principal: { AWS: 'arn:aws:iam::444455556666:root' } })), codes: ['KMS_LOCKOUT_RISK'] },
  ]);
});

describe('KMS_PUBLIC_ACCESS', () => {
  findingTable([
    { name: '"Principal": "*" with no condition', text: keyPolicy(anyone({ Principal: '*' })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: '{"AWS": "*"} with only a source IP condition', text: keyPolicy(anyone({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: 'kms:ViaService alone', text: keyPolicy(anyone({ Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: 'a caller account that is itself a wildcard', text: keyPolicy(anyone({ Condition: { StringLike: { 'kms:CallerAccount': '*' } } })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: 'the account pinned only if present (IfExists)', text: keyPolicy(anyone({ Condition: { StringEqualsIfExists: { 'aws:PrincipalAccount': '111122223333' } } })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: 'an ARN pattern with any account', text: keyPolicy(anyone({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } } })), code: 'KMS_PUBLIC_ACCESS', severity: 'SECURITY_WARNING', covers: '"*"' },
  ]);
  cleanTable([
    { name: 'kms:CallerAccount', text: keyPolicy(anyone({ Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'aws:PrincipalOrgID', text: keyPolicy(anyone({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'aws:PrincipalOrgPaths with ForAnyValue', text: keyPolicy(anyone({ Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'an ARN pattern within one account', text: keyPolicy(anyone({ Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'a VPC endpoint', text: keyPolicy(anyone({ Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'a Deny for everyone outside the organization', text: keyPolicy(anyone(), statement({ Sid: 'OutsideOrg', Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'a service principal', text: keyPolicy(statement({ Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*' })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'a Deny to everyone', text: keyPolicy(anyone({ Effect: 'Deny' })), codes: ['KMS_PUBLIC_ACCESS'] },
    { name: 'the EBS managed key statement (kms:CallerAccount with kms:ViaService)', text: readFileSync(fixture('lint', 'caller-account-via-service.keypolicy.json'), 'utf8'), codes: ['KMS_PUBLIC_ACCESS', 'KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE'] },
  ]);

  it('does not count a Deny that adds a further condition: it denies less than it seems', () => {
    const text = keyPolicy(anyone(), statement({ Sid: 'OutsideOrg', Effect: 'Deny', Principal: '*', Action: 'kms:*', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, Bool: { 'aws:SecureTransport': 'false' } } }));
    findingAt(text, 'keyPolicy', 'KMS_PUBLIC_ACCESS', '"*"');
  });
});

describe('key policy statements and resources', () => {
  findingTable([
    { name: 'kms:* to a role', text: keyPolicy(statement({ Action: 'kms:*' })), code: 'KMS_WILDCARD_ACTION_TO_NON_ROOT', severity: 'SECURITY_WARNING', covers: '"kms:*"' },
    { name: '"*" to a service', text: keyPolicy(statement({ Principal: { Service: 'logs.us-east-1.amazonaws.com' }, Action: ['*'] })), code: 'KMS_WILDCARD_ACTION_TO_NON_ROOT', severity: 'SECURITY_WARNING', covers: '"*"' },
    { name: 'a key ARN as Resource', text: keyPolicy(statement({ Resource: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' })), code: 'KMS_RESOURCE_NOT_STAR', severity: 'WARNING', covers: '"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"' },
    { name: 'NotResource in a key policy', text: keyPolicy(statement({ Resource: undefined, NotResource: 'arn:aws:kms:*:*:alias/*' })), code: 'KMS_RESOURCE_NOT_STAR', severity: 'WARNING', covers: '"NotResource"' },
    { name: 'an encryption context key on DescribeKey only', text: keyPolicy(statement({ Action: 'kms:DescribeKey', Condition: { StringEquals: { 'kms:EncryptionContext:app': 'x' } } })), code: 'KMS_CONDITION_KEY_NOT_SUPPORTED', severity: 'WARNING', covers: '"kms:EncryptionContext:app"' },
    { name: 'a grant key on Decrypt', text: keyPolicy(statement({ Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } })), code: 'KMS_CONDITION_KEY_NOT_SUPPORTED', severity: 'WARNING', covers: '"kms:GrantIsForAWSResource"' },
    { name: 'CreateGrant for a role without kms:GrantIsForAWSResource', text: keyPolicy(statement({ Action: ['kms:Decrypt', 'kms:CreateGrant'] })), code: 'KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE', severity: 'WARNING', covers: '"kms:CreateGrant"' },
    { name: 'CreateGrant in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Action: 'kms:Create*' })), code: 'KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE', severity: 'WARNING', covers: '"kms:Create*"' },
    { name: 'an alias ARN for Decrypt in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Resource: 'arn:aws:kms:us-east-1:111122223333:alias/app' })), code: 'KMS_ALIAS_IN_RESOURCE', severity: 'WARNING', covers: '"arn:aws:kms:us-east-1:111122223333:alias/app"' },
    { name: 'one role administers and uses the key', text: keyPolicy(statement({ Sid: 'Admin', Action: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'] }), statement({ Sid: 'Use' })), code: 'KMS_ADMIN_AND_USER', severity: 'SUGGESTION', covers: `"${ROLE}"` },
  ]);
  cleanTable([
    { name: 'kms:* to the account principal', text: keyPolicy(), codes: ['KMS_WILDCARD_ACTION_TO_NON_ROOT', 'KMS_ADMIN_AND_USER'] },
    { name: 'global keys and key-resource keys', text: keyPolicy(statement({ Action: ['kms:DescribeKey'], Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' }, StringEquals: { 'kms:CallerAccount': '111122223333', 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } })), codes: ['KMS_CONDITION_KEY_NOT_SUPPORTED'] },
    { name: 'grants for AWS resources', text: keyPolicy(statement({ Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'], Condition: { Bool: { 'kms:GrantIsForAWSResource': true } } })), codes: ['KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE', 'KMS_CONDITION_KEY_NOT_SUPPORTED'] },
    { name: 'grants by a key administrator, who can change the policy anyway', text: keyPolicy(statement({ Principal: { AWS: ADMIN }, Action: ['kms:Create*', 'kms:Put*'] })), codes: ['KMS_CREATEGRANT_WITHOUT_AWS_RESOURCE'] },
    { name: 'an alias ARN for alias operations', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Action: ['kms:CreateAlias', 'kms:DeleteAlias'], Resource: 'arn:aws:kms:us-east-1:111122223333:alias/app' })), codes: ['KMS_ALIAS_IN_RESOURCE'] },
    { name: 'separate administrators and users', text: readFileSync(fixture('lint', 'console-default.keypolicy.json'), 'utf8'), codes: ['KMS_ADMIN_AND_USER'] },
  ]);
});

describe('document limits', () => {
  /** A key policy padded with a Sid of `fill` repeated until it is exactly `bytes` bytes of UTF-8. */
  function paddedPolicy(bytes: number, fill: string): string {
    const base = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ ...ROOT_STATEMENT, Sid: sid }] });
    const unit = Buffer.byteLength(fill, 'utf8');
    const count = Math.floor((bytes - Buffer.byteLength(base(''), 'utf8')) / unit);
    let text = base(fill.repeat(count));
    while (Buffer.byteLength(text, 'utf8') < bytes) text = text.replace('"Sid":"', '"Sid":"x');
    return text;
  }

  it('accepts a key policy of exactly 32,768 bytes', () => {
    const text = paddedPolicy(32768, 'a');
    assert.equal(Buffer.byteLength(text, 'utf8'), 32768);
    assert.ok(!lint(text, 'keyPolicy').some((f) => f.code === 'KMS_KEY_POLICY_SIZE_EXCEEDED'));
  });

  it('reports one byte more, at the opening brace', () => {
    const text = paddedPolicy(32769, 'a');
    const f = findingAt(text, 'keyPolicy', 'KMS_KEY_POLICY_SIZE_EXCEEDED', '{');
    assert.equal(f.severity, 'ERROR');
    assert.match(f.message, /32,769 bytes/);
  });

  it('counts bytes of UTF-8, not characters: 20,000 characters of é are 40,000 bytes', () => {
    const text = paddedPolicy(40000, 'é');
    assert.ok(text.length < 32768);
    findingAt(text, 'keyPolicy', 'KMS_KEY_POLICY_SIZE_EXCEEDED', '{');
  });

  it('counts whitespace, and says when removing it would be enough', () => {
    const text = JSON.stringify(JSON.parse(paddedPolicy(30000, 'a')), null, 2).replace(/\n/g, `\n${' '.repeat(400)}`);
    assert.ok(Buffer.byteLength(text, 'utf8') > 32768);
    const f = findingAt(text, 'keyPolicy', 'KMS_KEY_POLICY_SIZE_EXCEEDED', '{');
    assert.match(f.message, /without whitespace it would be 30,000 bytes/);
  });

  findingTable([
    { name: 'a typographic apostrophe in a Sid', text: keyPolicy(statement({ Sid: 'Allow the app’s role' })), code: 'KMS_KEY_POLICY_INVALID_CHARACTER', severity: 'ERROR', covers: '’' },
    { name: 'an emoji', text: keyPolicy(statement({ Sid: 'Key 🔑' })), code: 'KMS_KEY_POLICY_INVALID_CHARACTER', severity: 'ERROR', covers: '🔑' },
    {
      name: 'an IAM policy over 6,144 characters without whitespace',
      kind: 'identityPolicy',
      text: identityPolicy(...Array.from({ length: 60 }, (_, i) => identityStatement({ Sid: `S${i}`, Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] }))),
      code: 'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
      severity: 'WARNING',
      covers: '{',
    },
  ]);
  cleanTable([{ name: 'Latin-1 letters are allowed', text: keyPolicy(statement({ Sid: 'Clé de chiffrement, ß, ©' })), codes: ['KMS_KEY_POLICY_INVALID_CHARACTER'] }]);
});
