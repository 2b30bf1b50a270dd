/** The language client: starts the bundled server over IPC and passes it the kmsStudio settings. */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { ServerSettings } from '../../server/src/protocol';
import { DEFAULT_FILE_SETTINGS, type FileSettings } from '../../core/policy/documentKind';

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

export function createLanguageClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // Policies stay in VS Code's json language so its own JSON features keep working; the server decides
    // from the kmsStudio.files globs which documents are KMS documents, and takes every document of the
    // kms-studio: scheme (key policies served from the embedded KMS) for a key policy.
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
