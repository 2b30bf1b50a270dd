/**
 * Where a key policy lives in the `kms-studio:` file system: `/<region>/<keyId>.keypolicy.json`. The name ends
 * in `.keypolicy.json`, so the document is in VS Code's json language and matches the default key policy glob
 * as well as the scheme rule of the language server.
 */

export const KEY_POLICY_SUFFIX = '.keypolicy.json';

const REGION = /^[a-z0-9][a-z0-9-]{0,49}$/;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface KeyPolicyLocation {
  region: string;
  keyId: string;
}

export function keyPolicyPath(location: KeyPolicyLocation): string {
  return `/${location.region}/${location.keyId}${KEY_POLICY_SUFFIX}`;
}

/** The key a path names, or undefined for any other path (a folder, a stray file name). */
export function parseKeyPolicyPath(path: string): KeyPolicyLocation | undefined {
  const match = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match || !match[2]!.endsWith(KEY_POLICY_SUFFIX)) return undefined;
  const region = match[1]!;
  const keyId = match[2]!.slice(0, -KEY_POLICY_SUFFIX.length);
  return REGION.test(region) && KEY_ID.test(keyId) ? { region, keyId } : undefined;
}

/** The region folder a path names (`/us-east-1`), for directory reads. */
export function parseRegionPath(path: string): string | undefined {
  const match = /^\/([^/]+)\/?$/.exec(path);
  return match && REGION.test(match[1]!) ? match[1] : undefined;
}
