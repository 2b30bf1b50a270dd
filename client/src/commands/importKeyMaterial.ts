/**
 * KMS: Import Key Material into a key of origin EXTERNAL: GetParametersForImport, wrap the material here with
 * the wrapping public key (as the AWS CLI user does with openssl), ImportKeyMaterial. The material is random
 * bytes made here, or a file: raw bytes for symmetric and HMAC keys, a DER PKCS #8 private key for asymmetric
 * ones. Symmetric material is wrapped with RSAES_OAEP_SHA_256; anything longer than OAEP can carry with
 * RSA_AES_KEY_WRAP_SHA_256.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { HMAC_KEY_BYTES, type HmacKeySpec, type WrappingAlgorithmSpec } from '../../../core/kms/crypto/algorithms';
import { wrapKeyMaterial } from '../../../core/kms/crypto/importWrapping';
import type { GetParametersForImportResponse, ImportKeyMaterialResponse } from '../../../core/kms/service/shapes';
import { decodeBase64Text } from '../model/base64Text';
import { guarded } from '../ui/guarded';
import { Cancelled, inputText, pickOne } from '../ui/prompts';
import { optionsOf, type CommandContext } from './commandContext';
import { chooseKey, keyName, withProgress, keyIdOf } from './keyTarget';

export interface ImportOptions {
  /** Base64 of the material, or `random` for fresh random bytes of the key's size. */
  material: string;
  /** Days until the material expires; 0 or absent for material that does not expire. */
  expiresInDays: number;
}

const MS_PER_DAY = 86_400_000;

function randomMaterialSize(keySpec: string): number | undefined {
  if (keySpec === 'SYMMETRIC_DEFAULT') return 32;
  return Object.prototype.hasOwnProperty.call(HMAC_KEY_BYTES, keySpec) ? HMAC_KEY_BYTES[keySpec as HmacKeySpec] : undefined;
}

async function materialFor(keySpec: string, given: string | undefined): Promise<Uint8Array> {
  const size = randomMaterialSize(keySpec);
  if (given === 'random') {
    if (size === undefined) throw new Error(`Random material cannot be made here for a ${keySpec} key: import a DER PKCS #8 private key from a file.`);
    return new Uint8Array(randomBytes(size));
  }
  if (given !== undefined) return decodeBase64Text(given, 'key material');
  const source = await pickOne(
    [
      ...(size !== undefined ? [{ label: `Generate ${size} random bytes here`, detail: 'Kept nowhere but in the KMS: a key whose material exists nowhere else', value: 'random' }] : []),
      { label: 'From a file…', detail: size !== undefined ? `${size} raw bytes` : 'A DER-encoded PKCS #8 private key of the key\'s spec', value: 'file' },
    ],
    { title: 'KMS: Import Key Material: the material' },
  );
  if (source === 'random') return new Uint8Array(randomBytes(size!));
  const files = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Import', title: 'Key material to import' });
  if (!files || files.length === 0) throw new Cancelled();
  return vscode.workspace.fs.readFile(files[0]!);
}

export function registerImportKeyMaterial(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.importKeyMaterial',
      guarded(ctx.reporter, 'Import Key Material', async (arg?: unknown) => {
        const options = optionsOf<ImportOptions>(arg);
        const target = await chooseKey(ctx, arg, {
          title: 'KMS: Import Key Material',
          fits: (e) => e.metadata.KeyManager === 'CUSTOMER' && e.metadata.Origin === 'EXTERNAL',
          needs: 'of origin EXTERNAL (create one with KMS: Create Key, origin EXTERNAL)',
        });
        const keySpec = target.entry?.metadata.KeySpec ?? 'SYMMETRIC_DEFAULT';
        const material = await materialFor(keySpec, options.material);
        const days =
          options.expiresInDays ??
          (await pickOne(
            [
              { label: 'Does not expire', value: 0 },
              { label: 'Expires after…', detail: 'The key becomes unusable (PendingImport) when its material expires, until you import it again', value: -1 },
            ],
            { title: `KMS: Import Key Material into ${keyName(target)}: expiration` },
          ));
        const expiresInDays =
          days === -1
            ? Number(await inputText({ title: 'KMS: Import Key Material', prompt: 'Days until the material expires', value: '365', validate: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? undefined : 'Give a whole number of days above 0.') }))
            : days;
        const algorithm: WrappingAlgorithmSpec = material.length <= 32 ? 'RSAES_OAEP_SHA_256' : 'RSA_AES_KEY_WRAP_SHA_256';
        const session = await ctx.host.open();
        const result = await withProgress(`Importing key material into ${keyName(target)}…`, async () => {
          const parameters = await ctx.host.call<GetParametersForImportResponse>(
            'GetParametersForImport',
            { KeyId: keyIdOf(target), WrappingAlgorithm: algorithm, WrappingKeySpec: 'RSA_4096' },
            { region: target.region },
          );
          const wrapped = wrapKeyMaterial('RSA_4096', parameters.PublicKey, algorithm, material);
          material.fill(0);
          const expiry =
            expiresInDays > 0
              ? { ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(session.clock.now().getTime() + expiresInDays * MS_PER_DAY) }
              : { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' };
          return ctx.host.call<ImportKeyMaterialResponse>(
            'ImportKeyMaterial',
            { KeyId: keyIdOf(target), ImportToken: parameters.ImportToken, EncryptedKeyMaterial: wrapped, ...expiry },
            { region: target.region },
          );
        });
        ctx.tree.refresh();
        ctx.reporter.info(`Imported key material into ${keyName(target)}${expiresInDays > 0 ? `; it expires in ${expiresInDays} days` : ''}.`);
        return result;
      }),
    ),
  ];
}
