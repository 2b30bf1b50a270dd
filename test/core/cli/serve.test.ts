import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { CreateKeyCommand, DescribeKeyCommand, KMSClient, ListKeysCommand, NotFoundException, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { repoRoot } from '../../support/paths';
import { createKey, sandbox, type Sandbox } from './kmsSandbox';

interface Served {
  child: ChildProcess;
  url: string;
  /** Every line printed on stdout up to the last line of the startup output. */
  lines: string[];
  stderr(): string;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  client(credentials?: { accessKeyId: string; secretAccessKey: string }): KMSClient;
}

/** Spawns the bundled `kms-studio serve` in the sandbox and waits for its startup output. */
async function serve(box: Sandbox, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'serve', '--port', '0', '--store', box.store, ...args], {
    cwd: box.dir,
    env: { ...box.env, PATH: process.env['PATH'] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    reader.on('line', (line) => {
      lines.push(line);
      if (line.startsWith('# the Region')) resolve();
    });
    void exited.then(([code]) => reject(new Error(`serve exited with ${code} before it was ready: ${stderr}`)));
  });
  const url = /^KMS Studio listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1];
  assert.ok(url, `the first line names the URL: ${lines[0]}`);
  const clients: KMSClient[] = [];
  child.once('exit', () => clients.forEach((c) => c.destroy()));
  return {
    child,
    url,
    lines,
    stderr: () => stderr,
    exited,
    client(credentials = { accessKeyId: 'test', secretAccessKey: 'test' }) {
      const client = new KMSClient({ region: 'us-east-1', endpoint: url, credentials, maxAttempts: 1 });
      clients.push(client);
      return client;
    },
  };
}

/** Stops the server with `signal` and returns its exit code. */
async function stop(served: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  served.child.kill(signal);
  const [code] = await served.exited;
  return code;
}

