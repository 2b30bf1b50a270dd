/**
 * The composition root of the VS Code extension: the language client, the embedded KMS (KmsHost), the key
 * explorer, the kms-studio: file system of key policies, the commands and the status bar. Everything is created
 * here and handed what it needs; nothing lives in module state but the running language client.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerAliasCommands } from './commands/aliasCommands';
import { registerAuditCommands } from './commands/auditCommands';
import type { CommandContext } from './commands/commandContext';
import { registerCreateKey } from './commands/createKey';
import { registerCryptoCommands } from './commands/cryptoCommands';
import { registerEndpointCommands } from './commands/endpointCommands';
import { registerGrantCommands } from './commands/grantCommands';
import { explainDenial, registerIdentityCommands } from './commands/identityCommands';
import { registerImportKeyMaterial } from './commands/importKeyMaterial';
import { registerKeyStateCommands } from './commands/keyStateCommands';
import { registerKeyViewCommands } from './commands/keyViewCommands';
import { registerReplicateKey } from './commands/replicateKey';
import { registerRotationCommands } from './commands/rotationCommands';
import { registerSignMacCommands } from './commands/signMacCommands';
import { registerSimulateCommand } from './commands/simulateCommand';
import { EndpointController } from './endpoint/endpointController';
import { KEY_POLICY_SCHEME, KeyPolicyFileSystem } from './fs/keyPolicyFileSystem';
import { KmsHost } from './kms/kmsHost';
import { createLanguageClient } from './languageClient';
import { principalLabel } from './model/actingIdentity';
import { KmsStatusBar } from './statusBar';
import { KeyTreeProvider } from './tree/keyTreeProvider';
import type { KeyTreeNode } from './tree/keyNodes';
import { Reporter } from './ui/reporter';
import { ExplanationView } from './views/explanationView';
import { TextViews } from './views/textViews';

export const KEYS_VIEW = 'kmsStudio.keys';

/** What the extension exports: its parts, for tests and for other extensions that drive the KMS. */
export interface KmsStudioApi {
  host: KmsHost;
  tree: KeyTreeProvider;
  treeView: vscode.TreeView<KeyTreeNode>;
  reporter: Reporter;
  explanations: ExplanationView;
  policies: KeyPolicyFileSystem;
  endpoint: EndpointController;
  statusBar: KmsStatusBar;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<KmsStudioApi> {
  const output = vscode.window.createOutputChannel('KMS Studio', { log: true });
  context.subscriptions.push(output);

  const host = new KmsHost(context, output);
  const reporter = new Reporter(host, output);
  const views = new TextViews();
  const policies = new KeyPolicyFileSystem(host, reporter);
  const explanations = new ExplanationView(views, policies);
  const tree = new KeyTreeProvider(host);
  const treeView = vscode.window.createTreeView(KEYS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const endpoint = new EndpointController(host, output);
  const statusBar = new KmsStatusBar(host, endpoint);
  const describeView = (): void => {
    treeView.description = `as ${principalLabel(host.principal())}`;
  };
  describeView();
  context.subscriptions.push(
    host,
    reporter,
    views,
    explanations,
    tree,
    treeView,
    policies,
    endpoint,
    statusBar,
    host.onDidChangeIdentity(describeView),
    vscode.workspace.registerFileSystemProvider(KEY_POLICY_SCHEME, policies, { isCaseSensitive: true }),
  );

  const ctx: CommandContext = { host, reporter, tree, views, explanations, state: context.workspaceState, output };
  reporter.explain = (denial) => explainDenial(ctx, denial);
  context.subscriptions.push(
    ...registerCreateKey(ctx),
    ...registerKeyStateCommands(ctx),
    ...registerRotationCommands(ctx),
    ...registerAliasCommands(ctx),
    ...registerGrantCommands(ctx),
    ...registerReplicateKey(ctx),
    ...registerImportKeyMaterial(ctx),
    ...registerKeyViewCommands(ctx),
    ...registerCryptoCommands(ctx),
    ...registerSignMacCommands(ctx),
    ...registerIdentityCommands(ctx),
    ...registerAuditCommands(ctx),
    ...registerEndpointCommands(ctx, endpoint),
    ...registerSimulateCommand(ctx),
  );

  client = createLanguageClient(context, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('kmsStudio.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('kmsStudio.showOutput', () => output.show(true)),
  );
  await client.start();
  return { host, tree, treeView, reporter, explanations, policies, endpoint, statusBar };
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}
