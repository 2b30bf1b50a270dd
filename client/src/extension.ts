import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { ServerSettings } from '../../server/src/protocol';
import { DEFAULT_FILE_SETTINGS, type FileSettings } from '../../core/policy/documentKind';

let client: LanguageClient | undefined;

function readSettings(): ServerSettings {
  const config = vscode.workspace.getConfiguration('kmsStudio.files');
  const files: FileSettings = {
    keyPolicies: config.get<string[]>('keyPolicies', DEFAULT_FILE_SETTINGS.keyPolicies),
    identityPolicies: config.get<string[]>('identityPolicies', DEFAULT_FILE_SETTINGS.identityPolicies),
    grants: config.get<string[]>('grants', DEFAULT_FILE_SETTINGS.grants),
    scenarios: config.get<string[]>('scenarios', DEFAULT_FILE_SETTINGS.scenarios),
  };
  const rules = vscode.workspace.getConfiguration('kmsStudio.lint').get<Record<string, string>>('rules', {});
  return { files, lint: { rules } };
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Policies stay in VS Code's json language so its own JSON features keep working; the server decides
    // from the kmsStudio.files globs which documents are KMS documents.
    documentSelector: [
      { language: 'json' },
      { language: 'jsonc' },
    ],
    initializationOptions: readSettings(),
    synchronize: { configurationSection: 'kmsStudio' },
    outputChannel: output,
  };
  return new LanguageClient('kmsStudio', 'KMS Studio', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('KMS Studio', { log: true });
  context.subscriptions.push(output);
  client = createClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('kmsStudio.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('kmsStudio.showOutput', () => output.show(true)),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
