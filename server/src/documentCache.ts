import { TextDocument } from 'vscode-languageserver-textdocument';
import { nestsTooDeep } from '../../core/language/jsonLocation';
import { DocumentLinter } from '../../core/lint/lintDocument';
import type { Finding } from '../../core/lint/finding';
import type { RuleConfig } from '../../core/lint/ruleConfig';
import type { DocumentKind } from '../../core/policy/documentKind';
import type { Policy } from '../../core/policy/model';
import { parseJson, type ParsedJson } from '../../core/policy/parse';
import { policyFromJson } from '../../core/policy/policyModel';
import { LineIndex } from '../../core/policy/lineIndex';
import { PolicySources } from './policySources';
import { analyzeScenario, type ScenarioAnalysis, type ScenarioText } from './scenarioAnalysis';

/** What a document is to the server: a KMS document kind, or the workspace's `.kmsstudio.json`. */
export type DocumentRole = DocumentKind | 'workspaceConfig';

/**
 * Everything derived from one version of one document, computed on first use and then shared by diagnostics,
 * hover, completion, code actions, symbols and code lenses: one parse per version, as the JSON language
 * service does it.
 */
export class DocumentAnalysis {
  readonly uri: string;
  readonly version: number;
  readonly text: string;
  /** The document's file system path (for scenario files, what policy paths are relative to). */
  readonly path: string;
  /** A snapshot for offset → position at this version; the live TextDocument changes in place. */
  readonly lines: TextDocument;
  private parsed?: ParsedJson;
  private model?: Policy;
  private deep?: boolean;
  private lint?: { rules: RuleConfig; findings: Finding[] };
  private scenarioRun?: ScenarioAnalysis;
  private lineIndex?: LineIndex;
  /**
   * The document's linter, handed from each version's analysis to the next: it keeps what the statements of the
   * last version linted decide, so an edit re-checks only the statements it changed.
   */
  readonly linter: DocumentLinter;

  constructor(
    document: TextDocument,
    readonly role: DocumentRole | undefined,
    linter?: DocumentLinter,
  ) {
    this.linter = linter ?? new DocumentLinter();
    this.uri = document.uri;
    this.version = document.version;
    this.text = document.getText();
    this.path = PolicySources.pathOf(document.uri);
    this.lines = TextDocument.create(document.uri, document.languageId, document.version, this.text);
  }

  /** AWS accepts only strict JSON in a policy or grant; scenario and configuration files are the user's own. */
  get json(): ParsedJson {
    const strict = this.role === 'keyPolicy' || this.role === 'identityPolicy' || this.role === 'grant';
    return (this.parsed ??= parseJson(this.text, { strict }));
  }

  get policy(): Policy {
    return (this.model ??= this.linter.modelOf(this.json) ?? policyFromJson(this.json));
  }

  /** Whether the text nests too deep for jsonc-parser's recursive functions (getLocation, the tree). */
  get tooDeep(): boolean {
    return (this.deep ??= nestsTooDeep(this.text));
  }

  /** Lint findings under the given rule levels; recomputed only when the levels object changes. */
  findings(rules: RuleConfig): Finding[] {
    const kind = this.role;
    if (kind !== 'keyPolicy' && kind !== 'identityPolicy' && kind !== 'grant') return [];
    if (this.lint?.rules !== rules) this.lint = { rules, findings: this.linter.lint(this.json, kind, { rules }) };
    return this.lint.findings;
  }

  /**
   * The scenario loaded and run. The text of this version is fixed, but the policy files it reads are not: the
   * result is kept only while every file it read still has the same fingerprint.
   */
  scenario(sources: PolicySources): ScenarioAnalysis | undefined {
    if (this.role !== 'scenarios') return undefined;
    if (!this.scenarioRun || !sources.unchanged(this.scenarioRun.reads)) {
      this.scenarioRun = analyzeScenario(this.text, this.path, sources);
    }
    return this.scenarioRun;
  }

  /** The scenario's last run without re-checking its files: to know which files it reads. */
  get lastScenario(): ScenarioAnalysis | undefined {
    return this.scenarioRun;
  }

  get scenarioText(): ScenarioText {
    this.lineIndex ??= new LineIndex(this.text);
    return { root: this.json.root, lines: this.lineIndex, uri: this.uri };
  }
}

/** One analysis per open document, replaced when its version changes and dropped when it closes. */
export class DocumentCache {
  private readonly entries = new Map<string, DocumentAnalysis>();

  constructor(private readonly roleOf: (document: TextDocument) => DocumentRole | undefined) {}

  get(document: TextDocument): DocumentAnalysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis = new DocumentAnalysis(document, this.roleOf(document), cached?.linter);
    this.entries.set(document.uri, analysis);
    return analysis;
  }

  /** The analyses computed so far, without computing any. */
  peekAll(): DocumentAnalysis[] {
    return [...this.entries.values()];
  }

  evict(uri: string): void {
    this.entries.delete(uri);
  }

  /** When what decides a document's role changes (the file globs), every analysis is stale. */
  clear(): void {
    this.entries.clear();
  }
}
