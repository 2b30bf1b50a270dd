import { findNodeAtLocation } from 'jsonc-parser';
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { caseMark } from '../../core/language/caseExplanation';
import type { DocumentAnalysis } from './documentCache';
import type { PolicySources } from './policySources';
import { rangesOverlap } from './ranges';

/**
 * The decision beside each case's `expect` (`✓`, or `✗ implicitDeny`), or beside its `action` when it has no
 * expectation (`→ allowed`): the answer where the question is written.
 */
export function inlayHintsFor(analysis: DocumentAnalysis, sources: PolicySources, range: Range): InlayHint[] {
  if (analysis.role !== 'scenarios') return [];
  const run = analysis.scenario(sources)?.run;
  const root = analysis.json.root;
  if (!run || !root) return [];
  const hints: InlayHint[] = [];
  for (const result of run.results) {
    const expectNode = findNodeAtLocation(root, ['cases', result.case.index, 'expect']);
    const anchor = expectNode ?? findNodeAtLocation(root, ['cases', result.case.index, 'action']);
    if (!anchor) continue;
    const position = analysis.lines.positionAt(anchor.offset + anchor.length);
    if (!rangesOverlap({ start: position, end: position }, range)) continue;
    const label = expectNode ? (result.pass ? caseMark(result) : `${caseMark(result)} ${result.decision}`) : `→ ${result.decision}`;
    hints.push({ position, label, kind: InlayHintKind.Type, paddingLeft: true, tooltip: result.explanation.reason });
  }
  return hints;
}
