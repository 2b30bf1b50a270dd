/** KMS: Enable Key, Disable Key, Schedule Key Deletion (7 to 30 days, confirmed in a modal) and Cancel Key Deletion. */
import * as vscode from 'vscode';
import type { ScheduleKeyDeletionResponse } from '../../../core/kms/service/shapes';
import { ciphertextsMadeUnder, deletionWarning } from '../model/deletionWarning';
import type { KeyEntry } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { Cancelled, confirmModal, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName, keyIdOf } from './keyTarget';

const MS_PER_DAY = 86_400_000;
const customer = (e: KeyEntry): boolean => e.metadata.KeyManager === 'CUSTOMER';
const pendingDeletion = (e: KeyEntry): boolean => e.metadata.KeyState === 'PendingDeletion' || e.metadata.KeyState === 'PendingReplicaDeletion';

export function registerKeyStateCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.enableKey',
      guarded(ctx.reporter, 'Enable Key', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Enable Key', fits: (e) => customer(e) && e.metadata.KeyState === 'Disabled', needs: 'that is disabled' });
        await ctx.host.call('EnableKey', { KeyId: keyIdOf(target) }, { region: target.region });
        ctx.tree.refresh();
        return target.keyId;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.disableKey',
      guarded(ctx.reporter, 'Disable Key', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Disable Key', fits: (e) => customer(e) && e.metadata.KeyState === 'Enabled', needs: 'that is enabled' });
        await ctx.host.call('DisableKey', { KeyId: keyIdOf(target) }, { region: target.region });
        ctx.tree.refresh();
        return target.keyId;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.scheduleKeyDeletion',
      guarded(ctx.reporter, 'Schedule Key Deletion', async (arg?: unknown) => {
        const options = optionsOf<{ pendingWindowInDays: number; confirm: boolean }>(arg);
        const target = await chooseKey(ctx, arg, { title: 'KMS: Schedule Key Deletion', fits: (e) => customer(e) && !pendingDeletion(e), needs: 'that you manage and that is not already pending deletion' });
        const days =
          options.pendingWindowInDays ??
          (await pickOne(
            [30, ...Array.from({ length: 23 }, (_, i) => i + 7)].map((d) => ({
              label: `${d} days`,
              ...(d === 30 ? { description: 'the default' } : d === 7 ? { description: 'the shortest AWS allows' } : {}),
              value: d,
            })),
            { title: `KMS: Schedule Key Deletion of ${keyName(target)}: waiting period`, placeHolder: 'How long until the key is deleted for good (7 to 30 days)' },
          ));
        if (options.confirm !== true) {
          const session = await ctx.host.open();
          const entry = target.entry;
          const now = session.clock.now();
          const arn = entry?.arn ?? target.keyId;
          const warning = deletionWarning(
            entry?.metadata,
            keyName(target),
            days,
            new Date(now.getTime() + days * MS_PER_DAY),
            ciphertextsMadeUnder(arn, session.log.read({ keyId: arn })),
            entry?.aliases ?? [],
            entry?.record.grants.length ?? 0,
          );
          if (!(await confirmModal(warning.message, warning.detail, 'Schedule Deletion'))) throw new Cancelled();
        }
        const response = await ctx.host.call<ScheduleKeyDeletionResponse>('ScheduleKeyDeletion', { KeyId: keyIdOf(target), PendingWindowInDays: days }, { region: target.region });
        ctx.tree.refresh();
        ctx.reporter.info(`${keyName(target)} will be deleted on ${new Date(response.DeletionDate).toISOString().slice(0, 10)}; KMS: Cancel Key Deletion stops it until then.`);
        return response;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.cancelKeyDeletion',
      guarded(ctx.reporter, 'Cancel Key Deletion', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Cancel Key Deletion', fits: (e) => customer(e) && pendingDeletion(e), needs: 'pending deletion' });
        await ctx.host.call('CancelKeyDeletion', { KeyId: keyIdOf(target) }, { region: target.region });
        ctx.tree.refresh();
        ctx.reporter.info(`Deletion of ${keyName(target)} cancelled; the key is Disabled until you enable it (KMS: Enable Key).`);
        return target.keyId;
      }),
    ),
  ];
}
