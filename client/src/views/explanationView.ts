/**
 * The evaluator's explanation of a decision, beside the key policy it concerns: the policy on the left with the
 * deciding statement highlighted (green for an Allow, red for a Deny, a yellow border around a condition that
 * was not met), the explanation as Markdown on the right.
 *
 * The highlights' offsets are into the policy text the evaluator read. The live `kms-studio:` document is shown
 * when it still holds that text and the acting identity may read it; otherwise a read-only snapshot of the text
 * the decision was made on.
 */
import * as vscode from 'vscode';
import type { Explanation } from '../../../core/authz/explanation';
import { explanationMarkdown, policyHighlights, type ExplanationSubject, type PolicyHighlight } from '../model/explanationView';
import { keyPolicyUri, type KeyPolicyFileSystem } from '../fs/keyPolicyFileSystem';
import type { TextViews } from './textViews';

export interface ExplanationRequest {
  explanation: Explanation;
  subject: ExplanationSubject;
  region?: string;
  keyId?: string;
  /** The key policy text the evaluator read. */
  policyText?: string;
}

export interface ShownExplanation {
  explanationUri: vscode.Uri;
  policyUri?: vscode.Uri;
  /** Whether the policy shown is the live, editable document (else a snapshot). */
  live: boolean;
  highlights: Array<{ range: vscode.Range; highlight: PolicyHighlight }>;
}

export class ExplanationView implements vscode.Disposable {
  private count = 0;
  private readonly types: Record<PolicyHighlight['kind'], vscode.TextEditorDecorationType>;
  /** Highlights by document URI, applied again whenever such a document becomes visible. */
  private readonly highlights = new Map<string, ShownExplanation['highlights']>();
  private readonly disposables: vscode.Disposable[];
  last: ShownExplanation | undefined;

  constructor(
    private readonly views: TextViews,
    private readonly policies: KeyPolicyFileSystem,
  ) {
    this.types = {
      allow: vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
        overviewRulerColor: new vscode.ThemeColor('charts.green'),
        overviewRulerLane: vscode.OverviewRulerLane.Full,
      }),
      deny: vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
        overviewRulerColor: new vscode.ThemeColor('charts.red'),
        overviewRulerLane: vscode.OverviewRulerLane.Full,
      }),
      condition: vscode.window.createTextEditorDecorationType({
        border: '1px solid',
        borderColor: new vscode.ThemeColor('editorWarning.foreground'),
        overviewRulerColor: new vscode.ThemeColor('charts.yellow'),
        overviewRulerLane: vscode.OverviewRulerLane.Center,
      }),
    };
    this.disposables = [...Object.values(this.types), vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.decorate(e)))];
  }

  private decorate(editor: vscode.TextEditor): void {
    const list = this.highlights.get(editor.document.uri.toString());
    if (!list) return;
    for (const kind of Object.keys(this.types) as PolicyHighlight['kind'][]) {
      editor.setDecorations(
        this.types[kind],
        list.filter((h) => h.highlight.kind === kind).map((h) => ({ range: h.range, hoverMessage: h.highlight.label })),
      );
    }
  }

  private async policyDocument(request: ExplanationRequest, folder: string): Promise<{ document: vscode.TextDocument; live: boolean } | undefined> {
    if (request.keyId && request.region) {
      try {
        const uri = keyPolicyUri({ region: request.region, keyId: request.keyId });
        const live = await this.policies.quietly(() => vscode.workspace.openTextDocument(uri));
        if (request.policyText === undefined || live.getText() === request.policyText) return { document: live, live: true };
      } catch {
        // The acting identity may not read the policy (or the key is gone): show the snapshot instead.
      }
    }
    if (request.policyText === undefined) return undefined;
    const uri = this.views.put(`${folder}/${request.keyId ?? 'key'}.keypolicy.json`, request.policyText);
    return { document: await vscode.workspace.openTextDocument(uri), live: false };
  }

  async show(request: ExplanationRequest): Promise<ShownExplanation> {
    const folder = `/explanations/${++this.count}`;
    const explanationUri = this.views.put(`${folder}/explanation.md`, explanationMarkdown(request.explanation, request.subject));
    const policy = await this.policyDocument(request, folder);
    const shown: ShownExplanation = { explanationUri, live: policy?.live ?? false, highlights: [] };
    if (policy) {
      const { document } = policy;
      shown.policyUri = document.uri;
      shown.highlights = policyHighlights(request.explanation)
        .filter((h) => h.offset + h.length <= document.getText().length)
        .map((highlight) => ({ highlight, range: new vscode.Range(document.positionAt(highlight.offset), document.positionAt(highlight.offset + highlight.length)) }));
      this.highlights.set(document.uri.toString(), shown.highlights);
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
      this.decorate(editor);
      const first = shown.highlights[0];
      if (first) {
        editor.revealRange(first.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        editor.selection = new vscode.Selection(first.range.start, first.range.start);
      }
    }
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(explanationUri), {
      viewColumn: policy ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
      preserveFocus: !!policy,
      preview: true,
    });
    this.last = shown;
    return shown;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.highlights.clear();
  }
}
