/**
 * Read-only documents of the `kms-studio-view:` scheme: the audit log, the cost estimate, explanations and the
 * policy snapshots they highlight. Each path is produced on demand by the function registered for it (the
 * audit views by prefix, with the filter in the query), and refresh() makes VS Code read them again.
 */
import * as vscode from 'vscode';

export const VIEW_SCHEME = 'kms-studio-view';

type Producer = (uri: vscode.Uri) => string | Promise<string>;

export class TextViews implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly producers = new Map<string, Producer>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, this);
  }

  /** Produces the documents whose path starts with `prefix` (the longest registered prefix wins). */
  register(prefix: string, producer: Producer): vscode.Disposable {
    this.producers.set(prefix, producer);
    return new vscode.Disposable(() => this.producers.delete(prefix));
  }

  /** A fixed text at `path`, e.g. an explanation. */
  put(path: string, text: string): vscode.Uri {
    this.producers.set(path, () => text);
    return vscode.Uri.from({ scheme: VIEW_SCHEME, path });
  }

  provideTextDocumentContent(uri: vscode.Uri): string | Promise<string> {
    let best: string | undefined;
    for (const prefix of this.producers.keys()) {
      if (uri.path.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
    }
    if (best === undefined) return `Nothing is shown at ${uri.toString()} any more: run the command that opened it again.\n`;
    return this.producers.get(best)!(uri);
  }

  /** Asks VS Code to read again every open view whose path starts with `prefix`. */
  refresh(prefix: string): void {
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === VIEW_SCHEME && document.uri.path.startsWith(prefix)) this.changed.fire(document.uri);
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.producers.clear();
  }
}
