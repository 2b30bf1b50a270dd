/**
 * Freezes a value and everything reachable from it that is not frozen yet. For values shared between callers that
 * must not see each other's changes: cached key records, audit events kept in memory, parts of events shared
 * between calls. A frozen object is taken to be frozen through (it was frozen here), so shared parts are walked
 * once, not once per event that holds them.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    // for-in rather than Object.values: no array per object, and a frozen object's members are all its own.
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
