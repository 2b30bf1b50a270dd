/**
 * The folder of the editor's KMS store: the setting `kmsStudio.store.location` when given (`~/…` from the home
 * folder, a relative path from the first workspace folder), else `store/` in the extension's global storage, so
 * every window of the user shares one KMS.
 */
import * as path from 'node:path';

export interface StoreLocationContext {
  home: string;
  /** The extension's global storage folder. */
  globalStorage: string;
  /** The first workspace folder, if a folder is open. */
  workspaceFolder?: string;
}

export class StoreLocationError extends Error {
  override readonly name = 'StoreLocationError';
}

export function resolveStoreLocation(setting: string | undefined, context: StoreLocationContext): string {
  const value = (setting ?? '').trim();
  if (value === '') return path.join(context.globalStorage, 'store');
  if (value === '~') return context.home;
  if (value.startsWith('~/') || value.startsWith('~\\')) return path.join(context.home, value.slice(2));
  if (path.isAbsolute(value)) return path.normalize(value);
  if (!context.workspaceFolder) {
    throw new StoreLocationError(`kmsStudio.store.location is the relative path "${value}", but no folder is open to resolve it from: make it absolute, or open a folder.`);
  }
  return path.join(context.workspaceFolder, value);
}
