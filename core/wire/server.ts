/**
 * The local AWS KMS endpoint: a node:http server that speaks AWS KMS's JSON 1.1 protocol (protocol.ts), checks
 * every request's SigV4 signature against the secret of its access key (sigv4.ts), and calls the in-process KMS
 * as the identity that signed it, in the region of the credential scope. Authorization, validation and the audit
 * log are the KMS's own, so a request decides exactly as the same call made in process.
 *
 * A request goes: body (at most 1 MB) → method and content type → JSON → operation → signature → identity →
 * decode (wire form to in-process form) → kms.call → encode. Each step fails with the error AWS gives at that
 * step; the server never answers a request twice and never throws out of a request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { strictJsonProblem } from '../policy/parse';
import { KmsError } from '../kms/errors';
import { decodeRequest } from '../kms/model/codec';
import type { Kms } from '../kms/service/kms';
import type { Caller, CallerContext } from '../kms/service/caller';
import type { Identity } from '../kms/store/identities';
import { isRegion } from '../kms/store/kmsStore';
import { newUuid } from '../kms/uuid';
import { EndpointCallers } from './endpointCallers';
import { hostOfHeader, isLoopbackHost, urlHost } from './loopback';
import { responseJson } from './responseJson';
import { errorBody, isJsonContentType, JSON_CONTENT_TYPE, operationOfTarget, unknownOperation, xmlErrorBody } from './protocol';
import { discardRest, MAX_BODY_BYTES, readBody } from './requestBody';
import { verifySigV4, type SignedRequest } from './sigv4';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 4599;
/** How long close() lets requests in flight finish before cutting their connections. */
const CLOSE_GRACE_MS = 10_000;

/** One answered request, for a host that shows traffic (the CLI's log, VS Code's output channel). */
export interface EndpointRequestEvent {
  /** The `x-amzn-RequestId` of the answer. */
  requestId: string;
  /** The operation X-Amz-Target named, when it named one. */
  operation?: string;
  status: number;
  /** The exception name of an error answer. */
  errorCode?: string;
  errorMessage?: string;
  /** Set when the error was a failure of KMS Studio itself (answered as KMSInternalException): what was thrown. */
  internalError?: unknown;
  accessKeyId?: string;
  principal?: string;
  region?: string;
  sourceIp?: string;
  durationMs: number;
}

export interface KmsEndpointOptions {
  kms: Kms;
  /** The address to listen on; 127.0.0.1 unless given. Anything but loopback needs `allowRemote`. */
  host?: string;
  /** The port; 4599 unless given, 0 for a free one. */
  port?: number;
  /**
   * Who may sign requests. A function is asked on every request, so identities can change while serving; it
   * should return the same array while nothing changed (identitiesFromFile does), as lookups are cached per
   * array. With none, access key `test` with secret `test` is the root user of the KMS's account.
   */
  identities: readonly Identity[] | (() => readonly Identity[]);
  /** Listen on an address other machines can reach, and accept any Host header. */
  allowRemote?: boolean;
  onRequest?(event: EndpointRequestEvent): void;
  /** The time signatures are checked against (milliseconds since the epoch): real time unless a test says otherwise. */
  now?: () => number;
  /** The largest request body accepted; 1 MB unless given. */
  maxBodyBytes?: number;
}

export interface KmsEndpoint {
  /** `http://127.0.0.1:<port>`: what AWS_ENDPOINT_URL_KMS and `--endpoint-url` take. */
  url: string;
  port: number;
  host: string;
  /** Stops accepting connections, lets requests in flight finish, closes idle keep-alive connections. */
  close(): Promise<void>;
}

const serialization = (message: string) => new KmsError('SerializationException', message);

/** The request as the SigV4 verifier reads it. */
function signedRequestOf(req: IncomingMessage, body: Buffer): SignedRequest {
  let url = req.url ?? '/';
  // A request line in absolute form (through a proxy) still signs only the path and query.
  if (!url.startsWith('/')) {
    const parsed = URL.canParse(url) ? new URL(url) : undefined;
    url = parsed ? parsed.pathname + parsed.search : '/';
  }
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'POST',
    path: q < 0 ? url : url.slice(0, q),
    query: q < 0 ? '' : url.slice(q + 1),
    header: headerValuesOf(req),
    body,
  };
}

