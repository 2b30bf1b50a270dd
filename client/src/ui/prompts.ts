/**
 * The guided steps of the commands: quick picks, input boxes and modal confirmations. A step the person
 * dismisses throws Cancelled, which ends the command quietly (see guarded.ts). Commands take their answers from
 * an arguments object first and ask only for what is missing, so a test, a keybinding or another extension can
 * run them without any prompt.
 */
import * as vscode from 'vscode';

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
  constructor() {
    super('cancelled');
  }
}

export interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

export interface StepOptions {
  title: string;
  placeHolder?: string;
}

export async function pickOne<T>(items: readonly PickItem<T>[], options: StepOptions): Promise<T> {
  const chosen = await vscode.window.showQuickPick([...items], { title: options.title, placeHolder: options.placeHolder ?? '', ignoreFocusOut: true, matchOnDescription: true, matchOnDetail: true });
  if (!chosen) throw new Cancelled();
  return chosen.value;
}

export async function pickMany<T>(items: readonly PickItem<T>[], options: StepOptions & { atLeastOne?: string }): Promise<T[]> {
  const chosen = await vscode.window.showQuickPick([...items], { title: options.title, placeHolder: options.placeHolder ?? '', canPickMany: true, ignoreFocusOut: true });
  if (!chosen) throw new Cancelled();
  if (chosen.length === 0 && options.atLeastOne) {
    void vscode.window.showWarningMessage(options.atLeastOne);
    throw new Cancelled();
  }
  return chosen.map((c) => c.value);
}

export interface InputOptions extends StepOptions {
  prompt: string;
  value?: string;
  password?: boolean;
  /** An error message for a value that will not do, undefined for one that will. */
  validate?: (value: string) => string | undefined;
}

export async function inputText(options: InputOptions): Promise<string> {
  const value = await vscode.window.showInputBox({
    title: options.title,
    prompt: options.prompt,
    placeHolder: options.placeHolder ?? '',
    value: options.value ?? '',
    password: options.password ?? false,
    ignoreFocusOut: true,
    ...(options.validate ? { validateInput: (v: string) => options.validate!(v) ?? null } : {}),
  });
  if (value === undefined) throw new Cancelled();
  return value;
}

/** A modal question; true when the person chose `action`. */
export async function confirmModal(message: string, detail: string, action: string): Promise<boolean> {
  const chosen = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return chosen === action;
}

/** Yes/no as a quick pick step (for optional parts of a guided flow). */
export async function pickYesNo(options: StepOptions & { yes: string; no: string; yesDetail?: string; noDetail?: string }): Promise<boolean> {
  return pickOne(
    [
      { label: options.no, value: false, ...(options.noDetail ? { detail: options.noDetail } : {}) },
      { label: options.yes, value: true, ...(options.yesDetail ? { detail: options.yesDetail } : {}) },
    ],
    options,
  );
}
