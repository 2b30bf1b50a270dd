/**
 * Reading a request body with a ceiling. A body whose Content-Length is over the limit is refused before a byte of
 * it is read; one that grows past it while arriving is refused at that point and the rest is thrown away as it
 * comes, never buffered. Either way the connection is closed after the answer (the caller's job), since what
 * follows on it cannot be trusted to be the start of the next request.
 */
import type { IncomingMessage } from 'node:http';

/** AWS KMS's largest requests (a 32 KB key policy, 6 KB of wrapped key material) fit many times over. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How much of a refused body is read and discarded, so the client gets to read the answer, before the socket is cut. */
const MAX_DISCARDED_BYTES = 16 * 1024 * 1024;

export type BodyResult = { body: Buffer } | { tooLarge: true };

export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Discards what is left of a refused body; past MAX_DISCARDED_BYTES the socket is destroyed, so a client that
 * keeps sending costs nothing but the bytes already read.
 */
export function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** Resolves with the whole body, or `tooLarge` as soon as it passes `limit` bytes. Rejects if the client goes away. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  if (declaredTooLarge(req, limit)) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeListener('end', onEnd);
        chunks.length = 0;
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
    // A client that goes away mid-body may not make the request emit 'error': its closing is enough to stop waiting.
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the request body ended'));
    });
  });
}
