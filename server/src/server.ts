import {
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { DocumentClassifier, fileSettingsFrom, type DocumentKind } from '../../core/policy/documentKind';
import { lintText } from '../../core/lint/lintDocument';
import type { Finding, Severity } from '../../core/lint/finding';
import { DIAGNOSTIC_SOURCE } from './protocol';

/** Diagnostics wait this long after the last change, so typing does not trigger a validation per key. */
const DEBOUNCE_MS = 150;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  ERROR: DiagnosticSeverity.Error,
  SECURITY_WARNING: DiagnosticSeverity.Warning,
  WARNING: DiagnosticSeverity.Warning,
  SUGGESTION: DiagnosticSeverity.Information,
};

/**
 * The composition root of the language server. Everything it needs comes through the connection, so the
 * same function serves VS Code over IPC and tests over stdio.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const pending = new Map<string, NodeJS.Timeout>();
  let classifier = new DocumentClassifier();

  const kindOf = (document: TextDocument): DocumentKind | undefined => {
    const uri = URI.parse(document.uri);
    return classifier.classify(uri.scheme === 'file' ? uri.fsPath : uri.path);
  };

  const applySettings = (value: unknown): void => {
    const files = value && typeof value === 'object' ? (value as { files?: unknown }).files : undefined;
    classifier = new DocumentClassifier(fileSettingsFrom(files));
  };

  const toDiagnostic = (document: TextDocument, finding: Finding): Diagnostic => ({
    range: {
      start: document.positionAt(finding.offset),
      end: document.positionAt(finding.offset + finding.length),
    },
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  });

  const validate = async (uri: string, version: number): Promise<void> => {
    const document = documents.get(uri);
    // A newer version is already queued (or the document closed): never publish for a stale text.
    if (!document || document.version !== version) return;
    const kind = kindOf(document);
    const findings = kind ? lintText(document.getText(), kind) : [];
    await connection.sendDiagnostics({
      uri,
      version,
      diagnostics: findings.map((f) => toDiagnostic(document, f)),
    });
  };

  const schedule = (document: TextDocument): void => {
    clearTimeout(pending.get(document.uri));
    const { uri, version } = document;
    pending.set(
      uri,
      setTimeout(() => {
        pending.delete(uri);
        validate(uri, version).catch((e) => connection.console.error(`Validation of ${uri} failed: ${String(e)}`));
      }, DEBOUNCE_MS),
    );
  };

  connection.onInitialize((params): InitializeResult => {
    applySettings(params.initializationOptions);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
      serverInfo: { name: 'KMS Studio' },
    };
  });

  connection.onDidChangeConfiguration((change) => {
    const settings = change.settings && (change.settings as { kmsStudio?: unknown }).kmsStudio;
    if (settings) applySettings(settings);
    documents.all().forEach(schedule);
  });

  documents.onDidChangeContent((event) => schedule(event.document));
  documents.onDidClose((event) => {
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
  connection.onShutdown(() => {
    pending.forEach((timer) => clearTimeout(timer));
    pending.clear();
  });

  documents.listen(connection);
  connection.listen();
}
