import { parseJson, type ParsedJson } from '../policy/parse';
import type { DocumentKind } from '../policy/documentKind';
import type { Policy, Statement } from '../policy/model';
import { policyFromJsonReusing } from '../policy/policyModel';
import type { Finding } from './finding';
import { reporterInto, runRule, type DocumentMemo, type LintContext, type LintRule } from './lintRule';
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

const rulesByKind = new Map<DocumentKind, readonly LintRule[]>();

function rulesFor(kind: DocumentKind): readonly LintRule[] {
  let rules = rulesByKind.get(kind);
  if (!rules) {
    rules = LINT_RULES.filter((rule) => rule.kinds.includes(kind));
    rulesByKind.set(kind, rules);
  }
  return rules;
}

/** The findings of a check that found nothing: shared, as kept findings are never changed. */
const NONE: Finding[] = [];

/** What one statement's text decides, in the text of the version it was found in. */
interface StatementResults {
  /** The statement's text. */
  key: string;
  /** The statement's offset in that text: the findings below point into it. */
  offset: number;
  /** Each rule's statement findings, by position in the kind's rule list. */
  findings: Finding[][];
  /** What document checks derived from the statement (LintContext.statementMemo). */
  memo: Map<string, unknown>;
}

function shiftFinding(f: Finding, delta: number): Finding {
  const shifted: Finding = { ...f, offset: f.offset + delta };
  if (f.related) shifted.related = f.related.map((r) => ({ ...r, offset: r.offset + delta }));
  if (f.fix) shifted.fix = { title: f.fix.title, edits: f.fix.edits.map((e) => ({ ...e, offset: e.offset + delta })) };
  return shifted;
}

/** The same results for the same statement text found at another offset. */
function shiftResults(results: StatementResults, offset: number): StatementResults {
  const delta = offset - results.offset;
  const findings = results.findings.map((list) => (list.length > 0 ? list.map((f) => shiftFinding(f, delta)) : NONE));
  return { key: results.key, offset, findings, memo: results.memo };
}

/** Whether everything a finding points at lies inside the statement, so that shifting it with the statement is right. */
function inside(f: Finding, statement: Statement): boolean {
  const start = statement.offset;
  const end = statement.offset + statement.length;
  const within = (offset: number, length: number) => offset >= start && offset + length <= end;
  return (
    within(f.offset, f.length) &&
    (f.related ?? []).every((r) => within(r.offset, r.length)) &&
    (f.fix?.edits ?? []).every((e) => within(e.offset, e.length))
  );
}

/** Results of whole-document computations for the last few inputs (see LintContext.documentMemo). */
class RecentResults implements DocumentMemo {
  private readonly entries: Array<{ name: string; inputs: readonly unknown[]; value: unknown }> = [];

  constructor(private readonly size: number) {}

  get<T>(name: string, inputs: readonly unknown[], compute: () => T): T {
    const index = this.entries.findIndex(
      (e) => e.name === name && e.inputs.length === inputs.length && e.inputs.every((v, i) => v === inputs[i]),
    );
    if (index >= 0) {
      const [hit] = this.entries.splice(index, 1);
      this.entries.unshift(hit!);
      return hit!.value as T;
    }
    const value = compute();
    this.entries.unshift({ name, inputs, value });
    if (this.entries.length > this.size) this.entries.pop();
    return value;
  }
}

/**
 * What a DocumentLinter keeps between two versions: the results of each statement of the last version linted,
 * by the statement's exact text and by its model object (which the next version's model reuses for a statement
 * that has not moved), valid for one document kind and one form of Statement (a list, or a single statement,
 * which changes the paths in grammar messages); and that version's model.
 */
interface LinterState {
  kind: DocumentKind;
  listForm: boolean;
  statements: StatementCache;
  policy: Policy;
}

interface StatementCache {
  byText: Map<string, StatementResults>;
  byStatement: Map<Statement, StatementResults>;
}

interface CacheUse {
  previous: StatementCache | undefined;
  next: StatementCache;
}

/**
 * Lints successive versions of one document, as an editor changes it. Findings of a statement check depend on
 * the statement's text alone (see LintRule), so a statement whose text is unchanged since the previous version
 * gets its findings back, shifted to where the statement now is, and only changed statements are checked again;
 * document checks (unique Sids, redundant statements, public access, lockout, size) run on every version. What
 * is kept is the previous version's statements only, so it is bounded by the document, and goes with it.
 *
 * The findings are those lintDocument returns for the same text, whatever was linted before: the tests check this
 * on random edit sequences.
 */
export class DocumentLinter {
  private state: LinterState | undefined;
  private last: { parsed: ParsedJson; policy: Policy } | undefined;
  private readonly documentMemo = new RecentResults(4);

  lint(parsed: ParsedJson, kind: DocumentKind, options: LintOptions = {}): Finding[] {
    return lintWith(parsed, kind, options, this);
  }

  /** @internal The model of a version, reusing the previous version's statement objects where nothing changed. */
  policyOf(parsed: ParsedJson): Policy {
    if (this.last?.parsed === parsed) return this.last.policy;
    const policy = policyFromJsonReusing(parsed, this.state?.policy);
    this.last = { parsed, policy };
    return policy;
  }

