/**
 * KMS: Show Audit Log (filterable by key, operation and outcome), Show Cost Estimate and Advance Sandbox Clock.
 *
 *   showAuditLog   { keyId?, operation?, outcome?: 'success' | 'failure' | 'accessDenied' }  (no arguments: guided)
 *   advanceClock   { days }
 */
import * as vscode from 'vscode';
import type { AuditOutcome } from '../../../core/kms/audit';
import { auditFilterOf, auditQueryOf, auditText, type AuditViewFilter } from '../model/auditView';
import { costMarkdown, costReport, type CostReport } from '../model/costReport';
import { keyLabel } from '../model/keyPresentation';
import { isKeyTreeNode, keyOfNode } from '../tree/keyNodes';
import { VIEW_SCHEME } from '../views/textViews';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';

const ALL = '';
const AUDIT_PATH = '/audit.log';
const COST_PATH = '/cost-estimate.md';
const MS_PER_DAY = 86_400_000;

async function askFilter(ctx: CommandContext): Promise<AuditViewFilter> {
  const title = 'KMS: Show Audit Log';
  const how = await pickOne(
    [
      { label: 'All events', value: 'all' },
      { label: 'Filter by key, operation or outcome…', value: 'filter' },
    ],
    { title },
  );
  if (how === 'all') return {};
  const session = await ctx.host.open();
  const events = session.log.read();
  const keys = await ctx.tree.keys();
  const keyId = await pickOne(
    [{ label: 'Any key', value: ALL }, ...keys.map((k) => ({ label: keyLabel(k), description: k.region, detail: k.arn, value: k.arn }))],
    { title: `${title} (1/3): key` },
  );
  const operations = [...new Set(events.map((e) => e.eventName))].sort();
  const operation = await pickOne([{ label: 'Any operation', value: ALL }, ...operations.map((o) => ({ label: o, value: o }))], { title: `${title} (2/3): operation` });
  const outcome = await pickOne<AuditOutcome | ''>(
    [
      { label: 'Any outcome', value: ALL },
      { label: 'Succeeded', value: 'success' },
      { label: 'Failed', detail: 'Any error, denials included', value: 'failure' },
      { label: 'Access denied', value: 'accessDenied' },
    ],
    { title: `${title} (3/3): outcome` },
  );
  return { ...(keyId ? { keyId } : {}), ...(operation ? { operation } : {}), ...(outcome ? { outcome } : {}) };
}

export function registerAuditCommands(ctx: CommandContext): vscode.Disposable[] {
  let pending: NodeJS.Timeout | undefined;
  const refreshSoon = (): void => {
    // A burst of calls is one refresh of the open audit views.
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      ctx.views.refresh(AUDIT_PATH);
      ctx.views.refresh(COST_PATH);
    }, 200);
  };
  return [
    ctx.views.register(AUDIT_PATH, async (uri) => {
      const session = await ctx.host.open();
      return auditText(session.log.read(), auditFilterOf(uri.query), session.storeDir);
    }),
    ctx.views.register(COST_PATH, async () => {
      const session = await ctx.host.open();
      return costMarkdown(costReport(session.keys(), session.log.read(), session.clock.now()));
    }),
    ctx.host.onDidAppendAudit(refreshSoon),
    ctx.host.onDidChangeStore(refreshSoon),
    new vscode.Disposable(() => clearTimeout(pending)),
    vscode.commands.registerCommand(
      'kmsStudio.showAuditLog',
      guarded(ctx.reporter, 'Show Audit Log', async (arg?: unknown) => {
        // From a key's context menu: that key's events; with arguments: their filter; from the palette: guided.
        const key = isKeyTreeNode(arg) ? keyOfNode(arg) : undefined;
        const filter = key ? { keyId: key.arn } : arg === undefined ? await askFilter(ctx) : auditFilterOf(auditQueryOf(optionsOf<AuditViewFilter>(arg)));
        const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: AUDIT_PATH, query: auditQueryOf(filter) });
        const document = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(document, { preview: true });
        return uri.toString();
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.showCostEstimate',
      guarded(ctx.reporter, 'Show Cost Estimate', async (): Promise<CostReport> => {
        const session = await ctx.host.open();
        const report = costReport(session.keys(), session.log.read(), session.clock.now());
        const uri = vscode.Uri.from({ scheme: VIEW_SCHEME, path: COST_PATH });
        ctx.views.refresh(COST_PATH);
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
        return report;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.advanceClock',
      guarded(ctx.reporter, 'Advance Sandbox Clock', async (arg?: unknown) => {
        let days = optionsOf<{ days: number }>(arg).days;
        if (days === undefined) {
          const preset = await pickOne(
            [
              { label: '1 day', value: 1 },
              { label: '7 days', detail: 'The shortest deletion waiting period', value: 7 },
              { label: '30 days', detail: 'The default deletion waiting period', value: 30 },
              { label: '365 days', detail: 'The default rotation period', value: 365 },
              { label: 'Another number of days…', value: -1 },
            ],
            { title: 'KMS: Advance Sandbox Clock', placeHolder: 'Move the KMS clock forward to watch rotation, deletion and expiry happen' },
          );
          days =
            preset >= 0
              ? preset
              : Number(await inputText({ title: 'KMS: Advance Sandbox Clock', prompt: 'Days to move forward (fractions allowed)', value: '1', validate: (v) => (Number.isFinite(Number(v)) && Number(v) > 0 ? undefined : 'Give a number of days above 0.') }));
        }
        if (!Number.isFinite(days) || days < 0) throw new Error(`Cannot move the clock by ${days} days: give a number of days of 0 or more (the KMS clock never runs backwards).`);
        const session = await ctx.host.open();
        const now = session.clock.advance(days);
        // The KMS carries out what became due at its next call; make that call now so the explorer shows it.
        await ctx.host.sweep();
        ctx.tree.refresh();
        const ahead = Math.round(session.clock.offsetMs() / MS_PER_DAY * 100) / 100;
        vscode.window.setStatusBarMessage(`KMS sandbox time: ${now.toISOString()} (${ahead} days ahead)`, 6000);
        return now.toISOString();
      }),
    ),
  ];
}
