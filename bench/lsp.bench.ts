/**
 * lsp.diagnostics32k.vsJsonLanguageService: the time from didChange to publishDiagnostics for a 32 KB key
 * policy, KMS Studio's language server (dist/server.js: parse, policy model, every lint rule) against a
 * server built on vscode-json-languageservice validating the same text with the policy's JSON Schema. Both run
 * as separate processes over stdio with no debounce, driven by the same client, alternating rounds.
 * Also the resident memory of KMS Studio's server after opening 200 policies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { bigKeyPolicy } from './authz.bench';
import { percentile, type Benchmark, type BenchResult } from './harness';

const repoRoot = path.resolve(__dirname, '..', '..');
const CHANGES_PER_ROUND = 40;
const ROUNDS = 3;

class Server {
  readonly connection: ProtocolConnection;
  private waiters = new Map<string, { version: number; resolve: () => void }>();

  private constructor(readonly child: ChildProcess) {
    this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const waiter = this.waiters.get(p.uri);
      if (waiter && p.version === waiter.version) {
        this.waiters.delete(p.uri);
        waiter.resolve();
      }
    });
    this.connection.listen();
  }

  static async start(script: string, initializationOptions: unknown): Promise<Server> {
    const child = spawn(process.execPath, [script, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const server = new Server(child);
    await server.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
    await server.connection.sendNotification(InitializedNotification.type, {});
    return server;
  }

  published(uri: string, version: number): Promise<void> {
    return new Promise((resolve) => this.waiters.set(uri, { version, resolve }));
  }

  async open(uri: string, text: string): Promise<void> {
    const done = this.published(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'json', version: 1, text } });
    await done;
  }

  /** Replaces the text and resolves with the milliseconds until the diagnostics of that version arrive. */
  async change(uri: string, version: number, text: string): Promise<number> {
    const done = this.published(uri, version);
    const start = performance.now();
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    await done;
    return performance.now() - start;
  }

  /** Resident set size of the server process, from /proc (Linux). */
  rssMb(): number | undefined {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
      return Number.isFinite(kb) ? Math.round(kb / 102.4) / 10 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
  }
}

/** The 32 KB policy with one Sid changed per version, so every change is a new text of the same size. */
function variant(text: string, i: number): string {
  return text.replace('"Enable IAM User Permissions"', `"Enable IAM User Permissions ${String(i % 10)}"`);
}

async function timeChanges(server: Server, uri: string, text: string, startVersion: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < CHANGES_PER_ROUND; i++) samples.push(await server.change(uri, startVersion + i, variant(text, i)));
  return samples;
}

async function run(): Promise<BenchResult> {
  const { document, bytes } = bigKeyPolicy();
  const text = JSON.stringify(document, null, 2);
  const ours = await Server.start(path.join(repoRoot, 'dist', 'server.js'), { diagnosticsDelayMs: 0 });
  const peer = await Server.start(path.join(repoRoot, 'out', 'bench', 'jsonPeerServer.js'), {});
  const uri = 'file:///bench/shared.keypolicy.json';
  await ours.open(uri, text);
  await peer.open(uri, text);
  const oursSamples: number[] = [];
  const peerSamples: number[] = [];
  let version = 2;
  // Alternating rounds, so a slow phase of the machine falls on both.
  for (let round = 0; round < ROUNDS; round++) {
    oursSamples.push(...(await timeChanges(ours, uri, text, version)));
    peerSamples.push(...(await timeChanges(peer, uri, text, version)));
    version += CHANGES_PER_ROUND;
  }

  // Memory after 200 open policies: each a different ~3 KB key policy, all validated.
  const small = (i: number): string =>
    JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
          ...document.Statement.slice(1, 6),
          { Sid: `Team${i}`, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::111122223333:role/team-${i}` }, Action: ['kms:Decrypt'], Resource: '*' },
        ],
      },
      null,
      2,
    );
  const before = { ours: ours.rssMb(), peer: peer.rssMb() };
  for (let i = 0; i < 200; i++) {
    await ours.open(`file:///bench/p${i}.keypolicy.json`, small(i));
    await peer.open(`file:///bench/p${i}.keypolicy.json`, small(i));
  }
  const after = { ours: ours.rssMb(), peer: peer.rssMb() };
  await ours.stop();
  await peer.stop();

  const p50 = { ours: percentile(oursSamples, 50), peer: percentile(peerSamples, 50) };
  return {
    ours: Number(p50.ours.toFixed(2)),
    peer: Number(p50.peer.toFixed(2)),
    unit: 'ms (p50, didChange to publishDiagnostics)',
    better: 'lower',
    notes: {
      policyBytes: bytes,
      changesMeasured: oursSamples.length,
      oursP50Ms: Number(p50.ours.toFixed(2)),
      oursP95Ms: Number(percentile(oursSamples, 95).toFixed(2)),
      peerP50Ms: Number(p50.peer.toFixed(2)),
      peerP95Ms: Number(percentile(peerSamples, 95).toFixed(2)),
      oursRssMbBeforeOpening200: before.ours ?? 'n/a',
      oursRssMbAfterOpening200Policies: after.ours ?? 'n/a',
      peerRssMbAfterOpening200Policies: after.peer ?? 'n/a',
    },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'lsp.diagnostics32k.vsJsonLanguageService',
    description: 'didChange to publishDiagnostics for a 32 KB key policy, KMS Studio server vs vscode-json-languageservice with the policy schema',
    run,
  },
];
