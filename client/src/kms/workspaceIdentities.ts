/**
 * The identities Switch Identity offers and the endpoint signs for: the store's identities.json first, then
 * every `identities.json` of the workspace (the same format), each entry remembering its file.
 */
import * as vscode from 'vscode';
import { parseIdentities } from '../../../core/kms/store';
import { mergeIdentities, type KnownIdentity } from '../model/actingIdentity';

export const WORKSPACE_IDENTITIES_GLOB = '**/identities.json';

export interface IdentityLoad {
  identities: KnownIdentity[];
  /** Files that could not be read, with what is wrong: shown, never fatal. */
  problems: string[];
}

export async function workspaceIdentities(storeIdentities: () => KnownIdentity[]): Promise<IdentityLoad> {
  const problems: string[] = [];
  let fromStore: KnownIdentity[] = [];
  try {
    fromStore = storeIdentities();
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const lists: KnownIdentity[][] = [fromStore];
  const files = await vscode.workspace.findFiles(WORKSPACE_IDENTITIES_GLOB, '**/node_modules/**', 20);
  for (const uri of files.sort((a, b) => a.path.localeCompare(b.path))) {
    const source = vscode.workspace.asRelativePath(uri);
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      lists.push(parseIdentities(text, source).map((identity) => ({ identity, source })));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { identities: mergeIdentities(lists), problems };
}
