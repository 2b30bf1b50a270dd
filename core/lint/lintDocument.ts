import { parseJson, type ParsedJson } from '../policy/parse';
import type { DocumentKind } from '../policy/documentKind';
import type { Finding } from './finding';
import { applyRuleConfig, type RuleConfig } from './ruleConfig';

export interface LintOptions {
  /** Rule levels by code (`kmsStudio.lint.rules`, `.kmsstudio.json`). */
  rules?: RuleConfig;
}

/**
 * Lints a parsed document as the given kind. The language server passes the parse it caches per document
 * version; the CLI parses once per file. Both get the same findings for the same text.
 */
export function lintDocument(parsed: ParsedJson, _kind: DocumentKind, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = [...parsed.syntaxErrors];
  return applyRuleConfig(findings, options.rules ?? {});
}

/** Parses and lints one document's text. */
export function lintText(text: string, kind: DocumentKind, options: LintOptions = {}): Finding[] {
  return lintDocument(parseJson(text), kind, options);
}
