import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { DocumentAnalysis } from './documentCache';
import type { DiagnosticsContext } from './diagnostics';
import { diagnosticsFor } from './diagnostics';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';
import { rangesOverlap, sameRange } from './ranges';

export interface CodeActionOptions {
  /** The client applies versioned edits (`documentChanges`), which it refuses for a text that has moved on. */
  documentChanges: boolean;
}

function isData(value: unknown): value is DiagnosticData {
  return !!value && typeof value === 'object' && typeof (value as DiagnosticData).version === 'number';
}

function workspaceEdit(analysis: DocumentAnalysis, edits: TextEdit[], options: CodeActionOptions): WorkspaceEdit {
  if (options.documentChanges) {
    return { documentChanges: [{ textDocument: { uri: analysis.uri, version: analysis.version }, edits }] };
  }
  return { changes: { [analysis.uri]: edits } };
}

/**
 * Quick fixes: the fixes the linter (and the scenario checks) attached to the diagnostics of this version,
 * as workspace edits. The server's own diagnostics for the version are the source of truth; a diagnostic the
 * client sends back is matched to them by code and range, and its `data` is used only when it was computed
 * for this very version (a fix in stale ranges would corrupt the text).
 */
export function codeActionsFor(analysis: DocumentAnalysis, params: CodeActionParams, context: DiagnosticsContext, options: CodeActionOptions): CodeAction[] {
  if (!analysis.role) return [];
  const only = params.context?.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix.startsWith(kind) || kind.startsWith(CodeActionKind.QuickFix))) return [];
  const current = diagnosticsFor(analysis, context).filter((d) => rangesOverlap(d.range, params.range));
  const sent = (params.context?.diagnostics ?? []).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const add = (diagnostic: Diagnostic, data: DiagnosticData): void => {
    const fix = data.fix;
    if (!fix || data.version !== analysis.version) return;
    const id = `${fix.title}@${JSON.stringify(diagnostic.range)}`;
    if (seen.has(id)) return;
    seen.add(id);
    // Report the diagnostic as the client knows it, so the editor links the fix to the squiggle it shows.
    const echoed = sent.find((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range)) ?? diagnostic;
    actions.push({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [echoed],
      edit: workspaceEdit(analysis, fix.edits, options),
      ...(fix.isPreferred ? { isPreferred: true } : {}),
    });
  };
  for (const diagnostic of current) if (isData(diagnostic.data)) add(diagnostic, diagnostic.data);
  for (const diagnostic of sent) if (isData(diagnostic.data)) add(diagnostic, diagnostic.data);
  return actions;
}
