/**
 * Flat copies of small request-shaped data, to tell cheaply whether a later value holds the same data: a run of
 * calls mostly repeats one request, and what was worked out for the last one (an authorization, the audit log's
 * copy of the request) can be handed out again when nothing differs. A copy, not a reference: a caller may change
 * its objects in place between two calls.
 *
 * The copy lists an object's own enumerable members in order: each name, then its value when that is a string,
 * number, boolean or null; LIST, the length and the items for a list of those; MAP, the number of members and the
 * names and values for a plain object of those; BYTES for a byte array (its presence only: for the audit log's
 * copy, which leaves bytes out, that is all that counts). Members that are undefined are left out, as JSON and the
 * audit log's copy leave them out. Anything else (dates, deeper nesting, class instances) makes no copy: the
 * caller works the answer out afresh.
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

/** The flat copy of `value`'s members, or undefined when one of them takes more than that to compare. */
export function flatData(value: object): FlatData | undefined {
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

/** flatData of an optional value; null when it makes no copy. */
export function flatOptional(value: object | undefined): FlatData | undefined | null {
  return value === undefined ? undefined : (flatData(value) ?? null);
}

/** sameData of an optional value against flatOptional's copy. */
export function sameOptional(flat: FlatData | undefined, value: object | undefined): boolean {
  if (flat === undefined || value === undefined) return flat === value;
  return sameData(flat, value);
}