describe('kms-studio serve', () => {
  it('prints the URL first, then the environment; serves the SDK; SIGTERM exits 0 with the store released', async () => {
    const box = sandbox();
    const served = await serve(box);
    assert.ok(served.lines.includes(`AWS_ENDPOINT_URL_KMS=${served.url}`), served.lines.join('\n'));
    assert.ok(served.lines.includes('AWS_ACCESS_KEY_ID=test') && served.lines.includes('AWS_SECRET_ACCESS_KEY=test') && served.lines.includes('AWS_REGION=us-east-1'));
    assert.ok(served.lines.some((l) => /access key test with secret test is the root user of account 111122223333/.test(l)));
    assert.ok(served.lines.slice(1).every((l) => /^[A-Z_]+=\S+$/.test(l) || l.startsWith('# ')), 'the lines after the first can be sourced by a shell');

    const created = await served.client().send(new CreateKeyCommand({ Description: 'served' }));
    const keyId = created.KeyMetadata!.KeyId!;
    assert.equal(await stop(served), 0, served.stderr());
    assert.match(served.stderr(), /stopped on SIGTERM/);
    assert.match(served.stderr(), /^200 CreateKey arn:aws:iam::111122223333:root us-east-1 /m);

    const store = path.join(box.dir, box.store);
    assert.equal(fs.existsSync(path.join(store, '.lock')), false, 'no lock left behind');
    const listed = await box.call('ListKeys');
    assert.deepEqual((listed['Keys'] as Array<{ KeyId: string }>).map((k) => k.KeyId), [keyId]);
    const audit = await box.run(['audit', '--store', box.store, '--json']);
    assert.equal(audit.code, 0, audit.stderr);
    assert.match(audit.stdout, /"eventName": ?"CreateKey"/);
    assert.match(audit.stdout, /"sourceIPAddress": ?"127\.0\.0\.1"/);
  });

  it('SIGINT (Ctrl-C) stops it the same way, exit 0', async () => {
    const box = sandbox();
    const served = await serve(box, ['--quiet']);
    await served.client().send(new ListKeysCommand({}));
    assert.equal(await stop(served, 'SIGINT'), 0, served.stderr());
    assert.match(served.stderr(), /stopped on SIGINT/);
    assert.doesNotMatch(served.stderr(), /ListKeys/, '--quiet prints no request lines');
  });

  it('sees what the CLI writes to the store while it serves: keys, and the sandbox clock', async () => {
    const box = sandbox();
    const served = await serve(box, ['--quiet']);
    const client = served.client();
    // A key made by `kms-studio kms` in another process is there for the next request.
    const keyId = await createKey(box);
    assert.equal((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Enabled');
    // `kms-studio clock advance` past the deletion date makes the scheduled deletion happen for the next request.
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal((await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
    const advanced = await box.run(['clock', '--store', box.store, 'advance', '8']);
    assert.equal(advanced.code, 0, advanced.stderr);
    await assert.rejects(client.send(new DescribeKeyCommand({ KeyId: keyId })), NotFoundException);
    assert.equal(await stop(served), 0, served.stderr());
  });

  it('reads identities.json on the next request after it changes', async () => {
    const box = sandbox();
    const served = await serve(box, ['--quiet']);
    await served.client().send(new ListKeysCommand({}));
    const identities = { identities: [{ principal: 'arn:aws:iam::111122223333:root', accessKeyId: 'AKIASERVETEST0000001', secretAccessKey: 'served-secret' }] };
    fs.writeFileSync(path.join(box.dir, box.store, 'identities.json'), JSON.stringify(identities));
    await assert.rejects(served.client().send(new ListKeysCommand({})), { name: 'UnrecognizedClientException' });
    const listed = await served.client({ accessKeyId: 'AKIASERVETEST0000001', secretAccessKey: 'served-secret' }).send(new ListKeysCommand({}));
    assert.deepEqual(listed.Keys, []);
    assert.equal(await stop(served), 0, served.stderr());
  });

  it('with identities at start, prints no test/test credentials', async () => {
    const box = sandbox();
    const file = path.join(box.dir, 'ids.json');
    fs.writeFileSync(file, JSON.stringify({ identities: [{ principal: 'arn:aws:iam::111122223333:user/ci', accessKeyId: 'AKIASERVETEST0000002', secretAccessKey: 's' }] }));
    const served = await serve(box, ['--identities', 'ids.json']);
    assert.equal(served.lines.some((l) => l.startsWith('AWS_ACCESS_KEY_ID=')), false);
    assert.ok(served.lines.some((l) => l.includes(`identities from ${file}`)));
    assert.equal(await stop(served), 0, served.stderr());
  });

  it('refuses a non-loopback --host without --allow-remote, exit 2', async () => {
    const box = sandbox();
    const run = await box.run(['serve', '--host', '0.0.0.0', '--port', '0', '--store', box.store]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /0\.0\.0\.0 is not a loopback address.*--allow-remote/);
    assert.equal(run.stdout, '');
  });

  it('a port in use, a bad --port, a missing --identities file, a stray argument: exit 2 with a message', async () => {
    const box = sandbox();
    const blocker = net.createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const port = (blocker.address() as net.AddressInfo).port;
      const inUse = await box.run(['serve', '--port', String(port), '--store', box.store]);
      assert.equal(inUse.code, 2);
      assert.match(inUse.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      blocker.close();
    }
    for (const [args, message] of [
      [['--port', '65536'], /--port: "65536" is not a port number/],
      [['--port', 'http'], /--port: "http" is not a port number/],
      [['--identities', 'nope.json'], /--identities nope\.json: no such file/],
      [['extra'], /serve takes no arguments/],
    ] as Array<[string[], RegExp]>) {
      const run = await box.run(['serve', '--store', box.store, ...args]);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message);
    }
  });

  it('is listed by --help, and has its own', async () => {
    const box = sandbox();
    assert.match((await box.run(['--help'])).stdout, /^ {2}serve +serve the embedded KMS .* wire protocol/m);
    const help = await box.run(['serve', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /kms-studio serve \[--host 127\.0\.0\.1\] \[--port 4599\] \[--store DIR\] \[--identities FILE\] \[--root-key-file FILE\] \[--allow-remote\]/);
  });
});
