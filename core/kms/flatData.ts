/**
 * Flat copies of small request-shaped data, to tell cheaply whether a later value holds the same data: a run of
 * calls mostly repeats one request, and what was worked out for the last one (an authorization, the audit log's
 * copy of the request) can be handed out again when nothing differs. A copy, not a reference: a caller may change
 * its objects in place between two calls.
 *
 * The copy lists an object's own enumerable members in order: each name, then its value when that is a string,
 * number, boolean or null; LIST, the length and the items for a list of those; MAP, the number of members and the
 * names and values for a plain object of those. Byte arrays make no copy, unless the caller asks for them to count
 * by their presence only (BYTES): the audit log's copy leaves bytes out whatever they hold. Members that are
 * undefined are left out, as JSON and the audit log's copy leave them out. Anything else (dates, deeper nesting,
 * class instances) makes no copy: the caller works its answer out afresh.
 */

/** Marks in a flat copy: no value of a request is one of these objects, so a mark never reads as a value. */
const LIST = Object.freeze({});
const MAP = Object.freeze({});
const BYTES = Object.freeze({});

export type FlatData = readonly unknown[];

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * The flat copy of `value`'s members, or undefined when one of them takes more than that to compare. With
 * `bytesByPresence`, a byte array member is copied as the mere fact that it is there.
 */
export function flatData(value: object, bytesByPresence = false): FlatData | undefined {
  const flat: unknown[] = [];
  for (const name in value) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined) continue;
    flat.push(name);
    if (isPrimitive(item)) {
      flat.push(item);
    } else if (Array.isArray(item)) {
      if (!item.every(isPrimitive)) return undefined;
      flat.push(LIST, item.length, ...(item as unknown[]));
    } else if (item instanceof Uint8Array) {
      if (!bytesByPresence) return undefined;
      flat.push(BYTES);
    } else if (typeof item === 'object' && item !== null && isPlainObject(item)) {
      const start = flat.length;
      flat.push(MAP, 0);
      let count = 0;
      for (const key in item) {
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        const member = (item as Record<string, unknown>)[key];
        if (member === undefined) continue;
        if (!isPrimitive(member)) return undefined;
        flat.push(key, member);
        count++;
      }
      flat[start + 1] = count;
    } else {
      return undefined;
    }
  }
  return flat;
}

/** Whether `value` holds, member for member and in the same order, what `flat` copied. */
export function sameData(flat: FlatData, value: object): boolean {
  let i = 0;
  for (const name in value) {
    if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
    const item = (value as Record<string, unknown>)[name];
    if (item === undefined) continue;
    if (flat[i++] !== name) return false;
    if (isPrimitive(item)) {
      if (flat[i++] !== item) return false;
    } else if (Array.isArray(item)) {
      if (flat[i++] !== LIST || flat[i++] !== item.length) return false;
      for (const x of item as unknown[]) if (flat[i++] !== x) return false;
    } else if (item instanceof Uint8Array) {
      if (flat[i++] !== BYTES) return false;
    } else if (typeof item === 'object' && flat[i] === MAP) {
      i++;
      const count = flat[i++] as number;
      let seen = 0;
      for (const key in item) {
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        const member = (item as Record<string, unknown>)[key];
        if (member === undefined) continue;
        if (++seen > count || flat[i++] !== key || flat[i++] !== member) return false;
      }
      if (seen !== count || !isPlainObject(item as object)) return false;
    } else {
      return false;
    }
  }
  return i === flat.length;
}

/**
 * A plain object holding what `flat` copied: the same members in the same order, lists and maps rebuilt, a byte
 * array counted by its presence as an empty one. Data read once, with no getter or proxy left to answer
 * differently on a second read.
 */
export function fromFlat(flat: FlatData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  while (i < flat.length) {
    const name = flat[i++] as string;
    const mark = flat[i++];
    let value: unknown;
    if (mark === LIST) {
      const length = flat[i++] as number;
      value = flat.slice(i, i + length);
      i += length;
    } else if (mark === MAP) {
      const count = flat[i++] as number;
      const map: Record<string, unknown> = {};
      for (let j = 0; j < count; j++, i += 2) define(map, flat[i] as string, flat[i + 1]);
      value = map;
    } else if (mark === BYTES) {
      value = new Uint8Array(0);
    } else {
      value = mark;
    }
    define(out, name, value);
  }
  return out;
}

/** An own data member, `__proto__` included (plain assignment would set the prototype instead). */
function define(target: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** Whether two flat copies are of the same data: a copy is read back one way only, so equal copies mean equal data. */
export function sameFlat(a: FlatData, b: FlatData): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
