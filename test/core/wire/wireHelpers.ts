/**
 * What the endpoint tests share: a KMS behind startKmsEndpoint on 127.0.0.1 and a free port (closed after the
 * test file), requests signed by @smithy/signature-v4 (the signer inside the AWS SDK for JavaScript, used here as
 * the reference the verifier must agree with), and raw node:http requests for everything an SDK would never send.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { KMSClient } from '@aws-sdk/client-kms';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { HttpRequest } from '@smithy/types';
import { AuditRecorder, FileAuditLog, MemoryAuditLog, type AuditLog } from '../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../core/kms/clock';
import { Kms, validateKeyRecord, type KeyRecord } from '../../../core/kms/service';
import { FolderStore } from '../../../core/kms/store/folderStore';
import type { Identity } from '../../../core/kms/store/identities';
import type { AliasRecord, KmsStore } from '../../../core/kms/store/kmsStore';
import { MemoryStore } from '../../../core/kms/store/memoryStore';
import { startKmsEndpoint, type EndpointRequestEvent, type KmsEndpoint, type KmsEndpointOptions } from '../../../core/wire';

/** SHA-256 for @smithy/signature-v4 through node:crypto, as the AWS SDK for Node signs. */
const SHA256 = Hash.bind(null, 'sha256');

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const ROOT_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const JSON_TYPE = 'application/x-amz-json-1.1';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignOptions {
  url: string;
  /** Sets X-Amz-Target to TrentService.<operation> unless headers say otherwise. */
  operation?: string;
  body?: string | Buffer;
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  credentials?: Credentials;
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Headers to leave out of the signature (node:http adds none, so this is only what the test names). */
  unsignableHeaders?: Set<string>;
}

function smithyRequest(options: SignOptions): HttpRequest {
  const url = new URL(options.url);
  const body = options.body ?? '{}';
  return {
    method: options.method ?? 'POST',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: options.path ?? '/',
    query: options.query ?? {},
    headers: {
      host: url.host,
      'content-type': JSON_TYPE,
      ...(options.operation ? { 'x-amz-target': `TrentService.${options.operation}` } : {}),
      ...options.headers,
    },
    body,
  };
}

function signer(options: SignOptions): SignatureV4 {
  return new SignatureV4({ service: options.service ?? 'kms', region: options.region ?? REGION, credentials: options.credentials ?? ROOT_CREDENTIALS, sha256: SHA256 });
}

/** The headers of a request signed in the header form by the reference signer. */
export async function signHeaders(options: SignOptions): Promise<Record<string, string>> {
  const signed = await signer(options).sign(smithyRequest(options), {
    ...(options.signingDate ? { signingDate: options.signingDate } : {}),
    ...(options.unsignableHeaders ? { unsignableHeaders: options.unsignableHeaders } : {}),
  });
  return signed.headers;
}

