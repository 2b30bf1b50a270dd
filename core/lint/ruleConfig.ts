import type { Finding, Severity } from './finding';

/** A rule's configured level: off, or the severity its findings take instead of their own. */
export type RuleLevel = 'off' | Severity;

/** Rule levels by finding code, from `kmsStudio.lint.rules` or the `rules` of a `.kmsstudio.json`. */
export type RuleConfig = Readonly<Record<string, RuleLevel>>;

const LEVELS: ReadonlySet<string> = new Set(['off', 'ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION']);

/** A problem in a rule configuration, reported rather than silently ignored. */
export interface RuleConfigProblem {
  code: string;
  message: string;
}

/**
 * Reads a rules object as users write it. Levels are accepted in any case (`warning`, `Warning`); anything
 * else is reported and left out, so one typo does not turn the whole configuration off.
 */
export function readRuleConfig(value: unknown): { rules: RuleConfig; problems: RuleConfigProblem[] } {
  const rules: Record<string, RuleLevel> = {};
  const problems: RuleConfigProblem[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { rules, problems: [{ code: '', message: 'rules must be an object mapping finding codes to levels' }] };
  }
  for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
    const normalized = typeof level === 'string' ? (level.toLowerCase() === 'off' ? 'off' : level.toUpperCase()) : '';
    if (LEVELS.has(normalized)) rules[code] = normalized as RuleLevel;
    else problems.push({ code, message: `${code}: level ${JSON.stringify(level)} is not one of off, ERROR, SECURITY_WARNING, WARNING, SUGGESTION` });
  }
  return { rules, problems };
}

/** Later configurations win: defaults, then `.kmsstudio.json`, then editor settings. */
export function mergeRuleConfigs(...configs: Array<RuleConfig | undefined>): RuleConfig {
  return Object.assign({}, ...configs.filter(Boolean)) as RuleConfig;
}

/**
 * Applies rule levels to findings: drops those turned off, re-levels the rest. JSON_SYNTAX_ERROR cannot be
 * turned off: a document that does not parse has no other findings to show, and AWS would refuse it.
 */
export function applyRuleConfig(findings: readonly Finding[], config: RuleConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const level = f.code === 'JSON_SYNTAX_ERROR' ? undefined : config[f.code];
    if (level === 'off') continue;
    out.push(level && level !== f.severity ? { ...f, severity: level } : f);
  }
  return out;
}
