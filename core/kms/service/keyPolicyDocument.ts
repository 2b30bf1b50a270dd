/**
 * Key policy documents: the default key policy CreateKey gives a key without one, the checks CreateKey and
 * PutKeyPolicy run on a policy before accepting it (MalformedPolicyDocumentException), and the lockout safety
 * check.
 */
import { malformedPolicy } from './serviceErrors';

/** AWS KMS quota: a key policy is at most 32 KB. */
export const MAX_KEY_POLICY_BYTES = 32768;

export const LOCKOUT_MESSAGE = 'The new key policy will not allow you to update the key policy in the future.';

/**
 * JSON as AWS KMS prints the policies it writes itself (GetKeyPolicy of a default or AWS managed key policy):
 * `"Key" : value`, two-space indents, arrays on one line with their objects opened in place (`[ {`).
 */
export function awsPolicyText(value: unknown, indent = ''): string {
  if (Array.isArray(value)) return value.length === 0 ? '[ ]' : `[ ${value.map((v) => awsPolicyText(v, indent)).join(', ')} ]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${awsPolicyText(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/**
 * The default key policy (AWS KMS Developer Guide, "Default key policy"): one statement that gives the account
 * full access, which lets the account's IAM policies control access to the key.
 */
export function defaultKeyPolicy(account: string, partition = 'aws'): string {
  return awsPolicyText({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:${partition}:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  });
}

const POLICY_ELEMENTS = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_ELEMENTS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/.+|role\/.+)|arn:aws[a-z-]*:sts::\d{12}:(assumed-role\/[^/]+\/.+|federated-user\/.+))$/;
const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

/** Whether every principal a statement names is one AWS accepts in a key policy. */
function principalsValid(principal: unknown): boolean {
  if (principal === '*') return true;
  if (!isObject(principal)) return false;
  return Object.entries(principal).every(([type, values]) => {
    const list = strings(values);
    if (!list || list.length === 0) return false;
    if (type === 'AWS') return list.every((v) => AWS_PRINCIPAL.test(v));
    if (type === 'Service') return list.every((v) => SERVICE_PRINCIPAL.test(v));
    return false;
  });
}

function checkStatement(statement: unknown): void {
  if (!isObject(statement)) throw malformedPolicy('Policy contains a statement that is not an object.');
  const unknown = Object.keys(statement).find((k) => !STATEMENT_ELEMENTS.has(k));
  if (unknown) throw malformedPolicy(`Policy contains a statement with an unknown element ${unknown}.`);
  if (statement['Effect'] !== 'Allow' && statement['Effect'] !== 'Deny') throw malformedPolicy('Policy contains a statement whose Effect is not Allow or Deny.');
  const principal = statement['Principal'] ?? statement['NotPrincipal'];
  // A key policy is a resource-based policy: every statement must say whom it is about.
  if (principal === undefined) throw malformedPolicy('Policy contains a statement with no Principal.');
  if (!principalsValid(principal)) throw malformedPolicy('Policy contains a statement with one or more invalid principals.');
  const action = statement['Action'] ?? statement['NotAction'];
  if (!strings(action)) throw malformedPolicy('Policy contains a statement with no Action, or an Action that is not a string or a list of strings.');
  const resource = statement['Resource'] ?? statement['NotResource'];
  if (resource !== undefined && !strings(resource)) throw malformedPolicy('Policy contains a statement whose Resource is not a string or a list of strings.');
  const condition = statement['Condition'];
  if (condition !== undefined && (!isObject(condition) || !Object.values(condition).every(isObject))) {
    throw malformedPolicy('Policy contains a statement whose Condition is not an object of condition operators.');
  }
}

/**
 * Refuses a policy AWS would refuse as a document: over 32 KB, not JSON, or not shaped as a key policy. What
 * a well-formed statement means is the evaluator's business, not this check's.
 */
export function checkKeyPolicyDocument(text: string): void {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_KEY_POLICY_BYTES) throw malformedPolicy(`The key policy is ${bytes} bytes; a key policy is at most ${MAX_KEY_POLICY_BYTES} bytes.`);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformedPolicy('The key policy is not valid JSON.');
  }
  if (!isObject(document)) throw malformedPolicy('The key policy must be a JSON object.');
  const unknown = Object.keys(document).find((k) => !POLICY_ELEMENTS.has(k));
  if (unknown) throw malformedPolicy(`The key policy has an unknown element ${unknown}.`);
  const version = document['Version'];
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') throw malformedPolicy(`The policy version ${String(version)} is not supported.`);
  const statements = document['Statement'];
  if (statements === undefined) throw malformedPolicy('The key policy has no Statement.');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw malformedPolicy('The key policy has no statements.');
  list.forEach(checkStatement);
}

