import { DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { Finding, Fix, Severity } from '../../core/lint/finding';
import type { DocumentAnalysis } from './documentCache';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';
import { rangeOf } from './ranges';

/** IAM Access Analyzer's severities in an editor: suggestions are information, not warnings. */
const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  ERROR: DiagnosticSeverity.Error,
  SECURITY_WARNING: DiagnosticSeverity.Warning,
  WARNING: DiagnosticSeverity.Warning,
  SUGGESTION: DiagnosticSeverity.Information,
};

export function severityOf(severity: Severity): DiagnosticSeverity {
  return SEVERITY[severity] ?? DiagnosticSeverity.Warning;
}

/**
 * A fix is the obvious one (VS Code applies it with the "auto fix" key) when it only corrects what is written:
 * a misspelt action, a missing Version, an operator that cannot match a wildcard. A fix that writes a new Allow
 * statement grants access, which should be a deliberate choice, so it is offered but never preferred.
 */
export function isObviousFix(fix: Fix): boolean {
  return !fix.edits.some((e) => /"Effect"\s*:\s*"Allow"/.test(e.newText));
}

export function fixEdits(analysis: DocumentAnalysis, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({ range: rangeOf(analysis.lines, e.offset, e.length), newText: e.newText }));
}

/** A lint finding as an LSP diagnostic, its fix carried in `data` in LSP ranges of this version. */
export function findingToDiagnostic(analysis: DocumentAnalysis, finding: Finding): Diagnostic {
  const data: DiagnosticData = { version: analysis.version };
  if (finding.fix && finding.fix.edits.length > 0) {
    data.fix = { title: finding.fix.title, edits: fixEdits(analysis, finding.fix), isPreferred: isObviousFix(finding.fix) };
  }
  const diagnostic: Diagnostic = {
    range: rangeOf(analysis.lines, finding.offset, finding.length),
    severity: severityOf(finding.severity),
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
    data,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: analysis.uri, range: rangeOf(analysis.lines, r.offset, r.length) },
      message: r.message,
    }));
  }
  return diagnostic;
}
