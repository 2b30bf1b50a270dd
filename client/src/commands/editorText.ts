/** The selections the crypto commands read and replace, and where their results go when no editor is open. */
import * as vscode from 'vscode';

export interface SelectedText {
  editor: vscode.TextEditor;
  selections: vscode.Selection[];
  texts: string[];
  /** document.version when the selections were taken: the ranges mean what they meant only while it is unchanged. */
  version: number;
}

/**
 * The non-empty selections of the active editor, in document order. `what` names the text in the error, e.g.
 * "the text to encrypt".
 */
export function selectedText(what: string): SelectedText {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error(`Open an editor and select ${what} first.`);
  const selections = editor.selections.filter((s) => !s.isEmpty).sort((a, b) => a.start.compareTo(b.start));
  if (selections.length === 0) throw new Error(`Select ${what} first (several selections are handled one by one).`);
  return { editor, selections, texts: selections.map((s) => editor.document.getText(s)), version: editor.document.version };
}

export const COPY_RESULT = 'Copy Result';

/**
 * Replaces each selection with its new text in one edit (one undo step). The prompts in between keep focus
 * (ignoreFocusOut), so the document may have been edited, or closed, while the command waited: then the old ranges
 * could cover other text, and nothing is replaced; an error says so and offers the result for the clipboard, so
 * nothing is lost. Resolves to whether the selections were replaced.
 */
export async function replaceSelections(selected: SelectedText, replacements: readonly string[]): Promise<boolean> {
  const document = selected.editor.document;
  if (document.isClosed || document.version !== selected.version) {
    const result = replacements.join('\n');
    void vscode.window
      .showErrorMessage(`${vscode.workspace.asRelativePath(document.uri)} changed while the command waited, so its selection was not replaced. Copy the result instead.`, COPY_RESULT)
      .then((choice) => {
        if (choice === COPY_RESULT) void vscode.env.clipboard.writeText(result);
      });
    return false;
  }
  const done = await selected.editor.edit((edit) => selected.selections.forEach((s, i) => edit.replace(s, replacements[i]!)));
  if (!done) throw new Error('The editor did not take the edit (it may be read-only, or it changed meanwhile); nothing was replaced.');
  return true;
}

/**
 * Puts `text` where the person is: replacing the selection (or at the cursor) of the active editor, else on the
 * clipboard. Says which.
 */
export async function insertOrCopy(text: string): Promise<'inserted' | 'copied'> {
  const editor = vscode.window.activeTextEditor;
  if (editor && !editor.document.isClosed) {
    const done = await editor.edit((edit) => editor.selections.forEach((s) => edit.replace(s, text)));
    if (done) return 'inserted';
  }
  await vscode.env.clipboard.writeText(text);
  return 'copied';
}

/** A notification with a Copy action for a value shown once (never logged). */
export function showOnce(message: string, value: string): void {
  void vscode.window.showInformationMessage(`${message}: ${value}`, 'Copy').then((choice) => {
    if (choice === 'Copy') void vscode.env.clipboard.writeText(value);
  });
}
