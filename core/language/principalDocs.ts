import { parseArn } from '../authz';
import { escapeMarkdown, inlineCode } from './markdown';

/** What one principal value names, in a reader's words. */
export interface PrincipalDescription {
  /** A short phrase for a statement summary: `role App (any of its sessions)`. */
  short: string;
  /** The paragraph a hover shows. */
  detail: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Describes a value of Principal / NotPrincipal (`type` is AWS, Service, Federated, CanonicalUser or `*` for the
 * bare `"Principal": "*"`), or a grant's grantee. The rules followed are the IAM User Guide's (principal element)
 * and the AWS KMS Developer Guide's (key policies: the account principal delegates to IAM).
 */
export function describePrincipal(type: string, value: string): PrincipalDescription {
  if (value === '*' && (type === 'AWS' || type === '*')) {
    return {
      short: 'everyone',
      detail:
        'Everyone: any principal in any AWS account. In an Allow this opens the key to the world unless a condition ' +
        'narrows it (`kms:CallerAccount`, `aws:PrincipalOrgID`, `kms:ViaService`); in a Deny it applies to every caller.',
    };
  }
  if (type === 'Service') {
    return {
      short: `the ${value} service`,
      detail:
        `The AWS service ${inlineCode(value)} calling with its own service identity (not a role it assumes). ` +
        'Services that act for a user, such as S3 or EBS, use the user\'s permissions instead: allow those with `kms:ViaService`.',
    };
  }
  if (type === 'Federated') {
    return { short: `users federated through ${value}`, detail: `Users who signed in through the identity provider ${inlineCode(value)}.` };
  }
  if (type === 'CanonicalUser') {
    return { short: 'an S3 canonical user', detail: 'An Amazon S3 canonical user ID; AWS KMS never sees one as a caller.' };
  }
  if (type === '*') {
    return { short: inlineCode(value), detail: `${inlineCode(value)}: only \`"*"\` may be written as a bare Principal string; anything else matches no one.` };
  }
  if (ACCOUNT_ID.test(value)) return accountPrincipal(value, value);
  const arn = parseArn(value);
  if (!arn) return { short: inlineCode(value), detail: `${inlineCode(value)} is not an ARN or an account ID, so it matches no caller.` };
  const account = arn.account;
  if (arn.service === 'iam' && arn.resource === 'root') return accountPrincipal(account, value);
  if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
    const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
    return {
      short: `role ${name} in ${account} (any of its sessions)`,
      detail:
        `The IAM role ${inlineCode(name)} in account ${account}. A role never signs a request itself: this matches every ` +
        `session of it (\`arn:${arn.partition}:sts::${account}:assumed-role/${name}/…\`).`,
    };
  }
  if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) {
    const [, role, ...session] = arn.resource.split('/');
    return {
      short: `session ${session.join('/')} of role ${role}`,
      detail:
        `One session of role ${inlineCode(role ?? '')} in account ${account}: only the session named ${inlineCode(session.join('/'))} matches, ` +
        'not the role\'s other sessions. Name the role ARN to cover them all.',
    };
  }
  if (arn.service === 'iam' && arn.resource.startsWith('user/')) {
    const name = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
    return { short: `user ${name} in ${account}`, detail: `The IAM user ${inlineCode(name)} in account ${account}.` };
  }
  if (arn.service === 'sts' && arn.resource.startsWith('federated-user/')) {
    return { short: `federated user ${arn.resource.slice(15)}`, detail: `A federated user session in account ${account}.` };
  }
  return { short: inlineCode(value), detail: `${escapeMarkdown(value)}: an ARN that names no principal AWS KMS sees as a caller.` };
}

function accountPrincipal(account: string, written: string): PrincipalDescription {
  return {
    short: `account ${account} (through its IAM policies)`,
    detail:
      `Account ${account}${written !== account ? ` (${inlineCode(written)})` : ''}. In a key policy this does not mean only the root user: ` +
      'it delegates to the account\'s IAM policies, so any principal of the account whose IAM policy allows the action ' +
      'gets it (the root user directly). For another account, both this statement and that account\'s IAM policies must allow.',
  };
}

/** Hover text for a principal value. */
export function principalHoverMarkdown(type: string, value: string, options: { notPrincipal?: boolean } = {}): string {
  const { detail } = describePrincipal(type, value);
  const label = type === '*' ? 'Principal' : `Principal ${type}`;
  const note = options.notPrincipal
    ? '\n\nIn NotPrincipal: the statement applies to everyone **except** this principal. With Deny, list the account and the role too, or a session stays denied.'
    : '';
  return `**${label}**: ${escapeMarkdown(value)}\n\n${detail}${note}`;
}
