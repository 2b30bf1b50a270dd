import { KmsError, validationError } from '../errors';
import { operationModel, shape, type MemberRef, type Shape } from './apiModel';

/**
 * Conversion between AWS's JSON 1.1 wire form of KMS requests and responses (blobs as base64, timestamps as
 * epoch seconds) and the in-process form (Uint8Array, Date), plus the model's constraints. The wire endpoint,
 * the `kms-studio kms` command and the in-process API all go through here, so a request is refused the same
 * way whichever door it came in by.
 */

function serializationError(message: string): KmsError {
  return new KmsError('SerializationException', message);
}

const memberNames = new Map<string, string>();

/** AWS names members in validation messages by their lowerCamelCase name: `keyId`, `encryptionContext`. */
export function memberPath(parent: string, member: string): string {
  // The model's member names are few: each is lowered once, not on every request that has it.
  let name = memberNames.get(member);
  if (name === undefined) {
    name = member.charAt(0).toLowerCase() + member.slice(1);
    if (memberNames.size < 1024) memberNames.set(member, name);
  }
  return parent ? `${parent}.${name}` : name;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeValue(ref: MemberRef, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const s = shape(ref.shape);
  switch (s.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(`Expected an object at '${path || 'request'}'`);
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(s.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        const decoded = decodeValue(member, v, memberPath(path, name));
        if (decoded !== undefined) out[name] = decoded;
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw serializationError(`Expected a list at '${path}'`);
      return value.map((v, i) => decodeValue(s.member!, v, `${path}.${i + 1}.member`));
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw serializationError(`Expected a map at '${path}'`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = decodeValue(s.value!, v, `${path}.${k}`);
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw serializationError(`Expected a string at '${path}'`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw serializationError(`Expected an integer at '${path}'`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw serializationError(`Expected a boolean at '${path}'`);
      return value;
    case 'blob': {
      if (typeof value !== 'string') throw serializationError(`Expected base64 text at '${path}'`);
      // The SDKs send canonical base64, which decodes and encodes back to the same text: that check costs a third
      // of the regular expression's for 4 KB (the wire endpoint's hot path). Anything else takes the exact check.
      const decoded = Buffer.from(value, 'base64');
      if (decoded.toString('base64') === value) return new Uint8Array(decoded);
      const compact = value.replace(/\s+/g, '');
      if (!BASE64.test(compact) || compact.length % 4 === 1) throw serializationError(`Invalid base64 at '${path}'`);
      return new Uint8Array(Buffer.from(compact, 'base64'));
    }
    case 'timestamp': {
      if (typeof value === 'number') return new Date(value * 1000);
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
      throw serializationError(`Expected a timestamp at '${path}'`);
    }
  }
}

/** Decodes a wire request body (already parsed JSON) for `operation`. Throws SerializationException on a wrong type. */
export function decodeRequest(operation: string, body: unknown): Record<string, unknown> {
  const op = operationModel(operation);
  if (!op?.input) return {};
  if (body === null || body === undefined) return {};
  return decodeValue({ shape: op.input }, body, '') as Record<string, unknown>;
}

function encodeValue(ref: MemberRef, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  const s = shape(ref.shape);
  switch (s.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(s.members ?? {})) {
        const v = encodeValue(member, (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((v) => encodeValue(s.member!, v));
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, encodeValue(s.value!, v)]));
    case 'blob':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'timestamp':
      // AWS JSON 1.1 sends epoch seconds, with a fraction where there is one.
      return (value as Date).getTime() / 1000;
    default:
      return value;
  }
}

/** Encodes an in-process response for the wire: only the model's members, blobs base64, dates epoch seconds. */
export function encodeResponse(operation: string, response: unknown): Record<string, unknown> {
  const op = operationModel(operation);
  if (!op?.output || response === undefined || response === null) return {};
  return encodeValue({ shape: op.output }, response) as Record<string, unknown>;
}

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    // The model's patterns are Java regular expressions meant to match the whole value.
    const anchored = source.startsWith('^') ? source : `^(?:${source})$`;
    re = new RegExp(anchored, 'u');
    patterns.set(source, re);
  }
  return re;
}

function show(value: unknown): string {
  if (value instanceof Uint8Array) return "'java.nio.HeapByteBuffer'";
  if (typeof value === 'string') return `'${value.length > 64 ? `${value.slice(0, 64)}...` : value}'`;
  return `'${String(value)}'`;
}

function checkValue(ref: MemberRef, value: unknown, path: string, problems: string[]): void {
  if (value === undefined || value === null) return;
  const s: Shape = shape(ref.shape);
  const fail = (constraint: string) => reportProblem(problems, value, path, constraint);
  const size =
    s.type === 'string' ? (value as string).length
    : s.type === 'blob' ? (value as Uint8Array).length
    : s.type === 'list' ? (value as unknown[]).length
    : s.type === 'map' ? Object.keys(value as object).length
    : undefined;
  if (size !== undefined) {
    if (s.min !== undefined && size < s.min) fail(`have length greater than or equal to ${s.min}`);
    if (s.max !== undefined && size > s.max) fail(`have length less than or equal to ${s.max}`);
  }
  if (s.type === 'integer') {
    if (s.min !== undefined && (value as number) < s.min) fail(`have value greater than or equal to ${s.min}`);
    if (s.max !== undefined && (value as number) > s.max) fail(`have value less than or equal to ${s.max}`);
  }
  if (s.type === 'string') {
    if (s.enum && !s.enum.includes(value as string)) fail(`satisfy enum value set: [${s.enum.join(', ')}]`);
    if (s.pattern && !patternOf(s.pattern).test(value as string)) fail(`satisfy regular expression pattern: ${s.pattern}`);
  }
  if (s.type === 'structure') checkStructure(s, value as Record<string, unknown>, path, problems);
  if (s.type === 'list') (value as unknown[]).forEach((v, i) => checkValue(s.member!, v, `${path}.${i + 1}.member`, problems));
  if (s.type === 'map') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      checkValue(s.key!, k, `${path}.key`, problems);
      checkValue(s.value!, v, `${path}.${k}`, problems);
    }
  }
}

