import { findAction, type KmsAction } from '../catalog/actions';
import { ACCOUNT_ID, aliasNameOf, parseArn, resolveCaller, type CallerIdentity } from './arn';
import type { AuthorizationInputs, AuthorizationRequest, Grant } from './request';
import { policyModelProblem } from './validatePolicyModel';

/** Raised for a request or input the evaluator cannot evaluate; named after the AWS exception. */
export class ValidationException extends Error {
  override readonly name = 'ValidationException';
}

/** A request checked at the boundary, with what the analyses need already resolved. */
export interface ValidatedRequest {
  request: AuthorizationRequest;
  action: KmsAction;
  caller: CallerIdentity;
  key: { arn: string; account: string; keyId: string };
  /** The caller's account differs from the key's. Service principals have no account and are never cross-account. */
  crossAccount: boolean;
  /** The alias name (`alias/example`) when the caller named the key by an alias ARN. */
  requestAlias?: string;
  /** The alias ARN, when the caller named one. */
  aliasArn?: string;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

type FieldTypes = readonly (readonly [name: string, type: 'string' | 'boolean'])[];

/** Each named field of `record` is absent or has the JSON type given. */
function checkOptional(where: string, record: Record<string, unknown>, types: FieldTypes): void {
  for (const [name, type] of types) {
    const value = record[name];
    if (value !== undefined && typeof value !== type) throw new ValidationException(`${where}.${name} must be a ${type}`);
  }
}

const PRINCIPAL_FIELDS: FieldTypes = [['roleArn', 'string'], ['userId', 'string']];
const KEY_FIELDS: FieldTypes = [['keySpec', 'string'], ['keyUsage', 'string'], ['origin', 'string'], ['multiRegion', 'boolean'], ['multiRegionKeyType', 'string']];
const CREATE_GRANT_FIELDS: FieldTypes = [['RetiringPrincipal', 'string']];
const REQUEST_FIELDS: FieldTypes = [['resourceArn', 'string'], ['grantId', 'string']];

function checkConstraints(where: string, constraints: unknown): void {
  if (constraints === undefined) return;
  if (!isObject(constraints)) throw new ValidationException(`${where}.Constraints must be an object`);
  for (const [name, value] of Object.entries(constraints)) {
    if (name !== 'EncryptionContextEquals' && name !== 'EncryptionContextSubset') {
      throw new ValidationException(`${where}.Constraints.${name} is not a grant constraint`);
    }
    if (value !== undefined && !isStringRecord(value)) throw new ValidationException(`${where}.Constraints.${name} must map strings to strings`);
  }
}

function checkGrant(grant: Grant, i: number): void {
  const where = `grants[${i}]`;
  if (!isObject(grant)) throw new ValidationException(`${where} must be an object`);
  for (const field of ['GrantId', 'KeyId', 'GranteePrincipal'] as const) {
    if (typeof grant[field] !== 'string' || !grant[field]) throw new ValidationException(`${where}.${field} must be a non-empty string`);
  }
  if (!isStringArray(grant.Operations)) throw new ValidationException(`${where}.Operations must be a list of operation names`);
  if (grant.RetiringPrincipal !== undefined && typeof grant.RetiringPrincipal !== 'string') {
    throw new ValidationException(`${where}.RetiringPrincipal must be a string`);
  }
  checkConstraints(where, grant.Constraints);
}

/**
 * Checks the request and inputs once, so the analyses can assume well-formed data and nothing but a
 * ValidationException ever leaves `evaluate`. A policy is checked only for the shape of its model (see
 * validatePolicyModel): what its text could not say simply never matches.
 */
export function validateRequest(request: AuthorizationRequest, inputs: AuthorizationInputs): ValidatedRequest {
  if (!request || typeof request !== 'object') throw new ValidationException('The request must be an object');
  const action = typeof request.action === 'string' ? findAction(request.action) : undefined;
  if (!action) {
    // Never String() a value of unknown type: an object without a prototype cannot be converted.
    const what = typeof request.action === 'string' ? `"${request.action}"` : `A ${typeof request.action}`;
    throw new ValidationException(`${what} is not an AWS KMS action`);
  }

  if (!isObject(request.principal) || typeof request.principal.arn !== 'string') throw new ValidationException('principal.arn is required');
  checkOptional('principal', request.principal, PRINCIPAL_FIELDS);
  const caller = resolveCaller(request.principal.arn, request.principal.roleArn);
  if (typeof caller === 'string') throw new ValidationException(caller);
  if (request.principal.tags !== undefined && !isStringRecord(request.principal.tags)) {
    throw new ValidationException('principal.tags must map strings to strings');
  }

  if (!isObject(request.key) || typeof request.key.arn !== 'string') throw new ValidationException('key.arn is required');
  checkOptional('key', request.key, KEY_FIELDS);
  const keyArn = parseArn(request.key.arn);
  // keyIdOf, without parsing the ARN a second time.
  const keyId = keyArn?.service === 'kms' && keyArn.resource.startsWith('key/') ? keyArn.resource.slice(4) : undefined;
  if (!keyArn || !keyId || !ACCOUNT_ID.test(keyArn.account)) {
    throw new ValidationException(`key.arn "${request.key.arn}" is not a key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)`);
  }
  if (request.key.tags !== undefined && !isStringRecord(request.key.tags)) throw new ValidationException('key.tags must map strings to strings');
  if (request.key.aliases !== undefined && !isStringArray(request.key.aliases)) throw new ValidationException('key.aliases must be a list of alias names');
  if (request.encryptionContext !== undefined && !isStringRecord(request.encryptionContext)) {
    throw new ValidationException('encryptionContext must map strings to strings');
  }
  if (request.createGrant !== undefined) {
    const g = request.createGrant;
    if (!isObject(g) || typeof g.GranteePrincipal !== 'string' || !isStringArray(g.Operations)) {
      throw new ValidationException('createGrant needs GranteePrincipal and Operations');
    }
    checkOptional('createGrant', g, CREATE_GRANT_FIELDS);
    checkConstraints('createGrant', g.Constraints);
  }
  checkOptional('request', request as unknown as Record<string, unknown>, REQUEST_FIELDS);
  if (request.grantTokens !== undefined && !isStringArray(request.grantTokens)) throw new ValidationException('grantTokens must be a list of strings');
  if (request.context !== undefined && !isObject(request.context)) throw new ValidationException('context must map condition keys to values');
  for (const [name, value] of Object.entries(request.context ?? {})) {
    const type = typeof value;
    const ok = type === 'string' || type === 'number' || type === 'boolean' || isStringArray(value);
    if (!ok) throw new ValidationException(`context["${name}"] must be a string, number, boolean or list of strings`);
  }

  if (!inputs || !inputs.keyPolicy) throw new ValidationException('A key policy is required: every KMS key has one');
  if (!Array.isArray(inputs.identityPolicies) || !Array.isArray(inputs.grants)) {
    throw new ValidationException('identityPolicies and grants must be lists');
  }
  const keyPolicyProblem = policyModelProblem(inputs.keyPolicy, 'keyPolicy');
  if (keyPolicyProblem) throw new ValidationException(keyPolicyProblem);
  inputs.identityPolicies.forEach((p, i) => {
    if (!p || typeof p.name !== 'string' || !p.policy) throw new ValidationException(`identityPolicies[${i}] needs a name and a policy`);
    const problem = policyModelProblem(p.policy, `identityPolicies[${i}].policy`);
    if (problem) throw new ValidationException(problem);
  });
  inputs.grants.forEach(checkGrant);

  const requestAlias = request.resourceArn !== undefined ? aliasNameOf(request.resourceArn) : undefined;
  return {
    request,
    action,
    caller,
    key: { arn: request.key.arn, account: keyArn.account, keyId },
    crossAccount: caller.account !== undefined && caller.account !== keyArn.account,
    ...(requestAlias ? { requestAlias, aliasArn: request.resourceArn } : {}),
  };
}
