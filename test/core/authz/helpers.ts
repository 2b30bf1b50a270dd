import { evaluate } from '../../../core/authz/evaluate';
import type { AuthorizationResult } from '../../../core/authz/explanation';
import type { AuthorizationRequest, Grant, NamedPolicy } from '../../../core/authz/request';
import type { Policy } from '../../../core/policy/model';
import { parsePolicy } from '../../../core/policy/policyModel';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${KEY_ID}`;
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
export const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;
export const OTHER_ROOT = `arn:aws:iam::${OTHER_ACCOUNT}:root`;
export const OTHER_USER = `arn:aws:iam::${OTHER_ACCOUNT}:user/ExampleUser`;

/** A policy model from a plain object, through the real parser so offsets are real. */
export function policy(document: unknown): Policy {
  return parsePolicy(JSON.stringify(document, null, 2)).policy;
}

/** A key policy of the given statements. */
export function keyPolicy(...statements: unknown[]): Policy {
  return policy({ Version: '2012-10-17', Statement: statements });
}

export function iam(name: string, ...statements: unknown[]): NamedPolicy {
  return { name, policy: policy({ Version: '2012-10-17', Statement: statements }) };
}

/** The key policy AWS gives a key created through the API (AWS KMS Developer Guide, default key policy). */
export const DEFAULT_KEY_POLICY_DOCUMENT = {
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: ROOT },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};

export const allowAll = (account = ACCOUNT) => ({
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${account}:root` },
  Action: 'kms:*',
  Resource: '*',
});

export interface Scenario {
  keyPolicy: Policy;
  identityPolicies?: NamedPolicy[];
  grants?: Grant[];
}

/** A request in shorthand: the principal may be its ARN alone; action defaults to kms:Decrypt, key to KEY_ARN. */
export type RequestShorthand = Omit<Partial<AuthorizationRequest>, 'principal'> & { principal?: AuthorizationRequest['principal'] | string };

export function run(request: RequestShorthand, scenario: Scenario): AuthorizationResult {
  const principal = typeof request.principal === 'string' ? { arn: request.principal } : (request.principal ?? { arn: ALICE });
  return evaluate(
    { action: 'kms:Decrypt', key: { arn: KEY_ARN }, ...request, principal } as AuthorizationRequest,
    { keyPolicy: scenario.keyPolicy, identityPolicies: scenario.identityPolicies ?? [], grants: scenario.grants ?? [] },
  );
}

export function decision(request: RequestShorthand, scenario: Scenario): string {
  return run(request, scenario).decision;
}