function reportProblem(problems: string[], value: unknown, path: string, constraint: string): void {
  problems.push(`Value ${show(value)} at '${path}' failed to satisfy constraint: Member must ${constraint}`);
}

/** A structure's members as [name, reference] pairs, listed once per shape rather than on every request. */
const memberLists = new WeakMap<Shape, ReadonlyArray<readonly [string, MemberRef]>>();

export function membersOf(s: Shape): ReadonlyArray<readonly [string, MemberRef]> {
  let members = memberLists.get(s);
  if (!members) {
    members = Object.entries(s.members ?? {});
    memberLists.set(s, members);
  }
  return members;
}

function checkStructure(s: Shape, value: Record<string, unknown>, path: string, problems: string[]): void {
  for (const name of s.required ?? []) {
    if (value[name] === undefined || value[name] === null) {
      problems.push(`Value null at '${memberPath(path, name)}' failed to satisfy constraint: Member must not be null`);
    }
  }
  for (const [name, member] of membersOf(s)) {
    const v = value[name];
    // An absent member has nothing to check: its path is only worked out for one that is there.
    if (v !== undefined && v !== null) checkValue(member, v, memberPath(path, name), problems);
  }
}

/**
 * Checks an in-process request against the model's constraints (required members, lengths, ranges, enums,
 * patterns) and throws AWS's ValidationException listing every violation, as the service does.
 */
export function validateRequest(operation: string, request: Record<string, unknown>): void {
  const op = operationModel(operation);
  if (!op?.input) return;
  const problems: string[] = [];
  checkStructure(shape(op.input), request, '', problems);
  if (problems.length > 0) throw validationError(problems);
}
