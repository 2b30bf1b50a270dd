/** KMS: Replicate Key: a multi-Region primary key's replica in another Region (ReplicateKey). */
import * as vscode from 'vscode';
import type { ReplicateKeyResponse } from '../../../core/kms/service/shapes';
import { AWS_REGIONS, looksLikeRegion } from '../model/regions';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName, withProgress, keyIdOf } from './keyTarget';

const OTHER = '__other__';

export function registerReplicateKey(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.replicateKey',
      guarded(ctx.reporter, 'Replicate Key', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, {
          title: 'KMS: Replicate Key',
          fits: (e) => e.metadata.KeyManager === 'CUSTOMER' && e.metadata.MultiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY',
          needs: 'that is a multi-Region primary key (create one with KMS: Create Key, multi-Region)',
        });
        const mrk = target.entry?.metadata.MultiRegionConfiguration;
        const taken = new Set([target.region, ...(mrk?.ReplicaKeys.map((r) => r.Region) ?? [])]);
        let region = optionsOf<{ replicaRegion: string }>(arg).replicaRegion;
        if (!region) {
          const chosen = await pickOne(
            [...AWS_REGIONS.filter((r) => !taken.has(r)).map((r) => ({ label: r, value: r })), { label: 'Another Region…', value: OTHER }],
            { title: `KMS: Replicate ${keyName(target)}: Region of the replica`, placeHolder: `Replicas exist in: ${[...taken].join(', ')}` },
          );
          region =
            chosen === OTHER
              ? await inputText({ title: 'KMS: Replicate Key', prompt: 'The Region of the replica', placeHolder: 'eu-west-1', validate: (v) => (looksLikeRegion(v.trim()) ? undefined : 'Give a Region name such as eu-west-1.') })
              : chosen;
        }
        const replicaRegion = region.trim();
        const response = await withProgress(`Replicating ${keyName(target)} to ${replicaRegion}…`, () =>
          ctx.host.call<ReplicateKeyResponse>('ReplicateKey', { KeyId: keyIdOf(target), ReplicaRegion: replicaRegion }, { region: target.region }),
        );
        ctx.tree.refresh();
        ctx.reporter.info(`${keyName(target)} has a replica in ${replicaRegion}: ${response.ReplicaKeyMetadata.Arn}.`);
        return response.ReplicaKeyMetadata;
      }),
    ),
  ];
}
