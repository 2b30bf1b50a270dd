/**
 * AWS managed keys: the keys AWS services create in a customer's account under `alias/aws/<service>` the
 * first time they are needed (AWS KMS Developer Guide, "AWS managed keys"). Their key policy lets every
 * principal of the account use the key through that service only (kms:ViaService and kms:CallerAccount
 * conditions) and gives the account read-only access to the key's metadata, so nobody can change, disable or
 * delete them; they rotate every year.
 */
import { awsPolicyText } from './keyPolicyDocument';

export const AWS_MANAGED_ALIAS_PREFIX = 'alias/aws/';

/**
 * The services whose AWS managed keys this KMS knows, and the service endpoint that calls KMS for each
 * (kms:ViaService is `<endpoint>.<region>.amazonaws.com`). EBS volumes are encrypted by EC2.
 */
const SERVICES: Readonly<Record<string, { endpoint: string; name: string }>> = {
  acm: { endpoint: 'acm', name: 'ACM' },
  backup: { endpoint: 'backup', name: 'Backup' },
  codecommit: { endpoint: 'codecommit', name: 'CodeCommit' },
  dynamodb: { endpoint: 'dynamodb', name: 'DynamoDB' },
  ebs: { endpoint: 'ec2', name: 'EBS' },
  elasticfilesystem: { endpoint: 'elasticfilesystem', name: 'EFS' },
  es: { endpoint: 'es', name: 'Elasticsearch' },
  fsx: { endpoint: 'fsx', name: 'FSx' },
  glue: { endpoint: 'glue', name: 'Glue' },
  kinesis: { endpoint: 'kinesis', name: 'Kinesis' },
  kinesisvideo: { endpoint: 'kinesisvideo', name: 'Kinesis Video Streams' },
  lambda: { endpoint: 'lambda', name: 'Lambda' },
  rds: { endpoint: 'rds', name: 'RDS' },
  redshift: { endpoint: 'redshift', name: 'Redshift' },
  s3: { endpoint: 's3', name: 'S3' },
  secretsmanager: { endpoint: 'secretsmanager', name: 'Secrets Manager' },
  sns: { endpoint: 'sns', name: 'SNS' },
  sqs: { endpoint: 'sqs', name: 'SQS' },
  ssm: { endpoint: 'ssm', name: 'Systems Manager' },
  xray: { endpoint: 'xray', name: 'X-Ray' },
};

/** The alias names of the AWS managed keys this KMS knows: `alias/aws/s3`, … */
export function awsManagedAliasNames(): string[] {
  return Object.keys(SERVICES).map((s) => `${AWS_MANAGED_ALIAS_PREFIX}${s}`);
}

/** The service of an AWS managed alias name this KMS knows, or undefined. */
export function awsManagedServiceOf(aliasName: string): string | undefined {
  if (!aliasName.startsWith(AWS_MANAGED_ALIAS_PREFIX)) return undefined;
  const service = aliasName.slice(AWS_MANAGED_ALIAS_PREFIX.length);
  return Object.prototype.hasOwnProperty.call(SERVICES, service) ? service : undefined;
}

export function viaServiceOf(service: string, region: string): string {
  return `${SERVICES[service]!.endpoint}.${region}.amazonaws.com`;
}

export function awsManagedKeyDescription(service: string): string {
  return `Default key that protects my ${SERVICES[service]!.name} data when no other key is defined`;
}

/** The AWS managed key policy, as AWS writes it for each such key (AWS KMS Developer Guide, "AWS managed keys"). */
export function awsManagedKeyPolicy(service: string, account: string, region: string, partition = 'aws'): string {
  return awsPolicyText({
    Version: '2012-10-17',
    Id: `auto-${service}-1`,
    Statement: [
      {
        Sid: `Allow access through ${SERVICES[service]!.name} for all principals in the account that are authorized to use ${SERVICES[service]!.name}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': viaServiceOf(service, region) } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
        Resource: '*',
      },
    ],
  });
}
