/**
 * What the client and the server say to each other beyond LSP itself. Both sides import this file, so a
 * change of shape is a compile error on both.
 */
import { RequestType, type Position, type Range, type TextEdit } from 'vscode-languageserver-protocol';
import type { Decision, Explanation } from '../../core/authz';
import type { FileSettings } from '../../core/policy/documentKind';

/** `kmsStudio.lint.*`: rule levels by finding code, as the user wrote them (validated by the server). */
export interface LintSettings {
  rules?: Record<string, string>;
}

/** `initializationOptions` and the `kmsStudio` settings section as the server reads them. */
export interface ServerSettings {
  files: FileSettings;
  lint?: LintSettings;
  /** How long diagnostics wait after the last change (milliseconds, 0..10000; default 150). */
  diagnosticsDelayMs?: number;
}

/** The `source` of every diagnostic KMS Studio publishes. */
export const DIAGNOSTIC_SOURCE = 'kms-studio';

/**
 * `Diagnostic.data` of KMS Studio's diagnostics: the document version the diagnostic was computed for, and
 * the quick fix already in LSP ranges, so a code action needs nothing but the diagnostic the client echoes.
 */
export interface DiagnosticData {
  version: number;
  fix?: { title: string; edits: TextEdit[]; isPreferred?: boolean };
}

export interface ExplainCaseParams {
  /** A scenario file. */
  uri: string;
  /** Anywhere inside the case; or give `caseIndex`. */
  position?: Position;
  /** The case's index in `cases`. */
  caseIndex?: number;
}

/** A statement (or grant) that decided, where it is written. */
export interface CaseStatementLocation {
  description: string;
  uri?: string;
  range?: Range;
}

export interface ExplainCaseResult {
  caseIndex: number;
  name: string;
  decision: Decision;
  /** null when the case has no `expect`. */
  expected: Decision | null;
  pass: boolean;
  reason: string;
  explanation: Explanation;
  /** The deciding statements. */
  locations: CaseStatementLocation[];
  /** The failed conditions of statements that would otherwise have applied. */
  conditionLocations: CaseStatementLocation[];
  /** The same explanation as the hover shows, for a panel or a notification. */
  markdown: string;
}

/** Explains one case of a scenario file: its decision and why. Answers null when there is no such case. */
export namespace ExplainCaseRequest {
  export const method = 'kmsStudio/explainCase';
  export const type = new RequestType<ExplainCaseParams, ExplainCaseResult | null, void>(method);
}

/**
 * The URI scheme of the key policies the VS Code client serves from its embedded KMS (a FileSystemProvider:
 * reading calls GetKeyPolicy, saving calls PutKeyPolicy). The server lints every document of this scheme as a
 * key policy, whatever the kmsStudio.files globs say.
 */
export const KEY_POLICY_SCHEME = 'kms-studio';
