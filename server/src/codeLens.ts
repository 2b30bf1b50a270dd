import type { CodeLens } from 'vscode-languageserver';
import { caseLensTitle } from '../../core/language/caseExplanation';
import type { DocumentAnalysis } from './documentCache';
import type { PolicySources } from './policySources';
import { rangeOf } from './ranges';

/**
 * A lens above every simulated case with its decision and the reason (`✓ allowed — Allowed by …`). Failed
 * cases get one too, besides their diagnostic: the lens is where the eye goes first. The command is empty:
 * the lens is a label, the hover and `kmsStudio/explainCase` give the detail.
 */
export function codeLensesFor(analysis: DocumentAnalysis, sources: PolicySources): CodeLens[] {
  if (analysis.role !== 'scenarios') return [];
  const run = analysis.scenario(sources)?.run;
  return (run?.results ?? []).map((result) => {
    const start = rangeOf(analysis.lines, result.case.offset, 0);
    return { range: start, command: { title: caseLensTitle(result), command: '' } };
  });
}
