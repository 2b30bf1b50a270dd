import { parseOperator } from '../catalog';
import { parseArn } from '../authz';
import type { ConditionOperatorBlock, Policy, Statement } from '../policy/model';
import { ACCOUNT_ID, isAnyone, principalValues } from './principals';
import { patternCovers, stringValues } from './statementActions';

/**
 * Whether a statement that names every principal (`"Principal": "*"`) is narrowed to known callers by its
 * conditions. A condition pins the caller when it tests, with a positive string or ARN operator and without
 * IfExists or ForAllValues (both are true when the key is absent), a key that identifies:
 *   - the caller's account: kms:CallerAccount, aws:PrincipalAccount, aws:SourceAccount (a 12-digit ID);
 *   - its organization: aws:PrincipalOrgID, aws:SourceOrgID (o-…), or aws:PrincipalOrgPaths,
 *     aws:SourceOrgPaths (o-…/…);
 *   - the caller or the resource it acts for: aws:PrincipalArn, aws:SourceArn (an ARN whose account is written
 *     out; aws:SourceArn may name an S3 bucket, whose ARN has no account but a unique name), aws:userid (a
 *     unique ID prefix);
 *   - the network it calls from: aws:SourceVpce, aws:SourceVpc. These name resources of one account, and
 *     IAM Access Analyzer counts them as narrowing access too.
 * Every value must pin: a single "*" or a wildcard account opens the statement again. kms:ViaService alone does
 * not pin (any account can call through the service), nor does aws:SourceIp (an address range says nothing of
 * the account), nor aws:ResourceAccount (it names the key's account, not the caller's).
 */

const ACCOUNT_KEYS = new Set(['kms:calleraccount', 'aws:principalaccount', 'aws:sourceaccount']);
const ORG_ID_KEYS = new Set(['aws:principalorgid', 'aws:sourceorgid']);
const ORG_PATH_KEYS = new Set(['aws:principalorgpaths', 'aws:sourceorgpaths']);
const ARN_KEYS = new Set(['aws:principalarn', 'aws:sourcearn']);

function valuePins(key: string, value: string): boolean {
  if (ACCOUNT_KEYS.has(key)) return ACCOUNT_ID.test(value);
  if (ORG_ID_KEYS.has(key)) return /^o-[a-z0-9]{10,32}$/.test(value);
  if (ORG_PATH_KEYS.has(key)) return /^o-[a-z0-9]{10,32}\//.test(value);
  if (ARN_KEYS.has(key)) {
    const arn = parseArn(value);
    if (!arn) return false;
    if (ACCOUNT_ID.test(arn.account)) return true;
    return key === 'aws:sourcearn' && arn.service === 's3' && arn.account === '' && /^[a-z0-9.-]{3,}(\/|$)/.test(arn.resource);
  }
  if (key === 'aws:userid') return /^[A-Z0-9]{10,}/.test(value);
  if (key === 'aws:sourcevpce') return /^vpce-[0-9a-f]+$/.test(value);
  if (key === 'aws:sourcevpc') return /^vpc-[0-9a-f]+$/.test(value);
  return false;
}

/** The keys of a block that pin the caller, when the block's operator can pin at all. */
function pinningKeys(block: ConditionOperatorBlock, negated: boolean): string[] {
  const parsed = parseOperator(block.operator.value);
  const op = parsed.operator;
  if (!op || (op.type !== 'String' && op.type !== 'ARN') || op.negated !== negated) return [];
  if (parsed.setOperator === 'ForAllValues') return [];
  // A positive operator with IfExists is true without the key; a negated one with IfExists still denies
  // every caller that has a different value, and callers without the key too.
  if (!negated && parsed.ifExists) return [];
  const keys: string[] = [];
  for (const entry of block.keys) {
    const key = entry.key.value.toLowerCase();
    const values = stringValues(entry.values);
    if (values.length > 0 && values.length === entry.values.length && values.every((v) => valuePins(key, v.value))) keys.push(entry.key.value);
  }
  return keys;
}

/** The condition keys that pin a statement's callers, empty when none does. */
export function pinningConditionKeys(statement: Statement): string[] {
  return (statement.condition?.operators ?? []).flatMap((b) => pinningKeys(b, false));
}

/**
 * A Deny for every principal that applies to all of `allow`'s actions unless the caller matches a pinning key,
 * such as {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Condition": {"StringNotEquals":
 * {"aws:PrincipalOrgID": "o-…"}}}. Only a Deny whose whole condition is that one test counts: a further condition
 * would make it deny less.
 */
export function pinningDeny(policy: Policy, allow: Statement): Statement | undefined {
  const allowed = stringValues(allow.action?.values).map((v) => v.value);
  if (allowed.length === 0) return undefined;
  return policy.statements.find((deny) => {
    if (deny.effect !== 'Deny' || !principalValues(deny.principal).some(isAnyone)) return false;
    if (!stringValues(deny.resource?.values).some((v) => v.value === '*')) return false;
    const denied = stringValues(deny.action?.values).map((v) => v.value);
    if (!allowed.every((a) => denied.some((d) => patternCovers(d, a)))) return false;
    const blocks = deny.condition?.operators ?? [];
    const keyCount = blocks.reduce((n, b) => n + b.keys.length, 0);
    return blocks.length === 1 && keyCount === 1 && pinningKeys(blocks[0]!, true).length === 1;
  });
}
