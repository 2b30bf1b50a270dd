/**
 * KMS: Switch Identity (act as another principal: one of the store's or the workspace's identities.json, or an
 * ARN typed in; the root user of the account by default) and KMS: Explain Last Denial.
 *
 *   executeCommand('kmsStudio.switchIdentity', { principal: 'arn:aws:iam::111122223333:role/App' })  ('' for root)
 */
import * as vscode from 'vscode';
import { DEFAULT_ACCOUNT } from '../../../core/kms/service/caller';
import { principalLabel, principalProblem, rootPrincipal } from '../model/actingIdentity';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import type { Denial } from '../ui/reporter';
import type { ShownExplanation } from '../views/explanationView';
import { optionsOf, type CommandContext } from './commandContext';

const TYPED = '__typed__';

/** Where the identity setting is written: where it is already set (folder, workspace), else the user settings. */
function settingTarget(): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration('kmsStudio').inspect<string>('identity');
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** Shows a denial's explanation beside the key policy. */
export function explainDenial(ctx: CommandContext, denial: Denial): Promise<ShownExplanation> {
  return ctx.explanations.show({
    explanation: denial.explanation,
    subject: { operation: denial.operation, errorName: denial.errorName, errorMessage: denial.errorMessage, ...(denial.keyArn ? { keyArn: denial.keyArn } : {}) },
    region: denial.region,
    ...(denial.keyId ? { keyId: denial.keyId } : {}),
    ...(denial.policyText !== undefined ? { policyText: denial.policyText } : {}),
  });
}

export function registerIdentityCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.switchIdentity',
      guarded(ctx.reporter, 'Switch Identity', async (arg?: unknown) => {
        let principal = optionsOf<{ principal: string }>(arg).principal;
        if (principal === undefined) {
          const current = ctx.host.principal();
          const known = await ctx.host.knownIdentities(true);
          const root = rootPrincipal(DEFAULT_ACCOUNT);
          const mark = (arn: string): string => (arn === current ? ' · acting now' : '');
          const chosen = await pickOne(
            [
              { label: principalLabel(root), description: `the account's root user (the default)${mark(root)}`, detail: root, value: '' },
              ...known.map((k) => ({
                label: principalLabel(k.identity.principal),
                description: `${k.source}${mark(k.identity.principal)}`,
                detail: `${k.identity.principal}${k.identity.description ? ` · ${k.identity.description}` : ''} · ${k.identity.policies.length} IAM polic${k.identity.policies.length === 1 ? 'y' : 'ies'}`,
                value: k.identity.principal,
              })),
              { label: 'Another principal…', detail: 'Type an ARN: it acts with no IAM policies, so only the key policy and grants can allow it', value: TYPED },
            ],
            { title: 'KMS: Switch Identity', placeHolder: `Acting as ${principalLabel(current)}: who should the KMS calls come from?` },
          );
          principal = chosen === TYPED ? (await inputText({ title: 'KMS: Switch Identity: principal ARN', prompt: 'The principal ARN to act as', placeHolder: 'arn:aws:iam::111122223333:role/App', validate: principalProblem })).trim() : chosen;
        }
        if (principal !== '') {
          const problem = principalProblem(principal);
          if (problem) throw new Error(problem);
        }
        await vscode.workspace.getConfiguration('kmsStudio').update('identity', principal, settingTarget());
        return ctx.host.principal();
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.explainDenial',
      guarded(ctx.reporter, 'Explain Last Denial', async () => {
        const denial = ctx.reporter.lastDenial;
        if (!denial) throw new Error('No call has been denied in this window yet; a denied call offers Explain in its notification.');
        return explainDenial(ctx, denial);
      }),
    ),
  ];
}
