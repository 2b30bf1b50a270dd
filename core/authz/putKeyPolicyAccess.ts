import type { Policy } from '../policy/model';
import { parsePolicy } from '../policy/policyModel';
import { ACCOUNT_ID, lastSegment, parseArn } from './arn';
import { evaluate } from './evaluate';
import type { StatementRef } from './explanation';
import type { NamedPolicy } from './request';

/** One way a principal of the account could call kms:PutKeyPolicy on the key. */
export interface PutKeyPolicyPath {
  /** The principal the path was checked for (the root user, a named principal, or any IAM user or role). */
  principal: string;
  kind: 'rootUser' | 'namedPrincipal' | 'iamDelegation';
  /** The statements that allow it. */
  statements: StatementRef[];
}

export interface PutKeyPolicyAccess {
  /** Some principal of the account can call PutKeyPolicy with no condition to meet. */
  possible: boolean;
  paths: PutKeyPolicyPath[];
  /** Paths that exist only when a condition holds; they are not counted in `possible`. */
  conditionalPaths: PutKeyPolicyPath[];
}

const ANY_IAM_PRINCIPAL = 'kms-studio-lockout-check';

/** An IAM policy as wide as one can be: what an administrator of the account could attach to anyone. */
const ADMIN_POLICY: NamedPolicy = {
  name: 'AdministratorAccess',
  policy: parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}').policy,
};

/** The principals of `account` that the key policy's statements name, as callers. */
function namedCallers(policy: Policy, account: string): string[] {
  const callers = new Set<string>();
  for (const statement of policy.statements) {
    for (const entry of statement.principal?.entries ?? []) {
      if (entry.type !== 'AWS') continue;
      for (const { value } of entry.values) {
        const arn = parseArn(value);
        if (!arn || arn.account !== account) continue;
        if (arn.service === 'iam' && arn.resource.startsWith('user/')) callers.add(value);
        if (arn.service === 'iam' && arn.resource.startsWith('role/')) {
          callers.add(`arn:${arn.partition}:sts::${account}:assumed-role/${lastSegment(arn.resource)}/${ANY_IAM_PRINCIPAL}`);
        }
        if (arn.service === 'sts' && arn.resource.startsWith('assumed-role/')) callers.add(value);
      }
    }
  }
  return [...callers];
}

/**
 * Whether any principal of `account` could call kms:PutKeyPolicy under `policy`, for the key `keyArn` (by default
 * a key of `account` itself, the usual question: can the key's own account still manage it?): the root user (allowed when
 * the key policy allows the account), a principal the policy names, or any IAM user or role through IAM policies
 * when the policy delegates to the account (for that path the IAM policy is assumed to be as wide as an
 * administrator could make it). Each path is checked with the evaluator itself and an empty request context,
 * so conditions that need a key in the request are reported as conditional paths. This is the question the
 * PutKeyPolicy lockout safety check asks (AWS KMS Developer Guide, default key policy).
 */
export function putKeyPolicyAccess(policy: Policy, account: string, keyArn?: string): PutKeyPolicyAccess {
  if (!ACCOUNT_ID.test(account)) throw new RangeError(`"${account}" is not an AWS account ID`);
  const key = { arn: keyArn ?? `arn:aws:kms:us-east-1:${account}:key/00000000-0000-0000-0000-000000000000` };
  const partition = parseArn(key.arn)?.partition ?? 'aws';
  const candidates: { principal: string; kind: PutKeyPolicyPath['kind']; identityPolicies: NamedPolicy[] }[] = [
    { principal: `arn:${partition}:iam::${account}:root`, kind: 'rootUser', identityPolicies: [] },
    ...namedCallers(policy, account).map((principal) => ({ principal, kind: 'namedPrincipal' as const, identityPolicies: [] })),
    { principal: `arn:${partition}:iam::${account}:user/${ANY_IAM_PRINCIPAL}`, kind: 'iamDelegation', identityPolicies: [ADMIN_POLICY] },
  ];
  const paths: PutKeyPolicyPath[] = [];
  const conditionalPaths: PutKeyPolicyPath[] = [];
  for (const candidate of candidates) {
    const result = evaluate(
      { action: 'kms:PutKeyPolicy', principal: { arn: candidate.principal }, key },
      { keyPolicy: policy, identityPolicies: candidate.identityPolicies, grants: [] },
    );
    const keyPolicyRefs = (refs: StatementRef[]) => refs.filter((r) => r.source.kind === 'keyPolicy');
    if (result.decision === 'allowed') {
      paths.push({ principal: candidate.principal, kind: candidate.kind, statements: keyPolicyRefs(result.explanation.deciding) });
    } else if (result.decision === 'implicitDeny') {
      const waiting = result.explanation.conditionMismatches.filter((m) => m.statement.effect === 'Allow' && m.statement.source.kind === 'keyPolicy');
      if (waiting.length > 0) {
        conditionalPaths.push({ principal: candidate.principal, kind: candidate.kind, statements: waiting.map((m) => m.statement) });
      }
    }
  }
  return { possible: paths.length > 0, paths, conditionalPaths };
}
