/**
 * KMS: Start Local Endpoint (shows the environment variables that point the AWS CLI and SDKs at it, to copy) and
 * KMS: Stop Local Endpoint.
 *
 *   executeCommand('kmsStudio.startEndpoint', { port: 0 })  → { url, port, environment }
 */
import * as vscode from 'vscode';
import { exportLines, powershellLines } from '../model/endpointEnv';
import type { EndpointController } from '../endpoint/endpointController';
import { guarded } from '../ui/guarded';
import { optionsOf, type CommandContext } from './commandContext';

export function registerEndpointCommands(ctx: CommandContext, endpoint: EndpointController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(
      'kmsStudio.startEndpoint',
      guarded(ctx.reporter, 'Start Local Endpoint', async (arg?: unknown) => {
        const port = optionsOf<{ port: number }>(arg).port;
        const already = endpoint.current();
        const running = already ?? (await endpoint.start(port));
        const bash = exportLines(running.environment);
        const { url, region, accessKeyId } = running.environment;
        // The output channel is kept on disk: it gets the endpoint and the access key ID, never the secret access
        // key, which reaches only the clipboard when the person copies the environment.
        ctx.output.info(`Local KMS endpoint at ${url}, Region ${region}, signing as access key ID ${accessKeyId}${running.note ? ` (${running.note})` : ''}`);
        const message = `${already ? 'The local KMS endpoint is already running' : 'Local KMS endpoint started'} at ${url} (access key ID ${accessKeyId}). Copy its environment variables, secret access key included, into a terminal.${running.note ? ` (${running.note})` : ''}`;
        void vscode.window.showInformationMessage(message, 'Copy for bash', 'Copy for PowerShell').then((choice) => {
          if (choice === 'Copy for bash') void vscode.env.clipboard.writeText(bash);
          if (choice === 'Copy for PowerShell') void vscode.env.clipboard.writeText(powershellLines(running.environment));
        });
        return running;
      }),
    ),
    vscode.commands.registerCommand(
      'kmsStudio.stopEndpoint',
      guarded(ctx.reporter, 'Stop Local Endpoint', async () => {
        const stopped = await endpoint.stop();
        vscode.window.setStatusBarMessage(stopped ? 'Local KMS endpoint stopped' : 'The local KMS endpoint was not running', 4000);
        return stopped;
      }),
    ),
  ];
}
