import { parseJson, type ParsedJson } from '../policy/parse';
import type { DocumentKind } from '../policy/documentKind';
import type { Policy } from '../policy/model';
import { policyFromJson } from '../policy/policyModel';
import type { Finding } from './finding';
import { runRule, type LintContext } from './lintRule';
import { applyRuleConfig, type RuleConfig } from './ruleConfig';
import { LINT_RULES } from './ruleRegistry';

export interface LintOptions {
  /** Rule levels by code (`kmsStudio.lint.rules`, `.kmsstudio.json`). */
  rules?: RuleConfig;
  /**
   * Called when a rule throws. Linting never throws: a failing rule loses its findings and the others still
   * run. Tests pass this to see such failures.
   */
  onRuleError?: (ruleId: string, error: unknown) => void;
}

function emptyPolicy(text: string): Policy {
  return { text, offset: 0, length: 0, statements: [], unknownElements: [] };
}

/**
 * Keeps every finding inside the text (a parse error at the very end has nowhere to point but the end), drops
 * exact repeats (one value can fail a schema rule twice), and orders findings by position.
 */
function normalize(findings: Finding[], textLength: number): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const offset = Math.min(Math.max(0, f.offset), textLength);
    const length = Math.min(Math.max(0, f.length), textLength - offset);
    const id = `${f.code}\u0000${offset}\u0000${length}\u0000${f.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(offset === f.offset && length === f.length ? f : { ...f, offset, length });
  }
  return out.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}

/**
 * Lints a parsed document as the given kind. The language server passes the parse it caches per document
 * version; the CLI parses once per file. Both get the same findings for the same text.
 *
 * A document that does not parse gets only its syntax errors: AWS refuses it as it stands, and rules run on the
 * parser's recovered tree would report what the author has not finished writing (a missing Resource, a lockout)
 * rather than what is wrong. Scenario files get only their syntax errors here: the language server checks
 * their cases.
 */
export function lintDocument(parsed: ParsedJson, kind: DocumentKind, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [...parsed.syntaxErrors];
  if (kind !== 'scenarios' && findings.length === 0) {
    const context: LintContext = {
      text: parsed.text,
      kind,
      root: parsed.root,
      policy: kind === 'grant' ? emptyPolicy(parsed.text) : policyFromJson(parsed),
    };
    for (const rule of LINT_RULES) {
      if (!rule.kinds.includes(kind)) continue;
      try {
        runRule(rule, context, findings);
      } catch (e) {
        options.onRuleError?.(rule.id, e);
      }
    }
  }
  return applyRuleConfig(normalize(findings, parsed.text.length), options.rules ?? {});
}

/** Parses and lints one document's text. */
export function lintText(text: string, kind: DocumentKind, options: LintOptions = {}): Finding[] {
  return lintDocument(parseJson(text), kind, options);
}
