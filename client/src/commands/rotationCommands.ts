/** KMS: Rotate Key Now (RotateKeyOnDemand), Enable Key Rotation (with its period) and Disable Key Rotation. */
import * as vscode from 'vscode';
import type { KeyEntry } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { inputText } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName, keyIdOf } from './keyTarget';

/** AWS: automatic rotation every 90 to 2560 days, 365 by default. */
export const MIN_ROTATION_DAYS = 90;
export const MAX_ROTATION_DAYS = 2560;

/** Keys whose material the KMS rotates: symmetric encryption keys you manage, not replicas. */
const rotatable = (e: KeyEntry): boolean =>
  e.metadata.KeyManager === 'CUSTOMER' && e.metadata.KeySpec === 'SYMMETRIC_DEFAULT' && e.metadata.MultiRegionConfiguration?.MultiRegionKeyType !== 'REPLICA';

export function rotationPeriodProblem(text: string): string | undefined {
  const days = Number(text.trim());
  if (!/^\d+$/.test(text.trim()) || days < MIN_ROTATION_DAYS || days > MAX_ROTATION_DAYS) {
    return `Give a whole number of days from ${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS}.`;
  }
  return undefined;
}

export function registerRotationCommands(ctx: CommandContext): vscode.Disposable[] {
  const needs = 'with symmetric material you manage (rotation applies to SYMMETRIC_DEFAULT keys, not to replicas)';
  return [
    vscode.commands.registerCommand(
      'kmsStudio.rotateKeyNow',
      guarded(ctx.reporter, 'Rotate Key Now', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Rotate Key Now', fits: (e) => rotatable(e) && e.metadata.KeyState === 'Enabled', needs });
        await ctx.host.call('RotateKeyOnDemand', { KeyId: keyIdOf(target) }, { region: target.region });
        ctx.tree.refresh();
        ctx.reporter.info(`${keyName(target)} has new key material; what it encrypted before still decrypts (see Key material under the key).`);
        return target.keyId;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.enableKeyRotation',
      guarded(ctx.reporter, 'Enable Key Rotation', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Enable Key Rotation', fits: rotatable, needs });
        const given = optionsOf<{ rotationPeriodInDays: number }>(arg).rotationPeriodInDays;
        const current = target.entry?.record.rotation.periodInDays ?? 365;
        const days =
          given ??
          Number(
            await inputText({
              title: `KMS: Enable Key Rotation of ${keyName(target)}`,
              prompt: `Rotate the key material automatically every how many days (${MIN_ROTATION_DAYS} to ${MAX_ROTATION_DAYS})?`,
              value: String(current),
              validate: rotationPeriodProblem,
            }),
          );
        await ctx.host.call('EnableKeyRotation', { KeyId: keyIdOf(target), RotationPeriodInDays: days }, { region: target.region });
        ctx.tree.refresh();
        ctx.reporter.info(`${keyName(target)} rotates every ${days} days; KMS: Advance Sandbox Clock lets you watch it happen.`);
        return days;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.disableKeyRotation',
      guarded(ctx.reporter, 'Disable Key Rotation', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Disable Key Rotation', fits: (e) => rotatable(e) && e.record.rotation.enabled, needs: 'with automatic rotation on' });
        await ctx.host.call('DisableKeyRotation', { KeyId: keyIdOf(target) }, { region: target.region });
        ctx.tree.refresh();
        return target.keyId;
      }),
    ),
  ];
}
