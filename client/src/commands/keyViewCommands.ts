/** KMS: Open Key Policy, Copy Key ARN and Refresh Keys. */
import * as vscode from 'vscode';
import { keyPolicyUri } from '../fs/keyPolicyFileSystem';
import { guarded } from '../ui/guarded';
import type { CommandContext } from './commandContext';
import { chooseKey } from './keyTarget';

export function registerKeyViewCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.openKeyPolicy',
      guarded(ctx.reporter, 'Open Key Policy', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Open Key Policy' });
        const keyId = target.entry?.keyId ?? (await ctx.host.keyRecord(target.keyId, target.region))?.keyId;
        if (!keyId) throw new Error(`There is no key ${target.keyId} in ${target.region}: check the key ID and the Region.`);
        const document = await vscode.workspace.openTextDocument(keyPolicyUri({ region: target.region, keyId }));
        await vscode.window.showTextDocument(document, { preview: false });
        return document.uri.toString();
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.copyKeyArn',
      guarded(ctx.reporter, 'Copy Key ARN', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Copy Key ARN' });
        const arn = target.entry?.arn ?? (await ctx.host.keyRecord(target.keyId, target.region))?.arn;
        if (!arn) throw new Error(`There is no key ${target.keyId} in ${target.region}.`);
        await vscode.env.clipboard.writeText(arn);
        vscode.window.setStatusBarMessage(`Copied ${arn}`, 4000);
        return arn;
      }),
    ),
    vscode.commands.registerCommand('kmsStudio.refreshKeys', () => ctx.tree.refresh()),
  ];
}
