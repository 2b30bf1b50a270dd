import { describe } from 'node:test';
import { cleanTable, findingTable, identityPolicy, identityStatement, keyPolicy, statement } from './helpers';

const condition = (block: Record<string, Record<string, unknown>>) => keyPolicy(statement({ Condition: block }));

describe('action names', () => {
  findingTable([
    { name: 'a misspelt KMS action', text: keyPolicy(statement({ Action: 'kms:Decyrpt' })), code: 'INVALID_ACTION', severity: 'ERROR', covers: '"kms:Decyrpt"' },
    { name: 'a misspelt KMS action in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Action: ['kms:GenerateDataKy'] })), code: 'INVALID_ACTION', severity: 'ERROR', covers: '"kms:GenerateDataKy"' },
    { name: 'a KMS wildcard that matches no action', text: keyPolicy(statement({ Action: 'kms:Frobnicate*' })), code: 'INVALID_ACTION', severity: 'ERROR', covers: '"kms:Frobnicate*"' },
    { name: 'an action without a service prefix', text: keyPolicy(statement({ Action: 'Decrypt' })), code: 'INVALID_ACTION', severity: 'ERROR', covers: '"Decrypt"' },
    { name: 'a NotAction that does not exist', text: keyPolicy(statement({ Effect: 'Deny', Action: undefined, NotAction: 'kms:Decryptt' })), code: 'INVALID_ACTION', severity: 'ERROR', covers: '"kms:Decryptt"' },
    { name: 'an S3 action in a key policy', text: keyPolicy(statement({ Action: ['kms:Decrypt', 's3:GetObject'] })), code: 'UNSUPPORTED_ACTION_IN_POLICY', severity: 'ERROR', covers: '"s3:GetObject"' },
  ]);
  cleanTable([
    { name: 'action names in any case', text: keyPolicy(statement({ Action: ['KMS:decrypt', 'kms:GENERATEDATAKEY'] })), codes: ['INVALID_ACTION'] },
    { name: 'wildcards that match actions', text: keyPolicy(statement({ Action: ['kms:Get*', 'kms:*Key', 'kms:Re?ncrypt*'] })), codes: ['INVALID_ACTION'] },
    { name: 'other services in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Action: ['s3:GetObject', 'kms:Decrypt'], Resource: '*' })), codes: ['INVALID_ACTION', 'UNSUPPORTED_ACTION_IN_POLICY'] },
    { name: '"*" as the action', text: keyPolicy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: '*' })), codes: ['INVALID_ACTION', 'UNSUPPORTED_ACTION_IN_POLICY'] },
  ]);
});

describe('condition operators and keys', () => {
  findingTable([
    { name: 'a misspelt operator', text: condition({ StringEqualz: { 'kms:CallerAccount': '111122223333' } }), code: 'INVALID_CONDITION_OPERATOR', severity: 'ERROR', covers: '"StringEqualz"' },
    { name: 'an unknown set prefix', text: condition({ 'ForAll:StringEquals': { 'kms:EncryptionContextKeys': 'a' } }), code: 'INVALID_CONDITION_OPERATOR', severity: 'ERROR', covers: '"ForAll:StringEquals"' },
    { name: 'NullIfExists', text: condition({ NullIfExists: { 'kms:ViaService': 'true' } }), code: 'NULL_WITH_IF_EXISTS', severity: 'ERROR', covers: '"NullIfExists"' },
    { name: 'a misspelt kms: key', text: condition({ StringEquals: { 'kms:ViaServce': 's3.us-east-1.amazonaws.com' } }), code: 'INVALID_SERVICE_CONDITION_KEY', severity: 'ERROR', covers: '"kms:ViaServce"' },
    { name: 'kms:EncryptionContext: without a context key', text: condition({ StringEquals: { 'kms:EncryptionContext:': 'x' } }), code: 'INVALID_SERVICE_CONDITION_KEY', severity: 'ERROR', covers: '"kms:EncryptionContext:"' },
    { name: 'a misspelt aws: key', text: condition({ IpAddress: { 'aws:SourceIpp': '203.0.113.0/24' } }), code: 'INVALID_GLOBAL_CONDITION_KEY', severity: 'ERROR', covers: '"aws:SourceIpp"' },
    { name: 'one key twice in different case', text: condition({ StringEquals: { 'kms:ViaService': 'a.amazonaws.com', 'KMS:viaservice': 'b.amazonaws.com' } }), code: 'DUPLICATE_KEYS_WITH_DIFFERENT_CASE', severity: 'ERROR', covers: '"KMS:viaservice"' },
    { name: 'a deprecated key', text: condition({ StringEquals: { 'kms:CustomerMasterKeySpec': 'RSA_2048' } }), code: 'KMS_DEPRECATED_CONDITION_KEY', severity: 'WARNING', covers: '"kms:CustomerMasterKeySpec"' },
  ]);
  cleanTable([
    {
      name: 'keys in any case, pattern keys and IfExists',
      text: condition({
        StringEqualsIfExists: { 'kms:encryptioncontext:Department': 'IT', 'AWS:PrincipalTag/team': 'x', 'kms:ViaService': 's3.amazonaws.com' },
        'ForAnyValue:StringLike': { 'kms:EncryptionContextKeys': 'app*' },
        Null: { 'kms:EncryptionContextKeys': 'false' },
      }),
      codes: ['INVALID_CONDITION_OPERATOR', 'INVALID_SERVICE_CONDITION_KEY', 'INVALID_GLOBAL_CONDITION_KEY', 'NULL_WITH_IF_EXISTS'],
    },
    { name: 'keys of other services are left alone', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Action: 's3:PutObject', Resource: '*', Condition: { StringEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } } })), codes: ['INVALID_SERVICE_CONDITION_KEY', 'INVALID_GLOBAL_CONDITION_KEY'] },
  ]);
});

