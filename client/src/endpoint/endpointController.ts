/**
 * The local AWS KMS endpoint (core/wire) serving the editor's KMS, so the AWS CLI and SDKs can call the same keys:
 * started and stopped from the palette, stopped when the store is reopened elsewhere or the window closes. Its
 * requests go to the output channel; what it changes reaches the key explorer through the store watcher.
 */
import * as vscode from 'vscode';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_PORT, DEFAULT_SECRET_ACCESS_KEY, startKmsEndpoint, type KmsEndpoint } from '../../../core/wire';
import { findIdentity } from '../model/actingIdentity';
import type { EndpointEnvironment } from '../model/endpointEnv';
import type { KmsHost } from '../kms/kmsHost';

export interface RunningEndpoint {
  url: string;
  port: number;
  environment: EndpointEnvironment;
  /** Why the access key shown is not the acting identity's, when it is not. */
  note?: string;
}

export class EndpointController implements vscode.Disposable {
  private endpoint: KmsEndpoint | undefined;
  private running: RunningEndpoint | undefined;
  /** The start under way: a second Start while the first is listening gets the same endpoint, not a second one. */
  private starting: Promise<RunningEndpoint> | undefined;
  private readonly changed = new vscode.EventEmitter<RunningEndpoint | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly host: KmsHost,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        // The endpoint serves the Kms of the store it started with; a new store needs a new endpoint.
        if (e.affectsConfiguration('kmsStudio.store.location') && this.endpoint) {
          void this.stop().then(() => this.output.info('Stopped the local KMS endpoint: the store location changed. Start it again to serve the new store.'));
        }
      }),
    ];
  }

  current(): RunningEndpoint | undefined {
    return this.running;
  }

  /** The configured port (kmsStudio.endpoint.port), 4599 by default, 0 for any free port. */
  configuredPort(): number {
    return vscode.workspace.getConfiguration('kmsStudio').get<number>('endpoint.port', DEFAULT_PORT);
  }

  start(port: number = this.configuredPort()): Promise<RunningEndpoint> {
    if (this.running) return Promise.resolve(this.running);
    const starting = (this.starting ??= this.startNow(port).finally(() => {
      if (this.starting === starting) this.starting = undefined;
    }));
    return starting;
  }

  private async startNow(port: number): Promise<RunningEndpoint> {
    const session = await this.host.open();
    const known = await this.host.knownIdentities(true);
    let endpoint: KmsEndpoint;
    try {
      endpoint = await startKmsEndpoint({
        kms: session.kms,
        port,
        identities: () => this.host.identitiesNow(),
        onRequest: (event) =>
          this.output.info(
            `endpoint ${event.requestId} ${event.operation ?? '-'} ${event.status}${event.errorCode ? ` ${event.errorCode}` : ''} as ${event.principal ?? event.accessKeyId ?? 'unknown'} (${event.durationMs} ms)`,
          ),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`Port ${port} is already in use: stop what listens there, or set kmsStudio.endpoint.port to another port (0 picks a free one).`);
      if (code === 'EACCES') throw new Error(`Port ${port} needs privileges to listen on: set kmsStudio.endpoint.port above 1023.`);
      throw error;
    }
    this.endpoint = endpoint;
    const acting = this.host.principal();
    const listed = findIdentity(acting, known)?.identity;
    let note: string | undefined;
    let keys = { accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY };
    if (listed) keys = { accessKeyId: listed.accessKeyId, secretAccessKey: listed.secretAccessKey };
    else if (known.length > 0) {
      keys = { accessKeyId: known[0]!.identity.accessKeyId, secretAccessKey: known[0]!.identity.secretAccessKey };
      note = `The acting identity (${acting}) has no access key in an identities.json, so these are the keys of ${known[0]!.identity.principal}.`;
    }
    this.running = { url: endpoint.url, port: endpoint.port, environment: { url: endpoint.url, region: this.host.region(), ...keys }, ...(note ? { note } : {}) };
    this.output.info(`Local KMS endpoint listening at ${endpoint.url} for the store in ${session.storeDir}`);
    this.changed.fire(this.running);
    return this.running;
  }

  async stop(): Promise<boolean> {
    // A Stop during a start stops what that start brings up.
    if (this.starting) await this.starting.catch(() => undefined);
    const endpoint = this.endpoint;
    if (!endpoint) return false;
    this.endpoint = undefined;
    this.running = undefined;
    await endpoint.close();
    this.output.info('Local KMS endpoint stopped');
    this.changed.fire(undefined);
    return true;
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }
}
