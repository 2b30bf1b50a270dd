import type { Node } from 'jsonc-parser';
import type { Span } from '../policy/model';

/** A path from the document root, as ajv's instance paths and jsonc-parser's locations give it. */
export type JsonPath = ReadonlyArray<string | number>;

/**
 * The property node named `name` of an object node. With duplicate names the last one is taken, because
 * JSON.parse (and so ajv, and AWS) keeps the last value.
 */
export function propertyNamed(object: Node | undefined, name: string): Node | undefined {
  if (!object || object.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const prop of object.children ?? []) {
    if (prop.type === 'property' && prop.children?.[0]?.value === name) found = prop;
  }
  return found;
}

/** The value node of property `name`. */
export function propertyValue(object: Node | undefined, name: string): Node | undefined {
  return propertyNamed(object, name)?.children?.[1];
}

/** The node at `path`, following the same last-duplicate-wins rule, or undefined. */
export function nodeAtPath(root: Node | undefined, path: JsonPath): Node | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') {
      node = node.type === 'array' ? node.children?.[segment] : undefined;
    } else {
      node = propertyValue(node, segment);
    }
  }
  return node;
}

export function spanOf(node: Node): Span {
  return { offset: node.offset, length: node.length };
}

/** The opening bracket of an object or array: where a finding about something missing inside it points. */
export function openingOf(node: Node): Span {
  return { offset: node.offset, length: node.length > 0 ? 1 : 0 };
}

/** The string value of a node, or undefined when it is not a string. */
export function stringOf(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

/** A node's string values: a string, or the strings of an array (other items are skipped). */
export function stringItems(node: Node | undefined): Node[] {
  if (!node) return [];
  if (node.type === 'string') return [node];
  if (node.type === 'array') return (node.children ?? []).filter((c) => c.type === 'string');
  return [];
}

/** The name of a JSON type as a policy author reads it. */
export function typeWord(type: string): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'number':
    case 'integer':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return type;
  }
}

/** The node that covers exactly `span` (a value the policy model located), or undefined. */
export function nodeForSpan(root: Node | undefined, span: Span): Node | undefined {
  let node = root;
  while (node) {
    if (node.offset === span.offset && node.length === span.length && node.type !== 'property') return node;
    const children: Node[] = node.children ?? [];
    // Children are in document order, so a binary search finds the one holding the offset.
    let low = 0;
    let high = children.length - 1;
    let next: Node | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const child = children[mid]!;
      if (span.offset < child.offset) high = mid - 1;
      else if (span.offset >= child.offset + Math.max(child.length, 1)) low = mid + 1;
      else {
        next = child;
        break;
      }
    }
    node = next;
  }
  return undefined;
}
