import { POLICY_VERSION_2012, type Policy } from '../policy/model';
import type { PolicySource, StatementEvaluation } from './explanation';
import { evaluateStatement, type StatementCheck } from './statementMatcher';

/** One policy's statements checked against a request, sorted by what they do to it. */
export interface PolicyAnalysis {
  statements: StatementEvaluation[];
  /** Deny statements that apply. */
  denies: StatementEvaluation[];
  /** Allow statements that apply. */
  allows: StatementEvaluation[];
}

/**
 * Checks every statement. Order never matters: IAM evaluates all statements and combines them, so the result is
 * the same for any order (IAM User Guide, policy evaluation logic).
 */
export function analyzePolicy(policy: Policy, source: PolicySource, check: Omit<StatementCheck, 'variablesEnabled'>): PolicyAnalysis {
  // Policy variables exist only in the 2012-10-17 policy language; before it `${…}` is literal text.
  const variablesEnabled = policy.version?.value === POLICY_VERSION_2012;
  const statements = policy.statements.map((s) => evaluateStatement(s, source, { ...check, variablesEnabled }));
  return {
    statements,
    denies: statements.filter((s) => s.applies && s.ref.effect === 'Deny'),
    allows: statements.filter((s) => s.applies && s.ref.effect === 'Allow'),
  };
}

export function emptyAnalysis(): PolicyAnalysis {
  return { statements: [], denies: [], allows: [] };
}
