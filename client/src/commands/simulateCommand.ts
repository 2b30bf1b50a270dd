/**
 * KMS: Simulate Request: asks the evaluator what a request would decide, without making it (nothing is
 * audited, nothing changes): a key, an action, a principal and an encryption context, guided or as arguments:
 *
 *   executeCommand('kmsStudio.simulateRequest', { keyId, action: 'Decrypt', principal: 'arn:…:role/App',
 *     encryptionContext: { app: 'payments' } })  → { decision, explanation }
 *
 * It uses the KMS's own Authorizer, so the request context (time, Region, key attributes, aliases, grants) is
 * built exactly as for a real call. The answer opens beside the key policy, deciding statement highlighted.
 */
import * as vscode from 'vscode';
import { allActions } from '../../../core/catalog';
import type { AuthorizationResult } from '../../../core/authz/explanation';
import { Authorizer } from '../../../core/kms/service/authorizer';
import { callerForSetting, principalLabel, rootPrincipal } from '../model/actingIdentity';
import { encryptionContextFrom, parseEncryptionContext } from '../model/encryptionContext';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName } from './keyTarget';

export interface SimulateOptions {
  keyId: string;
  region: string;
  /** `Decrypt` or `kms:Decrypt`. */
  action: string;
  /** A principal ARN; the acting identity when absent. */
  principal: string;
  encryptionContext: Record<string, string> | string;
}

const COMMON = ['Decrypt', 'Encrypt', 'GenerateDataKey', 'ReEncryptFrom', 'DescribeKey', 'CreateGrant', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'Sign', 'Verify', 'GenerateMac'];
const TYPED = '__typed__';

export function registerSimulateCommand(ctx: CommandContext): vscode.Disposable[] {
  const authorizer = new Authorizer();
  return [
    vscode.commands.registerCommand(
      'kmsStudio.simulateRequest',
      guarded(ctx.reporter, 'Simulate Request', async (arg?: unknown): Promise<AuthorizationResult> => {
        const given = optionsOf<SimulateOptions>(arg);
        const title = 'KMS: Simulate Request';
        const target = await chooseKey(ctx, arg, { title: `${title} (1/4): key` });
        const record = target.entry?.record ?? (await ctx.host.keyRecord(target.keyId, target.region));
        if (!record) throw new Error(`There is no key ${target.keyId} in ${target.region} to simulate against.`);
        const keyActions = allActions().filter((a) => a.actsOnKey);
        const action = (
          given.action ??
          (await pickOne(
            [...COMMON.map((n) => keyActions.find((a) => a.name === n)!).filter(Boolean), ...keyActions.filter((a) => !COMMON.includes(a.name))].map((a) => ({
              label: a.fullName,
              description: a.accessLevels.join(', '),
              ...(a.takesEncryptionContext ? { detail: 'takes an encryption context' } : {}),
              value: a.name,
            })),
            { title: `${title} (2/4): action`, placeHolder: `What would ${keyName(target)} be asked to do?` },
          ))
        ).replace(/^kms:/i, '');
        const known = await ctx.host.knownIdentities();
        let principal = given.principal;
        if (principal === undefined && given.action === undefined) {
          const acting = ctx.host.principal();
          const chosen = await pickOne(
            [
              { label: principalLabel(acting), description: 'acting now', detail: acting, value: acting },
              ...[rootPrincipal(), ...known.map((k) => k.identity.principal)].filter((p) => p !== acting).map((p) => ({ label: principalLabel(p), detail: p, value: p })),
              { label: 'Another principal…', value: TYPED },
            ],
            { title: `${title} (3/4): principal` },
          );
          principal = chosen === TYPED ? await inputText({ title, prompt: 'The principal ARN', placeHolder: 'arn:aws:iam::111122223333:role/App' }) : chosen;
        }
        const caller = callerForSetting(principal ?? ctx.host.principal(), known, record.account);
        const takesContext = keyActions.find((a) => a.name.toLowerCase() === action.toLowerCase())?.takesEncryptionContext ?? false;
        const encryptionContext =
          given.encryptionContext !== undefined || given.action !== undefined || !takesContext
            ? encryptionContextFrom(given.encryptionContext)
            : parseEncryptionContext(await inputText({ title: `${title} (4/4): encryption context`, prompt: 'The encryption context of the request (optional)', placeHolder: 'app=payments' }));
        const session = await ctx.host.open();
        const aliases = session.aliasesByKey(record.region).get(record.keyId) ?? [];
        const result = authorizer.evaluate({
          action,
          caller,
          account: record.account,
          region: record.region,
          now: session.clock.now(),
          key: record,
          keyAliases: aliases,
          ...(encryptionContext ? { encryptionContext } : {}),
        });
        await ctx.explanations.show({
          explanation: result.explanation,
          subject: { operation: `${action} (simulated)`, keyArn: record.arn },
          region: record.region,
          keyId: record.keyId,
          policyText: record.policy,
        });
        vscode.window.setStatusBarMessage(`Simulated kms:${action} by ${principalLabel(caller.principal)}: ${result.decision}`, 8000);
        return result;
      }),
    ),
  ];
}
