import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import * as http from 'node:http';
import * as net from 'node:net';
import { KmsError } from '../../../core/kms/errors';
import type { Kms } from '../../../core/kms/service';
import { startKmsEndpoint } from '../../../core/wire';
import { identity, JSON_TYPE, presign, rawRequest, REGION, signedCall, signHeaders, startTestEndpoint, type RawResponse } from './wireHelpers';

const ONE_MB = 1024 * 1024;

function assertAwsError(response: RawResponse, status: number, type: string, message?: string | RegExp): void {
  assert.equal(response.status, status, response.text);
  assert.equal(response.headers['content-type'], JSON_TYPE);
  assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
  assert.deepEqual(Object.keys(response.json ?? {}).sort(), ['__type', 'message'], 'exactly the two members the SDKs read');
  assert.equal(response.json?.__type, type);
  if (typeof message === 'string') assert.equal(response.json?.message, message);
  else if (message) assert.match(String(response.json?.message), message);
}

describe('the endpoint answers what is not a KMS request as AWS does, never crashing or hanging', () => {
  it('GET / without credentials: 403 MissingAuthenticationTokenException in XML, with a request ID', async () => {
    const { url } = await startTestEndpoint();
    const response = await rawRequest(url, { method: 'GET' });
    assert.equal(response.status, 403);
    assert.match(String(response.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.equal(response.text, '<MissingAuthenticationTokenException>\n  <Message>Missing Authentication Token</Message>\n</MissingAuthenticationTokenException>\n');
  });

  it('a signed GET, or a POST of another content type: 404 UnknownOperationException', async () => {
    const { url } = await startTestEndpoint();
    const headers = await signHeaders({ url, operation: 'ListKeys', method: 'GET', body: '' });
    const get = await rawRequest(url, { method: 'GET', headers });
    assert.deepEqual([get.status, get.text], [404, '<UnknownOperationException/>\n']);
    const form = await signHeaders({ url, operation: 'ListKeys', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListKeys' });
    const post = await rawRequest(url, { headers: form, body: 'Action=ListKeys' });
    assert.equal(post.status, 404);
  });

  it('an unsigned JSON request: MissingAuthenticationTokenException in JSON', async () => {
    const { url } = await startTestEndpoint();
    const response = await rawRequest(url, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'TrentService.ListKeys' }, body: '{}' });
    assertAwsError(response, 400, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
  });

  it('a body over 1 MB, declared: SerializationException before it is read, the connection closed, the endpoint still serving', async () => {
    const { url } = await startTestEndpoint();
    const body = Buffer.alloc(ONE_MB + 1, 0x20);
    const response = await rawRequest(url, { headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'TrentService.ListKeys' }, body });
    assertAwsError(response, 400, 'SerializationException', /larger than the 1048576 bytes/);
    assert.equal(response.headers['connection'], 'close');
    assert.equal((await signedCall(url, 'ListKeys', {})).status, 200);
  });

  it('a body over 1 MB, chunked without a length: refused as it passes the limit, the rest thrown away unbuffered', async () => {
    const { url } = await startTestEndpoint();
    const target = new URL(url);
    const req = http.request({ host: target.hostname, port: target.port, method: 'POST', path: '/', agent: false, headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'TrentService.ListKeys' } });
    const answered = once(req, 'response') as Promise<[http.IncomingMessage]>;
    req.on('error', () => {}); // the endpoint may close the socket while the rest is still being written
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    for (let sent = 0; sent <= 2 * ONE_MB; sent += chunk.length) req.write(chunk);
    req.end();
    const [res] = await answered;
    const text = (await res.toArray()).join('');
    assert.equal(res.statusCode, 400);
    assert.equal((JSON.parse(text) as { __type: string }).__type, 'SerializationException');
    assert.equal((await signedCall(url, 'ListKeys', {})).status, 200);
  });

  it('Expect: 100-continue with a body over 1 MB: refused without the body being sent', async () => {
    const { url } = await startTestEndpoint();
    const target = new URL(url);
    const req = http.request({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: '/',
      agent: false,
      headers: { 'content-type': JSON_TYPE, 'x-amz-target': 'TrentService.ListKeys', 'content-length': String(2 * ONE_MB), expect: '100-continue' },
    });
    let continued = false;
    req.on('continue', () => (continued = true));
    req.flushHeaders();
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    const text = (await res.toArray()).join('');
    req.destroy();
    assert.equal(continued, false);
    assert.equal(res.statusCode, 400);
    assert.equal((JSON.parse(text) as { __type: string }).__type, 'SerializationException');
  });

  it('a client that goes away mid-body is no failure of the endpoint, which goes on serving', async () => {
    const { url, events } = await startTestEndpoint();
    const target = new URL(url);
    const socket = net.connect(Number(target.port), target.hostname);
    await once(socket, 'connect');
    socket.write(`POST / HTTP/1.1\r\nHost: ${target.host}\r\nContent-Type: ${JSON_TYPE}\r\nX-Amz-Target: TrentService.ListKeys\r\nContent-Length: 100\r\n\r\n{"Li`);
    socket.destroy();
    await once(socket, 'close');
    assert.equal((await signedCall(url, 'ListKeys', {})).status, 200);
    assert.equal(events.some((e) => e.internalError !== undefined), false);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['malformed JSON', '{"KeyId": ', /^The request body is not valid JSON at line 1, column 11: /],
    ['a JSON array', '[]', /must be a JSON object/],
    ['a JSON string', '"ListKeys"', /must be a JSON object/],
    ['JSON null', 'null', /must be a JSON object/],
    ['no body', '', /has no body; send \{\}/],
  ];
  for (const [name, body, message] of malformed) {
    it(`${name}: SerializationException`, async () => {
      const { url } = await startTestEndpoint();
      assertAwsError(await signedCall(url, 'ListKeys', body), 400, 'SerializationException', message);
    });
  }

  it('deeply nested JSON within the limit: SerializationException, not a stack overflow', async () => {
    const { url } = await startTestEndpoint();
    const depth = 200_000;
    const body = `{"Tags":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const response = await signedCall(url, 'CreateKey', body);
    assert.equal(response.status, 400);
    assert.equal(response.json?.__type, 'SerializationException');
  });

  it('deeply nested JSON that is not valid: SerializationException, not a stack overflow', async () => {
    const { url } = await startTestEndpoint();
    const response = await signedCall(url, 'ListKeys', '['.repeat(500_000));
    assert.equal(response.status, 400);
    assert.equal(response.json?.__type, 'SerializationException');
  });

  it('a signed header named __proto__ is read as a header that is not there, not as the prototype', async () => {
    const { url } = await startTestEndpoint();
    const body = '{}';
    const headers = await signHeaders({ url, operation: 'ListKeys', body });
    headers['authorization'] = headers['authorization']!.replace(/SignedHeaders=([^,]+)/, 'SignedHeaders=$1;__proto__');
    const response = await rawRequest(url, { headers, body });
    assert.equal(response.status, 400);
    assert.equal(response.json?.__type, 'InvalidSignatureException');
  });

  it('wrong member types: SerializationException naming the member', async () => {
    const { url } = await startTestEndpoint();
    assertAwsError(await signedCall(url, 'DescribeKey', { KeyId: 42 }), 400, 'SerializationException', "Expected a string at 'keyId'");
    assertAwsError(await signedCall(url, 'Encrypt', { KeyId: 'alias/x', Plaintext: 'not base64!' }), 400, 'SerializationException', "Invalid base64 at 'plaintext'");
    assertAwsError(await signedCall(url, 'ListKeys', { Limit: '10' }), 400, 'SerializationException', "Expected an integer at 'limit'");
  });

  it('missing members and values out of range: ValidationException in AWS\'s words', async () => {
    const { url } = await startTestEndpoint();
    assertAwsError(await signedCall(url, 'Encrypt', { Plaintext: 'aGk=' }), 400, 'ValidationException', "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    assertAwsError(await signedCall(url, 'ListKeys', { Limit: 0 }), 400, 'ValidationException', /at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  });

  const targets: Array<[string, Record<string, string>]> = [
    ['an operation AWS KMS does not have', { 'x-amz-target': 'TrentService.MakeCoffee' }],
    ['another service\'s target', { 'x-amz-target': 'DynamoDB_20120810.ListTables' }],
    ['a lower-case operation name', { 'x-amz-target': 'TrentService.listKeys' }],
  ];
  for (const [name, headers] of targets) {
    it(`${name}: UnknownOperationException`, async () => {
      const { url } = await startTestEndpoint();
      const signed = await signHeaders({ url, headers, body: '{}' });
      assertAwsError(await rawRequest(url, { headers: signed, body: '{}' }), 400, 'UnknownOperationException');
    });
  }

  it('no X-Amz-Target at all: UnknownOperationException', async () => {
    const { url } = await startTestEndpoint();
    const signed = await signHeaders({ url, body: '{}' });
    assertAwsError(await rawRequest(url, { headers: signed, body: '{}' }), 400, 'UnknownOperationException', /no X-Amz-Target/);
  });

  it('a failure of KMS Studio itself: 500 KMSInternalException, reported to onRequest', async () => {
    const broken = { account: '111122223333', call: async () => Promise.reject(new TypeError('boom')) } as unknown as Kms;
    const { url, events } = await startTestEndpoint({ kms: broken });
    assertAwsError(await signedCall(url, 'ListKeys', {}), 500, 'KMSInternalException', /boom/);
    assert.ok(events.at(-1)?.internalError instanceof TypeError);
  });

  it('a request naming another host (DNS rebinding) is refused unless the endpoint allows remote hosts', async () => {
    const { url } = await startTestEndpoint();
    const headers = await signHeaders({ url, operation: 'ListKeys', headers: { host: 'attacker.example:4599' }, body: '{}' });
    assertAwsError(await rawRequest(url, { headers, body: '{}' }), 400, 'AccessDeniedException', /serves this machine only/);
    const open = await startTestEndpoint({ allowRemote: true });
    const openHeaders = await signHeaders({ url: open.url, operation: 'ListKeys', headers: { host: 'kms.example:4599' }, body: '{}' });
    assert.equal((await rawRequest(open.url, { headers: openHeaders, body: '{}' })).status, 200);
  });

  it('refuses to listen on a non-loopback address without allowRemote', async () => {
    const kms = {} as Kms;
    await assert.rejects(startKmsEndpoint({ kms, host: '0.0.0.0', port: 0, identities: [] }), /not a loopback address.*allowRemote/);
  });
});

describe('the endpoint authenticates every request and calls the KMS as the signer, in the signed region', () => {
  it('the Region of the credential scope selects the store\'s Region', async () => {
    const { url } = await startTestEndpoint();
    const created = await signedCall(url, 'CreateKey', {}, { region: 'eu-west-1' });
    assert.match(String((created.json?.['KeyMetadata'] as { Arn: string }).Arn), /^arn:aws:kms:eu-west-1:111122223333:key\//);
    const inEu = await signedCall(url, 'ListKeys', {}, { region: 'eu-west-1' });
    const inUs = await signedCall(url, 'ListKeys', {}, { region: REGION });
    assert.equal((inEu.json?.['Keys'] as unknown[]).length, 1);
    assert.equal((inUs.json?.['Keys'] as unknown[]).length, 0);
  });

  it('a presigned request (query form) is served', async () => {
    const { url } = await startTestEndpoint();
    const { headers, path } = await presign({ url, operation: 'ListKeys', body: '{}' });
    const response = await rawRequest(url, { path, headers, body: '{}' });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json?.['Keys'], []);
  });

  it('with identities, each access key calls as its principal with its IAM policies; test/test no longer works', async () => {
    const app = identity('arn:aws:iam::111122223333:user/app', 'AKIAAPPUSER000000001', 'app-secret', [{ Effect: 'Allow', Action: ['kms:Encrypt'], Resource: '*' }]);
    const admin = identity('arn:aws:iam::111122223333:root', 'AKIAADMIN00000000001', 'admin-secret');
    const { url, log } = await startTestEndpoint({ identities: [app, admin] });
    const asApp = { credentials: { accessKeyId: app.accessKeyId, secretAccessKey: app.secretAccessKey } };
    const asAdmin = { credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey } };
    const created = await signedCall(url, 'CreateKey', {}, asAdmin);
    const keyId = (created.json?.['KeyMetadata'] as { KeyId: string }).KeyId;
    const encrypted = await signedCall(url, 'Encrypt', { KeyId: keyId, Plaintext: 'aGk=' }, asApp);
    assert.equal(encrypted.status, 200, encrypted.text);
    const denied = await signedCall(url, 'Decrypt', { CiphertextBlob: encrypted.json?.['CiphertextBlob'] }, asApp);
    assertAwsError(denied, 400, 'AccessDeniedException', /^User: arn:aws:iam::111122223333:user\/app is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:key\/.* because no identity-based policy allows the kms:Decrypt action$/);
    assertAwsError(await signedCall(url, 'ListKeys', {}), 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    const decryptEvent = log.read({ operation: 'Decrypt' }).at(-1)!;
    assert.equal(decryptEvent.userIdentity.arn, 'arn:aws:iam::111122223333:user/app');
    assert.equal(decryptEvent.userIdentity.accessKeyId, app.accessKeyId);
    assert.equal(decryptEvent.errorCode, 'AccessDeniedException');
  });

  it('identities given as a function are asked on every request: a new key works at once, a removed one stops', async () => {
    const first = identity('arn:aws:iam::111122223333:root', 'AKIAFIRST00000000001', 'first');
    const second = identity('arn:aws:iam::111122223333:root', 'AKIASECOND0000000001', 'second');
    let current = [first];
    const { url } = await startTestEndpoint({ identities: () => current });
    const as = (i: typeof first) => ({ credentials: { accessKeyId: i.accessKeyId, secretAccessKey: i.secretAccessKey } });
    assert.equal((await signedCall(url, 'ListKeys', {}, as(first))).status, 200);
    current = [second];
    assert.equal((await signedCall(url, 'ListKeys', {}, as(first))).json?.__type, 'UnrecognizedClientException');
    assert.equal((await signedCall(url, 'ListKeys', {}, as(second))).status, 200);
  });

  it('the source IP (127.0.0.1), user agent and plain HTTP reach the evaluator and the audit log', async () => {
    const { url, log } = await startTestEndpoint();
    const created = await signedCall(url, 'CreateKey', {});
    const keyId = (created.json?.['KeyMetadata'] as { KeyId: string }).KeyId;
    const policy = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
      ],
    };
    assert.equal((await signedCall(url, 'PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: JSON.stringify(policy) })).status, 200);
    const headers = await signHeaders({ url, operation: 'Encrypt', body: JSON.stringify({ KeyId: keyId, Plaintext: 'aGk=' }), headers: { 'user-agent': 'wire-test/1.0' }, unsignableHeaders: new Set(['user-agent']) });
    const denied = await rawRequest(url, { headers, body: JSON.stringify({ KeyId: keyId, Plaintext: 'aGk=' }) });
    assertAwsError(denied, 400, 'AccessDeniedException', /with an explicit deny in a resource-based policy/);
    assertAwsError(await signedCall(url, 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }), 400, 'AccessDeniedException', /explicit deny/);
    assert.equal((await signedCall(url, 'DescribeKey', { KeyId: keyId })).status, 200);
    const event = log.read({ operation: 'Encrypt' }).at(-1)!;
    assert.equal(event.sourceIPAddress, '127.0.0.1');
    assert.equal(event.userAgent, 'wire-test/1.0');
  });

  it('every call lands in the audit log under the request ID the client was given', async () => {
    const { url, log } = await startTestEndpoint();
    const responses = [await signedCall(url, 'CreateKey', {}), await signedCall(url, 'DescribeKey', { KeyId: 'alias/none' }), await signedCall(url, 'ListKeys', {})];
    const ids = responses.map((r) => r.headers['x-amzn-requestid']);
    assert.deepEqual(log.read().map((e) => [e.eventName, e.requestID]), [['CreateKey', ids[0]], ['DescribeKey', ids[1]], ['ListKeys', ids[2]]]);
  });

  it('onRequest reports each answer: operation, status, error, caller, region, timing', async () => {
    const { url, events } = await startTestEndpoint();
    await signedCall(url, 'DescribeKey', { KeyId: 'alias/none' }, { region: 'ap-south-1' });
    const event = events.at(-1)!;
    assert.deepEqual(
      { operation: event.operation, status: event.status, errorCode: event.errorCode, principal: event.principal, accessKeyId: event.accessKeyId, region: event.region, sourceIp: event.sourceIp },
      { operation: 'DescribeKey', status: 400, errorCode: 'NotFoundException', principal: 'arn:aws:iam::111122223333:root', accessKeyId: 'test', region: 'ap-south-1', sourceIp: '127.0.0.1' },
    );
    assert.ok(event.durationMs >= 0);
  });
});

describe('the endpoint under concurrency and on shutdown', () => {
  it('keeps connections alive: many requests on one socket', async () => {
    const { url } = await startTestEndpoint();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<net.Socket>();
    agent.on('free', (socket: net.Socket) => sockets.add(socket));
    try {
      for (let i = 0; i < 20; i++) {
        const body = '{}';
        const headers = await signHeaders({ url, operation: 'ListKeys', body });
        assert.equal((await rawRequest(url, { headers, body, agent })).status, 200);
      }
      assert.equal(sockets.size, 1);
    } finally {
      agent.destroy();
    }
  });

  it('on one keep-alive connection, each request is judged on its own Host, signer and user agent', async () => {
    const app = identity('arn:aws:iam::111122223333:user/app', 'AKIAAPPUSER000000001', 'app-secret', [{ Effect: 'Allow', Action: ['kms:ListKeys'], Resource: '*' }]);
    const admin = identity('arn:aws:iam::111122223333:root', 'AKIAADMIN00000000001', 'admin-secret');
    const { url, log } = await startTestEndpoint({ identities: [app, admin] });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<net.Socket>();
    agent.on('free', (socket: net.Socket) => sockets.add(socket));
    const send = async (who: typeof app, userAgent: string, host?: string) => {
      const body = '{}';
      const headers = await signHeaders({
        url,
        operation: 'ListKeys',
        body,
        credentials: { accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey },
        headers: { 'user-agent': userAgent, ...(host ? { host } : {}) },
        unsignableHeaders: new Set(['user-agent']),
      });
      return rawRequest(url, { headers, body, agent });
    };
    try {
      assert.equal((await send(app, 'first/1.0')).status, 200);
      assert.equal((await send(app, 'second/2.0')).status, 200);
      assert.equal((await send(admin, 'second/2.0')).status, 200);
      assert.equal((await send(app, 'first/1.0')).status, 200);
      const rebound = await send(app, 'first/1.0', 'attacker.example:4599');
      assertAwsError(rebound, 400, 'AccessDeniedException', /serves this machine only/);
      assert.equal(sockets.size, 1, 'every request but the refused one went over the same connection');
      assert.deepEqual(
        log.read({ operation: 'ListKeys' }).map((e) => [e.userIdentity.arn, e.userAgent]),
        [
          ['arn:aws:iam::111122223333:user/app', 'first/1.0'],
          ['arn:aws:iam::111122223333:user/app', 'second/2.0'],
          ['arn:aws:iam::111122223333:root', 'second/2.0'],
          ['arn:aws:iam::111122223333:user/app', 'first/1.0'],
        ],
      );
    } finally {
      agent.destroy();
    }
  });

  it('a signed header sent on several lines is verified with every value, in order', async () => {
    const { url } = await startTestEndpoint();
    const body = '{}';
    // The signer saw the values joined by a comma (SigV4's canonical form of a repeated header); node:http sends
    // them as two header lines, which req.headers alone would join with ', '.
    const headers = await signHeaders({ url, operation: 'ListKeys', body, headers: { 'x-amz-meta-part': 'one,two' } });
    const sent = (values: string[]) => rawRequest(url, { headers: { ...headers, 'x-amz-meta-part': values }, body });
    assert.equal((await sent(['one', 'two'])).status, 200);
    assertAwsError(await sent(['two', 'one']), 400, 'InvalidSignatureException', /does not match/);
    assertAwsError(await sent(['one']), 400, 'InvalidSignatureException', /does not match/);
  });

  it('concurrent clients on a FolderStore: every key made, every ciphertext decrypts, the store intact', async () => {
    const { url, store } = await startTestEndpoint({ folder: true });
    const created = await Promise.all(Array.from({ length: 16 }, (_, i) => signedCall(url, 'CreateKey', { Description: `key ${i}` })));
    const keyIds = created.map((r) => (r.json?.['KeyMetadata'] as { KeyId: string }).KeyId);
    assert.equal(new Set(keyIds).size, 16);
    const plaintexts = keyIds.map((_, i) => Buffer.from(`secret ${i}`).toString('base64'));
    const encrypted = await Promise.all(keyIds.map((KeyId, i) => signedCall(url, 'Encrypt', { KeyId, Plaintext: plaintexts[i], EncryptionContext: { i: String(i) } })));
    const decrypted = await Promise.all(encrypted.map((r, i) => signedCall(url, 'Decrypt', { CiphertextBlob: r.json?.['CiphertextBlob'], EncryptionContext: { i: String(i) } })));
    assert.deepEqual(decrypted.map((r) => r.json?.['Plaintext']), plaintexts);
    const listed = await signedCall(url, 'ListKeys', {});
    assert.deepEqual(new Set((listed.json?.['Keys'] as Array<{ KeyId: string }>).map((k) => k.KeyId)), new Set(keyIds));
    assert.equal(store.listKeys(REGION).length, 16);
  });

  it('close() lets a request in flight finish, then resolves with idle keep-alive connections closed', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow = {
      account: '111122223333',
      async call() {
        entered();
        await gate;
        return { Keys: [], Truncated: false };
      },
    } as unknown as Kms;
    const endpoint = await startKmsEndpoint({ kms: slow, port: 0, identities: [] });
    const agent = new http.Agent({ keepAlive: true });
    try {
      const idleHeaders = await signHeaders({ url: endpoint.url, operation: 'ListKeys', body: '{}' });
      const first = rawRequest(endpoint.url, { headers: idleHeaders, body: '{}', agent });
      await inside;
      const closed = endpoint.close();
      let closedYet = false;
      void closed.then(() => (closedYet = true));
      release();
      const response = await first;
      assert.equal(response.status, 200);
      assert.equal(response.headers['connection'], 'close', 'the answer given while closing ends its connection');
      await closed;
      assert.equal(closedYet, true);
      await assert.rejects(rawRequest(endpoint.url, { headers: idleHeaders, body: '{}' }), /ECONNREFUSED/);
    } finally {
      agent.destroy();
      release();
      await endpoint.close();
    }
  });

  it('KmsError subclasses keep their status: a 500 from the KMS is 500 on the wire', async () => {
    const failing = { account: '111122223333', call: async () => Promise.reject(new KmsError('KMSInternalException', 'disk on fire')) } as unknown as Kms;
    const { url } = await startTestEndpoint({ kms: failing });
    assertAwsError(await signedCall(url, 'ListKeys', {}), 500, 'KMSInternalException', 'disk on fire');
  });
});
