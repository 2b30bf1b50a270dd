import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { WORKSPACE_CONFIG_FILE } from '../../core/language/workspaceConfig';
import { codeActionsFor } from './codeActions';
import { codeLensesFor } from './codeLens';
import { completionAt } from './completion';
import { DiagnosticsScheduler, type DiagnosticsContext } from './diagnostics';
import { DocumentCache, type DocumentAnalysis, type DocumentRole } from './documentCache';
import { documentSymbolsFor, flattenSymbols } from './documentSymbols';
import { explainCase } from './explainCase';
import { hoverAt } from './hover';
import { inlayHintsFor } from './inlayHints';
import { PolicySources } from './policySources';
import { ExplainCaseRequest, KEY_POLICY_SCHEME } from './protocol';
import { WorkspaceSettings } from './workspaceSettings';

/** What the client said it can do, read once at initialize. */
interface ClientFeatures {
  snippets: boolean;
  hierarchicalSymbols: boolean;
  documentChanges: boolean;
  codeLensRefresh: boolean;
  inlayHintRefresh: boolean;
  watchedFilesRegistration: boolean;
  workspaceFolders: boolean;
  /** The client answers workspace/configuration (the pull model of settings). */
  configuration: boolean;
}

function featuresOf(capabilities: ClientCapabilities): ClientFeatures {
  return {
    snippets: !!capabilities.textDocument?.completion?.completionItem?.snippetSupport,
    hierarchicalSymbols: !!capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport,
    documentChanges: !!capabilities.workspace?.workspaceEdit?.documentChanges,
    codeLensRefresh: !!capabilities.workspace?.codeLens?.refreshSupport,
    inlayHintRefresh: !!capabilities.workspace?.inlayHint?.refreshSupport,
    watchedFilesRegistration: !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!capabilities.workspace?.workspaceFolders,
    configuration: !!capabilities.workspace?.configuration,
  };
}

function workspaceFolders(params: InitializeParams): string[] {
  if (params.workspaceFolders?.length) return params.workspaceFolders.map((f) => PolicySources.pathOf(f.uri));
  if (params.rootUri) return [PolicySources.pathOf(params.rootUri)];
  return params.rootPath ? [params.rootPath] : [];
}

