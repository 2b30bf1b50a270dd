import type { Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../../core/policy/lineIndex';

/** Offsets become LSP positions only here, at the edge, against the text the offsets were computed on. */
export function rangeOf(document: Pick<TextDocument, 'positionAt'>, offset: number, length: number): Range {
  return { start: document.positionAt(offset), end: document.positionAt(offset + Math.max(0, length)) };
}

/** The same for a text that is not an open document (a policy file read from disk). */
export function rangeInText(lines: LineIndex, offset: number, length: number): Range {
  return { start: lines.positionAt(offset), end: lines.positionAt(offset + Math.max(0, length)) };
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function sameRange(a: Range, b: Range): boolean {
  return (
    a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character
  );
}
