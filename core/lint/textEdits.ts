import type { Node } from 'jsonc-parser';
import type { TextEditFix } from './finding';

/**
 * Text edits for quick fixes. Each keeps the author's layout: an inserted property or list item takes the
 * whitespace that separates the existing ones, so a fix on a pretty-printed policy stays pretty-printed.
 */

export function replaceNode(node: { offset: number; length: number }, newText: string): TextEditFix {
  return { offset: node.offset, length: node.length, newText };
}

/** Removes item `index` of an array node together with the comma that separates it from a neighbour. */
export function removeArrayItem(array: Node, index: number): TextEditFix {
  const items = array.children ?? [];
  const item = items[index]!;
  if (items.length === 1) return { offset: item.offset, length: item.length, newText: '' };
  if (index > 0) {
    // From the end of the previous item: `"a", "b"` loses `, "b"`, and a line of its own goes with its line break.
    const previous = items[index - 1]!;
    const start = previous.offset + previous.length;
    return { offset: start, length: item.offset + item.length - start, newText: '' };
  }
  const next = items[1]!;
  return { offset: item.offset, length: next.offset - item.offset, newText: '' };
}

/** The whitespace between an opening bracket and the node's first child, or a default. */
function leadingSpace(text: string, container: Node, fallback: string): string {
  const first = container.children?.[0];
  if (!first) return fallback;
  const between = text.slice(container.offset + 1, first.offset);
  return /^\s*$/.test(between) ? between : fallback;
}

/** Inserts `"name": value` as the first property of an object node. */
export function insertFirstProperty(text: string, object: Node, name: string, valueText: string): TextEditFix {
  const property = `${JSON.stringify(name)}: ${valueText}`;
  const first = object.children?.[0];
  if (!first) return { offset: object.offset + 1, length: 0, newText: property };
  const space = leadingSpace(text, object, ' ');
  return { offset: first.offset, length: 0, newText: `${property},${space.includes('\n') ? space : ' '}` };
}

/** Inserts an item as the first element of an array node. */
export function insertFirstArrayItem(text: string, array: Node, itemText: string): TextEditFix {
  const first = array.children?.[0];
  if (!first) return { offset: array.offset + 1, length: array.length - 2, newText: itemText };
  const space = leadingSpace(text, array, ' ');
  return { offset: first.offset, length: 0, newText: `${itemText},${space.includes('\n') ? space : ' '}` };
}

/** Appends `"name": value` as the last property of an object node. */
export function appendProperty(object: Node, name: string, valueText: string): TextEditFix {
  const property = `${JSON.stringify(name)}: ${valueText}`;
  const last = object.children?.[object.children.length - 1];
  if (!last) return { offset: object.offset + 1, length: 0, newText: property };
  return { offset: last.offset + last.length, length: 0, newText: `, ${property}` };
}

/** Applies edits to a text (non-overlapping, in any order). */
export function applyEdits(text: string, edits: readonly TextEditFix[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.offset - a.offset)) {
    result = result.slice(0, edit.offset) + edit.newText + result.slice(edit.offset + edit.length);
  }
  return result;
}
