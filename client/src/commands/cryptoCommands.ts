/**
 * KMS: Encrypt Selection, Decrypt Selection, Generate Data Key and Generate Random. Arguments:
 *
 *   encryptSelection   { keyId?, region?, encryptionContext?: {…} | 'k=v,…' }  → the base64 ciphertexts
 *   decryptSelection   { encryptionContext? }                                  → the plaintexts
 *   generateDataKey    { keyId?, keySpec?: 'AES_256' | 'AES_128', encryptionContext? } → { ciphertextBlob, plaintext }
 *   generateRandom     { numberOfBytes? }                                      → base64 bytes
 *
 * The encryption context is asked for (optional) only when the key was chosen in the quick pick; Decrypt asks
 * for it when the ciphertext will not open without it.
 */
import * as vscode from 'vscode';
import type { DecryptResponse, EncryptResponse, GenerateDataKeyResponse, GenerateRandomResponse } from '../../../core/kms/service/shapes';
import { decodeBase64Text, encodeBase64 } from '../model/base64Text';
import { encryptionContextFrom, formatEncryptionContext, parseEncryptionContext, type EncryptionContext } from '../model/encryptionContext';
import { KmsCallError } from '../kms/kmsHost';
import type { KeyEntry } from '../tree/keyNodes';
import { guarded } from '../ui/guarded';
import { inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { insertOrCopy, replaceSelections, selectedText, showOnce } from './editorText';
import { chooseKey, keyName } from './keyTarget';

export const LAST_ENCRYPT_KEY = 'kmsStudio.lastEncryptKey';

interface ContextOptions {
  encryptionContext: EncryptionContext | string;
}

const encryptionKeys = (e: KeyEntry): boolean => e.metadata.KeyUsage === 'ENCRYPT_DECRYPT';

function contextProblem(text: string): string | undefined {
  try {
    parseEncryptionContext(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Asks for an optional encryption context. */
async function askContext(title: string, why: string, value = ''): Promise<EncryptionContext | undefined> {
  const text = await inputText({ title, prompt: why, placeHolder: 'app=payments,team=blue  or  {"app": "payments"}  (empty for none)', value, validate: contextProblem });
  return parseEncryptionContext(text);
}

function decodePlaintext(bytes: Uint8Array): { text: string; binary: boolean } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), binary: false };
  } catch {
    return { text: encodeBase64(bytes), binary: true };
  }
}

