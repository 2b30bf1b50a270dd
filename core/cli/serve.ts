/**
 * `kms-studio serve`: the embedded KMS of a store folder behind a local endpoint that speaks AWS KMS's wire
 * protocol (core/wire), so the AWS SDKs, the AWS CLI and the AWS Encryption SDK work against it unchanged with
 * `AWS_ENDPOINT_URL_KMS` or `--endpoint-url`. Requests are SigV4-authenticated against identities.json (or the
 * default test/test root user), authorized and audited exactly as `kms-studio kms` calls are.
 *
 * The first line printed is `KMS Studio listening on <url>`, for a script to wait on; the lines after it are the
 * environment a client needs, as `NAME=value` lines and `#` comments, so they can be sourced by a shell. The
 * command runs until SIGINT or SIGTERM, then stops accepting, lets requests in flight finish and exits 0. A store
 * or identities problem, a port in use, or a non-loopback --host without --allow-remote exits 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AuditRecorder, FileAuditLog } from '../kms/audit/auditLog';
import { SandboxClock } from '../kms/clock';
import { Kms } from '../kms/service';
import type { Identity } from '../kms/store';
import {
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_PORT,
  DEFAULT_SECRET_ACCESS_KEY,
  cachedClockOffsets,
  identitiesFromFile,
  isLoopbackHost,
  startKmsEndpoint,
  type EndpointRequestEvent,
  type KmsEndpoint,
} from '../wire';
import { EXIT_OK, EXIT_USAGE, UsageError, parseCommandArgs, type CliIo } from './io';
import type { Command } from './main';
import { DEFAULT_REGION, asStoreProblem, openStore, storeDirOf } from './openKms';

/** The store folder when --store is not given: in the current folder, beside the project it serves. */
export const DEFAULT_STORE = '.kms-studio';

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port: "${text}" is not a port number (0 to 65535; 0 picks a free port)`);
  return Number(text);
}

/**
 * The KMS of a store as openKms wires it, except that the sandbox clock's offset is read from clock.json only when
 * the file changed: the endpoint asks the clock several times a request, and a read each time was a tenth of an
 * Encrypt's cost (see core/wire/storeFileCache.ts).
 */
function openServedKms(io: CliIo, store: string, rootKeyFile: string | undefined): { kms: Kms; log: FileAuditLog } {
  const folder = openStore(io, { store, ...(rootKeyFile !== undefined ? { rootKeyFile } : {}), create: true });
  const clock = new SandboxClock(cachedClockOffsets(folder));
  const log = new FileAuditLog(folder.auditDir);
  return { kms: new Kms({ store: folder, clock, audit: new AuditRecorder(log, clock), defaultRegion: DEFAULT_REGION }), log };
}

/** One line per answered request on stderr: status, operation, who, where, how long, and the error if any. */
function requestLine(event: EndpointRequestEvent): string {
  const what = event.operation ?? '-';
  const who = event.principal ?? event.accessKeyId ?? '-';
  const error = event.errorCode ? ` ${event.errorCode}: ${event.errorMessage ?? ''}` : '';
  return `${event.status} ${what} ${who} ${event.region ?? '-'} ${event.durationMs.toFixed(1)} ms${error}\n`;
}

/** Resolves with the signal that asked the command to stop. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const serveCommand: Command = {
  summary: "serve the embedded KMS of a store folder on AWS KMS's wire protocol (SigV4) for the AWS SDKs and CLI",
  usage:
    'kms-studio serve [--host 127.0.0.1] [--port 4599] [--store DIR] [--identities FILE] [--root-key-file FILE] [--allow-remote] [--quiet]\n' +
    `       (--store defaults to ./${DEFAULT_STORE}, created on first use; --identities to DIR/identities.json; --port 0 picks a free port;\n` +
    '        --quiet leaves out the line per request on stderr)',
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseCommandArgs(args, {
      host: { type: 'string' },
      port: { type: 'string' },
      store: { type: 'string' },
      identities: { type: 'string' },
      'root-key-file': { type: 'string' },
      'allow-remote': { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`serve takes no arguments besides its options; got ${positionals.join(', ')}`);
    const host = values.host ?? '127.0.0.1';
    if (host === '') throw new UsageError('--host needs an address');
    const port = parsePort(values.port);
    if (!values['allow-remote'] && !isLoopbackHost(host)) {
      io.stderr(`kms-studio serve: --host ${host} is not a loopback address: other machines could reach the KMS, whose default access key is test/test. Add --allow-remote to mean it.\n`);
      return EXIT_USAGE;
    }
    const store = values.store ?? DEFAULT_STORE;
    if (store === '') throw new UsageError('--store needs a folder');
    const identitiesFile = values.identities !== undefined ? path.resolve(io.cwd, values.identities) : path.join(storeDirOf(io, store), 'identities.json');
    if (values.identities !== undefined && !fs.existsSync(identitiesFile)) throw new UsageError(`--identities ${values.identities}: no such file`);

    let opened: { kms: Kms; log: FileAuditLog };
    let identities: () => readonly Identity[];
    try {
      opened = openServedKms(io, store, values['root-key-file']);
      identities = identitiesFromFile(identitiesFile);
      // A broken identities file is reported now, not as the first request's failure.
      identities();
    } catch (e) {
      const problem = asStoreProblem(e);
      if (!problem) throw e;
      io.stderr(`kms-studio serve: ${problem.message}\n`);
      return EXIT_USAGE;
    }

    let endpoint: KmsEndpoint;
    try {
      endpoint = await startKmsEndpoint({
        kms: opened.kms,
        host,
        port,
        identities,
        allowRemote: values['allow-remote'] === true,
        onRequest(event) {
          if (event.internalError !== undefined) {
            const detail = event.internalError instanceof Error ? (event.internalError.stack ?? event.internalError.message) : String(event.internalError);
            io.stderr(`kms-studio serve: internal error answering ${event.operation ?? 'a request'} (request ${event.requestId}): ${detail}\n`);
          } else if (!values.quiet) {
            io.stderr(requestLine(event));
          }
        },
      });
    } catch (e) {
      opened.log.dispose();
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') io.stderr(`kms-studio serve: port ${port} on ${host} is in use; pick another with --port, or --port 0 for a free one\n`);
      else if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES') io.stderr(`kms-studio serve: cannot listen on ${host}:${port} (${code})\n`);
      else throw e;
      return EXIT_USAGE;
    }

    const stopped = stopSignal();
    const dir = storeDirOf(io, store);
    const lines = [
      `KMS Studio listening on ${endpoint.url}`,
      `# store ${dir} (audit log in ${path.join(dir, 'audit')}); the environment for the AWS SDKs and CLI:`,
      `AWS_ENDPOINT_URL_KMS=${endpoint.url}`,
      `AWS_REGION=${DEFAULT_REGION}`,
    ];
    if (identities().length === 0) {
      lines.push(
        `AWS_ACCESS_KEY_ID=${DEFAULT_ACCESS_KEY_ID}`,
        `AWS_SECRET_ACCESS_KEY=${DEFAULT_SECRET_ACCESS_KEY}`,
        `# no identities in ${identitiesFile}: access key ${DEFAULT_ACCESS_KEY_ID} with secret ${DEFAULT_SECRET_ACCESS_KEY} is the root user of account ${opened.kms.account} (arn:aws:iam::${opened.kms.account}:root)`,
      );
    } else {
      lines.push(`# identities from ${identitiesFile}: requests must be signed with one of its access keys (edits apply to the next request)`);
    }
    lines.push('# the Region of the credential scope selects the Region of the store; SIGINT or SIGTERM stops the endpoint');
    io.stdout(lines.join('\n') + '\n');

    const signal = await stopped;
    await endpoint.close();
    // Every store write is already on disk (atomic, fsynced); what is left is the audit log's open file.
    opened.log.dispose();
    io.stderr(`kms-studio serve: stopped on ${signal}\n`);
    return EXIT_OK;
  },
};
