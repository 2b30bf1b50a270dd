/**
 * A field of a result object that is costly to build and often never read (an explanation, when only the decision
 * is wanted; an explanation's per-statement trace). It is an enumerable getter, in its place in the key order, that
 * builds the value on the first read and then turns itself into a plain data property holding it: JSON.stringify,
 * spreading, Object.keys, structuredClone and deep equality all read through the getter, so they see exactly what
 * an eager build gives.
 *
 * How it is defined matters to the garbage collector. A getter written in an object literal is a new closure per
 * object; the engine gives each such object a hidden class of its own that holds the closure, and those classes
 * are released only by a full collection, so everything the closure captured survives the cheap young-generation
 * collections (measured: seven times slower than no getter at all). Here every object shares one getter and setter
 * per field name, and the builder is kept in a non-enumerable symbol property, which no serialisation or
 * comparison of plain data reads.
 */

const BUILD = Symbol('lazy field builder');

type Lazy = { [BUILD]: () => unknown };

const accessors = new Map<PropertyKey, PropertyDescriptor>();

/** One getter and setter per field name; the names are fixed in the code, so this holds a handful. */
function accessorOf(name: PropertyKey): PropertyDescriptor {
  let accessor = accessors.get(name);
  if (!accessor) {
    accessor = {
      get(this: Lazy) {
        return settle(this, name, this[BUILD]());
      },
      set(this: Lazy, value: unknown) {
        settle(this, name, value);
      },
      enumerable: true,
      configurable: true,
    };
    accessors.set(name, accessor);
  }
  return accessor;
}

function settle(target: object, name: PropertyKey, value: unknown): unknown {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * Adds `name` to `target`, after its existing keys, as a field built by `build` when first read. An object has at
 * most one lazy field. `build` must only read state that cannot change afterwards.
 */
export function addLazyField<T extends object, K extends keyof T>(target: Omit<T, K>, name: K, build: () => T[K]): T {
  Object.defineProperty(target, BUILD, { value: build });
  Object.defineProperty(target, name, accessorOf(name));
  return target as T;
}
