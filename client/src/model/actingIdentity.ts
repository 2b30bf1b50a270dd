/**
 * Who the editor's KMS calls act as. The setting `kmsStudio.identity` holds a principal ARN (empty for the root
 * user of the KMS's account); an identities.json entry of that principal brings its IAM policies, tags and access
 * key, and a principal no file lists calls with no IAM policies, as the CLI's `--as` does.
 */
import { resolveCaller } from '../../../core/authz/arn';
import { callerFromIdentity, DEFAULT_ACCOUNT, rootCaller, type Caller } from '../../../core/kms/service/caller';
import type { Identity } from '../../../core/kms/store/identities';

/** An identity offered by Switch Identity, and where it was declared. */
export interface KnownIdentity {
  identity: Identity;
  /** `the store's identities.json`, `examples/identities.json`, … */
  source: string;
}

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
}

export function rootPrincipal(account: string = DEFAULT_ACCOUNT): string {
  return `arn:aws:iam::${account}:root`;
}

/** The entry of `principal`: by its ARN, or by the session ARN a role entry calls as. */
export function findIdentity(principal: string, known: readonly KnownIdentity[]): KnownIdentity | undefined {
  return known.find((k) => k.identity.principal === principal) ?? known.find((k) => callerFromIdentity(k.identity).principal === principal);
}

/**
 * The Caller acting as `principal`: its identities.json entry, else the principal with no IAM policies (a role
 * through a session, as a listed role). A string saying what is wrong when `principal` is not one.
 */
function callerOrProblem(principal: string, known: readonly KnownIdentity[]): Caller | string {
  const listed = findIdentity(principal, known);
  if (listed) return callerFromIdentity(listed.identity);
  const { accessKeyId: _unused, ...caller } = callerFromIdentity({ principal, accessKeyId: 'NONE', secretAccessKey: 'NONE', policies: [], tags: {} });
  const resolved = resolveCaller(caller.principal, caller.roleArn);
  return typeof resolved === 'string' ? resolved : { ...caller, policies: [] };
}

/**
 * The Caller for the `kmsStudio.identity` setting: the account's root user when empty. Throws IdentityError,
 * naming the setting, for a value that is not a principal.
 */
export function callerForSetting(setting: string | undefined, known: readonly KnownIdentity[], account: string = DEFAULT_ACCOUNT): Caller {
  const principal = (setting ?? '').trim();
  if (principal === '') return rootCaller(account);
  const caller = callerOrProblem(principal, known);
  if (typeof caller === 'string') {
    throw new IdentityError(`The setting kmsStudio.identity is not a principal KMS Studio can act as: ${caller}. Use KMS: Switch Identity to choose one.`);
  }
  return caller;
}

/** What is wrong with `text` as a principal to act as, or undefined when it is one. */
export function principalProblem(text: string): string | undefined {
  const caller = callerOrProblem(text.trim(), []);
  return typeof caller === 'string' ? `${caller}. Give an IAM user or role ARN, an assumed-role session ARN or an account root ARN.` : undefined;
}

/** A short name for the status bar: `root (111122223333)`, `role/KeyAdmin`, `user/bob`, a service name. */
export function principalLabel(arn: string): string {
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return arn;
  const resource = parts.slice(5).join(':');
  if (resource === 'root') return `root (${parts[4]})`;
  if (parts[2] === 'sts' && resource.startsWith('assumed-role/')) {
    const [, role, session] = resource.split('/');
    return `role/${role} (session ${session})`;
  }
  const segments = resource.split('/');
  return segments.length > 2 ? `${segments[0]}/${segments[segments.length - 1]}` : resource;
}

/** Identities of several files, the first declaration of a principal winning (the store's file comes first). */
export function mergeIdentities(lists: readonly (readonly KnownIdentity[])[]): KnownIdentity[] {
  const seen = new Set<string>();
  const merged: KnownIdentity[] = [];
  for (const list of lists) {
    for (const entry of list) {
      if (seen.has(entry.identity.principal)) continue;
      seen.add(entry.identity.principal);
      merged.push(entry);
    }
  }
  return merged;
}
