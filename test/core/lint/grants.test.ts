import { describe } from 'node:test';
import { cleanTable, findingTable } from './helpers';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const WORKER = 'arn:aws:iam::111122223333:role/Worker';

/** A CreateGrant request with fields replaced (or removed, with undefined), pretty-printed. */
function request(overrides: Record<string, unknown> = {}): string {
  const out: Record<string, unknown> = { KeyId: KEY, GranteePrincipal: WORKER, Operations: ['Decrypt', 'GenerateDataKey'], ...overrides };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return JSON.stringify(out, null, 2);
}

const eightPairs = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, `v${i}`]));

describe('grants: CreateGrant requests and list-grants output', () => {
  findingTable([
    { name: 'no KeyId', kind: 'grant', text: request({ KeyId: undefined }), code: 'KMS_GRANT_MISSING_FIELD', severity: 'ERROR', covers: '{' },
    { name: 'no grantee', kind: 'grant', text: request({ GranteePrincipal: undefined }), code: 'KMS_GRANT_MISSING_FIELD', severity: 'ERROR', covers: '{' },
    { name: 'no operations', kind: 'grant', text: request({ Operations: [] }), code: 'KMS_GRANT_MISSING_FIELD', severity: 'ERROR', covers: '[]' },
    { name: 'a service grantee without SourceArn', kind: 'grant', text: request({ GranteePrincipal: undefined, GranteeServicePrincipal: 'rds.amazonaws.com', RetiringPrincipal: WORKER }), code: 'KMS_GRANT_MISSING_FIELD', severity: 'ERROR', covers: '"GranteeServicePrincipal"' },
    { name: 'a field CreateGrant does not take', kind: 'grant', text: request({ Nme: 'x' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"Nme"' },
    { name: 'a grantee with a space', kind: 'grant', text: request({ GranteePrincipal: 'bob smith' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"bob smith"' },
    { name: 'a grantee that is a bucket ARN', kind: 'grant', text: request({ GranteePrincipal: 'arn:aws:s3:::bucket' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"arn:aws:s3:::bucket"' },
    { name: 'both grantee fields', kind: 'grant', text: request({ GranteeServicePrincipal: 'rds.amazonaws.com' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"GranteeServicePrincipal"' },
    { name: 'Operations as a string', kind: 'grant', text: request({ Operations: 'Decrypt' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"Decrypt"' },
    { name: 'eleven grant tokens', kind: 'grant', text: request({ GrantTokens: Array.from({ length: 11 }, (_, i) => `t${i}`) }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: request({ GrantTokens: Array.from({ length: 11 }, (_, i) => `t${i}`) }).match(/\[\s+"t0"[^\]]*\]/)![0] },
    { name: 'a name with a space', kind: 'grant', text: request({ Name: 'my grant' }), code: 'KMS_GRANT_INVALID_FIELD', severity: 'ERROR', covers: '"my grant"' },
    { name: 'a misspelt operation', kind: 'grant', text: request({ Operations: ['Decrpt'] }), code: 'KMS_GRANT_INVALID_OPERATION', severity: 'ERROR', covers: '"Decrpt"' },
    { name: 'a policy-style action name', kind: 'grant', text: request({ Operations: ['Decrypt', 'kms:Encrypt'] }), code: 'KMS_GRANT_INVALID_OPERATION', severity: 'ERROR', covers: '"kms:Encrypt"' },
    { name: 'an operation no grant can allow', kind: 'grant', text: request({ Operations: ['PutKeyPolicy'] }), code: 'KMS_GRANT_INVALID_OPERATION', severity: 'ERROR', covers: '"PutKeyPolicy"' },
    { name: 'an unknown constraint', kind: 'grant', text: request({ Constraints: { EncryptionContextSuperset: { a: 'b' } } }), code: 'KMS_GRANT_CONSTRAINT_UNSUPPORTED', severity: 'ERROR', covers: '"EncryptionContextSuperset"' },
    { name: 'both Equals and Subset', kind: 'grant', text: request({ Constraints: { EncryptionContextSubset: { a: 'b' }, EncryptionContextEquals: { a: 'b' } } }), code: 'KMS_GRANT_CONSTRAINT_UNSUPPORTED', severity: 'ERROR', covers: '"EncryptionContextEquals"' },
    { name: 'an encryption context constraint with Sign', kind: 'grant', text: request({ Operations: ['Sign', 'Verify'], Constraints: { EncryptionContextSubset: { a: 'b' } } }), code: 'KMS_GRANT_CONSTRAINT_UNSUPPORTED', severity: 'ERROR', covers: '"EncryptionContextSubset"' },
    { name: 'an encryption context constraint on DescribeKey only', kind: 'grant', text: request({ Operations: ['DescribeKey'], Constraints: { EncryptionContextEquals: { a: 'b' } } }), code: 'KMS_GRANT_CONSTRAINT_UNSUPPORTED', severity: 'ERROR', covers: '"EncryptionContextEquals"' },
    { name: 'nine encryption context pairs', kind: 'grant', text: JSON.stringify({ KeyId: KEY, GranteePrincipal: WORKER, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { ...eightPairs, k8: 'v8' } } }), code: 'KMS_GRANT_TOO_MANY_CONSTRAINTS', severity: 'ERROR', covers: JSON.stringify({ ...eightPairs, k8: 'v8' }) },
    { name: 'a list-grants entry without GrantId', kind: 'grant', text: JSON.stringify({ Grants: [{ KeyId: KEY, GranteePrincipal: WORKER, Operations: ['Decrypt'] }] }), code: 'KMS_GRANT_MISSING_FIELD', severity: 'ERROR', covers: '{' },
    { name: 'a list-grants entry with a bad operation', kind: 'grant', text: JSON.stringify({ Grants: [{ KeyId: KEY, GrantId: 'g', GranteePrincipal: WORKER, Operations: ['Encrypt', 'Foo'] }] }), code: 'KMS_GRANT_INVALID_OPERATION', severity: 'ERROR', covers: '"Foo"' },
  ]);

  cleanTable([
    {
      name: 'a complete CreateGrant request',
      kind: 'grant',
      text: request({ RetiringPrincipal: 'arn:aws:iam::111122223333:root', Constraints: { EncryptionContextSubset: eightPairs }, GrantTokens: ['t'], Name: 'batch:worker_1', Operations: ['Decrypt', 'GenerateDataKey', 'DescribeKey', 'RetireGrant'] }),
      codes: ['KMS_GRANT_MISSING_FIELD', 'KMS_GRANT_INVALID_FIELD', 'KMS_GRANT_INVALID_OPERATION', 'KMS_GRANT_CONSTRAINT_UNSUPPORTED', 'KMS_GRANT_TOO_MANY_CONSTRAINTS'],
    },
    {
      name: 'a service grantee with SourceArn and a retiring principal',
      kind: 'grant',
      text: request({ GranteePrincipal: undefined, GranteeServicePrincipal: 'rds.amazonaws.com', RetiringServicePrincipal: 'rds.amazonaws.com', Constraints: { SourceArn: 'arn:aws:rds:us-east-1:111122223333:db:orders' } }),
      codes: ['KMS_GRANT_MISSING_FIELD', 'KMS_GRANT_INVALID_FIELD'],
    },
    {
      name: 'list-grants output, with a service principal grantee and an empty constraint map',
      kind: 'grant',
      text: JSON.stringify({
        Grants: [
          { KeyId: KEY, GrantId: 'a1', CreationDate: 1700000000, GranteePrincipal: 'rds.us-east-1.amazonaws.com', IssuingAccount: 'arn:aws:iam::111122223333:root', Operations: ['Decrypt', 'Encrypt'] },
          { KeyId: KEY, GrantId: 'a2', CreationDate: '2026-01-01T00:00:00Z', GranteePrincipal: WORKER, Operations: ['Sign'], Constraints: { EncryptionContextEquals: {} } },
        ],
        Truncated: false,
      }),
      codes: ['KMS_GRANT_MISSING_FIELD', 'KMS_GRANT_INVALID_FIELD', 'KMS_GRANT_CONSTRAINT_UNSUPPORTED'],
    },
    {
      // list-grants prints "Name": "" for a grant created without a name (the AWS documentation's own example).
      name: 'list-grants output with an unnamed grant',
      kind: 'grant',
      text: JSON.stringify({
        Grants: [
          { KeyId: KEY, GrantId: '0c2378a8', Name: '', CreationDate: '2022-02-02T16:15:42-08:00', GranteePrincipal: WORKER, IssuingAccount: 'arn:aws:iam::111122223333:root', Operations: ['Decrypt', 'Encrypt'], Constraints: { EncryptionContextSubset: { app: 'x' } } },
        ],
        Truncated: false,
      }),
      codes: ['KMS_GRANT_MISSING_FIELD', 'KMS_GRANT_INVALID_FIELD', 'KMS_GRANT_CONSTRAINT_UNSUPPORTED'],
    },
  ]);
});
