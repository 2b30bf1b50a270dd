import { caseHoverMarkdown } from '../../core/language/caseExplanation';
import type { DocumentAnalysis } from './documentCache';
import type { PolicySources } from './policySources';
import type { ExplainCaseParams, ExplainCaseResult } from './protocol';
import { caseLocations, caseResultAt, linkerFor } from './scenarioAnalysis';

/** `kmsStudio/explainCase`: one case's decision, full explanation and the places that decided it. */
export function explainCase(analysis: DocumentAnalysis, params: ExplainCaseParams, sources: PolicySources): ExplainCaseResult | null {
  if (analysis.role !== 'scenarios') return null;
  const scenario = analysis.scenario(sources);
  if (!scenario) return null;
  const where =
    params.caseIndex !== undefined
      ? { index: params.caseIndex }
      : params.position
        ? { offset: analysis.lines.offsetAt(params.position) }
        : undefined;
  const result = where ? caseResultAt(scenario, where) : undefined;
  if (!result) return null;
  const text = analysis.scenarioText;
  const { deciding, conditions } = caseLocations(scenario, result, text);
  return {
    caseIndex: result.case.index,
    name: result.case.name,
    decision: result.decision,
    expected: result.expected ?? null,
    pass: result.pass,
    reason: result.explanation.reason,
    explanation: result.explanation,
    locations: deciding,
    conditionLocations: conditions,
    markdown: caseHoverMarkdown(result, linkerFor(scenario, result, text)),
  };
}
