/** KMS: Create Alias and Delete Alias. */
import * as vscode from 'vscode';
import { aliasNameProblem, normalizeAliasName } from '../model/aliasName';
import { isKeyTreeNode } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { inputText } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName } from './keyTarget';

const customer = { fits: (e: { metadata: { KeyManager: string } }) => e.metadata.KeyManager === 'CUSTOMER', needs: 'managed by you (not AWS managed)' };

export function registerAliasCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.createAlias',
      guarded(ctx.reporter, 'Create Alias', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Create Alias: key', ...customer });
        const given = optionsOf<{ aliasName: string }>(arg).aliasName;
        const aliasName = normalizeAliasName(
          given ??
            (await inputText({
              title: `KMS: Create Alias for ${keyName(target)}`,
              prompt: 'The alias name',
              placeHolder: 'alias/payments',
              validate: (v) => aliasNameProblem(normalizeAliasName(v)),
            })),
        );
        const problem = aliasNameProblem(aliasName);
        if (problem) throw new Error(problem);
        await ctx.host.call('CreateAlias', { AliasName: aliasName, TargetKeyId: target.entry?.keyId ?? target.keyId }, { region: target.region });
        ctx.tree.refresh();
        return aliasName;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.deleteAlias',
      guarded(ctx.reporter, 'Delete Alias', async (arg?: unknown) => {
        let aliasName: string | undefined;
        let region: string;
        if (isKeyTreeNode(arg) && arg.kind === 'alias') {
          aliasName = arg.aliasName;
          region = arg.key.region;
        } else {
          const given = optionsOf<{ aliasName: string; region: string }>(arg);
          region = given.region ?? ctx.host.region();
          aliasName = given.aliasName ?? normalizeAliasName(await inputText({ title: 'KMS: Delete Alias', prompt: `The alias to delete in ${region}`, placeHolder: 'alias/payments' }));
        }
        await ctx.host.call('DeleteAlias', { AliasName: aliasName }, { region });
        ctx.tree.refresh();
        return aliasName;
      }),
    ),
  ];
}
