/**
 * The root key that wraps the store's key material, for the editor. KMS_STUDIO_ROOT_KEY wins when set, as it
 * does for the CLI, so a terminal and the editor can share a store; otherwise VS Code's SecretStorage keeps it,
 * generated on first use. It is never written into the store folder or the settings.
 */
import { randomBytes } from 'node:crypto';
import { ROOT_KEY_BYTES, ROOT_KEY_ENV, ROOT_KEY_SECRET, parseRootKey } from '../../../core/kms/store';

export interface SecretStore {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
}

export interface RootKey {
  key: Uint8Array;
  source: string;
  /** Generated now, on first use. */
  created: boolean;
}

export const SECRET_SOURCE = 'VS Code SecretStorage';

export async function rootKeyFor(secrets: SecretStore, env: Readonly<Record<string, string | undefined>>): Promise<RootKey> {
  const fromEnv = env[ROOT_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { key: parseRootKey(fromEnv, ROOT_KEY_ENV), source: ROOT_KEY_ENV, created: false };
  const stored = await secrets.get(ROOT_KEY_SECRET);
  if (stored !== undefined && stored !== '') return { key: parseRootKey(stored, SECRET_SOURCE), source: SECRET_SOURCE, created: false };
  await secrets.store(ROOT_KEY_SECRET, randomBytes(ROOT_KEY_BYTES).toString('base64'));
  // Read back what was stored: when two windows start at once, both use the key that won.
  const winner = await secrets.get(ROOT_KEY_SECRET);
  if (winner === undefined || winner === '') throw new Error('VS Code SecretStorage did not keep the root key it was given');
  return { key: parseRootKey(winner, SECRET_SOURCE), source: SECRET_SOURCE, created: true };
}
