/**
 * wire.encryptRps.vsBareHttp: Encrypt requests per second through the local endpoint. Each request's SigV4
 * signature is verified, the caller is an IAM role from identities.json whose policy allows Encrypt only with a
 * condition on the encryption context (so the key policy and the IAM policy are both evaluated), the call is
 * audited, and 4 KB of plaintext are encrypted. The headline is startKmsEndpoint on a KMS with a MemoryStore and a
 * MemoryAuditLog (bench/wireEndpointChild.ts), the endpoint's own cost, as bench/kms.bench.ts's headline is the
 * KMS's; the notes add `kms-studio serve` itself (the bundled dist/cli.js) on a FolderStore with its file audit log
 * on tmpfs. The peer is a bare node:http server (bench/bareHttpPeer.ts) that reads the same request and answers a
 * JSON body of the same size as the endpoint's Encrypt answer.
 *
 * Every server runs in a child process of its own, started the same way; autocannon drives them from this
 * process with 32 connections, so on the 2-core reference machine the load generator and the server each have a
 * core. Rounds alternate after a warm-up of each, each round starting with the next server in turn. The Encrypt
 * request is signed once (by @smithy/signature-v4, as the AWS SDK signs) and replayed: a signature stays valid
 * for 5 minutes either side of its date, and the endpoint still verifies it on every request.
 *
 * A last note runs the endpoint's own steps (parse, verify, decode, Encrypt, answer) in this process without
 * sockets: what every request costs on top of the HTTP work the peer does, and so the best ratio that leaves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { AuditRecorder, MemoryAuditLog } from '../core/kms/audit/auditLog';
import { systemClock } from '../core/kms/clock';
import { decodeRequest } from '../core/kms/model/codec';
import { Kms, callerFromIdentity, rootCaller, type KeyRecord } from '../core/kms/service';
import { isRegion } from '../core/kms/store/kmsStore';
import { MemoryStore } from '../core/kms/store/memoryStore';
import { responseJson } from '../core/wire/responseJson';
import { verifySigV4 } from '../core/wire/sigv4';
import type { Benchmark, BenchResult } from './harness';

/** SHA-256 for @smithy/signature-v4 through node:crypto, as the AWS SDK for Node signs. */
const SHA256 = Hash.bind(null, 'sha256');

const repoRoot = path.resolve(__dirname, '..', '..');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const CONNECTIONS = 32;
const WARM_UP_SECONDS = 2;
const ROUND_SECONDS = 3;
const ROUNDS = 3;
const PLAINTEXT_BYTES = 4096;
const CONTEXT = { department: 'payments', purpose: 'bench' };

const ADMIN = { accessKeyId: 'AKIABENCHADMIN000001', secretAccessKey: 'bench-admin-secret' };
const APP = { accessKeyId: 'AKIABENCHAPPROLE0001', secretAccessKey: 'bench-app-secret' };

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no type declarations; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

interface Server {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `node <args>` and waits for its first line naming the URL it listens on. */
async function startServer(args: string[], env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before listening`)));
  });
  const url = /(http:\/\/\S+)/.exec(first)?.[1];
  if (!url) throw new Error(`${args.join(' ')} printed no URL: ${first}`);
  child.stdout!.resume();
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function sign(port: number, operation: string, body: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<Record<string, string>> {
  const signer = new SignatureV4({ service: 'kms', region: REGION, credentials, sha256: SHA256 });
  const request: HttpRequest = {
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port,
    path: '/',
    query: {},
    headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${operation}` },
    body,
  };
  return (await signer.sign(request)).headers;
}

async function call(server: Server, operation: string, request: object, credentials = ADMIN): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(request);
  const headers = await sign(server.port, operation, body, credentials);
  const response = await fetch(server.url, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

async function load(url: string, headers: Record<string, string>, body: string, seconds: number): Promise<AutocannonResult> {
  return autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: seconds });
}

