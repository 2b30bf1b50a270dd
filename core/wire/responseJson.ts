/**
 * An in-process KMS response written as AWS JSON 1.1 text in one pass over the API model: the same members,
 * base64 and epoch seconds as codec.ts's encodeResponse, without building the intermediate object first.
 *
 * Why not `JSON.stringify(encodeResponse(...))`: Encrypt of 4 KB answers with 5.6 KB of base64, and JSON.stringify
 * scans every character of it for something to escape, which on Node 20 costs about 20 µs per answer, a tenth of
 * what the whole request costs the endpoint. Base64 text (A-Z, a-z, 0-9, +, /, =) never needs escaping, so blobs are
 * written as they are and only the short strings go through JSON.stringify. A test keeps this writer and
 * encodeResponse answering the same for every operation.
 */
import { operationModel, shape, type MemberRef } from '../kms/model/apiModel';
import { membersOf } from '../kms/model/codec';

function base64Of(bytes: Uint8Array): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('base64');
}

/** The JSON text of `value` as the model's `ref` has it, or undefined for an absent value (left out, as encodeResponse does). */
function writeValue(ref: MemberRef, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = shape(ref.shape);
  switch (s.type) {
    case 'structure': {
      let out = '';
      for (const [name, member] of membersOf(s)) {
        const text = writeValue(member, (value as Record<string, unknown>)[name]);
        if (text !== undefined) out += `${out === '' ? '' : ','}"${name}":${text}`;
      }
      return `{${out}}`;
    }
    case 'list':
      return `[${(value as unknown[]).map((v) => writeValue(s.member!, v) ?? 'null').join(',')}]`;
    case 'map': {
      let out = '';
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const text = writeValue(s.value!, v);
        if (text !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${text}`;
      }
      return `{${out}}`;
    }
    case 'blob':
      return `"${base64Of(value as Uint8Array)}"`;
    case 'timestamp':
      return JSON.stringify((value as Date).getTime() / 1000);
    default:
      return JSON.stringify(value);
  }
}

/** The body of a successful answer to `operation`: `{}` for an operation without output. */
export function responseJson(operation: string, response: unknown): string {
  const op = operationModel(operation);
  if (!op?.output) return '{}';
  return writeValue({ shape: op.output }, response) ?? '{}';
}
