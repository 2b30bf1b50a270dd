import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover, Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

/** The LSP position of an offset (UTF-16 code units, as LSP and JavaScript count). */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export function offsetAt(text: string, position: Position): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < position.line; i++) offset += lines[i]!.length + 1;
  return offset + position.character;
}

/** A test text with `|` marking the cursor, as vscode-json-languageservice writes its tables. */
export function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | cursor in the text');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, position: positionAt(text, offset) };
}

/** The position `delta` characters into the first occurrence of `needle`. */
export function positionOf(text: string, needle: string, delta = 1, occurrence = 0): Position {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset < 0) throw new Error(`${JSON.stringify(needle)} is not in the text`);
  }
  return positionAt(text, offset + delta);
}

/** Applies LSP text edits (non-overlapping, as a workspace edit holds them) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** The edits a workspace edit makes to one document, whichever form the server chose. */
export function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.documentChanges) {
    return edit.documentChanges.flatMap((c) => ('textDocument' in c && c.textDocument.uri === uri ? (c.edits as TextEdit[]) : []));
  }
  return edit.changes?.[uri] ?? [];
}

export function markdownOf(hover: Hover | null): string {
  if (!hover) return '';
  const contents = hover.contents;
  if (typeof contents === 'string') return contents;
  if (Array.isArray(contents)) return contents.map((c) => (typeof c === 'string' ? c : c.value)).join('\n');
  return contents.value;
}

/** A fresh folder under the OS temp folder; `cleanup` removes it. */
export function tempWorkspace(files: Record<string, string> = {}): { dir: string; file: (name: string) => string; write: (name: string, text: string) => string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-server-')));
  const file = (name: string): string => path.join(dir, name);
  const write = (name: string, text: string): string => {
    const target = file(name);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
    return target;
  };
  for (const [name, text] of Object.entries(files)) write(name, text);
  return { dir, file, write, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A small key policy whose statements the tests hover, complete and fix. */
export const KEY_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:root" },
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" },
      "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
      "Resource": "*",
      "Condition": { "StringEquals": { "kms:EncryptionContext:app": "payments" } }
    }
  ]
}
`;

/** A diagnostic's message as text (LSP 3.18 allows markup there; this server sends plain strings). */
export function messageOf(d: { message: string | { value: string } }): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}
