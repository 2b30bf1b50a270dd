import { describe } from 'node:test';
import { cleanTable, findingTable, keyPolicy, statement } from './helpers';

const condition = (block: Record<string, Record<string, unknown>>, action: unknown = 'kms:Decrypt') =>
  keyPolicy(statement({ Action: action, Condition: block }));

describe('condition values the operator cannot read', () => {
  findingTable([
    { name: '"yes" for Bool', text: condition({ Bool: { 'aws:SecureTransport': 'yes' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"yes"' },
    { name: '"maybe" for Null', text: condition({ Null: { 'kms:EncryptionContextKeys': 'maybe' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"maybe"' },
    { name: 'a /33 prefix for IpAddress', text: condition({ IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '10.0.0.0/33'] } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"10.0.0.0/33"' },
    { name: 'an octet over 255 for NotIpAddress', text: condition({ NotIpAddress: { 'aws:SourceIp': '300.1.1.1' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"300.1.1.1"' },
    { name: '"tomorrow" for a Date operator', text: condition({ DateLessThan: { 'aws:CurrentTime': 'tomorrow' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"tomorrow"' },
    { name: 'February 30th', text: condition({ DateGreaterThan: { 'aws:CurrentTime': '2024-02-30' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"2024-02-30"' },
    { name: 'a word for a Numeric operator', text: condition({ NumericLessThanEquals: { 'kms:ScheduleKeyDeletionPendingWindowInDays': 'ten' } }, 'kms:ScheduleKeyDeletion'), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"ten"' },
    { name: 'bad base64 for BinaryEquals', text: condition({ BinaryEquals: { 'kms:EncryptionContext:blob': 'not base64!' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"not base64!"' },
    { name: 'a role name for ArnLike', text: condition({ ArnLike: { 'aws:PrincipalArn': 'role/Admin' } }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"role/Admin"' },
    { name: 'a policy variable for a Date operator', text: condition({ DateGreaterThan: { 'aws:CurrentTime': '${aws:TokenIssueTime}' } }), code: 'INVALID_VARIABLE_FOR_OPERATOR', severity: 'ERROR', covers: '"${aws:TokenIssueTime}"' },
  ]);
  cleanTable([
    {
      name: 'values each operator reads',
      text: condition({
        Bool: { 'aws:SecureTransport': true, 'aws:MultiFactorAuthPresent': 'False' },
        IpAddress: { 'aws:SourceIp': ['203.0.113.7', '2001:db8::/32', '::ffff:192.0.2.1'] },
        DateLessThan: { 'aws:CurrentTime': '2026-01-31T12:00:00Z', 'aws:TokenIssueTime': 1767225600 },
        DateGreaterThan: { 'aws:EpochTime': '2026-01-31' },
        NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 },
        NumericGreaterThan: { 'aws:MultiFactorAuthAge': '-1.5' },
        BinaryEquals: { 'kms:EncryptionContext:blob': 'QmluYXJ5' },
        ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/Admin', '*', 'arn:aws:iam::${aws:PrincipalAccount}:role/A'] },
        StringEquals: { 'aws:PrincipalTag/team': '${aws:username}' },
      }),
      codes: ['DATA_TYPE_MISMATCH', 'INVALID_VARIABLE_FOR_OPERATOR'],
    },
  ]);
});

describe('operators of another type than their key', () => {
  findingTable([
    { name: 'StringEquals on a Date key', text: condition({ StringEquals: { 'aws:CurrentTime': '2026-01-01' } }), code: 'TYPE_MISMATCH', severity: 'WARNING', covers: '"aws:CurrentTime"' },
    { name: 'Bool on a String key', text: condition({ Bool: { 'kms:ViaService': 'true' } }), code: 'TYPE_MISMATCH', severity: 'WARNING', covers: '"kms:ViaService"' },
    { name: 'NumericEquals on the account', text: condition({ NumericEquals: { 'kms:CallerAccount': 111122223333 } }), code: 'TYPE_MISMATCH', severity: 'WARNING', covers: '"kms:CallerAccount"' },
    { name: 'StringLike on an IP address key', text: condition({ StringLike: { 'aws:SourceIp': '10.*' } }), code: 'TYPE_MISMATCH', severity: 'WARNING', covers: '"aws:SourceIp"' },
    { name: 'ArnLike on a String key', text: condition({ ArnLike: { 'kms:ViaService': 'arn:aws:s3:::x' } }), code: 'TYPE_MISMATCH', severity: 'WARNING', covers: '"kms:ViaService"' },
  ]);
  cleanTable([
    {
      name: 'matching types, string operators on ARN keys, Null on anything',
      text: condition({
        StringLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/*' },
        ArnEquals: { 'aws:SourceArn': 'arn:aws:s3:::bucket' },
        Null: { 'aws:SourceIp': 'false', 'aws:CurrentTime': 'false' },
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': 'app' },
        Bool: { 'aws:SecureTransport': 'true' },
        // The CloudWatch Logs key policy in AWS's documentation compares this encryption context ARN with ArnLike.
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:111122223333:log-group:*' },
      }),
      codes: ['TYPE_MISMATCH'],
    },
  ]);
});
