/**
 * KMS: Create Key, guided: key spec, key usage (those the spec allows), origin, multi-Region, description and an
 * alias. Every answer can come from the arguments instead:
 *
 *   executeCommand('kmsStudio.createKey', { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT',
 *     origin: 'AWS_KMS', multiRegion: false, description: 'app data', alias: 'alias/app', region: 'us-east-1' })
 *
 * and resolves to the new key's KeyMetadata.
 */
import * as vscode from 'vscode';
import { allKeySpecs, findKeySpec } from '../../../core/catalog';
import type { CreateKeyResponse, KeyMetadata } from '../../../core/kms/service/shapes';
import { inputText, pickOne, pickYesNo, type PickItem } from '../ui/prompts';
import { guarded } from '../ui/guarded';
import { optionsOf, type CommandContext } from './commandContext';
import { withProgress } from './keyTarget';
import { aliasNameProblem, normalizeAliasName } from '../model/aliasName';

export interface CreateKeyOptions {
  keySpec: string;
  keyUsage: string;
  origin: string;
  multiRegion: boolean;
  description: string;
  /** An alias for the key (`alias/` is added when missing); empty for none. */
  alias: string;
  region: string;
  /** A key policy instead of the default one. */
  policy?: string;
}

const SPEC_DETAILS: Readonly<Record<string, string>> = {
  SYMMETRIC_DEFAULT: 'AES-256-GCM: encrypt and decrypt up to 4 KB, and generate data keys. What most keys are.',
  HMAC_224: 'Generate and verify HMAC-SHA-224 codes',
  HMAC_256: 'Generate and verify HMAC-SHA-256 codes',
  HMAC_384: 'Generate and verify HMAC-SHA-384 codes',
  HMAC_512: 'Generate and verify HMAC-SHA-512 codes',
  RSA_2048: 'RSA key pair: encrypt with RSAES-OAEP, or sign',
  RSA_3072: 'RSA key pair: encrypt with RSAES-OAEP, or sign',
  RSA_4096: 'RSA key pair: encrypt with RSAES-OAEP, or sign',
  ECC_NIST_P256: 'Elliptic curve key pair: sign with ECDSA, or derive shared secrets',
  ECC_NIST_P384: 'Elliptic curve key pair: sign with ECDSA, or derive shared secrets',
  ECC_NIST_P521: 'Elliptic curve key pair: sign with ECDSA, or derive shared secrets',
  ECC_SECG_P256K1: 'secp256k1 key pair: sign with ECDSA (as cryptocurrencies do)',
};

const USAGE_DETAILS: Readonly<Record<string, string>> = {
  ENCRYPT_DECRYPT: 'Encrypt and decrypt',
  SIGN_VERIFY: 'Sign and verify',
  GENERATE_VERIFY_MAC: 'Generate and verify MACs',
  KEY_AGREEMENT: 'Derive shared secrets (ECDH)',
};

function specItems(): PickItem<string>[] {
  const order = Object.keys(SPEC_DETAILS);
  const specs = [...allKeySpecs()].filter((s) => order.includes(s.name)).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return specs.map((s) => ({ label: s.name, detail: SPEC_DETAILS[s.name] ?? '', value: s.name }));
}

async function ask(ctx: CommandContext, given: Partial<CreateKeyOptions>): Promise<CreateKeyOptions> {
  const title = 'KMS: Create Key';
  const keySpec = given.keySpec ?? (await pickOne(specItems(), { title: `${title} (1/6): key spec`, placeHolder: 'What the key is for decides its spec' }));
  const usages = findKeySpec(keySpec)?.usages ?? ['ENCRYPT_DECRYPT'];
  const keyUsage =
    given.keyUsage ??
    (usages.length === 1
      ? usages[0]!
      : await pickOne(usages.map((u) => ({ label: u, detail: USAGE_DETAILS[u] ?? '', value: u })), { title: `${title} (2/6): key usage` }));
  const origin =
    given.origin ??
    (await pickOne(
      [
        { label: 'AWS_KMS', detail: 'The KMS generates the key material', value: 'AWS_KMS' },
        { label: 'EXTERNAL', detail: 'You import the key material (KMS: Import Key Material); the key waits in PendingImport until then', value: 'EXTERNAL' },
      ],
      { title: `${title} (3/6): origin of the key material` },
    ));
  const multiRegion =
    given.multiRegion ??
    (await pickYesNo({
      title: `${title} (4/6): multi-Region`,
      no: 'Single-Region key',
      noDetail: 'The usual choice',
      yes: 'Multi-Region primary key',
      yesDetail: 'Can be replicated to other Regions (KMS: Replicate Key); ciphertexts decrypt in any of them',
    }));
  const description = given.description ?? (await inputText({ title: `${title} (5/6): description`, prompt: 'A description of the key (optional)', placeHolder: 'Key for the payments service' }));
  const alias =
    given.alias ??
    (await inputText({
      title: `${title} (6/6): alias`,
      prompt: 'An alias for the key (optional); the key explorer shows keys by their first alias',
      placeHolder: 'alias/payments',
      validate: (v) => (v.trim() === '' ? undefined : aliasNameProblem(normalizeAliasName(v))),
    }));
  return { keySpec, keyUsage, origin, multiRegion, description, alias, region: given.region ?? ctx.host.region(), ...(given.policy !== undefined ? { policy: given.policy } : {}) };
}

export function registerCreateKey(ctx: CommandContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.createKey',
      guarded(ctx.reporter, 'Create Key', async (arg?: unknown): Promise<KeyMetadata> => {
        const options = await ask(ctx, optionsOf<CreateKeyOptions>(arg));
        const request = {
          KeySpec: options.keySpec,
          KeyUsage: options.keyUsage,
          Origin: options.origin,
          MultiRegion: options.multiRegion,
          Description: options.description,
          ...(options.policy !== undefined ? { Policy: options.policy } : {}),
        };
        const created = await withProgress(`Creating a ${options.keySpec} key in ${options.region}…`, () =>
          ctx.host.call<CreateKeyResponse>('CreateKey', request, { region: options.region }),
        );
        const metadata = created.KeyMetadata;
        const alias = options.alias.trim() === '' ? undefined : normalizeAliasName(options.alias);
        if (alias) await ctx.host.call('CreateAlias', { AliasName: alias, TargetKeyId: metadata.KeyId }, { region: options.region });
        ctx.tree.refresh();
        const pending = metadata.KeyState === 'PendingImport' ? ' It waits for its key material: run KMS: Import Key Material.' : '';
        ctx.reporter.info(`Created ${alias ?? 'key'} ${metadata.KeyId} (${metadata.KeySpec}, ${metadata.KeyUsage}) in ${options.region}.${pending}`);
        return metadata;
      }),
    ),
  ];
}
