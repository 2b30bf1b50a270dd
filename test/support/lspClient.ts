import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CodeLensRefreshRequest,
  CodeLensRequest,
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InlayHintRefreshRequest,
  InlayHintRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type CodeLens,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type FileEvent,
  type Hover,
  type InitializeResult,
  type InlayHint,
  type LogMessageParams,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
  type SymbolInformation,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { ExplainCaseRequest, type ExplainCaseParams, type ExplainCaseResult } from '../../server/src/protocol';
import { repoRoot } from './paths';

/** What a test client says it can do: roughly what VS Code says, so the server takes its richest paths. */
export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true, dataSupport: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, dataSupport: true },
    codeLens: {},
    inlayHint: {},
  },
  workspace: {
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
    inlayHint: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    configuration: true,
    workspaceFolders: true,
  },
};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  /** Workspace folder paths (the server reads `.kmsstudio.json` from them). */
  workspaceFolders?: string[];
}

/** A file path as the `file:` URI an editor would send. */
export function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/**
 * A real LSP client over stdio against the bundled server (dist/server.js), as an editor other than VS Code
 * would run it. Diagnostics, log messages and refresh requests are collected and awaited by predicate, never by
 * sleeping.
 */
export class LspTestClient {
  readonly connection: ProtocolConnection;
  private readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<() => void> = [];
  readonly logs: LogMessageParams[] = [];
  /** Every publication, in order of arrival. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly registrations: Registration[] = [];
  refreshes = 0;
  readonly exited: Promise<number | null>;
  stderr = '';

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(
      new StreamMessageReader(child.stdout!),
      new StreamMessageWriter(child.stdin!),
    );
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const wake = (): void => this.waiters.splice(0).forEach((w) => w());
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.diagnostics.set(params.uri, params);
      this.published.push(params);
      wake();
    });
    this.connection.onNotification(LogMessageNotification.type, (params) => {
      this.logs.push(params);
      wake();
    });
    this.connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
      wake();
    });
    this.connection.onRequest(CodeLensRefreshRequest.type, () => {
      this.refreshes++;
      wake();
    });
    this.connection.onRequest(InlayHintRefreshRequest.type, () => undefined);
    this.connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => null));
    this.connection.listen();
  }

  static async start(
    initializationOptions: unknown = {},
    options: StartOptions = {},
  ): Promise<{ client: LspTestClient; result: InitializeResult }> {
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = new LspTestClient(child);
    const folders = options.workspaceFolders ?? [];
    const result = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? fileUri(folders[0]) : null,
      workspaceFolders: folders.length ? folders.map((f) => ({ uri: fileUri(f), name: path.basename(f) })) : null,
      capabilities: options.capabilities ?? {},
      initializationOptions,
    });
    await client.connection.sendNotification(InitializedNotification.type, {});
    return { client, result };
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'json', version, text },
    });
  }

  async replace(uri: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** Incremental edits, as an editor sends them while typing. */
  async change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  async changeConfiguration(settings: unknown): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  async changeWorkspaceFolders(added: string[], removed: string[]): Promise<void> {
    const folder = (f: string) => ({ uri: fileUri(f), name: path.basename(f) });
    await this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: added.map(folder), removed: removed.map(folder) } });
  }

  async changeWatchedFiles(changes: FileEvent[]): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result: CompletionList | CompletionItem[] | null = await this.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    });
    return !result ? [] : Array.isArray(result) ? result : result.items;
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<Array<CodeAction | Command> | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  documentSymbols(uri: string): Promise<DocumentSymbol[] | SymbolInformation[] | null> {
    return this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  }

  codeLenses(uri: string): Promise<CodeLens[] | null> {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  }

  inlayHints(uri: string, range: Range): Promise<InlayHint[] | null> {
    return this.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range });
  }

  explainCase(params: ExplainCaseParams): Promise<ExplainCaseResult | null> {
    return this.connection.sendRequest(ExplainCaseRequest.type, params);
  }

  /** Resolves once `predicate` holds, re-checked on every notification or request from the server. */
  waitFor<T>(describe: string, predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${describe}; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      const check = (): void => {
        const value = predicate();
        if (value) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }

  /** Resolves with the first diagnostics for `uri` that satisfy `accept` (already received or yet to come). */
  diagnosticsFor(
    uri: string,
    accept: (p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `matching diagnostics for ${uri}`,
      () => {
        const current = this.diagnostics.get(uri);
        return current && accept(current) ? current : undefined;
      },
      timeoutMs,
    );
  }

  /** The diagnostics published for exactly this version of the document. */
  diagnosticsForVersion(uri: string, version: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.diagnosticsFor(uri, (p) => p.version === version, timeoutMs);
  }

  /** Forgets what was published for `uri`, so the next wait sees only what comes after. */
  forget(uri: string): void {
    this.diagnostics.delete(uri);
  }

  /** The LSP shutdown handshake; resolves with the server's exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }
}