export function registerCryptoCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.encryptSelection',
      guarded(ctx.reporter, 'Encrypt Selection', async (arg?: unknown) => {
        const options = optionsOf<ContextOptions & { keyId: string }>(arg);
        const selected = selectedText('the text to encrypt');
        const target = await chooseKey(ctx, arg, { title: 'KMS: Encrypt Selection: key', fits: encryptionKeys, needs: 'for ENCRYPT_DECRYPT', remember: LAST_ENCRYPT_KEY });
        const context =
          options.encryptionContext !== undefined || options.keyId !== undefined
            ? encryptionContextFrom(options.encryptionContext)
            : await askContext(`KMS: Encrypt with ${keyName(target)}: encryption context`, 'An encryption context (optional): Decrypt must give the same one');
        const spec = target.entry?.metadata.KeySpec ?? 'SYMMETRIC_DEFAULT';
        const algorithm = spec === 'SYMMETRIC_DEFAULT' ? {} : { EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' };
        const ciphertexts: string[] = [];
        for (const text of selected.texts) {
          const response = await ctx.host.call<EncryptResponse>(
            'Encrypt',
            { KeyId: target.keyId, Plaintext: new TextEncoder().encode(text), ...(context ? { EncryptionContext: context } : {}), ...algorithm },
            { region: target.region },
          );
          ciphertexts.push(encodeBase64(response.CiphertextBlob));
        }
        await replaceSelections(selected, ciphertexts);
        return ciphertexts;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.decryptSelection',
      guarded(ctx.reporter, 'Decrypt Selection', async (arg?: unknown) => {
        const options = optionsOf<ContextOptions & { keyId: string; region: string; encryptionAlgorithm: string }>(arg);
        const selected = selectedText('the base64 ciphertext to decrypt');
        const blobs = selected.texts.map((t) => decodeBase64Text(t, 'selection'));
        const interactive = arg === undefined;
        let context = encryptionContextFrom(options.encryptionContext);
        const plaintexts: string[] = [];
        let binary = 0;
        for (const blob of blobs) {
          const request = (ec: EncryptionContext | undefined): object => ({
            CiphertextBlob: blob,
            ...(ec ? { EncryptionContext: ec } : {}),
            ...(options.keyId ? { KeyId: options.keyId } : {}),
            ...(options.encryptionAlgorithm ? { EncryptionAlgorithm: options.encryptionAlgorithm } : {}),
          });
          const call = (ec: EncryptionContext | undefined): Promise<DecryptResponse> =>
            ctx.host.call<DecryptResponse>('Decrypt', request(ec), options.region ? { region: options.region } : {});
          let response: DecryptResponse;
          try {
            response = await call(context);
          } catch (error) {
            // A ciphertext made with an encryption context opens only with the same one: ask for it once.
            if (!(interactive && error instanceof KmsCallError && error.name === 'InvalidCiphertextException' && !context)) throw error;
            context = await askContext('KMS: Decrypt Selection: encryption context', 'The ciphertext does not decrypt without its encryption context: give the one it was encrypted with', formatEncryptionContext(context));
            response = await call(context);
          }
          const plain = decodePlaintext(response.Plaintext);
          if (plain.binary) binary++;
          plaintexts.push(plain.text);
        }
        const replaced = await replaceSelections(selected, plaintexts);
        if (replaced && binary > 0) void vscode.window.showWarningMessage(`${binary} plaintext${binary === 1 ? ' is' : 's are'} not UTF-8 text, so ${binary === 1 ? 'it was' : 'they were'} inserted as base64.`);
        return plaintexts;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.generateDataKey',
      guarded(ctx.reporter, 'Generate Data Key', async (arg?: unknown) => {
        const options = optionsOf<ContextOptions & { keyId: string; keySpec: string }>(arg);
        const target = await chooseKey(ctx, arg, {
          title: 'KMS: Generate Data Key: key',
          fits: (e) => encryptionKeys(e) && e.metadata.KeySpec === 'SYMMETRIC_DEFAULT',
          needs: 'that is a symmetric encryption key',
          remember: LAST_ENCRYPT_KEY,
        });
        const keySpec =
          options.keySpec ??
          (options.keyId !== undefined
            ? 'AES_256'
            : await pickOne(
                [
                  { label: 'AES_256', detail: 'A 256-bit data key (the usual choice)', value: 'AES_256' },
                  { label: 'AES_128', detail: 'A 128-bit data key', value: 'AES_128' },
                ],
                { title: 'KMS: Generate Data Key: size' },
              ));
        const context =
          options.encryptionContext !== undefined || options.keyId !== undefined
            ? encryptionContextFrom(options.encryptionContext)
            : await askContext(`KMS: Generate Data Key under ${keyName(target)}: encryption context`, 'An encryption context (optional): decrypting the data key needs the same one');
        const response = await ctx.host.call<GenerateDataKeyResponse>(
          'GenerateDataKey',
          { KeyId: target.keyId, KeySpec: keySpec, ...(context ? { EncryptionContext: context } : {}) },
          { region: target.region },
        );
        const ciphertextBlob = encodeBase64(response.CiphertextBlob);
        const plaintext = encodeBase64(response.Plaintext);
        response.Plaintext.fill(0);
        const where = await insertOrCopy(ciphertextBlob);
        showOnce(`The encrypted data key was ${where === 'inserted' ? 'inserted' : 'copied to the clipboard'}. Its plaintext (base64), shown only now`, plaintext);
        return { ciphertextBlob, plaintext, keyId: response.KeyId };
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.generateRandom',
      guarded(ctx.reporter, 'Generate Random', async (arg?: unknown) => {
        const given = optionsOf<{ numberOfBytes: number }>(arg).numberOfBytes;
        const count =
          given ??
          Number(
            await inputText({
              title: 'KMS: Generate Random',
              prompt: 'How many random bytes (1 to 1024)? They are inserted as base64.',
              value: '32',
              validate: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 1024 ? undefined : 'Give a whole number from 1 to 1024.'),
            }),
          );
        const response = await ctx.host.call<GenerateRandomResponse>('GenerateRandom', { NumberOfBytes: count });
        const value = encodeBase64(response.Plaintext);
        const where = await insertOrCopy(value);
        if (where === 'copied') ctx.reporter.info(`${count} random bytes copied to the clipboard as base64.`);
        return value;
      }),
    ),
  ];
}
