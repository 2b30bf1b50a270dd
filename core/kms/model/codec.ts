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
      // A Buffer that has its memory to itself (4 KB and more are never cut from node:buffer's shared pool) is
      // handed on as a Uint8Array of that memory rather than copied; a pooled one is copied, so no request value
      // ever shares memory with anything else.
      if (decoded.toString('base64') === value) {
        return decoded.byteOffset === 0 && decoded.byteLength === decoded.buffer.byteLength ? new Uint8Array(decoded.buffer, 0, decoded.byteLength) : new Uint8Array(decoded);
      }
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

/**
 * Where a value sits in a request, for messages only: its parent's place and its own member name (lowerCamelCase),
 * list index or map key. Written out as a path (`grantTokens.2.member`) only when a message needs it, so a request
 * that passes costs no string building.
 */
interface Place {
  readonly parent: Place | undefined;
  readonly seg: string | number;
}

const ROOT: Place | undefined = undefined;

function pathOf(parent: Place | undefined, seg: string | number): string {
  const base = parent ? pathOf(parent.parent, parent.seg) : '';
  if (typeof seg === 'number') return `${base}.${seg + 1}.member`;
  return base ? `${base}.${seg}` : seg;
}

/**
 * A constraint a value failed, kept as it was found and worded only once the whole request is known to have its
 * types right: wording reads the value (a list's items, say), which is only safe for a value of the right type.
 */
interface Problem {
  readonly value: unknown;
  readonly parent: Place | undefined;
  readonly seg: string | number;
  /** `must ...` for a constraint; undefined for a required member that is missing. */
  readonly constraint?: string;
}

function wording(problem: Problem): string {
  const path = pathOf(problem.parent, problem.seg);
  return problem.constraint === undefined
    ? `Value null at '${path}' failed to satisfy constraint: Member must not be null`
    : `Value ${show(problem.value)} at '${path}' failed to satisfy constraint: Member must ${problem.constraint}`;
}

/** Checks one value of a request where it sits; see buildChecker. */
type Checker = (value: unknown, parent: Place | undefined, seg: string | number, problems: Problem[]) => void;

function expected(what: string, parent: Place | undefined, seg: string | number): never {
  throw serializationError(`Expected ${what} at '${pathOf(parent, seg) || 'request'}'`);
}

/** Checkers by shape name, built once: a request's walk then reads no model and makes no closure. */
const checkers = new Map<string, Checker>();

function checkerOf(name: string): Checker {
  let checker = checkers.get(name);
  if (!checker) {
    // Entered before it is built, so a shape that contains itself refers to the finished checker.
    let built: Checker | undefined;
    checkers.set(name, (v, parent, seg, problems) => built!(v, parent, seg, problems));
    built = buildChecker(shape(name));
    checkers.set(name, built);
    checker = built;
  }
  return checker;
}

function checkSize(size: number, s: Shape, value: unknown, parent: Place | undefined, seg: string | number, problems: Problem[]): void {
  if (s.min !== undefined && size < s.min) problems.push({ value, parent, seg, constraint: `have length greater than or equal to ${s.min}` });
  if (s.max !== undefined && size > s.max) problems.push({ value, parent, seg, constraint: `have length less than or equal to ${s.max}` });
}

/**
 * One shape's check, in one walk that reads each member once, in the model's order: a value of the wrong type is
 * refused at once with SerializationException (a wrong type anywhere wins over any constraint), while the
 * constraints it fails (lengths, ranges, enums, patterns, required members) are kept, in the order AWS lists them
 * (a structure's missing required members first, then its members' problems), for one ValidationException.
 */
