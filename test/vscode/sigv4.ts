/**
 * Calls the local endpoint as the AWS SDK would, signed by the SDK's own SigV4 signer (@smithy/signature-v4 with
 * @smithy/hash-node), so the extension-host suite needs no hand-written signing: POST / with the AWS KMS JSON 1.1
 * protocol's content type and X-Amz-Target.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface KmsCall {
  url: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  operation: string;
  body: object;
}

export async function callKms(call: KmsCall): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = new URL(call.url);
  const payload = JSON.stringify(call.body);
  const signer = new SignatureV4({
    service: 'kms',
    region: call.region,
    credentials: { accessKeyId: call.accessKeyId, secretAccessKey: call.secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: {},
    headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${call.operation}` },
    body: payload,
  });
  const response = await fetch(call.url, { method: 'POST', headers: signed.headers, body: payload });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
