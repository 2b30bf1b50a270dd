import { getNodeValue, type Node } from 'jsonc-parser';
import type { Span } from '../policy/model';
import { nodeAtPath, openingOf, propertyNamed, spanOf } from './jsonTree';
import { errorTargetPath, validateGrammar, type SchemaError } from './schemaValidation';

/** A schema error placed in the document: the node it is about and the span a finding should cover. */
export interface PlacedSchemaError {
  error: SchemaError;
  code: string;
  /** The node the error is about (the object, for a missing property). */
  node: Node;
  at: Span;
  /** The element or property name the error is about, for messages: `Action`, `Effect`, `KeyId`. */
  name: string;
  /** For a pair of elements that cannot be used together: both names, as written in the schema. */
  elements?: [string, string];
}

/** The nearest property name on a path: `Statement[0].Action[2]` → `Action`. */
export function nameOnPath(path: ReadonlyArray<string | number>): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i];
    if (typeof segment === 'string') return segment;
  }
  return '';
}

/** The span of the property name (quotes included) whose value is at `path`, or undefined. */
function keyAt(root: Node, path: ReadonlyArray<string | number>): Span | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const key = propertyNamed(nodeAtPath(root, path.slice(0, -1)), last)?.children?.[0];
  return key ? spanOf(key) : undefined;
}

/**
 * Validates the tree's value against a schema file and places each error: a missing element at the opening
 * brace of the object that lacks it (where JSON language services put it), an element that does not belong
 * or a pair that cannot be used together at the element's name, anything else at the offending value.
 */
export function placeSchemaErrors(root: Node, schemaFile: string, fallback: (error: SchemaError) => string): PlacedSchemaError[] {
  return placeErrors(root, validateGrammar(schemaFile, getNodeValue(root)), fallback);
}

/**
 * Places errors whose paths are relative to `base` (the document root, or one statement). `prefix` is the path
 * of `base` from the document root: the placed errors carry full paths, for messages.
 */
export function placeErrors(
  base: Node,
  errors: readonly SchemaError[],
  fallback: (error: SchemaError) => string,
  prefix: ReadonlyArray<string | number> = [],
): PlacedSchemaError[] {
  const placed: PlacedSchemaError[] = [];
  for (const relative of errors) {
    const path = errorTargetPath(relative);
    const node = nodeAtPath(base, path) ?? nodeAtPath(base, relative.path);
    if (!node) continue;
    const error: SchemaError = prefix.length > 0 ? { ...relative, path: [...prefix, ...relative.path] } : relative;
    const code = error.code ?? fallback(error);
    const pair = typeof error.annotation?.['elements'] === 'string' ? (error.annotation['elements'] as string).split(' ') : undefined;
    let at: Span;
    let name = nameOnPath(prefix.length > 0 ? [...prefix, ...path] : path);
    if (error.keyword === 'additionalProperties') {
      at = keyAt(base, path) ?? spanOf(node);
    } else if (pair && pair.length === 2) {
      // The second of the pair as written is where the conflict starts.
      const keys = pair.map((p) => propertyNamed(node, p)?.children?.[0]).filter((k): k is Node => !!k);
      const later = keys.sort((a, b) => a.offset - b.offset)[1] ?? keys[0];
      at = later ? spanOf(later) : openingOf(node);
      name = pair.join(' and ');
    } else if (error.keyword === 'not') {
      at = keyAt(base, path) ?? spanOf(node);
    } else if (error.keyword === 'required' || error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      at = openingOf(node);
      name = error.keyword === 'required' ? String(error.params['missingProperty']) : name;
    } else {
      at = spanOf(node);
    }
    const entry: PlacedSchemaError = { error, code, node, at, name };
    if (pair && pair.length === 2) entry.elements = [pair[0]!, pair[1]!];
    placed.push(entry);
  }
  return placed;
}
