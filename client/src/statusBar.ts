/** The status bar: who the KMS calls act as (click to switch), and the local endpoint while it runs. */
import * as vscode from 'vscode';
import { principalLabel } from './model/actingIdentity';
import type { EndpointController } from './endpoint/endpointController';
import type { KmsHost } from './kms/kmsHost';

export class KmsStatusBar implements vscode.Disposable {
  readonly identity: vscode.StatusBarItem;
  readonly endpoint: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly host: KmsHost,
    private readonly endpoints: EndpointController,
  ) {
    this.identity = vscode.window.createStatusBarItem('kmsStudio.identity', vscode.StatusBarAlignment.Left, 10);
    this.identity.name = 'KMS Studio: acting identity';
    this.identity.command = 'kmsStudio.switchIdentity';
    this.endpoint = vscode.window.createStatusBarItem('kmsStudio.endpoint', vscode.StatusBarAlignment.Left, 9);
    this.endpoint.name = 'KMS Studio: local endpoint';
    this.endpoint.command = 'kmsStudio.stopEndpoint';
    this.disposables = [this.identity, this.endpoint, host.onDidChangeIdentity(() => this.update()), endpoints.onDidChange(() => this.update())];
    this.update();
  }

  update(): void {
    const principal = this.host.principal();
    this.identity.text = `$(person) KMS: ${principalLabel(principal)}`;
    this.identity.tooltip = `KMS Studio's calls act as ${principal} (default Region ${this.host.region()}). Click to switch identity.`;
    this.identity.show();
    const running = this.endpoints.current();
    if (running) {
      this.endpoint.text = `$(radio-tower) KMS endpoint :${running.port}`;
      this.endpoint.tooltip = `The local AWS KMS endpoint is listening at ${running.url}. Click to stop it.`;
      this.endpoint.show();
    } else {
      this.endpoint.hide();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
