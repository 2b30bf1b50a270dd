/** ARN parsing for principals, keys and aliases. */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon (`key/1234…`, `role/path/Name`). */
  resource: string;
}

/** Splits an ARN into its six parts; the resource part keeps any further colons. */
export function parseArn(text: string): Arn | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  if (parts[0] !== 'arn') return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: text.slice(start) };
}

export const ACCOUNT_ID = /^\d{12}$/;

/**
 * The kinds of caller, named as `aws:PrincipalType` names them (IAM User Guide, global condition keys), plus
 * `Service` for an AWS service principal calling with its own identity.
 */
export type CallerKind = 'Account' | 'User' | 'AssumedRole' | 'FederatedUser' | 'Service';

/** Who is calling, resolved from the request's principal ARN. */
export interface CallerIdentity {
  kind: CallerKind;
  /** The ARN the request is signed as (or the service principal name). */
  arn: string;
  partition: string;
  /** The caller's account; undefined for a service principal. */
  account?: string;
  /** The account principal, `arn:aws:iam::<account>:root`. */
  accountArn?: string;
  /** The IAM user name (without path), role name, or federated user name. */
  name?: string;
  /** For an assumed-role session: the role's ARN (`aws:PrincipalArn`) and the session name. */
  roleArn?: string;
  sessionName?: string;
  /** For a service principal, e.g. `cloudtrail.amazonaws.com`. */
  service?: string;
}

export function accountPrincipalArn(partition: string, account: string): string {
  return `arn:${partition}:iam::${account}:root`;
}

/**
 * Resolves a caller. A role cannot sign a request, only a session of it can, so a role ARN is refused; the
 * session ARN `arn:aws:sts::<account>:assumed-role/<role>/<session>` is what a role's caller presents.
 * `roleArn` may give the role's full ARN when it has a path (the session ARN does not carry the path).
 */
export function resolveCaller(arnText: string, roleArn?: string): CallerIdentity | string {
  if (!arnText.startsWith('arn:')) {
    if (/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(arnText)) {
      return { kind: 'Service', arn: arnText, partition: 'aws', service: arnText };
    }
    return `"${arnText}" is neither an ARN nor a service principal name`;
  }
  const arn = parseArn(arnText);
  if (!arn || !ACCOUNT_ID.test(arn.account)) return `"${arnText}" is not an IAM or STS principal ARN`;
  // Written out rather than spread from a common base: this runs on every evaluation, and spreading costs more.
  const { partition, account } = arn;
  if (arn.service === 'iam' && arn.resource === 'root') {
    return { kind: 'Account', arn: arnText, partition, account, accountArn: accountPrincipalArn(partition, account) };
  }
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) {
    return { kind: 'User', arn: arnText, partition, account, accountArn: accountPrincipalArn(partition, account), name: lastSegment(arn.resource) };
  }
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) {
    const [, role, ...session] = arn.resource.split('/');
    if (!role || session.length === 0) return `"${arnText}" is not a complete assumed-role session ARN`;
    const derived = `arn:${arn.partition}:iam::${arn.account}:role/${role}`;
    if (roleArn !== undefined) {
      const given = parseArn(roleArn);
      const isRole = given?.service === 'iam' && given.partition === arn.partition && given.resource.startsWith('role/');
      if (!given || !isRole || given.account !== arn.account || lastSegment(given.resource) !== role) {
        return `roleArn "${roleArn}" is not the role of session "${arnText}"`;
      }
    }
    return {
      kind: 'AssumedRole', arn: arnText, partition, account, accountArn: accountPrincipalArn(partition, account),
      name: role, roleArn: roleArn ?? derived, sessionName: session.join('/'),
    };
  }
  if (arn.service === 'sts' && arn.resource.startsWith('federated-user/')) {
    const name = arn.resource.slice('federated-user/'.length);
    return { kind: 'FederatedUser', arn: arnText, partition, account, accountArn: accountPrincipalArn(partition, account), name };
  }
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
    return `"${arnText}" is a role; a request is made by one of its sessions (arn:${arn.partition}:sts::${arn.account}:assumed-role/${lastSegment(arn.resource)}/<session>)`;
  }
  return `"${arnText}" is not a principal that can call AWS KMS`;
}

export function lastSegment(resource: string): string {
  return resource.slice(resource.lastIndexOf('/') + 1);
}

/** The key ID of a key ARN (`arn:aws:kms:us-east-1:111122223333:key/<id>`), or undefined. */
export function keyIdOf(keyArn: string): string | undefined {
  const arn = parseArn(keyArn);
  return arn?.service === 'kms' && arn.resource.startsWith('key/') ? arn.resource.slice(4) : undefined;
}

/** The alias name (`alias/example`) of an alias ARN, or undefined. */
export function aliasNameOf(aliasArn: string): string | undefined {
  const arn = parseArn(aliasArn);
  return arn?.service === 'kms' && arn.resource.startsWith('alias/') ? arn.resource : undefined;
}
