/**
 * Every failure a command meets, shown once, in words that say what went wrong and what to do. A denied call
 * shows the decision and offers Explain, which opens the evaluator's explanation beside the key policy; the last
 * error and the last denial stay readable, for Explain Last Denial and for tests.
 */
import * as vscode from 'vscode';
import type { Explanation } from '../../../core/authz/explanation';
import { denialSummary } from '../model/explanationView';
import { adviceFor, kmsErrorText } from '../model/errorAdvice';
import { KmsCallError, type KmsHost } from '../kms/kmsHost';

/** A denied call, with what the explanation view needs to show it beside the key policy. */
export interface Denial {
  operation: string;
  explanation: Explanation;
  errorName: string;
  errorMessage: string;
  region: string;
  keyArn?: string;
  keyId?: string;
  /** The key policy text the evaluator read, so the highlights' offsets fit it even if it has changed since. */
  policyText?: string;
}

export interface ReportedError {
  operation: string;
  name: string;
  message: string;
  /** The text shown to the person. */
  text: string;
}

export const EXPLAIN_ACTION = 'Explain';

export class Reporter implements vscode.Disposable {
  lastError: ReportedError | undefined;
  lastDenial: Denial | undefined;
  private readonly reported = new vscode.EventEmitter<ReportedError>();
  readonly onDidReport = this.reported.event;
  /** Set by the composition root: opens the explanation view for a denial. */
  explain: (denial: Denial) => Promise<unknown> = async () => undefined;

  constructor(
    private readonly host: KmsHost,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  private record(error: ReportedError): void {
    this.lastError = error;
    this.output.error(error.text);
    this.reported.fire(error);
  }

  /** Reports a failure of `operation` (a command's title or a KMS operation's name). */
  async report(operation: string, error: unknown): Promise<void> {
    if (error instanceof KmsCallError) return this.reportKmsError(operation, error);
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const text = `${operation}: ${message}`;
    this.record({ operation, name, message, text });
    void vscode.window.showErrorMessage(text);
  }

  private async reportKmsError(operation: string, error: KmsCallError): Promise<void> {
    const explanation = error.explanation as Explanation | undefined;
    if (error.name === 'AccessDeniedException' && explanation && typeof explanation === 'object' && 'decision' in explanation) {
      const denial = await this.denialOf(error, explanation);
      this.lastDenial = denial;
      const text = `${denialSummary(explanation, error.operation)} ${adviceFor(error.name)}`;
      this.record({ operation, name: error.name, message: error.message, text });
      void vscode.window.showErrorMessage(text, EXPLAIN_ACTION).then((choice) => {
        if (choice === EXPLAIN_ACTION) void this.explain(denial).catch((e: unknown) => this.report('Explain', e));
      });
      return;
    }
    const text = kmsErrorText(error.operation, error.name, error.message);
    this.record({ operation, name: error.name, message: error.message, text });
    void vscode.window.showErrorMessage(text);
  }

  private async denialOf(error: KmsCallError, explanation: Explanation): Promise<Denial> {
    const denial: Denial = { operation: error.operation, explanation, errorName: error.name, errorMessage: error.message, region: error.region };
    const keyArn = error.keyArn;
    if (keyArn) {
      denial.keyArn = keyArn;
      const record = await this.host.keyRecord(keyArn).catch(() => undefined);
      if (record) {
        denial.keyId = record.keyId;
        denial.region = record.region;
        denial.policyText = record.policy;
      }
    }
    return denial;
  }

  info(text: string): void {
    this.output.info(text);
    void vscode.window.showInformationMessage(text);
  }

  dispose(): void {
    this.reported.dispose();
  }
}
