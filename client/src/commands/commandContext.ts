/** What every command group is given by the composition root (extension.ts). */
import type * as vscode from 'vscode';
import type { KmsHost } from '../kms/kmsHost';
import type { KeyTreeProvider } from '../tree/keyTreeProvider';
import type { Reporter } from '../ui/reporter';
import type { ExplanationView } from '../views/explanationView';
import type { TextViews } from '../views/textViews';

export interface CommandContext {
  host: KmsHost;
  reporter: Reporter;
  tree: KeyTreeProvider;
  views: TextViews;
  explanations: ExplanationView;
  /** Per-workspace memory: the key last used to encrypt, sign or MAC. */
  state: vscode.Memento;
  output: vscode.LogOutputChannel;
}

/**
 * The options object of a command: the arguments object a caller passed, or none when VS Code passed a tree
 * node (a context menu) or nothing (the palette).
 */
export function optionsOf<T extends object>(arg: unknown): Partial<T> {
  if (!arg || typeof arg !== 'object' || Array.isArray(arg) || 'kind' in arg) return {};
  return arg as Partial<T>;
}
