/**
 * Key policies the client's tests (extension host and browser) put on keys: one the KMS accepts with a mistake the
 * linter flags and fixes, a wildcard under StringEquals.
 */
export const POLICY_WITH_WILDCARD_CONDITION = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Let the app role encrypt',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:role/App' },
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'pay*' } },
      },
    ],
  },
  null,
  2,
);
