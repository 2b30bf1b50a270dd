import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { locateWorkspaceConfigProblems } from '../../core/language/workspaceConfig';
import type { DocumentAnalysis, DocumentCache } from './documentCache';
import { findingToDiagnostic, severityOf } from './diagnosticConversion';
import type { PolicySources } from './policySources';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';
import { rangeOf } from './ranges';
import { scenarioDiagnostics } from './scenarioDiagnostics';
import type { WorkspaceSettings } from './workspaceSettings';

/**
 * Diagnostics wait this long after the last change, so typing does not trigger a validation per key. An editor
 * may set another delay (`diagnosticsDelayMs` in initializationOptions); 0 validates on the next turn.
 */
export const DEBOUNCE_MS = 150;

/** The code of a problem in `.kmsstudio.json`. */
export const CONFIG_INVALID = 'KMSSTUDIO_CONFIG_INVALID';

export interface DiagnosticsContext {
  cache: DocumentCache;
  settings: WorkspaceSettings;
  sources: PolicySources;
}

/** Every diagnostic of one document version, whatever its kind. */
export function diagnosticsFor(analysis: DocumentAnalysis, context: DiagnosticsContext): Diagnostic[] {
  switch (analysis.role) {
    case undefined:
      return [];
    case 'workspaceConfig':
      return locateWorkspaceConfigProblems(analysis.text).map((p) => ({
        range: rangeOf(analysis.lines, p.offset, Math.max(p.length, 1)),
        severity: severityOf('ERROR'),
        code: CONFIG_INVALID,
        source: DIAGNOSTIC_SOURCE,
        message: p.message,
        data: { version: analysis.version } satisfies DiagnosticData,
      }));
    case 'scenarios':
      return scenarioDiagnostics(analysis, context.sources, context.settings.rulesFor(analysis.path));
    default:
      return analysis.findings(context.settings.rulesFor(analysis.path)).map((f) => findingToDiagnostic(analysis, f));
  }
}

/**
 * Publishes diagnostics after a quiet period, for the version that was current when the period ended, and
 * never for a version that has since been replaced. Scenario files are also re-validated when a policy file
 * they read changes, in the editor or on disk.
 */
export class DiagnosticsScheduler {
  /** The pending validation of each document: cancel it to replace it. */
  private readonly pending = new Map<string, () => void>();
  /** Scenario files re-validated because a file they read changed: their code lenses need a refresh too. */
  private readonly dependencyTriggered = new Set<string>();
  /** The quiet period; see DEBOUNCE_MS. */
  delayMs = DEBOUNCE_MS;

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly context: DiagnosticsContext,
    private readonly refreshViews: () => void,
  ) {}

  schedule(document: TextDocument, options: { dependency?: boolean } = {}): void {
    this.pending.get(document.uri)?.();
    if (options.dependency) this.dependencyTriggered.add(document.uri);
    const { uri, version } = document;
    const run = (): void => {
      this.pending.delete(uri);
      this.validate(uri, version).catch((e) => this.connection.console.error(`Validation of ${uri} failed: ${String(e)}`));
    };
    // With no delay, validate right after the messages already queued (a burst of edits still coalesces):
    // setTimeout(0) would wait at least a millisecond for nothing.
    if (this.delayMs === 0) {
      const immediate = setImmediate(run);
      this.pending.set(uri, () => clearImmediate(immediate));
    } else {
      const timer = setTimeout(run, this.delayMs);
      this.pending.set(uri, () => clearTimeout(timer));
    }
  }

  scheduleAll(): void {
    this.documents.all().forEach((d) => this.schedule(d, { dependency: true }));
  }

  /** Re-validates the open scenario files whose last run read `file`. */
  scheduleDependents(file: string): void {
    for (const analysis of this.context.cache.peekAll()) {
      if (analysis.role !== 'scenarios' || !analysis.lastScenario?.reads.has(file)) continue;
      const document = this.documents.get(analysis.uri);
      if (document) this.schedule(document, { dependency: true });
    }
  }

  cancel(uri: string): void {
    this.pending.get(uri)?.();
    this.pending.delete(uri);
    this.dependencyTriggered.delete(uri);
  }

  dispose(): void {
    this.pending.forEach((cancel) => cancel());
    this.pending.clear();
  }

  private async validate(uri: string, version: number): Promise<void> {
    const document = this.documents.get(uri);
    // A newer version is already queued (or the document closed): never publish for a stale text.
    if (!document || document.version !== version) return;
    let diagnostics: Diagnostic[];
    const analysis = this.context.cache.get(document);
    try {
      diagnostics = diagnosticsFor(analysis, this.context);
    } catch (e) {
      // A bug in a rule must not leave the file without any answer: say so on the file and in the log.
      this.connection.console.error(`Checking ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      diagnostics = [
        {
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          severity: severityOf('WARNING'),
          source: DIAGNOSTIC_SOURCE,
          code: 'INTERNAL_ERROR',
          message: `KMS Studio could not check this file: ${e instanceof Error ? e.message : String(e)}`,
        },
      ];
    }
    await this.connection.sendDiagnostics({ uri, version, diagnostics });
    // Only scenario files have lenses and hints that change without their own text changing.
    if (this.dependencyTriggered.delete(uri) && analysis.role === 'scenarios') this.refreshViews();
  }
}