/** CPU time (user + system) a process has used, in milliseconds, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, 100 per second on Linux
  } catch {
    return undefined;
  }
}

/** Creates a key as the admin, checks that the App role's signed Encrypt round-trips, and returns what to replay. */
async function prepareEncrypt(server: Server): Promise<{ headers: Record<string, string>; body: string; answerBytes: number }> {
  const created = await call(server, 'CreateKey', { Description: 'wire bench' });
  if (created.status !== 200) throw new Error(`CreateKey failed: ${created.text}`);
  const keyId = (JSON.parse(created.text) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
  const plaintext = randomBytes(PLAINTEXT_BYTES);
  const body = JSON.stringify({ KeyId: keyId, Plaintext: plaintext.toString('base64'), EncryptionContext: CONTEXT });
  const headers = await sign(server.port, 'Encrypt', body, APP);
  // A figure for ciphertext that does not decrypt would mean nothing: check the round trip before timing.
  const probe = await fetch(server.url, { method: 'POST', headers, body });
  const probeText = await probe.text();
  if (probe.status !== 200) throw new Error(`the signed Encrypt failed: ${probeText}`);
  const { CiphertextBlob } = JSON.parse(probeText) as { CiphertextBlob: string };
  const opened = await call(server, 'Decrypt', { CiphertextBlob, EncryptionContext: CONTEXT }, APP);
  if (opened.status !== 200 || (JSON.parse(opened.text) as { Plaintext: string }).Plaintext !== plaintext.toString('base64')) {
    throw new Error(`Encrypt's ciphertext does not decrypt: ${opened.text}`);
  }
  return { headers, body, answerBytes: Buffer.byteLength(probeText) };
}

/**
 * What each request costs besides HTTP: the steps the endpoint takes between reading a body and writing an answer
 * (parse the JSON, verify the signature, decode the request, call Encrypt, write the answer's JSON), one after
 * another in this process without sockets, on a KMS like the headline's. CPU microseconds per request, in total
 * and by step. The server pays these on top of the HTTP work the bare peer does, so they bound the ratio:
 * at best peer / (peer + these).
 */
async function stepsWithoutHttp(policy: Record<string, unknown>): Promise<{ total: number; steps: Record<string, number> }> {
  const kms = new Kms({ store: new MemoryStore<KeyRecord>(), clock: systemClock, audit: new AuditRecorder(new MemoryAuditLog(), systemClock), defaultRegion: REGION });
  const created = (await kms.call('CreateKey', {}, rootCaller(ACCOUNT))) as { KeyMetadata: { KeyId: string } };
  const app = { principal: `arn:aws:iam::${ACCOUNT}:role/App`, ...APP, policies: [policy], tags: {} };
  const caller = callerFromIdentity(app, { secureTransport: false, sourceIp: '127.0.0.1', userAgent: 'autocannon' });
  const body = Buffer.from(JSON.stringify({ KeyId: created.KeyMetadata.KeyId, Plaintext: randomBytes(PLAINTEXT_BYTES).toString('base64'), EncryptionContext: CONTEXT }));
  const signed = await sign(4599, 'Encrypt', body.toString('utf8'), APP);
  const headers = new Map(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), [value]]));
  const request = { method: 'POST', path: '/', query: '', header: (name: string) => headers.get(name), body };
  const verify = { now: 0, service: 'kms', isRegion, secretOf: (id: string) => (id === APP.accessKeyId ? APP.secretAccessKey : undefined) };
  const spent = { parse: 0, verify: 0, decode: 0, encrypt: 0, answer: 0 };
  const once = async (timed: boolean) => {
    let t = performance.now();
    const step = (name: keyof typeof spent) => {
      const now = performance.now();
      if (timed) spent[name] += now - t;
      t = now;
    };
    const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    step('parse');
    verify.now = Date.now();
    const verified = verifySigV4(request, verify);
    step('verify');
    const decoded = decodeRequest('Encrypt', parsed);
    step('decode');
    const response = await kms.call('Encrypt', decoded, caller, { region: verified.region });
    step('encrypt');
    Buffer.byteLength(responseJson('Encrypt', response));
    step('answer');
  };
  for (let i = 0, until = performance.now() + WARM_UP_SECONDS * 500; performance.now() < until; i++) await once(false);
  const before = process.cpuUsage();
  let n = 0;
  for (const until = performance.now() + ROUND_SECONDS * 1000; performance.now() < until; n++) await once(true);
  const cpu = process.cpuUsage(before);
  const perRequest = (ms: number) => Number(((ms * 1000) / n).toFixed(1));
  return { total: Number(((cpu.user + cpu.system) / n).toFixed(1)), steps: Object.fromEntries(Object.entries(spent).map(([k, ms]) => [k, perRequest(ms)])) };
}

