import { parseArn } from '../authz';
import { defineRule, KEY_POLICY } from './lintRule';
import { ACCOUNT_ID, principalValues } from './principals';

const CODES = {
  INVALID_PRINCIPAL_FORMAT: { severity: 'ERROR', description: 'A principal that is not in a form IAM accepts.' },
  INVALID_SERVICE_PRINCIPAL_FORMAT: { severity: 'ERROR', description: 'A Service principal that is not a service principal name (name.amazonaws.com).' },
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: { severity: 'ERROR', description: 'A wildcard inside a principal (arn:aws:iam::*:root, …/user/*): only "*" alone is allowed.' },
  ALLOW_WITH_NOTPRINCIPAL: { severity: 'SECURITY_WARNING', description: 'Allow with NotPrincipal, which allows everyone not listed.' },
} as const;

const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/**
 * Why an `AWS` principal value is not one IAM accepts, or undefined when it is. Accepted: `*`, an account ID, and
 * the ARNs of an account (root), an IAM user or role, an assumed-role session or a federated user (IAM User
 * Guide, AWS JSON policy elements: Principal). Unique IDs (AIDA…, AROA…), which AWS shows for deleted
 * principals, are left alone.
 */
function awsPrincipalProblem(value: string): string | undefined {
  if (value === '*' || ACCOUNT_ID.test(value) || /^A[A-Z0-9]{15,127}$/.test(value)) return undefined;
  const arn = parseArn(value);
  if (!arn) return `${JSON.stringify(value)} is neither an account ID nor a principal ARN such as arn:aws:iam::111122223333:role/Example.`;
  if (!PARTITION.test(arn.partition)) return `${JSON.stringify(arn.partition)} is not an AWS partition (aws, aws-cn, aws-us-gov).`;
  if (!ACCOUNT_ID.test(arn.account)) return `The account in ${value} must be a 12-digit account ID.`;
  if (arn.service === 'iam') {
    if (arn.region !== '') return `IAM ARNs have no Region: write arn:${arn.partition}:iam::${arn.account}:${arn.resource}.`;
    if (arn.resource === 'root' || /^(user|role)\/./.test(arn.resource)) return undefined;
    if (arn.resource.startsWith('group/')) return 'An IAM group cannot be a principal. Name its users, or use a role.';
  }
  if (arn.service === 'sts' && /^(assumed-role\/[^/]+\/.+|federated-user\/.+)$/.test(arn.resource)) return undefined;
  return `${value} is not the ARN of a principal: use an account (…:root), an IAM user or role, an assumed-role session or a federated user.`;
}

/** Principal and NotPrincipal values in key policies, and NotPrincipal with Allow. */
export const principalRule = defineRule({
  id: 'principals',
  kinds: KEY_POLICY,
  codes: CODES,
  checkStatement(_ctx, statement, report) {
    for (const element of [statement.principal, statement.notPrincipal]) {
      for (const { type, value } of principalValues(element)) {
        const text = value.value;
        if (type === '*') continue;
        if (text !== '*' && /[*?]/.test(text)) {
          report(
            'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
            value,
            `Principal does not expand wildcards: only "*" alone (every principal) is allowed. To match ${text}, use {"AWS": "*"} with an ArnLike condition on aws:PrincipalArn (or StringEquals on aws:PrincipalAccount).`,
          );
          continue;
        }
        if (type === 'AWS') {
          const problem = awsPrincipalProblem(text);
          if (problem) report('INVALID_PRINCIPAL_FORMAT', value, problem);
        } else if (type === 'Service') {
          if (!SERVICE_PRINCIPAL.test(text)) {
            report('INVALID_SERVICE_PRINCIPAL_FORMAT', value, `${JSON.stringify(text)} is not a service principal name. Service principals look like cloudtrail.amazonaws.com.`);
          }
        } else if (type === 'Federated') {
          const arn = parseArn(text);
          const provider = arn?.service === 'iam' && /^(saml|oidc)-provider\/./.test(arn.resource);
          if (!provider && !DOMAIN.test(text)) {
            report('INVALID_PRINCIPAL_FORMAT', value, `${JSON.stringify(text)} is not a federated principal: use an identity provider ARN (…:saml-provider/Name) or a provider name such as cognito-identity.amazonaws.com.`);
          }
        } else if (type === 'CanonicalUser' && !/^[0-9a-f]{64}$/i.test(text)) {
          report('INVALID_PRINCIPAL_FORMAT', value, 'A CanonicalUser principal is a 64-character hexadecimal canonical user ID.');
        }
      }
    }
    if (statement.effect === 'Allow' && statement.notPrincipal) {
      report(
        'ALLOW_WITH_NOTPRINCIPAL',
        statement.notPrincipal.key,
        'Allow with NotPrincipal allows every principal not listed, anonymous ones included. Name the principals that need access in Principal instead, or use NotPrincipal only with Deny.',
      );
    }
  },
});
