/**
 * The peer of bench/wire.bench.ts: the least any HTTP endpoint on node:http can do per request. It reads the
 * whole request body and answers 200 with a fixed JSON body of the size given on the command line (the size of
 * the KMS endpoint's Encrypt answer), with the same headers the endpoint sends. Started as a child process, as the
 * endpoint is, and prints `listening on <url>` when ready.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const size = Number(process.argv[2] ?? '5800');
const filler = 'A'.repeat(Math.max(0, size - '{"CiphertextBlob":""}'.length));
const body = `{"CiphertextBlob":"${filler}"}`;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body), 'x-amzn-RequestId': randomUUID() });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
