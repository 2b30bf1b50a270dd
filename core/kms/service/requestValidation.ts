/**
 * The first step of every call: the request checked against the API model (member types, then the model's
 * constraints, with codec.validateRequest's AWS-worded ValidationException), then against the rules of each
 * operation that the model cannot express.
 */
import { KmsError, validationError } from '../errors';
import { operationModel, shape, type MemberRef } from '../model/apiModel';
import { memberPath, membersOf, validateRequest } from '../model/codec';
import { memberValidation, tagError, validation } from './serviceErrors';
import type { Tag } from './keyRecord';

/** AWS KMS quota: at most 50 tags on a key. */
export const MAX_TAGS = 50;

function serializationError(message: string): KmsError {
  return new KmsError('SerializationException', message);
}

function expected(what: string, path: string): never {
  throw serializationError(`Expected ${what} at '${path || 'request'}'`);
}

/**
 * In-process callers hand over JavaScript values rather than JSON, so a wrong type (a string for Plaintext, a
 * number for KeyId) is refused here as the wire codec refuses it, with SerializationException.
 */
function checkType(ref: MemberRef, value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  const s = shape(ref.shape);
  const fail = (what: string): never => expected(what, path);
  switch (s.type) {
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) fail('an object');
      for (const [name, member] of membersOf(s)) {
        const v = (value as Record<string, unknown>)[name];
        // An absent member has nothing to check: its path is only worked out for one that is there.
        if (v !== undefined && v !== null) checkType(member, v, memberPath(path, name));
      }
      return;
    case 'list':
      if (!Array.isArray(value)) fail('a list');
      (value as unknown[]).forEach((v, i) => checkType(s.member!, v, `${path}.${i + 1}.member`));
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) fail('a map');
      for (const [k, v] of Object.entries(value as object)) checkType(s.value!, v, `${path}.${k}`);
      return;
    case 'string':
      if (typeof value !== 'string') fail('a string');
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'blob':
      if (!(value instanceof Uint8Array)) fail('bytes (a Uint8Array)');
      return;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail('a Date');
      return;
  }
}

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
  if (typeof request !== 'object' || Array.isArray(request)) throw serializationError('Expected an object at \'request\'');
  const r = request as Record<string, unknown>;
  if (op?.input) {
    checkType({ shape: op.input }, r, '');
    validateRequest(operation, r);
  }
  RULES[operation]?.(r);
  return r;
}