/**
 * A header's values in arrival order. When no header name came twice, req.headers (which Node builds for every
 * request anyway) holds each one's only value; headersDistinct, a second pass over the raw headers, is built
 * only for a request that repeats a name, where req.headers would have dropped or joined values.
 */
function headerValuesOf(req: IncomingMessage): (name: string) => readonly string[] | undefined {
  const headers = req.headers;
  // Own members only: a header named `__proto__` (or `constructor`) must not read the object's prototype.
  if (Object.keys(headers).length * 2 !== req.rawHeaders.length) {
    const distinct = req.headersDistinct;
    return (name) => (Object.hasOwn(distinct, name) ? distinct[name] : undefined);
  }
  return (name) => {
    if (!Object.hasOwn(headers, name)) return undefined;
    const value = headers[name];
    return typeof value === 'string' ? [value] : value;
  };
}

/** The JSON request body: an object, or SerializationException in words that say where it went wrong. */
function parseBody(text: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw serialization(`The request body is ${strictJsonProblem(text)}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw serialization('The request body must be a JSON object ({} for an operation without parameters)');
  }
  return body as Record<string, unknown>;
}

/** A header's value as one string (Node joins repeated custom headers itself; an array is joined the same way). */
function headerText(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function sourceIpOf(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * What the requests of one keep-alive connection share, worked out on its first request rather than on each: the
 * source IP, whether its Host header names this machine, and the Caller of its last request. An SDK client sends
 * every request of a connection with the same Host and User-Agent and signs them with the same access key, so
 * after the first request these cost a comparison each; a request that differs in any of them is worked out
 * afresh.
 */
interface Connection {
  readonly sourceIp: string | undefined;
  host?: string;
  hostIsLocal?: boolean;
  last?: { identity: Identity; userAgent: string | undefined; caller: Caller };
}

export async function startKmsEndpoint(options: KmsEndpointOptions): Promise<KmsEndpoint> {
  const host = options.host ?? DEFAULT_HOST;
  if (!options.allowRemote && !isLoopbackHost(host)) {
    throw new RangeError(`${host} is not a loopback address: an endpoint other machines can reach needs allowRemote (--allow-remote)`);
  }
  const { kms } = options;
  const identities = typeof options.identities === 'function' ? options.identities : ((list) => () => list)(options.identities);
  const callers = new EndpointCallers(identities, kms.account);
  const now = options.now ?? Date.now;
  const limit = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let closing = false;
  const connections = new WeakMap<object, Connection>();

  function connectionOf(req: IncomingMessage): Connection {
    let connection = connections.get(req.socket);
    if (!connection) {
      connection = { sourceIp: sourceIpOf(req) };
      connections.set(req.socket, connection);
    }
    return connection;
  }

  /** Whether a Host header names this machine; the answer for a connection's last Host is kept with it. */
  function isLocalHost(connection: Connection, host: string): boolean {
    if (connection.host !== host) {
      connection.hostIsLocal = isLoopbackHost(hostOfHeader(host));
      connection.host = host;
    }
    return connection.hostIsLocal!;
  }

  /** The Caller of `identity` for a request of `connection`: the connection's last one when nothing changed. */
  function callerOn(connection: Connection, identity: Identity, userAgent: string | undefined): Caller {
    const last = connection.last;
    if (last !== undefined && last.identity === identity && last.userAgent === userAgent) return last.caller;
    const context: CallerContext = { secureTransport: false };
    if (connection.sourceIp) context.sourceIp = connection.sourceIp;
    if (userAgent) context.userAgent = userAgent;
    const caller = callers.callerFor(identity, context);
    connection.last = { identity, userAgent, caller };
    return caller;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = newUuid();
    const connection = connectionOf(req);
    const sourceIp = connection.sourceIp;
    const event: Partial<EndpointRequestEvent> = { requestId };
    if (sourceIp) event.sourceIp = sourceIp;

    const answer = (status: number, body: string, contentType: string | undefined, close = false) => {
      const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': requestId };
      if (contentType) headers['Content-Type'] = contentType;
      if (close || closing) headers['Connection'] = 'close';
      res.writeHead(status, headers);
      res.end(body);
      event.status = status;
    };
    const fail = (error: KmsError, close = false) => {
      event.errorCode = error.name;
      event.errorMessage = error.message;
      answer(error.httpStatus, errorBody(error.name, error.message), JSON_CONTENT_TYPE, close);
    };

    try {
      if (!options.allowRemote && req.headers.host !== undefined && !isLocalHost(connection, req.headers.host)) {
        fail(new KmsError('AccessDeniedException', `This endpoint serves this machine only and the request names the host '${req.headers.host}'; start it with --allow-remote to serve other hosts.`), true);
        discardRest(req);
        return;
      }
      const read = await readBody(req, limit);
      if ('tooLarge' in read) {
        fail(serialization(`The request body is larger than the ${limit} bytes this endpoint accepts.`), true);
        discardRest(req);
        return;
      }
      const target = headerText(req, 'x-amz-target');
      const operation = operationOfTarget(target);
      if (operation) event.operation = operation;

      if (req.method !== 'POST' || !isJsonContentType(req.headers['content-type'])) {
        // Not a JSON 1.1 request at all: AWS's front end answers in XML, before looking at the signature.
        const signed = req.headers.authorization !== undefined || /[?&]X-Amz-Algorithm=/.test(req.url ?? '');
        event.errorCode = signed ? 'UnknownOperationException' : 'MissingAuthenticationTokenException';
        event.errorMessage = signed ? `${req.method} with Content-Type ${req.headers['content-type'] ?? '(none)'} is not an AWS JSON 1.1 request` : 'Missing Authentication Token';
        answer(signed ? 404 : 403, signed ? xmlErrorBody('UnknownOperationException') : xmlErrorBody('MissingAuthenticationTokenException', 'Missing Authentication Token'), undefined);
        return;
      }

      const text = read.body.toString('utf8');
      const body = text.length > 0 ? parseBody(text) : undefined;
      if (!operation) return fail(unknownOperation(target));
      if (body === undefined) return fail(serialization('The request has no body; send {} for an operation without parameters.'));

      let signer: Identity | undefined;
      const verified = verifySigV4(signedRequestOf(req, read.body), {
        now: now(),
        service: 'kms',
        isRegion,
        secretOf(accessKeyId) {
          signer = callers.find(accessKeyId);
          return signer?.secretAccessKey;
        },
      });
      event.accessKeyId = verified.accessKeyId;
      event.region = verified.region;
      const caller = callerOn(connection, signer!, req.headers['user-agent']);
      event.principal = caller.principal;

      const response = await kms.call(operation, decodeRequest(operation, body), caller, { region: verified.region, requestId });
      answer(200, responseJson(operation, response), JSON_CONTENT_TYPE);
    } catch (error) {
      // A client that went away mid-request has no one to answer; that is not a failure of the endpoint.
      if (res.headersSent || req.socket.destroyed) return;
      if (error instanceof KmsError) return fail(error);
      event.internalError = error;
      fail(new KmsError('KMSInternalException', `KMS Studio failed to answer: ${error instanceof Error ? error.message : String(error)}`));
    } finally {
      event.durationMs = performance.now() - started;
      if (event.status !== undefined) options.onRequest?.(event as EndpointRequestEvent);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // handle() answers every failure itself; this is only reached when even answering failed.
      options.onRequest?.({ requestId: '', status: 500, internalError: error, durationMs: 0 });
      res.destroy();
    });
  });
  // SDKs keep connections open between requests; idle ones are kept longer than the SDKs' own idle timeouts
  // would need, and a request that stalls mid-body is cut rather than held forever.
  server.keepAliveTimeout = 30_000;
  server.requestTimeout = 60_000;
  // A client that asks before sending a body too large for the endpoint is refused without it being sent.
  server.on('checkContinue', (req, res) => {
    if (Number(req.headers['content-length']) > limit) {
      res.writeHead(400, { 'Content-Type': JSON_CONTENT_TYPE, 'x-amzn-RequestId': newUuid(), Connection: 'close' });
      res.end(errorBody('SerializationException', `The request body is larger than the ${limit} bytes this endpoint accepts.`));
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    host,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive connections with no request in flight would hold close() open until they time out.
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