interface Target {
  name: string;
  url: string;
  pid: number | undefined;
  headers: Record<string, string>;
  body: string;
  rounds: AutocannonResult[];
  /** The server's CPU time per answered request in each round, in microseconds. */
  cpuPerRequest: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const medianOf = (rounds: AutocannonResult[], pick: (r: AutocannonResult) => number) => median(rounds.map(pick));

async function run(): Promise<BenchResult> {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'kms-studio-wire-bench-'));
  const store = path.join(dir, 'store');
  fs.mkdirSync(store);
  const allowEncrypt = {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'bench' } } }],
  };
  const identitiesFile = path.join(store, 'identities.json');
  fs.writeFileSync(
    identitiesFile,
    JSON.stringify({
      identities: [
        { principal: `arn:aws:iam::${ACCOUNT}:root`, ...ADMIN },
        { principal: `arn:aws:iam::${ACCOUNT}:role/App`, ...APP, policies: [allowEncrypt] },
      ],
    }),
  );
  const env = { ...process.env, HOME: dir, KMS_STUDIO_ROOT_KEY: randomBytes(32).toString('base64') };
  const servers: Server[] = [];
  try {
    const memory = await startServer(['out/bench/wireEndpointChild.js', identitiesFile], process.env);
    servers.push(memory);
    const served = await startServer(['dist/cli.js', 'serve', '--port', '0', '--store', store, '--quiet'], env);
    servers.push(served);
    const memoryEncrypt = await prepareEncrypt(memory);
    const servedEncrypt = await prepareEncrypt(served);
    const peer = await startServer(['out/bench/bareHttpPeer.js', String(memoryEncrypt.answerBytes)], process.env);
    servers.push(peer);

    const targets: Target[] = [
      { name: 'endpoint (MemoryStore)', url: memory.url, pid: memory.child.pid, ...memoryEncrypt, rounds: [], cpuPerRequest: [] },
      { name: 'peer', url: peer.url, pid: peer.child.pid, headers: { ...memoryEncrypt.headers, host: `127.0.0.1:${peer.port}` }, body: memoryEncrypt.body, rounds: [], cpuPerRequest: [] },
      { name: 'kms-studio serve (FolderStore)', url: served.url, pid: served.child.pid, ...servedEncrypt, rounds: [], cpuPerRequest: [] },
    ];
    for (const target of targets) await load(target.url, target.headers, target.body, WARM_UP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another server, so none is always the one measured first, or last, in a round.
      for (const target of [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)]) {
        const before = cpuMs(target.pid);
        const result = await load(target.url, target.headers, target.body, ROUND_SECONDS);
        const after = cpuMs(target.pid);
        target.rounds.push(result);
        if (before !== undefined && after !== undefined && result.requests.total > 0) target.cpuPerRequest.push(((after - before) * 1000) / result.requests.total);
      }
    }
    for (const target of targets) {
      const bad = target.rounds.find((r) => r.errors > 0 || r.timeouts > 0 || r.non2xx > 0);
      if (bad) throw new Error(`${target.name} answered errors under load: ${bad.errors} errors, ${bad.timeouts} timeouts, ${bad.non2xx} non-2xx`);
    }
    const [ours, peerTarget, folder] = targets as [Target, Target, Target];
    const withoutHttp = await stepsWithoutHttp(allowEncrypt);
    const o = medianOf(ours.rounds, (r) => r.requests.average);
    const p = medianOf(peerTarget.rounds, (r) => r.requests.average);
    const f = medianOf(folder.rounds, (r) => r.requests.average);
    const audited = fs.readdirSync(path.join(store, 'audit')).reduce((n, file) => n + fs.readFileSync(path.join(store, 'audit', file), 'utf8').split('\n').filter(Boolean).length, 0);
    const rates = (t: Target) => t.rounds.map((r) => Math.round(r.requests.average)).join(' ');
    // CPU time per request is what each server costs, whatever the load generator could drive.
    const cpu = (t: Target) => (t.cpuPerRequest.length > 0 ? Math.round(median(t.cpuPerRequest)) : 'n/a');
    return {
      ours: o,
      peer: p,
      unit: 'requests/s',
      better: 'higher',
      notes: {
        'ours p50 / p99 latency, ms': `${medianOf(ours.rounds, (r) => r.latency.p50)} / ${medianOf(ours.rounds, (r) => r.latency.p99)}`,
        'peer p50 / p99 latency, ms': `${medianOf(peerTarget.rounds, (r) => r.latency.p50)} / ${medianOf(peerTarget.rounds, (r) => r.latency.p99)}`,
        [`kms-studio serve on a FolderStore and its file audit log on ${base}, requests/s`]: Math.round(f),
        'kms-studio serve ratio ours/peer': Number((f / p).toFixed(4)),
        'kms-studio serve p50 / p99 latency, ms': `${medianOf(folder.rounds, (r) => r.latency.p50)} / ${medianOf(folder.rounds, (r) => r.latency.p99)}`,
        'kms-studio serve audit events written (every request of its rounds)': audited,
        'server CPU per request, µs (ours | peer | serve)': `${cpu(ours)} | ${cpu(peerTarget)} | ${cpu(folder)}`,
        "the endpoint's steps without HTTP in this process, CPU µs per request": withoutHttp.total,
        'of which wall µs by step': Object.entries(withoutHttp.steps).map(([k, v]) => `${k} ${v}`).join(', '),
        'best ratio those steps leave (peer CPU / (peer CPU + steps))': typeof cpu(peerTarget) === 'number' ? Number(((cpu(peerTarget) as number) / ((cpu(peerTarget) as number) + withoutHttp.total)).toFixed(3)) : 'n/a',
        'request / answer bytes': `${Buffer.byteLength(memoryEncrypt.body)} / ${memoryEncrypt.answerBytes}`,
        connections: CONNECTIONS,
        'rounds, requests/s (ours | peer | serve)': `${rates(ours)} | ${rates(peerTarget)} | ${rates(folder)}`,
      },
    };
  } finally {
    const codes = await Promise.all(servers.map((server) => server.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
    if (codes.some((code) => code !== 0)) process.stderr.write(`a server exited with ${codes.join(', ')} on SIGTERM\n`);
  }
}

export const benchmarks: Benchmark[] = [
  {
    name: 'wire.encryptRps.vsBareHttp',
    description: 'Encrypt of 4 KB through the endpoint (SigV4, IAM role + key policy, audit; MemoryStore, with `kms-studio serve` on a FolderStore in the notes) vs a bare node:http server answering the same size, 32 connections from autocannon',
    run,
  },
];