/** A presigned request (the query form): its headers and its path with the X-Amz-* query parameters. */
export async function presign(options: SignOptions & { expiresIn?: number }): Promise<{ headers: Record<string, string>; path: string }> {
  const presigned = await signer(options).presign(smithyRequest(options), {
    expiresIn: options.expiresIn ?? 300,
    // X-Amz-Target stays a header, where the endpoint reads the operation.
    unhoistableHeaders: new Set(['x-amz-target']),
    ...(options.signingDate ? { signingDate: options.signingDate } : {}),
  });
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v ?? '')}`))
    .join('&');
  return { headers: presigned.headers, path: `${presigned.path}?${query}` };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON, when it is. */
  json?: { __type?: string; message?: string; [member: string]: unknown };
}

/** One request with node:http, exactly as given (no header is added but Host and Content-Length). */
export function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string | string[]>; body?: string | Buffer; agent?: http.Agent } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: target.hostname, port: target.port, method: options.method ?? 'POST', path: options.path ?? '/', headers: options.headers ?? {}, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: RawResponse['json'];
          try {
            json = JSON.parse(text) as RawResponse['json'];
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ...(json !== undefined ? { json } : {}) });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A signed JSON 1.1 call through node:http; the answer as a RawResponse. */
export async function signedCall(url: string, operation: string, request: object | string, options: Partial<SignOptions> = {}): Promise<RawResponse> {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  const headers = await signHeaders({ url, operation, body, ...options });
  return rawRequest(url, { headers, body, ...(options.path ? { path: options.path } : {}) });
}

const made: string[] = [];
after(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp folder removed after the test file. */
export function tempDir(prefix = 'kms-studio-wire-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface TestEndpoint {
  endpoint: KmsEndpoint;
  url: string;
  kms: Kms;
  clock: ManualClock;
  log: AuditLog;
  store: KmsStore<KeyRecord, AliasRecord>;
  /** The events onRequest reported, oldest first. */
  events: EndpointRequestEvent[];
  /** An SDK client for this endpoint (closed with it), test/test unless told otherwise. */
  client(options?: { credentials?: Credentials; region?: string; maxAttempts?: number }): KMSClient;
  /** Closes the clients and the endpoint; done by itself after the test unless `closeAfterTest` was false. */
  close(): Promise<void>;
}

export interface TestEndpointOptions extends Partial<Omit<KmsEndpointOptions, 'kms'>> {
  /** A FolderStore in a temp folder with its file audit log, instead of a MemoryStore. */
  folder?: boolean;
  kms?: Kms;
  /**
   * Close the endpoint when the test (or suite) that started it ends; true unless said otherwise. An endpoint
   * started in a before() hook must be closed by the suite's own after(), as node:test ends the hook's context
   * with the hook.
   */
  closeAfterTest?: boolean;
}

/** A KMS on a MemoryStore (or a FolderStore) behind an endpoint on 127.0.0.1 and a free port; closed after the test file. */
export async function startTestEndpoint(options: TestEndpointOptions = {}): Promise<TestEndpoint> {
  const clock = new ManualClock('2024-01-01T00:00:00.000Z');
  let store: KmsStore<KeyRecord, AliasRecord>;
  let log: AuditLog;
  if (options.folder) {
    const dir = tempDir();
    const folder = FolderStore.open<KeyRecord>(path.join(dir, 'store'), new Uint8Array(randomBytes(32)), { validateKeyRecord });
    store = folder;
    log = new FileAuditLog(folder.auditDir);
  } else {
    store = new MemoryStore<KeyRecord>();
    log = new MemoryAuditLog();
  }
  const kms = options.kms ?? new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: REGION, account: ACCOUNT });
  const events: EndpointRequestEvent[] = [];
  const { folder: _folder, kms: _kms, closeAfterTest = true, onRequest, ...rest } = options;
  const endpoint = await startKmsEndpoint({
    identities: [] as Identity[],
    port: 0,
    ...rest,
    kms,
    onRequest(event) {
      events.push(event);
      onRequest?.(event);
    },
  });
  const clients: KMSClient[] = [];
  const close = async () => {
    for (const client of clients) client.destroy();
    await endpoint.close();
    if (log instanceof FileAuditLog) log.dispose();
  };
  if (closeAfterTest) after(close);
  return {
    endpoint,
    url: endpoint.url,
    kms,
    clock,
    log,
    store,
    events,
    client(clientOptions = {}) {
      const client = new KMSClient({
        region: clientOptions.region ?? REGION,
        endpoint: endpoint.url,
        credentials: clientOptions.credentials ?? ROOT_CREDENTIALS,
        maxAttempts: clientOptions.maxAttempts ?? 1,
      });
      clients.push(client);
      return client;
    },
    close,
  };
}

/** An identities.json entry for tests: an IAM principal with its policies. */
export function identity(principal: string, accessKeyId: string, secretAccessKey: string, statements: object[] = []): Identity {
  return {
    principal,
    accessKeyId,
    secretAccessKey,
    policies: statements.length > 0 ? [{ Version: '2012-10-17', Statement: statements }] : [],
    tags: {},
  };
}
