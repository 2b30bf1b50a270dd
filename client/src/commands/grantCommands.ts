/**
 * KMS: Create Grant (guided: grantee, operations, constraint), Retire Grant and Revoke Grant. Arguments:
 *
 *   createGrant  { keyId, granteePrincipal, operations: ['Decrypt'], constraint?: { kind: 'EncryptionContextSubset',
 *                  context: { app: 'payments' } }, retiringPrincipal?, name? }
 *   retireGrant / revokeGrant  { keyId, grantId }
 */
import * as vscode from 'vscode';
import { grantOperationNames } from '../../../core/catalog';
import type { GrantRecord } from '../../../core/kms/service/keyRecord';
import type { CreateGrantResponse } from '../../../core/kms/service/shapes';
import { shortPrincipal } from '../model/keyChildren';
import { parseEncryptionContext } from '../model/encryptionContext';
import { createGrantRequest, type ConstraintKind, type GrantInput } from '../model/grantRequest';
import { isKeyTreeNode } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { inputText, pickMany, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName, type KeyTarget, keyIdOf } from './keyTarget';

const TYPED = '__typed__';

function encryptionContextProblem(text: string): string | undefined {
  try {
    return parseEncryptionContext(text) ? undefined : 'Give at least one key=value pair.';
  } catch (error) {
    return (error as Error).message;
  }
}

async function askGrantee(ctx: CommandContext, title: string): Promise<string> {
  const known = await ctx.host.knownIdentities();
  const chosen = await pickOne(
    [
      ...known.map((k) => ({ label: shortPrincipal(k.identity.principal), description: k.source, detail: k.identity.principal, value: k.identity.principal })),
      { label: 'Another principal…', detail: 'Type an IAM user or role ARN, or an account root ARN', value: TYPED },
    ],
    { title: `${title} (1/3): grantee`, placeHolder: 'Who may use the key through this grant' },
  );
  if (chosen !== TYPED) return chosen;
  return inputText({
    title: `${title} (1/3): grantee`,
    prompt: 'The grantee principal ARN',
    placeHolder: 'arn:aws:iam::111122223333:role/Worker',
    validate: (v) => (v.trim().startsWith('arn:') ? undefined : 'Give an ARN, like arn:aws:iam::111122223333:role/Worker.'),
  });
}

async function askGrant(ctx: CommandContext, target: KeyTarget, given: Partial<GrantInput>): Promise<GrantInput> {
  const title = `KMS: Create Grant on ${keyName(target)}`;
  const granteePrincipal = given.granteePrincipal ?? (await askGrantee(ctx, title));
  const operations =
    given.operations ??
    (await pickMany(
      grantOperationNames().map((o) => ({ label: o, value: o, picked: o === 'Decrypt' })),
      { title: `${title} (2/3): operations`, placeHolder: 'What the grantee may do', atLeastOne: 'A grant needs at least one operation.' },
    ));
  let constraint = given.constraint;
  if (!constraint && given.granteePrincipal === undefined) {
    const kind = await pickOne<ConstraintKind>(
      [
        { label: 'No constraint', value: 'none' },
        { label: 'EncryptionContextSubset', detail: 'Requests must include these pairs (and may have more)', value: 'EncryptionContextSubset' },
        { label: 'EncryptionContextEquals', detail: 'Requests must have exactly these pairs', value: 'EncryptionContextEquals' },
      ],
      { title: `${title} (3/3): constraint` },
    );
    constraint =
      kind === 'none'
        ? { kind }
        : { kind, context: parseEncryptionContext(await inputText({ title: `${title}: ${kind}`, prompt: 'The encryption context pairs: key=value,key2=value2 or JSON', placeHolder: 'app=payments', validate: encryptionContextProblem })) ?? {} };
  }
  return {
    keyId: keyIdOf(target),
    granteePrincipal,
    operations,
    ...(constraint ? { constraint } : {}),
    ...(given.retiringPrincipal ? { retiringPrincipal: given.retiringPrincipal } : {}),
    ...(given.name ? { name: given.name } : {}),
  };
}

/** The grant a command acts on: the tree node's, the arguments' `grantId`, or the person's choice. */
async function chooseGrant(ctx: CommandContext, arg: unknown, title: string): Promise<{ target: KeyTarget; grant: Pick<GrantRecord, 'GrantId'> & Partial<GrantRecord> }> {
  if (isKeyTreeNode(arg) && arg.kind === 'grant') return { target: { keyId: arg.key.keyId, region: arg.key.region, entry: arg.key }, grant: arg.grant };
  const target = await chooseKey(ctx, arg, { title, fits: (e) => e.record.grants.length > 0, needs: 'with grants' });
  const grantId = optionsOf<{ grantId: string }>(arg).grantId;
  if (grantId) return { target, grant: target.entry?.record.grants.find((g) => g.GrantId === grantId) ?? { GrantId: grantId } };
  const grants = target.entry?.record.grants ?? [];
  const grant = await pickOne(
    grants.map((g) => ({ label: g.Name ?? g.GrantId, description: `${shortPrincipal(g.GranteePrincipal)}: ${g.Operations.join(', ')}`, detail: g.GrantId, value: g })),
    { title: `${title}: grant of ${keyName(target)}` },
  );
  return { target, grant };
}

export function registerGrantCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.createGrant',
      guarded(ctx.reporter, 'Create Grant', async (arg?: unknown) => {
        const target = await chooseKey(ctx, arg, { title: 'KMS: Create Grant', fits: (e) => e.metadata.KeyManager === 'CUSTOMER', needs: 'managed by you' });
        const input = await askGrant(ctx, target, optionsOf<GrantInput>(arg));
        const response = await ctx.host.call<CreateGrantResponse>('CreateGrant', createGrantRequest(input), { region: target.region });
        ctx.tree.refresh();
        ctx.reporter.info(`Granted ${input.operations.join(', ')} on ${keyName(target)} to ${shortPrincipal(input.granteePrincipal)} (grant ${response.GrantId}).`);
        return response;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.retireGrant',
      guarded(ctx.reporter, 'Retire Grant', async (arg?: unknown) => {
        const { target, grant } = await chooseGrant(ctx, arg, 'KMS: Retire Grant');
        await ctx.host.call('RetireGrant', { KeyId: target.entry?.arn ?? target.keyId, GrantId: grant.GrantId }, { region: target.region });
        ctx.tree.refresh();
        return grant.GrantId;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.revokeGrant',
      guarded(ctx.reporter, 'Revoke Grant', async (arg?: unknown) => {
        const { target, grant } = await chooseGrant(ctx, arg, 'KMS: Revoke Grant');
        await ctx.host.call('RevokeGrant', { KeyId: keyIdOf(target), GrantId: grant.GrantId }, { region: target.region });
        ctx.tree.refresh();
        return grant.GrantId;
      }),
    ),
  ];
}