  /**
   * The model the last lint built of this parse, if it was this parse: for other uses of the same version (hover,
   * code lenses), which then share it rather than build their own.
   */
  modelOf(parsed: ParsedJson): Policy | undefined {
    return this.last?.parsed === parsed ? this.last.policy : undefined;
  }

  /** @internal What the previous version left for this one, and where this one leaves its own. */
  takeState(kind: DocumentKind, policy: Policy): CacheUse {
    const listForm = policy.statementElement?.isArray ?? true;
    const previous = this.state && this.state.kind === kind && this.state.listForm === listForm ? this.state.statements : undefined;
    const next: StatementCache = { byText: new Map(), byStatement: new Map() };
    this.state = { kind, listForm, statements: next, policy };
    return { previous, next };
  }

  /** @internal */
  get memo(): DocumentMemo {
    return this.documentMemo;
  }
}

function lintWith(parsed: ParsedJson, kind: DocumentKind, options: LintOptions, linter: DocumentLinter | undefined): Finding[] {
  const findings: Finding[] = [...parsed.syntaxErrors];
  if (kind !== 'scenarios' && findings.length === 0) {
    const policy = kind === 'grant' ? emptyPolicy(parsed.text) : linter ? linter.policyOf(parsed) : policyFromJsonReusing(parsed, undefined);
    const rules = rulesFor(kind);
    // A statement's text alone decides its statement findings in a text that parses without errors, which is
    // when rules run: the parser's tree of a statement is then the same wherever the statement stands.
    const cache = linter?.takeState(kind, policy);
    const results = new Map<Statement, StatementResults>();
    const context: LintContext = {
      text: parsed.text,
      kind,
      root: parsed.root,
      policy,
      statementMemo: (statement) => results.get(statement)?.memo ?? new Map<string, unknown>(),
      ...(linter ? { documentMemo: linter.memo } : {}),
    };
    const ordered: StatementResults[] = [];
    for (const statement of policy.statements) {
      const found = statementResults(context, statement, rules, options, cache);
      results.set(statement, found);
      ordered.push(found);
    }
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      if (!rule.checkStatement && !rule.checkDocument) {
        try {
          runRule(rule, context, findings);
        } catch (e) {
          options.onRuleError?.(rule.id, e);
        }
        continue;
      }
      if (rule.checkStatement) {
        for (const found of ordered) {
          const list = found.findings[r]!;
          for (let i = 0; i < list.length; i++) findings.push(list[i]!);
        }
      }
      if (rule.checkDocument) {
        try {
          rule.checkDocument(context, reporterInto(rule, findings));
        } catch (e) {
          options.onRuleError?.(rule.id, e);
        }
      }
    }
  }
  return applyRuleConfig(normalize(findings, parsed.text.length), options.rules ?? {});
}

/** The statement checks' findings for one statement: kept from the previous version when its text is unchanged. */
function statementResults(
  context: LintContext,
  statement: Statement,
  rules: readonly LintRule[],
  options: LintOptions,
  cache: CacheUse | undefined,
): StatementResults {
  // A statement object the model kept from the previous version has the same text at the same place.
  const same = cache?.previous?.byStatement.get(statement);
  if (same) {
    cache!.next.byStatement.set(statement, same);
    cache!.next.byText.set(same.key, same);
    return same;
  }
  const key = cache ? context.text.slice(statement.offset, statement.offset + statement.length) : '';
  const kept = cache && (cache.next.byText.get(key) ?? cache.previous?.byText.get(key));
  if (kept) {
    const results = kept.offset === statement.offset ? kept : shiftResults(kept, statement.offset);
    cache.next.byText.set(key, results);
    cache.next.byStatement.set(statement, results);
    return results;
  }
  const results: StatementResults = { key, offset: statement.offset, findings: [], memo: new Map() };
  let keep = true;
  for (const rule of rules) {
    const found: Finding[] = [];
    if (rule.checkStatement) {
      try {
        rule.checkStatement(context, statement, reporterInto(rule, found));
      } catch (e) {
        // Checked again next time, so the failure is reported for every version, as without the cache.
        keep = false;
        options.onRuleError?.(rule.id, e);
      }
    }
    if (keep && !found.every((f) => inside(f, statement))) keep = false;
    results.findings.push(found.length > 0 ? found : NONE);
  }
  if (cache && keep) {
    cache.next.byText.set(key, results);
    cache.next.byStatement.set(statement, results);
  }
  return results;
}

/**
 * Lints a parsed document as the given kind. The language server passes the parse it caches per document
 * version (through a DocumentLinter, which reuses what an edit did not change); the CLI parses once per file.
 * Both get the same findings for the same text.
 *
 * A document that does not parse gets only its syntax errors: AWS refuses it as it stands, and rules run on the
 * parser's recovered tree would report what the author has not finished writing (a missing Resource, a lockout)
 * rather than what is wrong. Scenario files get only their syntax errors here: the language server checks
 * their cases.
 */
export function lintDocument(parsed: ParsedJson, kind: DocumentKind, options: LintOptions = {}): Finding[] {
  return lintWith(parsed, kind, options, undefined);
}

/** Parses and lints one document's text. */
export function lintText(text: string, kind: DocumentKind, options: LintOptions = {}): Finding[] {
  return lintDocument(parseJson(text), kind, options);
}
