import type { Node } from 'jsonc-parser';
import { typeWord } from './jsonTree';
import type { PlacedSchemaError } from './schemaFindings';

/**
 * Words for where a value sits in a policy, for messages: "Each value of kms:ViaService", "Principal \"AWS\"".
 * Paths come from ajv's instance paths, so they follow the document's own structure.
 */
export function labelFor(path: ReadonlyArray<string | number>): string {
  const condition = path.indexOf('Condition');
  if (condition >= 0) {
    const depth = path.length - condition - 1;
    if (depth === 0) return 'Condition';
    if (depth === 1) return `The condition operator ${String(path[condition + 1])}`;
    if (depth === 2) return `The value of condition key ${String(path[condition + 2])}`;
    return `Each value of condition key ${String(path[condition + 2])}`;
  }
  const principal = path.findIndex((p) => p === 'Principal' || p === 'NotPrincipal');
  if (principal >= 0) {
    const depth = path.length - principal - 1;
    const element = String(path[principal]);
    if (depth === 0) return element;
    if (depth === 1) return `${element} "${String(path[principal + 1])}"`;
    return `Each "${String(path[principal + 1])}" principal`;
  }
  if (path.length === 0) return 'The document';
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const owner = path[path.length - 2];
    return owner === 'Statement' ? 'Each statement' : `Each item of ${String(owner)}`;
  }
  return String(last);
}

/** "must be a string or a list, not a number": what the schema expects, in its own words when it has them. */
export function typeMismatchMessage(placed: PlacedSchemaError, path: ReadonlyArray<string | number>): string {
  const expect = typeof placed.error.annotation?.expect === 'string' ? placed.error.annotation.expect : expectedTypes(placed);
  return `${labelFor(path)} must be ${expect}, not ${typeWord(jsonTypeOf(placed.node))}.`;
}

function expectedTypes(placed: PlacedSchemaError): string {
  const types = placed.error.params['type'];
  const list = Array.isArray(types) ? types : String(types ?? '').split(',');
  return list.map((t) => typeWord(String(t))).join(' or ');
}

export function jsonTypeOf(node: Node): string {
  return node.type === 'property' ? 'object' : node.type;
}

/** The value of a node as it appears in a message: short, quoted as JSON. */
export function quoted(node: Node): string {
  if (node.type === 'object' || node.type === 'array') return typeWord(node.type);
  const text = JSON.stringify(node.value);
  return text.length > 60 ? `${text.slice(0, 57)}…"` : text;
}
