import { createScanner, findNodeAtOffset, getLocation, getNodePath, SyntaxKind, type JSONPath, type Node } from 'jsonc-parser';
import { MAX_DEPTH } from '../policy/parse';

/**
 * Where the cursor is in a JSON document, in terms of JSON paths. Completion reads it from the raw text with
 * jsonc-parser's getLocation, which works on text that does not parse; hover reads it from the tree of the
 * document version's one parse.
 */
export interface CursorLocation {
  path: JSONPath;
  /** On a property name (or where one is being typed), rather than on a value. */
  isAtPropertyKey: boolean;
  /** The string, number or property name under the cursor, when there is one: what a completion replaces. */
  token?: { offset: number; length: number; type: string; value: unknown };
}

/**
 * Whether brackets nest deeper than the parser is allowed to go. jsonc-parser recurses once per level, so a
 * text like `[[[[…` 100 000 deep must never reach getLocation or parseTree.
 */
export function nestsTooDeep(text: string, max = MAX_DEPTH): boolean {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return true;
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}

/** The cursor location in raw text. The caller has checked `nestsTooDeep` (once per document version). */
export function cursorLocation(text: string, offset: number): CursorLocation {
  const location = getLocation(text, Math.max(0, Math.min(offset, text.length)));
  const previous = location.previousNode;
  const token =
    previous && (previous.type === 'string' || previous.type === 'number' || previous.type === 'property' || previous.type === 'boolean' || previous.type === 'null')
      ? { offset: previous.offset, length: previous.length, type: previous.type, value: previous.value as unknown }
      : undefined;
  return { path: location.path, isAtPropertyKey: location.isAtPropertyKey, ...(token ? { token } : {}) };
}

/** The node at an offset in a parsed tree, its path, and whether it is a property name. */
export interface NodeAt {
  node: Node;
  path: JSONPath;
  isKey: boolean;
}

export function nodeAtOffset(root: Node | undefined, offset: number): NodeAt | undefined {
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  const parent = node.parent;
  const isKey = !!parent && parent.type === 'property' && parent.children?.[0] === node;
  // For a property node itself (the colon, the spaces), answer as for its value.
  if (node.type === 'property') {
    const value = node.children?.[1];
    return { node: value ?? node, path: getNodePath(value ?? node), isKey: false };
  }
  return { node, path: getNodePath(node), isKey };
}
