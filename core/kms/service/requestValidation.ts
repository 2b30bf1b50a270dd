/**
 * The first step of every call: the request checked against the API model (codec.validateRequest: member types
 * with SerializationException, then the model's constraints with AWS's ValidationException), then against the
 * rules of each operation that the model cannot express.
 */
import { KmsError, validationError } from '../errors';
import { operationModel } from '../model/apiModel';
import { memberPath, validateRequest } from '../model/codec';
import { memberValidation, tagError, validation } from './serviceErrors';
import type { Tag } from './keyRecord';

/** AWS KMS quota: at most 50 tags on a key. */
export const MAX_TAGS = 50;

function checkTags(tags: readonly Tag[] | undefined): void {
  if (!tags) return;
  const keys = new Set<string>();
  for (const tag of tags) {
    // AWS reserves the aws: prefix for tags it sets itself (AWS KMS Developer Guide, tagging keys).
    if (tag.TagKey.toLowerCase().startsWith('aws:')) throw tagError('Tags beginning with aws: are reserved');
    if (keys.has(tag.TagKey)) throw tagError('Duplicate tag keys');
    keys.add(tag.TagKey);
  }
  if (keys.size > MAX_TAGS) throw tagError(`Too many tags: a key has at most ${MAX_TAGS}`);
}

function requireMember(request: Record<string, unknown>, member: string): void {
  if (request[member] === undefined || request[member] === null) {
    throw validationError([`Value null at '${memberPath('', member)}' failed to satisfy constraint: Member must not be null`]);
  }
}

function checkLimit(request: Record<string, unknown>, max: number): void {
  const limit = request['Limit'];
  if (typeof limit === 'number' && limit > max) throw memberValidation(limit, 'limit', `have value less than or equal to ${max}`);
}

function checkAliasName(request: Record<string, unknown>): void {
  const name = request['AliasName'];
  if (typeof name === 'string' && !name.startsWith('alias/')) {
    throw validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  }
}

/** The rules of each operation that the API model cannot express. */
const RULES: Readonly<Record<string, (request: Record<string, unknown>) => void>> = {
  CreateKey: (r) => {
    if (r['KeySpec'] !== undefined && r['CustomerMasterKeySpec'] !== undefined) {
      throw validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
    }
    checkTags(r['Tags'] as Tag[] | undefined);
  },
  TagResource: (r) => checkTags(r['Tags'] as Tag[]),
  Decrypt: (r) => requireMember(r, 'CiphertextBlob'),
  ReEncrypt: (r) => requireMember(r, 'CiphertextBlob'),
  GenerateDataKey: exactlyOneDataKeyLength,
  GenerateDataKeyWithoutPlaintext: exactlyOneDataKeyLength,
  GenerateRandom: (r) => {
    if (r['NumberOfBytes'] === undefined) throw validation('NumberOfBytes is required.');
  },
  ScheduleKeyDeletion: (r) => {
    // The model allows 1..365 (other values are kept for future use); ScheduleKeyDeletion takes 7..30.
    const days = r['PendingWindowInDays'];
    if (typeof days === 'number' && days < 7) throw memberValidation(days, 'pendingWindowInDays', 'have value greater than or equal to 7');
    if (typeof days === 'number' && days > 30) throw memberValidation(days, 'pendingWindowInDays', 'have value less than or equal to 30');
  },
  CreateAlias: checkAliasName,
  UpdateAlias: checkAliasName,
  DeleteAlias: checkAliasName,
  // ListAliases pages by at most 100, ListResourceTags by 50 (AWS KMS API Reference, Limit of each).
  ListAliases: (r) => checkLimit(r, 100),
  ListResourceTags: (r) => checkLimit(r, 50),
  // ListGrants and ListRetirableGrants page by at most 100 (API Reference, Limit).
  ListGrants: (r) => checkLimit(r, 100),
  ListRetirableGrants: (r) => checkLimit(r, 100),
  ReplicateKey: (r) => checkTags(r['Tags'] as Tag[] | undefined),
};

/** GenerateDataKey takes exactly one of KeySpec (AES_128, AES_256) or NumberOfBytes (1..1024). */
function exactlyOneDataKeyLength(r: Record<string, unknown>): void {
  if ((r['KeySpec'] === undefined) === (r['NumberOfBytes'] === undefined)) throw validation('Please specify either number of bytes or key spec.');
}

/** Checks a request of `operation` as AWS would before looking at any key. */
export function checkRequest(operation: string, request: unknown): Record<string, unknown> {
  const op = operationModel(operation);
  if (request === undefined || request === null) request = {};
  if (typeof request !== 'object' || Array.isArray(request)) throw new KmsError('SerializationException', "Expected an object at 'request'");
  const r = request as Record<string, unknown>;
  if (op) validateRequest(operation, r);
  RULES[operation]?.(r);
  return r;
}