/**
 * The composition root of the language server. Everything it needs comes through the connection, so the
 * same function serves VS Code over IPC and tests over stdio; every piece of state lives in this closure.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let features = featuresOf({});
  let watchingFiles = false;
  let folders: string[] = [];
  const settings = new WorkspaceSettings((message) => connection.console.warn(message));
  const sources = new PolicySources(documents);

  const roleOf = (document: TextDocument): DocumentRole | undefined => {
    // A key policy the client serves from its embedded KMS is a key policy whatever the globs say.
    if (document.uri.startsWith(`${KEY_POLICY_SCHEME}:`)) return 'keyPolicy';
    const file = PolicySources.pathOf(document.uri);
    if (settings.isConfigFile(file)) return 'workspaceConfig';
    return settings.classify(file);
  };
  const cache = new DocumentCache(roleOf);
  const context: DiagnosticsContext = { cache, settings, sources };

  const refreshViews = (): void => {
    // Code lenses and inlay hints of a scenario change when a policy file it reads changes; the client only
    // asks again for them when told to.
    if (features.codeLensRefresh) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    if (features.inlayHintRefresh) connection.languages.inlayHint.refresh().catch(() => undefined);
  };
  const scheduler = new DiagnosticsScheduler(connection, documents, context, refreshViews);

  const applySettings = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const given = value as { files?: unknown; lint?: { rules?: unknown }; diagnosticsDelayMs?: unknown };
    if (typeof given.diagnosticsDelayMs === 'number' && given.diagnosticsDelayMs >= 0 && given.diagnosticsDelayMs <= 10_000) {
      scheduler.delayMs = given.diagnosticsDelayMs;
    }
    if (given.files !== undefined) {
      settings.setEditorFiles(given.files);
      cache.clear();
    }
    settings.setEditorRules(given.lint && typeof given.lint === 'object' ? given.lint.rules : undefined);
  };

  /** Runs a request handler on the analysis of the document's current version; a failure answers `fallback`. */
  const withAnalysis = <R>(uri: string, fallback: R, handler: (analysis: DocumentAnalysis) => R): R => {
    const document = documents.get(uri);
    if (!document) return fallback;
    try {
      return handler(cache.get(document));
    } catch (e) {
      connection.console.error(`Request on ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  connection.onInitialize((params): InitializeResult => {
    features = featuresOf(params.capabilities);
    // The settings themselves, or (as some clients send them) wrapped in their section name.
    const options = params.initializationOptions as { kmsStudio?: unknown } | null | undefined;
    applySettings(options && typeof options === 'object' && options.kmsStudio && typeof options.kmsStudio === 'object' ? options.kmsStudio : options);
    folders = workspaceFolders(params);
    settings.setFolders(folders);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':'] },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: { label: 'KMS Studio' },
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'KMS Studio' },
    };
  });

  connection.onInitialized(() => {
    if (features.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => PolicySources.pathOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...event.added.map((f) => PolicySources.pathOf(f.uri))];
        // Another folder may hold another .kmsstudio.json, with other rules and globs.
        settings.setFolders(folders);
        cache.clear();
        scheduler.scheduleAll();
      });
    }
    if (!features.watchedFilesRegistration) return;
    connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        // Every JSON file: scenario files may name policy files of any name.
        watchers: [{ globPattern: `**/${WORKSPACE_CONFIG_FILE}` }, { globPattern: '**/*.json' }],
      })
      .then(
        () => (watchingFiles = true),
        (e) => connection.console.warn(`Watching files failed (${String(e)}); ${WORKSPACE_CONFIG_FILE} is re-read on settings changes`),
      );
  });

  connection.onDidChangeConfiguration((change) => {
    const section = change.settings && (change.settings as { kmsStudio?: unknown }).kmsStudio;
    if (section) applySettings(section);
    // Without file watching, a settings change is the moment to notice an edited .kmsstudio.json.
    if (!watchingFiles && settings.reloadConfigFiles()) cache.clear();
    scheduler.scheduleAll();
    // A client of the pull model announces a change without the settings: ask for the kmsStudio section.
    if (!section && features.configuration) {
      connection.workspace.getConfiguration('kmsStudio').then(
        (pulled: unknown) => {
          if (!pulled || typeof pulled !== 'object') return;
          applySettings(pulled);
          scheduler.scheduleAll();
        },
        (e: unknown) => connection.console.warn(`Reading the kmsStudio settings failed (${String(e)})`),
      );
    }
  });

  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params.changes) {
      const file = PolicySources.pathOf(change.uri);
      if (settings.isConfigFile(file)) configChanged = true;
      else scheduler.scheduleDependents(file);
    }
    if (configChanged && settings.reloadConfigFiles()) {
      // The file's globs may change what kind each document is.
      cache.clear();
      scheduler.scheduleAll();
    }
  });

  documents.onDidChangeContent((event) => {
    scheduler.schedule(event.document);
    scheduler.scheduleDependents(PolicySources.pathOf(event.document.uri));
  });
  documents.onDidClose((event) => {
    const { uri } = event.document;
    scheduler.cancel(uri);
    cache.evict(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // Scenarios that read this file from the editor read it from disk again.
    scheduler.scheduleDependents(PolicySources.pathOf(uri));
  });

  connection.onHover((p) => withAnalysis(p.textDocument.uri, null, (a) => hoverAt(a, p.position, sources)));
  connection.onCompletion((p) => withAnalysis(p.textDocument.uri, null, (a) => completionAt(a, p.position, { snippets: features.snippets })));
  connection.onCodeAction((p) =>
    withAnalysis(p.textDocument.uri, [], (a) => codeActionsFor(a, p, context, { documentChanges: features.documentChanges })),
  );
  connection.onDocumentSymbol((p) =>
    withAnalysis(p.textDocument.uri, [], (a) =>
      features.hierarchicalSymbols ? documentSymbolsFor(a) : flattenSymbols(a.uri, documentSymbolsFor(a)),
    ),
  );
  connection.onCodeLens((p) => withAnalysis(p.textDocument.uri, [], (a) => codeLensesFor(a, sources)));
  connection.languages.inlayHint.on((p) => withAnalysis(p.textDocument.uri, [], (a) => inlayHintsFor(a, sources, p.range)));
  connection.onRequest(ExplainCaseRequest.type, (p) => withAnalysis(p.uri, null, (a) => explainCase(a, p, sources)));

  connection.onShutdown(() => scheduler.dispose());

  documents.listen(connection);
  connection.listen();
}
