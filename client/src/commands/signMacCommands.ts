/**
 * KMS: Sign Selection, Verify Selection, Generate MAC and Verify MAC. The selection is the message (its UTF-8
 * bytes, MessageType RAW). A signature or MAC goes to the clipboard (and the command's result); verifying takes
 * it from the arguments or an input box that offers the clipboard's content. Arguments:
 *
 *   signSelection / verifySelection  { keyId?, signingAlgorithm?, signature? (base64, verify only) }
 *   generateMac / verifyMac          { keyId?, macAlgorithm?, mac? (base64, verify only) }
 *
 * An invalid signature or MAC is an answer, not a failure: the commands resolve to false and say so.
 */
import * as vscode from 'vscode';
import type { GenerateMacResponse, SignResponse, VerifyMacResponse, VerifyResponse } from '../../../core/kms/service/shapes';
import { decodeBase64Text, encodeBase64 } from '../model/base64Text';
import { KmsCallError } from '../kms/kmsHost';
import type { KeyEntry } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { selectedText } from './editorText';
import { chooseKey, keyName, type KeyTarget } from './keyTarget';

export const LAST_SIGNING_KEY = 'kmsStudio.lastSigningKey';
export const LAST_MAC_KEY = 'kmsStudio.lastMacKey';

interface SignOptions {
  keyId: string;
  signingAlgorithm: string;
  signature: string;
}
interface MacOptions {
  keyId: string;
  macAlgorithm: string;
  mac: string;
}

const signingKeys = (e: KeyEntry): boolean => e.metadata.KeyUsage === 'SIGN_VERIFY';
const macKeys = (e: KeyEntry): boolean => e.metadata.KeyUsage === 'GENERATE_VERIFY_MAC';

async function algorithm(target: KeyTarget, given: string | undefined, available: readonly string[] | undefined, title: string): Promise<string> {
  if (given) return given;
  const list = available ?? [];
  if (list.length === 1) return list[0]!;
  if (list.length === 0) throw new Error(`${keyName(target)} lists no algorithm for this operation; pick a key of the right usage.`);
  return pickOne(list.map((a) => ({ label: a, value: a })), { title });
}

function message(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

async function askBase64(title: string, what: string): Promise<string> {
  const clipboard = (await vscode.env.clipboard.readText()).trim();
  const value = /^[A-Za-z0-9+/=\s]+$/.test(clipboard) && clipboard.length >= 16 ? clipboard : '';
  return inputText({ title, prompt: `The ${what} (base64)`, value, validate: (v) => { try { decodeBase64Text(v, what); return undefined; } catch (e) { return (e as Error).message; } } });
}

async function copyResult(text: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(text);
  void vscode.window.showInformationMessage(`${what} copied to the clipboard: ${text}`);
}

export function registerSignMacCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.signSelection',
      guarded(ctx.reporter, 'Sign Selection', async (arg?: unknown) => {
        const options = optionsOf<SignOptions>(arg);
        const selected = selectedText('the message to sign');
        const target = await chooseKey(ctx, arg, { title: 'KMS: Sign Selection: key', fits: signingKeys, needs: 'for SIGN_VERIFY', remember: LAST_SIGNING_KEY });
        const signingAlgorithm = await algorithm(target, options.signingAlgorithm, target.entry?.metadata.SigningAlgorithms, 'KMS: Sign Selection: signing algorithm');
        const response = await ctx.host.call<SignResponse>(
          'Sign',
          { KeyId: target.keyId, Message: message(selected.texts.join('\n')), MessageType: 'RAW', SigningAlgorithm: signingAlgorithm },
          { region: target.region },
        );
        const signature = encodeBase64(response.Signature);
        await copyResult(signature, `The ${signingAlgorithm} signature by ${keyName(target)}`);
        return signature;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.verifySelection',
      guarded(ctx.reporter, 'Verify Selection', async (arg?: unknown) => {
        const options = optionsOf<SignOptions>(arg);
        const selected = selectedText('the signed message');
        const target = await chooseKey(ctx, arg, { title: 'KMS: Verify Selection: key', fits: signingKeys, needs: 'for SIGN_VERIFY', remember: LAST_SIGNING_KEY });
        const signingAlgorithm = await algorithm(target, options.signingAlgorithm, target.entry?.metadata.SigningAlgorithms, 'KMS: Verify Selection: signing algorithm');
        const signature = decodeBase64Text(options.signature ?? (await askBase64('KMS: Verify Selection: signature', 'signature')), 'signature');
        try {
          const response = await ctx.host.call<VerifyResponse>(
            'Verify',
            { KeyId: target.keyId, Message: message(selected.texts.join('\n')), MessageType: 'RAW', SigningAlgorithm: signingAlgorithm, Signature: signature },
            { region: target.region },
          );
          void vscode.window.showInformationMessage(`The signature is valid: ${keyName(target)} signed exactly this text with ${signingAlgorithm}.`);
          return response.SignatureValid;
        } catch (error) {
          if (!(error instanceof KmsCallError && error.name === 'KMSInvalidSignatureException')) throw error;
          void vscode.window.showWarningMessage(`The signature is NOT valid for this text under ${keyName(target)} and ${signingAlgorithm}: the text, the key or the algorithm differs from what was signed.`);
          return false;
        }
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.generateMac',
      guarded(ctx.reporter, 'Generate MAC', async (arg?: unknown) => {
        const options = optionsOf<MacOptions>(arg);
        const selected = selectedText('the message to MAC');
        const target = await chooseKey(ctx, arg, { title: 'KMS: Generate MAC: key', fits: macKeys, needs: 'for GENERATE_VERIFY_MAC (an HMAC key)', remember: LAST_MAC_KEY });
        const macAlgorithm = await algorithm(target, options.macAlgorithm, target.entry?.metadata.MacAlgorithms, 'KMS: Generate MAC: algorithm');
        const response = await ctx.host.call<GenerateMacResponse>('GenerateMac', { KeyId: target.keyId, Message: message(selected.texts.join('\n')), MacAlgorithm: macAlgorithm }, { region: target.region });
        const mac = encodeBase64(response.Mac);
        await copyResult(mac, `The ${macAlgorithm} MAC by ${keyName(target)}`);
        return mac;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.verifyMac',
      guarded(ctx.reporter, 'Verify MAC', async (arg?: unknown) => {
        const options = optionsOf<MacOptions>(arg);
        const selected = selectedText('the message whose MAC to verify');
        const target = await chooseKey(ctx, arg, { title: 'KMS: Verify MAC: key', fits: macKeys, needs: 'for GENERATE_VERIFY_MAC (an HMAC key)', remember: LAST_MAC_KEY });
        const macAlgorithm = await algorithm(target, options.macAlgorithm, target.entry?.metadata.MacAlgorithms, 'KMS: Verify MAC: algorithm');
        const mac = decodeBase64Text(options.mac ?? (await askBase64('KMS: Verify MAC: MAC', 'MAC')), 'MAC');
        try {
          const response = await ctx.host.call<VerifyMacResponse>('VerifyMac', { KeyId: target.keyId, Message: message(selected.texts.join('\n')), MacAlgorithm: macAlgorithm, Mac: mac }, { region: target.region });
          void vscode.window.showInformationMessage(`The MAC is valid for this text under ${keyName(target)}.`);
          return response.MacValid;
        } catch (error) {
          if (!(error instanceof KmsCallError && error.name === 'KMSInvalidMacException')) throw error;
          void vscode.window.showWarningMessage(`The MAC is NOT valid for this text under ${keyName(target)} and ${macAlgorithm}.`);
          return false;
        }
      }),
    ),
  ];
}
