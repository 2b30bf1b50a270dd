/**
 * The callers the sandbox KMS knows: DIR/identities.json, written by the user and only read by the store.
 *
 *   {"identities": [{"principal": "arn:aws:iam::111122223333:role/App", "accessKeyId": "AKIA…",
 *                    "secretAccessKey": "…", "policies": [<IAM policy>, …], "tags": {"team": "blue"}}]}
 *
 * Validated at the boundary, so the KMS and the SigV4 verifier can rely on the shape; every error names the JSON
 * path of the offending value. IAM policy documents are checked only for being policy-shaped here; the
 * authorization evaluator validates their statements when it parses them.
 */
import { strictJsonProblem } from '../../policy/parse';
import { parseArn } from '../../authz/arn';
import { readTextIfExists } from './atomicFile';
import { IdentitiesFileError } from './errors';

export interface Identity {
  /** An IAM user, role or account root ARN. */
  principal: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM identity policy documents attached to the principal. */
  policies: Record<string, unknown>[];
  /** Principal tags (`aws:PrincipalTag/<key>`). */
  tags: Record<string, string>;
  description?: string;
}

const IDENTITY_FIELDS = new Set(['principal', 'accessKeyId', 'secretAccessKey', 'policies', 'tags', 'description']);
// AWS IAM: AccessKeyId is 16 to 128 word characters; a tag key is 1 to 128 characters, a value 0 to 256.
const ACCESS_KEY_ID = /^\w{16,128}$/;
const PRINCIPAL_RESOURCE = /^(root|user\/.+|role\/.+)$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseIdentities(text: string, file: string): Identity[] {
  const fail = (jsonPath: string, problem: string): never => {
    throw new IdentitiesFileError(file, jsonPath, problem);
  };
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return fail('$', strictJsonProblem(text));
  }
  if (!isObject(root)) return fail('$', 'expected an object {"identities": [...]}');
  for (const key of Object.keys(root)) if (key !== 'identities') fail(`$.${key}`, 'unknown field; the file has only "identities"');
  if (!Array.isArray(root['identities'])) return fail('$.identities', 'expected an array of identities');

  const seenKeys = new Map<string, string>();
  return (root['identities'] as unknown[]).map((entry, i) => {
    const at = `$.identities[${i}]`;
    if (!isObject(entry)) return fail(at, 'expected an object');
    for (const key of Object.keys(entry)) {
      if (!IDENTITY_FIELDS.has(key)) fail(`${at}.${key}`, `unknown field; expected one of ${[...IDENTITY_FIELDS].join(', ')}`);
    }

    const principal = entry['principal'];
    if (typeof principal !== 'string') return fail(`${at}.principal`, 'expected an IAM principal ARN string');
    const arn = parseArn(principal);
    if (!arn || arn.service !== 'iam' || !/^\d{12}$/.test(arn.account) || !PRINCIPAL_RESOURCE.test(arn.resource)) {
      fail(`${at}.principal`, `"${principal}" is not an IAM user, role or root ARN (arn:aws:iam::111122223333:role/Name)`);
    }

    const accessKeyId = entry['accessKeyId'];
    if (typeof accessKeyId !== 'string' || !ACCESS_KEY_ID.test(accessKeyId)) {
      return fail(`${at}.accessKeyId`, 'expected 16 to 128 letters, digits or underscores');
    }
    const previous = seenKeys.get(accessKeyId);
    if (previous) fail(`${at}.accessKeyId`, `"${accessKeyId}" is already used by ${previous}`);
    seenKeys.set(accessKeyId, at);

    const secretAccessKey = entry['secretAccessKey'];
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0) return fail(`${at}.secretAccessKey`, 'expected a non-empty string');

    const policies = entry['policies'] ?? [];
    if (!Array.isArray(policies)) return fail(`${at}.policies`, 'expected an array of IAM policy documents');
    policies.forEach((policy: unknown, j) => {
      const pat = `${at}.policies[${j}]`;
      if (!isObject(policy)) fail(pat, 'expected an IAM policy document object');
      const statement = (policy as Record<string, unknown>)['Statement'];
      if (!isObject(statement) && !Array.isArray(statement)) fail(`${pat}.Statement`, 'expected a statement object or an array of statements');
      const version = (policy as Record<string, unknown>)['Version'];
      if (version !== undefined && typeof version !== 'string') fail(`${pat}.Version`, 'expected a string such as "2012-10-17"');
    });

    const tags = entry['tags'] ?? {};
    if (!isObject(tags)) return fail(`${at}.tags`, 'expected an object of tag keys to string values');
    for (const [key, value] of Object.entries(tags)) {
      if (key.length < 1 || key.length > 128) fail(`${at}.tags`, `tag key "${key}" must be 1 to 128 characters`);
      if (typeof value !== 'string' || value.length > 256) fail(`${at}.tags.${key}`, 'expected a string of at most 256 characters');
    }

    const description = entry['description'];
    if (description !== undefined && typeof description !== 'string') fail(`${at}.description`, 'expected a string');

    return {
      principal,
      accessKeyId,
      secretAccessKey,
      policies: policies as Record<string, unknown>[],
      tags: { ...(tags as Record<string, string>) },
      ...(description !== undefined ? { description: description as string } : {}),
    };
  });
}

/** The identities in `file`, or none when the file does not exist. */
export function loadIdentities(file: string): Identity[] {
  const text = readTextIfExists(file);
  return text === undefined ? [] : parseIdentities(text, file);
}
