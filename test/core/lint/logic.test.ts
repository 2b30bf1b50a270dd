import { describe } from 'node:test';
import { ROLE, cleanTable, findingTable, identityPolicy, identityStatement, keyPolicy, statement } from './helpers';

const condition = (block: Record<string, Record<string, unknown>>, action: unknown = 'kms:Decrypt') =>
  keyPolicy(statement({ Action: action, Condition: block }));

describe('set operators on single-valued keys', () => {
  findingTable([
    { name: 'ForAllValues on kms:ViaService in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Condition: { 'ForAllValues:StringEquals': { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } } })), code: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY', severity: 'SECURITY_WARNING', covers: '"kms:ViaService"' },
    { name: 'ForAllValues on aws:PrincipalArn in a key policy', text: condition({ 'ForAllValues:ArnLike': { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }), code: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY', severity: 'SECURITY_WARNING', covers: '"aws:PrincipalArn"' },
    { name: 'ForAllValues on an encryption context key in a key policy', text: condition({ 'ForAllValues:StringEquals': { 'kms:EncryptionContext:dept': 'IT' } }), code: 'KMS_FORALLVALUES_ENCRYPTION_CONTEXT', severity: 'ERROR', covers: '"kms:EncryptionContext:dept"' },
    { name: 'ForAllValues on an encryption context key in an IAM policy (IAM stores it)', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContext:dept': 'IT' } } })), code: 'FORALLVALUES_WITH_SINGLE_VALUED_KEY', severity: 'SECURITY_WARNING', covers: '"kms:EncryptionContext:dept"' },
    { name: 'ForAllValues on aws:RequestTag in a key policy', text: condition({ 'ForAllValues:StringEquals': { 'aws:RequestTag/env': 'prod' } }, 'kms:TagResource'), code: 'KMS_FORALLVALUES_REQUEST_TAG', severity: 'ERROR', covers: '"aws:RequestTag/env"' },
    { name: 'ForAnyValue on kms:CallerAccount', text: condition({ 'ForAnyValue:StringEquals': { 'kms:CallerAccount': '111122223333' } }), code: 'FORANYVALUE_WITH_SINGLE_VALUED_KEY', severity: 'WARNING', covers: '"kms:CallerAccount"' },
  ]);
  cleanTable([
    { name: 'set operators on multivalued keys', text: condition({ 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['app', 'env'] }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/app*' } }), codes: ['FORALLVALUES_WITH_SINGLE_VALUED_KEY', 'FORANYVALUE_WITH_SINGLE_VALUED_KEY', 'KMS_FORALLVALUES_ENCRYPTION_CONTEXT'] },
    { name: 'a plain operator on an encryption context key', text: condition({ StringEquals: { 'kms:EncryptionContext:dept': 'IT' } }), codes: ['KMS_FORALLVALUES_ENCRYPTION_CONTEXT', 'FORALLVALUES_WITH_SINGLE_VALUED_KEY'] },
  ]);
});

describe('wildcards under exact-match operators', () => {
  findingTable([
    { name: 'a * in StringEquals', text: condition({ StringEquals: { 'kms:EncryptionContext:app': 'pay*' } }), code: 'WILDCARD_WITHOUT_LIKE_OPERATOR', severity: 'WARNING', covers: '"pay*"' },
    { name: 'a ? in StringNotEqualsIgnoreCase', text: condition({ StringNotEqualsIgnoreCase: { 'kms:ViaService': 'ec2.us-east-?.amazonaws.com' } }), code: 'WILDCARD_WITHOUT_LIKE_OPERATOR', severity: 'WARNING', covers: '"ec2.us-east-?.amazonaws.com"' },
    { name: 'a * in ArnEquals', text: condition({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }), code: 'WILDCARD_WITHOUT_LIKE_OPERATOR', severity: 'WARNING', covers: '"arn:aws:iam::111122223333:role/*"' },
  ]);
  cleanTable([
    { name: 'Like operators, and the ${*} escape', text: condition({ StringLike: { 'kms:EncryptionContext:app': 'pay*' }, StringEquals: { 'kms:EncryptionContext:literal': 'a${*}b' }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' } }), codes: ['WILDCARD_WITHOUT_LIKE_OPERATOR'] },
  ]);
});

describe('redundancy', () => {
  findingTable([
    { name: 'kms:Decrypt next to kms:*', text: keyPolicy(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['kms:*', 'kms:Decrypt'] })), code: 'REDUNDANT_ACTION', severity: 'SUGGESTION', covers: '"kms:Decrypt"' },
    { name: 'kms:GetKeyPolicy next to kms:Get*', text: keyPolicy(statement({ Action: ['kms:GetKeyPolicy', 'kms:Get*'] })), code: 'REDUNDANT_ACTION', severity: 'SUGGESTION', covers: '"kms:GetKeyPolicy"' },
    { name: 'one action twice, in different case', text: keyPolicy(statement({ Action: ['kms:Decrypt', 'kms:Encrypt', 'KMS:decrypt'] })), code: 'REDUNDANT_ACTION', severity: 'SUGGESTION', covers: '"KMS:decrypt"' },
    { name: 'a narrower wildcard under a wider one', text: keyPolicy(statement({ Action: ['kms:Generate*', 'kms:GenerateDataKey*'] })), code: 'REDUNDANT_ACTION', severity: 'SUGGESTION', covers: '"kms:GenerateDataKey*"' },
    { name: 'a statement repeated under another Sid', text: keyPolicy(statement(), statement({ Sid: 'Copy' })), code: 'REDUNDANT_STATEMENT', severity: 'SUGGESTION', covers: '"Copy"' },
    { name: 'a conditional statement under an unconditional one', text: keyPolicy(statement({ Sid: 'Narrow', Action: ['kms:Decrypt'], Condition: { StringEquals: { 'kms:EncryptionContext:app': 'x' } } }), statement({ Action: ['kms:Decrypt', 'kms:Encrypt'] })), code: 'REDUNDANT_STATEMENT', severity: 'SUGGESTION', covers: '"Narrow"' },
    { name: 'a value twice for one key', text: condition({ StringEquals: { 'kms:ViaService': ['s3.us-east-1.amazonaws.com', 'ebs.us-east-1.amazonaws.com', 's3.us-east-1.amazonaws.com'] } }), code: 'REDUNDANT_CONDITION_VALUE', severity: 'SUGGESTION', covers: '"s3.us-east-1.amazonaws.com"' },
  ]);
  cleanTable([
    { name: 'distinct actions and wildcards that do not cover each other', text: keyPolicy(statement({ Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:Describe*', 'kms:*Key', 'kms:ReEncrypt*'] })), codes: ['REDUNDANT_ACTION'] },
    { name: 'statements for different principals, effects or conditions', text: keyPolicy(statement(), statement({ Sid: 'Other', Principal: { AWS: ROLE.replace('App', 'Worker') } }), statement({ Sid: 'Deny', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }), statement({ Sid: 'Ctx', Action: 'kms:Encrypt', Condition: { StringEquals: { 'kms:EncryptionContext:a': 'b' } } })), codes: ['REDUNDANT_STATEMENT'] },
    { name: 'the same value under two keys', text: condition({ StringEquals: { 'kms:EncryptionContext:a': 'x', 'kms:EncryptionContext:b': 'x' } }), codes: ['REDUNDANT_CONDITION_VALUE'] },
  ]);
});
