/**
 * A minimal AWS Signature Version 4 signer for the AWS KMS JSON protocol, so the extension-host suite can call
 * the local endpoint as the AWS CLI would, with no SDK (AWS General Reference, "Signature Version 4 signing
 * process"): POST / with content-type, host, x-amz-date and x-amz-target signed.
 */
import { createHash, createHmac } from 'node:crypto';

const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();
const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');

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
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: url.host,
    'x-amz-date': amzDate,
    'x-amz-target': `TrentService.${call.operation}`,
  };
  const signed = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...signed.map((h) => `${h}:${headers[h]}`), '', signed.join(';'), sha256(payload)].join('\n');
  const scope = `${day}/${call.region}/kms/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${call.secretAccessKey}`, day), call.region), 'kms'), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  const response = await fetch(call.url, {
    method: 'POST',
    headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${call.accessKeyId}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}` },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
