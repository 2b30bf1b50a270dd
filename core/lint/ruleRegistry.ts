import type { DocumentKind } from '../policy/documentKind';
import { actionNameRule } from './actionNameRule';
import { conditionNameRule } from './conditionNameRule';
import { conditionTypeRule } from './conditionTypeRule';
import { conditionValueRule } from './conditionValueRule';
import { documentLimitsRule } from './documentLimitsRule';
import type { Severity } from './finding';
import { grantRule } from './grantRule';
import { keyPolicyAccessRule } from './keyPolicyAccessRule';
import { kmsConditionKeyRule } from './kmsConditionKeyRule';
import type { LintRule } from './lintRule';
import { lockoutRule } from './lockoutRule';
import { policyGrammarRule } from './policyGrammarRule';
import { principalRule } from './principalRule';
import { redundancyRule } from './redundancyRule';
import { resourceRule } from './resourceRule';
import { setOperatorRule } from './setOperatorRule';

/** Every rule family, in the order they run. */
export const LINT_RULES: readonly LintRule[] = [
  policyGrammarRule,
  documentLimitsRule,
  actionNameRule,
  conditionNameRule,
  principalRule,
  conditionTypeRule,
  setOperatorRule,
  conditionValueRule,
  kmsConditionKeyRule,
  redundancyRule,
  resourceRule,
  keyPolicyAccessRule,
  lockoutRule,
  grantRule,
] as LintRule[];

/** One finding code as the language server, the CLI and the README list it. */
export interface RuleCodeInfo {
  code: string;
  severity: Severity;
  description: string;
  /** The rule families that report it (most codes have one). */
  rules: string[];
  kinds: DocumentKind[];
}

/** JSON_SYNTAX_ERROR comes from the parser, before any rule runs, and applies to every kind of document. */
const SYNTAX: RuleCodeInfo = {
  code: 'JSON_SYNTAX_ERROR',
  severity: 'ERROR',
  description: 'The text is not strict JSON (comments and trailing commas included), so AWS would refuse it.',
  rules: ['parse'],
  kinds: ['keyPolicy', 'identityPolicy', 'grant', 'scenarios'],
};

function collect(): RuleCodeInfo[] {
  const byCode = new Map<string, RuleCodeInfo>([[SYNTAX.code, SYNTAX]]);
  for (const rule of LINT_RULES) {
    for (const [code, info] of Object.entries(rule.codes)) {
      const kinds = info.kinds ?? rule.kinds;
      const existing = byCode.get(code);
      if (existing) {
        if (existing.severity !== info.severity) throw new Error(`${code} has two default severities`);
        existing.rules.push(rule.id);
        for (const kind of kinds) if (!existing.kinds.includes(kind)) existing.kinds.push(kind);
      } else {
        byCode.set(code, { code, severity: info.severity, description: info.description, rules: [rule.id], kinds: [...kinds] });
      }
    }
  }
  return [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** Every finding code, its default severity and a one-line description, sorted by code. */
export const RULE_CODES: readonly RuleCodeInfo[] = collect();

const byCode = new Map(RULE_CODES.map((r) => [r.code, r]));

export function ruleCodeInfo(code: string): RuleCodeInfo | undefined {
  return byCode.get(code);
}
