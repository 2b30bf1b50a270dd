import { findNodeAtLocation } from 'jsonc-parser';
import type { Diagnostic, DiagnosticRelatedInformation } from 'vscode-languageserver';
import { caseFailureMessage } from '../../core/language/caseExplanation';
import { applyRuleConfig, type RuleConfig } from '../../core/lint/ruleConfig';
import type { Finding } from '../../core/lint/finding';
import type { DocumentAnalysis } from './documentCache';
import { severityOf } from './diagnosticConversion';
import type { PolicySources } from './policySources';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';
import { rangeOf } from './ranges';
import { caseLocations } from './scenarioAnalysis';

/** A scenario file that cannot be simulated: bad JSON, a schema violation, a missing key or policy file. */
export const SCENARIO_INVALID = 'SCENARIO_INVALID';
/** A case whose `expect` is not what the policies decide. */
export const SCENARIO_EXPECTATION_FAILED = 'SCENARIO_EXPECTATION_FAILED';

/** A rule level applies to a scenario finding as to a lint finding: the same `rules` object, by code. */
function leveled(finding: Finding, rules: RuleConfig): Finding | undefined {
  return applyRuleConfig([finding], rules)[0];
}

/**
 * Diagnostics of a scenario file: every problem that keeps it from running, at its place; every case whose
 * expectation fails, on its `expect`, with the explanation in the message and the deciding statements and
 * failed conditions as related information (in the policy files, where the user goes to fix them).
 */
export function scenarioDiagnostics(analysis: DocumentAnalysis, sources: PolicySources, rules: RuleConfig): Diagnostic[] {
  const scenario = analysis.scenario(sources);
  if (!scenario) return [];
  const out: Diagnostic[] = [];
  const problem = (message: string, offset: number | undefined, length: number | undefined): void => {
    const finding = leveled({ code: SCENARIO_INVALID, severity: 'ERROR', message, offset: offset ?? 0, length: length ?? 1 }, rules);
    if (!finding) return;
    out.push({
      range: rangeOf(analysis.lines, finding.offset, finding.length),
      severity: severityOf(finding.severity),
      code: finding.code,
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      data: { version: analysis.version } satisfies DiagnosticData,
    });
  };
  for (const p of scenario.load.problems) problem(p.jsonPath === '$' ? p.message : `${p.jsonPath}: ${p.message}`, p.offset, p.length);
  for (const p of scenario.run?.problems ?? []) problem(`${p.jsonPath}: ${p.message}`, p.offset, p.length);
  if (scenario.failure) problem(`The simulation failed: ${scenario.failure}`, 0, 1);

  const text = analysis.scenarioText;
  for (const result of scenario.run?.results ?? []) {
    if (result.pass) continue;
    const expectNode = text.root ? findNodeAtLocation(text.root, ['cases', result.case.index, 'expect']) : undefined;
    const at = expectNode ?? result.case;
    const finding = leveled(
      { code: SCENARIO_EXPECTATION_FAILED, severity: 'ERROR', message: caseFailureMessage(result), offset: at.offset, length: at.length },
      rules,
    );
    if (!finding) continue;
    const { deciding, conditions } = caseLocations(scenario, result, text);
    const relatedInformation: DiagnosticRelatedInformation[] = [...deciding, ...conditions].flatMap((l) =>
      l.uri && l.range ? [{ location: { uri: l.uri, range: l.range }, message: l.description }] : [],
    );
    const data: DiagnosticData = { version: analysis.version };
    if (expectNode) {
      data.fix = {
        title: `Expect "${result.decision}", which is what the policies decide`,
        edits: [{ range: rangeOf(analysis.lines, expectNode.offset, expectNode.length), newText: JSON.stringify(result.decision) }],
        // Whether the expectation or the policy is wrong is the author's call, so this is never the preferred fix.
        isPreferred: false,
      };
    }
    out.push({
      range: rangeOf(analysis.lines, finding.offset, finding.length),
      severity: severityOf(finding.severity),
      code: finding.code,
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      ...(relatedInformation.length ? { relatedInformation } : {}),
      data,
    });
  }
  return out;
}
