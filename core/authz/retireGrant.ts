import type { Analyses, Outcome } from './combine';
import { describeStatement, grantRef, refs } from './explanation';

/**
 * Who may call RetireGrant (AWS KMS Developer Guide, retiring and revoking grants): "The grant determines who can
 * retire it" — its retiring principal, its grantee when the grant allows RetireGrant, and, as a backup, the
 * account in which the grant was created. "The kms:RetireGrant permission is not effective in a key policy": the
 * account that owns the key can delegate it to its IAM principals through IAM policies, and so can an account
 * named as the grant's retiring principal. A Deny in an IAM policy stops it; explicit denies are settled before
 * this runs.
 */
export function decideRetireGrant(a: Analyses): Outcome {
  const { v, identity, keyPolicy } = a;
  const { caller } = v;

  const byGrant = a.grants.filter((g) => g.allows);
  if (byGrant.length > 0) {
    return { decision: 'allowed', code: 'AllowedByGrant', reason: `Allowed by grant ${byGrant[0]!.grantId}: ${byGrant[0]!.note}`, deciding: byGrant.map(grantRef) };
  }

  const retiringAccounts = a.grants.flatMap((g) => (g.retiringAccount ? [g.retiringAccount] : []));
  const account = caller.account;
  const role = account === v.key.account ? 'owns the key' : 'the grant names as its retiring principal';
  if (account !== undefined && (account === v.key.account || retiringAccounts.includes(account))) {
    if (caller.kind === 'Account') {
      return {
        decision: 'allowed',
        code: 'AllowedAsRootUserOfAllowedAccount',
        reason: `Allowed: the root user of account ${account}, which ${role}, can retire the grant`,
        deciding: [],
      };
    }
    if (identity.allows.length > 0) {
      return {
        decision: 'allowed',
        code: 'AllowedByRetireGrantDelegation',
        reason: `Allowed by ${describeStatement(identity.allows[0]!.ref)}, through which account ${account}, which ${role}, delegates retiring the grant`,
        deciding: refs(identity.allows),
      };
    }
  }

  const keyPolicyAllow = keyPolicy?.allows[0];
  const ignored = keyPolicyAllow ? `; ${describeStatement(keyPolicyAllow.ref)} allows kms:RetireGrant, but that permission is not effective in a key policy` : '';
  return {
    decision: 'implicitDeny',
    code: 'RetireGrantNotAllowed',
    reason: `No grant names ${caller.arn} as its retiring principal or as a grantee allowed to retire it, and no IAM policy of the key's account or of a retiring account allows it${ignored}`,
    deciding: [],
  };
}
