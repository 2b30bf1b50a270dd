import { describe } from 'node:test';
import { ROOT_STATEMENT, cleanTable, findingTable, identityPolicy, identityStatement, keyPolicy, statement } from './helpers';

const compact = (value: unknown) => JSON.stringify(value);

describe('policy grammar (schemas/policy.schema.json)', () => {
  findingTable([
    { name: 'no Version', text: compact({ Statement: [ROOT_STATEMENT] }), code: 'MISSING_VERSION', severity: 'WARNING', covers: '{' },
    { name: 'a Version that is not a policy language version', text: keyPolicy().replace('2012-10-17', '2012-10-18'), code: 'INVALID_VERSION', severity: 'ERROR', covers: '"2012-10-18"' },
    { name: 'a Version written as a number', text: compact({ Version: 2012, Statement: [ROOT_STATEMENT] }), code: 'INVALID_VERSION', severity: 'ERROR', covers: '2012' },
    { name: 'no Statement', text: compact({ Version: '2012-10-17' }), code: 'MISSING_STATEMENT', severity: 'ERROR', covers: '{' },
    { name: 'an empty Statement list', text: compact({ Version: '2012-10-17', Statement: [] }), code: 'MISSING_STATEMENT', severity: 'ERROR', covers: '[]' },
    { name: 'a statement without Effect', text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, statement({ Sid: undefined, Effect: undefined })] }), code: 'MISSING_EFFECT', severity: 'ERROR', covers: '{' },
    { name: 'Effect in lower case', text: keyPolicy(statement({ Effect: 'allow' })), code: 'INVALID_EFFECT', severity: 'ERROR', covers: '"allow"' },
    { name: 'Effect written as true', text: keyPolicy(statement({ Effect: true })), code: 'INVALID_EFFECT', severity: 'ERROR', covers: 'true' },
    { name: 'a statement without Action', text: keyPolicy(statement({ Action: undefined })), code: 'MISSING_ACTION', severity: 'ERROR', covers: '{' },
    { name: 'a key policy statement without Principal', text: keyPolicy(statement({ Principal: undefined })), code: 'MISSING_PRINCIPAL', severity: 'ERROR', covers: '{' },
    { name: 'a statement without Resource', text: keyPolicy(statement({ Resource: undefined })), code: 'MISSING_RESOURCE', severity: 'ERROR', covers: '{' },
    { name: 'an unknown statement element', text: keyPolicy(statement({ Actions: 'kms:Encrypt' })), code: 'INVALID_POLICY_ELEMENT', severity: 'ERROR', covers: '"Actions"' },
    { name: 'an unknown policy element', text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT], Comment: 'x' }), code: 'INVALID_POLICY_ELEMENT', severity: 'ERROR', covers: '"Comment"' },
    { name: 'Principal in an identity policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Principal: { AWS: '*' } })), code: 'INVALID_POLICY_ELEMENT', severity: 'ERROR', covers: '"Principal"' },
    { name: 'NotPrincipal in an identity policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ NotPrincipal: { AWS: '*' } })), code: 'INVALID_POLICY_ELEMENT', severity: 'ERROR', covers: '"NotPrincipal"' },
    { name: 'Action and NotAction together', text: keyPolicy(statement({ NotAction: 'kms:Encrypt' })), code: 'UNSUPPORTED_ELEMENT_COMBINATION', severity: 'ERROR', covers: '"NotAction"' },
    { name: 'Resource and NotResource together', text: keyPolicy(statement({ NotResource: 'x' })), code: 'UNSUPPORTED_ELEMENT_COMBINATION', severity: 'ERROR', covers: '"NotResource"' },
    { name: 'Action written as an object', text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, statement({ Action: { a: 1 } })] }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '{"a":1}' },
    { name: 'Statement written as a number', text: compact({ Version: '2012-10-17', Statement: 5 }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '5' },
    { name: 'Condition written as a string', text: keyPolicy(statement({ Condition: 'aws:SecureTransport' })), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '"aws:SecureTransport"' },
    { name: 'a condition value of null', text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, statement({ Condition: { StringEquals: { 'kms:ViaService': null } } })] }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: 'null' },
    { name: 'an action that is a number', text: compact({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, statement({ Action: ['kms:Decrypt', 7] })] }), code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '7' },
    { name: 'a policy that is a list', text: '[]', code: 'DATA_TYPE_MISMATCH', severity: 'ERROR', covers: '[]' },
    { name: 'an unknown principal type', text: keyPolicy(statement({ Principal: { User: 'x' } })), code: 'INVALID_PRINCIPAL_KEY', severity: 'ERROR', covers: '"User"' },
    { name: 'a principal ARN as a bare string', text: keyPolicy(statement({ Principal: 'arn:aws:iam::111122223333:root' })), code: 'INVALID_PRINCIPAL_FORMAT', severity: 'ERROR', covers: '"arn:aws:iam::111122223333:root"' },
    { name: 'a Sid with spaces in an IAM policy', kind: 'identityPolicy', text: identityPolicy(identityStatement({ Sid: 'Use the key' })), code: 'UNSUPPORTED_SID', severity: 'ERROR', covers: '"Use the key"' },
    { name: 'an empty Sid', text: keyPolicy(statement({ Sid: '' })), code: 'EMPTY_SID_VALUE', severity: 'SUGGESTION', covers: '""' },
    { name: 'an empty Action list', text: keyPolicy(statement({ Action: [] })), code: 'EMPTY_ARRAY_ACTION', severity: 'SUGGESTION', covers: '[]' },
    { name: 'an empty Resource list', text: keyPolicy(statement({ Resource: [] })), code: 'EMPTY_ARRAY_RESOURCE', severity: 'SUGGESTION', covers: '[]' },
    { name: 'an empty list of AWS principals', text: keyPolicy(statement({ Principal: { AWS: [] } })), code: 'EMPTY_ARRAY_PRINCIPAL', severity: 'SUGGESTION', covers: '[]' },
    { name: 'an empty Principal object', text: keyPolicy(statement({ Principal: {} })), code: 'EMPTY_OBJECT_PRINCIPAL', severity: 'SUGGESTION', covers: '{}' },
    { name: 'an empty Condition', text: keyPolicy(statement({ Condition: {} })), code: 'EMPTY_OBJECT_CONDITION', severity: 'SUGGESTION', covers: '{}' },
    { name: 'an empty operator block', text: keyPolicy(statement({ Condition: { StringEquals: {} } })), code: 'EMPTY_OBJECT_CONDITION', severity: 'SUGGESTION', covers: '{}' },
    { name: 'a condition key without values', text: keyPolicy(statement({ Condition: { StringEquals: { 'kms:ViaService': [] } } })), code: 'EMPTY_ARRAY_CONDITION', severity: 'SUGGESTION', covers: '[]' },
    { name: 'ForAllValues without values', text: keyPolicy(statement({ Condition: { 'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [] } } })), code: 'EMPTY_ARRAY_CONDITION_FORALLVALUES', severity: 'SUGGESTION', covers: '[]' },
    { name: 'ForAnyValue without values', text: keyPolicy(statement({ Condition: { 'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': [] } } })), code: 'EMPTY_ARRAY_CONDITION_FORANYVALUE', severity: 'SUGGESTION', covers: '[]' },
    { name: 'IfExists without values', text: keyPolicy(statement({ Condition: { StringEqualsIfExists: { 'kms:ViaService': [] } } })), code: 'EMPTY_ARRAY_CONDITION_IFEXISTS', severity: 'SUGGESTION', covers: '[]' },
    { name: 'two key policy statements with one Sid', text: keyPolicy(statement(), statement({ Action: 'kms:Encrypt' })), code: 'UNIQUE_SIDS_REQUIRED', severity: 'ERROR', covers: '"UseTheKey"' },
    { name: 'two IAM policy statements with one Sid', kind: 'identityPolicy', text: identityPolicy(identityStatement(), identityStatement({ Action: 'kms:Encrypt' })), code: 'UNIQUE_SIDS_RECOMMENDED', severity: 'WARNING', covers: '"UseTheKey"' },
  ]);

  cleanTable([
    { name: 'Version 2008-10-17 is still a version', text: keyPolicy().replace('2012-10-17', '2008-10-17'), codes: ['INVALID_VERSION'] },
    { name: 'a single statement object instead of a list', text: compact({ Version: '2012-10-17', Statement: ROOT_STATEMENT }), codes: ['DATA_TYPE_MISMATCH', 'MISSING_STATEMENT'] },
    { name: 'NotAction, NotResource and NotPrincipal stand in for their elements', text: keyPolicy(statement({ Effect: 'Deny', Action: undefined, NotAction: 'kms:Decrypt', Principal: undefined, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' }, Resource: undefined, NotResource: 'x' })), codes: ['MISSING_ACTION', 'MISSING_PRINCIPAL', 'MISSING_RESOURCE'] },
    { name: 'a key policy Sid may contain spaces', text: keyPolicy(statement({ Sid: 'Allow use of the key' })), codes: ['UNSUPPORTED_SID'] },
    { name: 'numbers and booleans are condition values', text: keyPolicy(statement({ Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } } })), codes: ['DATA_TYPE_MISMATCH'] },
    { name: 'distinct Sids', text: keyPolicy(statement(), statement({ Sid: 'Other', Action: 'kms:Encrypt' })), codes: ['UNIQUE_SIDS_REQUIRED'] },
    { name: 'a grant-only principal "*" string', text: keyPolicy(statement({ Principal: '*', Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } } })), codes: ['INVALID_PRINCIPAL_FORMAT', 'DATA_TYPE_MISMATCH'] },
  ]);
});
