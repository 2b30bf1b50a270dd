/**
 * AWS's JSON 1.1 protocol as AWS KMS speaks it (Smithy `awsJson1_1`, service `TrentService`): which requests it
 * is, and how answers and errors are written so the SDKs parse them.
 *
 *   request   POST, `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: TrentService.<Operation>`, a JSON
 *             object body (`{}` for no parameters); the path is not looked at beyond the signature.
 *   answer    200 with the output structure as JSON, binary fields base64, timestamps epoch seconds.
 *   error     `{"__type": "<ExceptionName>", "message": "..."}`, HTTP 400 (500 for KMSInternalException), and an
 *             `x-amzn-RequestId` header on every answer, which the SDKs surface as `$metadata.requestId`.
 *
 * Requests that are not JSON 1.1 at all (another method, another content type) get what AWS's front end gives
 * them: a small XML document and 403 without credentials, 404 UnknownOperationException with them.
 */
import { KmsError } from '../kms/errors';
import { operationModel } from '../kms/model/apiModel';

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'TrentService.';

/** Whether a Content-Type header names AWS JSON 1.1 (parameters such as a charset are allowed). */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const semi = value.indexOf(';');
  return (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase() === JSON_CONTENT_TYPE;
}

/** The KMS operation an `X-Amz-Target` names, or undefined when it names none (another service, no such operation). */
export function operationOfTarget(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith(TARGET_PREFIX)) return undefined;
  const operation = target.slice(TARGET_PREFIX.length);
  return operationModel(operation) ? operation : undefined;
}

export function unknownOperation(target: string | undefined): KmsError {
  return new KmsError('UnknownOperationException', target ? `${target} is not an operation of AWS KMS (TrentService).` : 'The request has no X-Amz-Target header naming an operation.');
}

/** The JSON error body: exactly AWS's two members, so every SDK's parser reads it. */
export function errorBody(name: string, message: string): string {
  return JSON.stringify({ __type: name, message });
}

/** The XML AWS's front end answers a request that is not JSON 1.1 with. */
export function xmlErrorBody(name: string, message?: string): string {
  return message === undefined ? `<${name}/>\n` : `<${name}>\n  <Message>${escapeXml(message)}</Message>\n</${name}>\n`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
