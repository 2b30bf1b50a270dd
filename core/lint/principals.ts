import { parseArn } from '../authz';
import type { Located, PrincipalElement, PrincipalType } from '../policy/model';

export const ACCOUNT_ID = /^\d{12}$/;

export interface PrincipalValue {
  type: PrincipalType;
  value: Located;
}

/** The string values of a Principal or NotPrincipal element, with their principal type. */
export function principalValues(element: PrincipalElement | undefined): PrincipalValue[] {
  const out: PrincipalValue[] = [];
  for (const entry of element?.entries ?? []) {
    for (const value of entry.values) if (value.jsonType === 'string') out.push({ type: entry.type, value });
  }
  return out;
}

/**
 * The account an `AWS` principal value stands for as a whole: a bare account ID or the account principal
 * `arn:aws:iam::111122223333:root` ("the account and its administrators", AWS KMS Developer Guide).
 */
export function accountPrincipal(value: string): string | undefined {
  if (ACCOUNT_ID.test(value)) return value;
  const arn = parseArn(value);
  return arn && arn.service === 'iam' && arn.resource === 'root' && ACCOUNT_ID.test(arn.account) ? arn.account : undefined;
}

/** Whether a principal value is `*`: every AWS principal, in every account. */
export function isAnyone(p: PrincipalValue): boolean {
  return p.value.value === '*' && (p.type === '*' || p.type === 'AWS');
}

/** The account an ARN belongs to (a principal, a key, a role), when it names one. */
export function accountOfArn(text: string): { account: string; partition: string } | undefined {
  const arn = parseArn(text);
  return arn && ACCOUNT_ID.test(arn.account) ? { account: arn.account, partition: arn.partition } : undefined;
}
