/**
 * What the extension-host suites of the KMS client share: the extension's API, a KMS store of their own in a
 * temporary folder (set through kmsStudio.store.location, so no suite sees another's keys or the user's), editors
 * with a selection, and waiting on a condition with a deadline (never a bare sleep).
 *
 * Only types come from client/src: the code under test is the bundled dist/extension.js the host loaded.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import type { KeyMetadata } from '../../core/kms/service/keyRecord';

export const EXTENSION_ID = 'kms-studio.kms-studio';
const WAIT_MS = 20_000;

export async function kmsStudio(): Promise<KmsStudioApi> {
  const extension = vscode.extensions.getExtension<KmsStudioApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this host`);
  const api = await extension.activate();
  assert.ok(api && api.host, 'activate() returned the KMS Studio API');
  return api;
}

/**
 * Polls `check` until it returns a value other than undefined or false, or fails after the deadline naming
 * `what`. Used where the thing awaited has no event of its own (a file another process writes).
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves at the next firing of `event` that satisfies `accept`, or fails after the deadline. */
export function nextEvent<T>(event: vscode.Event<T>, what: string, accept: (value: T) => boolean = () => true, timeoutMs = WAIT_MS): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`));
    }, timeoutMs);
    const subscription = event((value) => {
      if (!accept(value)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(value);
    });
  });
}

export interface TempStore {
  dir: string;
  /** With `sharedRootKey`: the root key (base64) the store was made with, for the CLI run against it. */
  rootKey?: string;
  dispose(): Promise<void>;
}

/**
 * Points the extension at a fresh store folder (user settings), holding `files`, and reverts to none afterwards.
 * With `sharedRootKey`, the store is made with a random root key passed in KMS_STUDIO_ROOT_KEY, as a terminal shares
 * one with the editor, so the CLI (another process) can open the same store; dispose() removes it again.
 */
export async function useTempStore(api: KmsStudioApi, name: string, files: Record<string, string> = {}, options: { sharedRootKey?: boolean } = {}): Promise<TempStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kms-studio-${name}-`));
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text, { mode: 0o600 });
  const rootKey = options.sharedRootKey ? randomBytes(32).toString('base64') : undefined;
  if (rootKey) process.env['KMS_STUDIO_ROOT_KEY'] = rootKey;
  const config = vscode.workspace.getConfiguration('kmsStudio');
  await config.update('store.location', dir, vscode.ConfigurationTarget.Global);
  await waitFor('the extension to open the new store', async () => (await api.host.open()).storeDir === dir);
  return {
    dir,
    ...(rootKey ? { rootKey } : {}),
    async dispose() {
      await vscode.workspace.getConfiguration('kmsStudio').update('store.location', undefined, vscode.ConfigurationTarget.Global);
      if (rootKey) delete process.env['KMS_STUDIO_ROOT_KEY'];
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface KeyOptions {
  keySpec?: string;
  keyUsage?: string;
  origin?: string;
  multiRegion?: boolean;
  description?: string;
  alias?: string;
  region?: string;
  policy?: string;
}

/** KMS: Create Key with every answer given, as a test or a keybinding gives them. */
export async function createKey(options: KeyOptions = {}): Promise<KeyMetadata> {
  const metadata = await vscode.commands.executeCommand<KeyMetadata | undefined>('kmsStudio.createKey', {
    keySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    origin: 'AWS_KMS',
    multiRegion: false,
    description: '',
    alias: '',
    ...options,
  });
  assert.ok(metadata?.KeyId, 'kmsStudio.createKey resolved to the new key\'s metadata');
  return metadata;
}

/** A new untitled editor holding `text`, with all of it selected. */
export async function editorWith(text: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(document.positionAt(0), document.positionAt(text.length));
  return editor;
}

export function selectAll(editor: vscode.TextEditor): void {
  const text = editor.document.getText();
  editor.selection = new vscode.Selection(editor.document.positionAt(0), editor.document.positionAt(text.length));
}

/** Closes every editor without saving: dirty documents are reverted first, so no save prompt appears. */
export async function closeAllEditors(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const dirty = vscode.workspace.textDocuments.find((d) => d.isDirty);
    if (!dirty) break;
    await vscode.window.showTextDocument(dirty);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** The bundled CLI, run as another process that changes the same store. */
export function cliPath(): string {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  return path.join(extension.extensionPath, 'dist', 'cli.js');
}