describe('principals', () => {
  const principal = (value: unknown) => keyPolicy(statement({ Principal: value }));
  findingTable([
    { name: 'an account wildcard', text: principal({ AWS: 'arn:aws:iam::*:root' }), code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', severity: 'ERROR', covers: '"arn:aws:iam::*:root"' },
    { name: 'a user wildcard', text: principal({ AWS: ['arn:aws:iam::111122223333:role/App', 'arn:aws:iam::111122223333:user/*'] }), code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', severity: 'ERROR', covers: '"arn:aws:iam::111122223333:user/*"' },
    { name: 'a wildcard service', text: principal({ Service: '*.amazonaws.com' }), code: 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL', severity: 'ERROR', covers: '"*.amazonaws.com"' },
    { name: 'an IAM group', text: principal({ AWS: 'arn:aws:iam::111122223333:group/Admins' }), code: 'INVALID_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"arn:aws:iam::111122223333:group/Admins"' },
    { name: 'a bucket ARN', text: principal({ AWS: 'arn:aws:s3:::bucket' }), code: 'INVALID_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"arn:aws:s3:::bucket"' },
    { name: 'a user name', text: principal({ AWS: 'alice' }), code: 'INVALID_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"alice"' },
    { name: 'an 11-digit account', text: principal({ AWS: 'arn:aws:iam::11112222333:root' }), code: 'INVALID_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"arn:aws:iam::11112222333:root"' },
    { name: 'a service without its domain', text: principal({ Service: 'cloudtrail' }), code: 'INVALID_SERVICE_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"cloudtrail"' },
    { name: 'Allow with NotPrincipal', text: keyPolicy(statement({ Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/App' } })), code: 'ALLOW_WITH_NOTPRINCIPAL', severity: 'SECURITY_WARNING', covers: '"NotPrincipal"' },
  ]);
  cleanTable([
    {
      name: 'every form IAM accepts',
      text: principal({
        AWS: ['*', '111122223333', 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:user/path/Alice', 'arn:aws:sts::111122223333:assumed-role/App/session', 'arn:aws-cn:iam::111122223333:role/App', 'AIDACKCEVSQ6C2EXAMPLE'],
        Service: ['logs.us-east-1.amazonaws.com', 'cloudtrail.amazonaws.com'],
      }),
      codes: ['INVALID_PRINCIPAL_FORMAT', 'INVALID_SERVICE_PRINCIPAL_FORMAT', 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL'],
    },
    { name: 'Deny with NotPrincipal', text: keyPolicy(statement({ Effect: 'Deny', Principal: undefined, NotPrincipal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:role/App'] } })), codes: ['ALLOW_WITH_NOTPRINCIPAL'] },
  ]);
});