function buildChecker(s: Shape): Checker {
  switch (s.type) {
    case 'structure': {
      const required = new Set(s.required ?? []);
      const members = membersOf(s).map(([name, ref]) => ({ name, logged: memberPath('', name), required: required.has(name), check: checkerOf(ref.shape) }));
      const requiredOnly = [...required].filter((name) => !members.some((m) => m.name === name)).map((name) => ({ name, logged: memberPath('', name) }));
      const requiredOrder = [...required];
      return (value, parent, seg, problems) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) expected('an object', parent, seg);
        const fields = value as Record<string, unknown>;
        const place: Place | undefined = parent === ROOT && seg === '' ? ROOT : { parent, seg };
        const start = problems.length;
        let missing: Set<string> | undefined;
        for (const m of members) {
          const v = fields[m.name];
          if (v !== undefined && v !== null) m.check(v, place, m.logged, problems);
          else if (m.required) (missing ??= new Set()).add(m.name);
        }
        for (const r of requiredOnly) if (fields[r.name] === undefined || fields[r.name] === null) (missing ??= new Set()).add(r.name);
        if (missing) {
          const nulls = requiredOrder.filter((name) => missing!.has(name)).map((name): Problem => ({ value: null, parent: place, seg: memberPath('', name) }));
          problems.splice(start, 0, ...nulls);
        }
      };
    }
    case 'list': {
      const item = checkerOf(s.member!.shape);
      return (value, parent, seg, problems) => {
        if (!Array.isArray(value)) expected('a list', parent, seg);
        const items = value as unknown[];
        checkSize(items.length, s, value, parent, seg, problems);
        if (items.length === 0) return;
        const place: Place = { parent, seg };
        // forEach, as before: it visits the items a list has (holes and what a Proxy hides are not visited).
        items.forEach((v, i) => {
          if (v !== undefined && v !== null) item(v, place, i, problems);
        });
      };
    }
    case 'map': {
      const key = checkerOf(s.key!.shape);
      const entry = checkerOf(s.value!.shape);
      return (value, parent, seg, problems) => {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) expected('a map', parent, seg);
        const entries = Object.entries(value as object);
        checkSize(entries.length, s, value, parent, seg, problems);
        if (entries.length === 0) return;
        const place: Place = { parent, seg };
        for (const [k, v] of entries) {
          key(k, place, 'key', problems);
          if (v !== undefined && v !== null) entry(v, place, k, problems);
        }
      };
    }
    case 'string': {
      const allowed = s.enum ? new Set(s.enum) : undefined;
      const pattern = s.pattern !== undefined ? patternOf(s.pattern) : undefined;
      return (value, parent, seg, problems) => {
        if (typeof value !== 'string') expected('a string', parent, seg);
        const text = value as string;
        checkSize(text.length, s, value, parent, seg, problems);
        if (allowed && !allowed.has(text)) problems.push({ value, parent, seg, constraint: `satisfy enum value set: [${s.enum!.join(', ')}]` });
        if (pattern && !pattern.test(text)) problems.push({ value, parent, seg, constraint: `satisfy regular expression pattern: ${s.pattern}` });
      };
    }
    case 'integer':
      return (value, parent, seg, problems) => {
        if (typeof value !== 'number' || !Number.isInteger(value)) expected('an integer', parent, seg);
        if (s.min !== undefined && (value as number) < s.min) problems.push({ value, parent, seg, constraint: `have value greater than or equal to ${s.min}` });
        if (s.max !== undefined && (value as number) > s.max) problems.push({ value, parent, seg, constraint: `have value less than or equal to ${s.max}` });
      };
    case 'boolean':
      return (value, parent, seg) => {
        if (typeof value !== 'boolean') expected('a boolean', parent, seg);
      };
    case 'blob':
      return (value, parent, seg, problems) => {
        if (!(value instanceof Uint8Array)) expected('bytes (a Uint8Array)', parent, seg);
        checkSize((value as Uint8Array).length, s, value, parent, seg, problems);
      };
    case 'timestamp':
      return (value, parent, seg) => {
        if (!(value instanceof Date) || Number.isNaN(value.getTime())) expected('a Date', parent, seg);
      };
  }
}

/**
 * Checks an in-process request against the model in one walk: member types (SerializationException at the first
 * value of the wrong type, as the wire codec refuses it), then the model's constraints (required members,
 * lengths, ranges, enums, patterns), throwing AWS's ValidationException listing every violation, as the service
 * does.
 */
export function validateRequest(operation: string, request: Record<string, unknown>): void {
  const op = operationModel(operation);
  if (!op?.input) return;
  const problems: Problem[] = [];
  checkerOf(op.input)(request, ROOT, '', problems);
  if (problems.length > 0) throw validationError(problems.map(wording));
}
