/**
 * Grant tokens: what CreateGrant returns besides the GrantId, accepted in the GrantTokens of every operation a
 * grant can allow (up to 10) and by RetireGrant to name the grant (AWS KMS Developer Guide, "Grant token").
 *
 * In AWS a token lets a grantee use a new grant before the grant has reached every host (eventual consistency).
 * This KMS is consistent: a grant is effective in the same instant CreateGrant stores it, with or without its
 * token. So a token here only has to be recognised: it is opaque to callers, and names the key and the grant
 * together with a random part that only the CreateGrant call that issued it returned.
 *
 * What a token that names no grant does is the one point AWS does not document. A string this KMS could not have
 * issued is refused with InvalidGrantTokenException, as AWS refuses a malformed token. A well-formed token whose
 * grant has been retired or revoked is accepted and allows nothing: the grant is gone, so its permissions are,
 * and a request that other policies allow still succeeds.
 */
import { randomBytes } from 'node:crypto';
import type { GrantRecord } from './keyRecord';
import { invalidGrantToken } from './serviceErrors';

const PREFIX = 'kms-studio/grant-token/1\n';
const GRANT_ID = /^[0-9a-f]{64}$/;
const TOKEN_ID = /^[0-9a-f]{32}$/;

export interface GrantTokenParts {
  keyArn: string;
  grantId: string;
  tokenId: string;
}

export function newTokenId(): string {
  return randomBytes(16).toString('hex');
}

export function newGrantId(): string {
  return randomBytes(32).toString('hex');
}

export function isGrantId(value: string): boolean {
  return GRANT_ID.test(value);
}

/** The token of a grant: base64url text, as opaque as AWS's base64 tokens. */
export function encodeGrantToken(parts: GrantTokenParts): string {
  return Buffer.from(`${PREFIX}${parts.keyArn}\n${parts.grantId}\n${parts.tokenId}`, 'utf8').toString('base64url');
}

/** The parts of a token this KMS issued; undefined for any other string. */
export function decodeGrantToken(token: string): GrantTokenParts | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  const text = Buffer.from(token, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  const [keyArn, grantId, tokenId, ...rest] = text.slice(PREFIX.length).split('\n');
  if (rest.length > 0 || !keyArn?.startsWith('arn:') || !grantId || !GRANT_ID.test(grantId) || !tokenId || !TOKEN_ID.test(tokenId)) return undefined;
  return { keyArn, grantId, tokenId };
}

/** InvalidGrantTokenException for any token this KMS could not have issued. */
export function checkGrantTokens(tokens: readonly string[] | undefined): void {
  for (const token of tokens ?? []) if (!decodeGrantToken(token)) throw invalidGrantToken();
}

/** Whether `token` was issued for `grant` (of the key `keyArn`). */
export function tokenNamesGrant(parts: GrantTokenParts, keyArn: string, grant: GrantRecord): boolean {
  return parts.keyArn === keyArn && parts.grantId === grant.GrantId && (grant.tokenIds ?? []).includes(parts.tokenId);
}
