import { catalogData, type ConditionKeyRecord } from './catalogData';
import { findAction } from './actions';

/** Value types of condition keys as the Service Authorization Reference names them: String, ArrayOfString, Bool, Numeric, Date, ARN, … */
export type ConditionKeyType = string;

export interface ConditionKeyInfo {
  /** The reference spelling, e.g. `kms:EncryptionContext:${EncryptionContextKey}` or `aws:PrincipalArn`. */
  name: string;
  type: ConditionKeyType;
  /** Whether the key can hold several values (an `ArrayOf…` type), so set operators apply. */
  multiValued: boolean;
  service: 'kms' | 'aws';
  /** For a pattern key, the part after the fixed prefix as written in the looked-up name (`Department`). */
  variablePart?: string;
  description?: string;
}

/** Keys whose last part is chosen by the policy author: the prefix (lowercase) and the reference spelling. */
const PATTERNS: { prefix: string; pattern: string }[] = [
  { prefix: 'kms:encryptioncontext:', pattern: 'kms:EncryptionContext:${EncryptionContextKey}' },
  { prefix: 'aws:principaltag/', pattern: 'aws:PrincipalTag/${TagKey}' },
  { prefix: 'aws:resourcetag/', pattern: 'aws:ResourceTag/${TagKey}' },
  { prefix: 'aws:requesttag/', pattern: 'aws:RequestTag/${TagKey}' },
];

const byLowerName = new Map<string, ConditionKeyInfo>();
function add(record: ConditionKeyRecord, service: 'kms' | 'aws'): void {
  const existing = byLowerName.get(record.name.toLowerCase());
  byLowerName.set(record.name.toLowerCase(), {
    name: record.name,
    type: record.type,
    multiValued: record.type.startsWith('ArrayOf'),
    service,
    description: record.description || existing?.description,
  });
}
for (const key of catalogData.globalConditionKeys) add(key, 'aws');
// Service data comes second so its descriptions (the KMS-specific wording) win for keys listed in both.
for (const key of catalogData.conditionKeys) add(key, key.name.toLowerCase().startsWith('aws:') ? 'aws' : 'kms');

/**
 * Looks up a condition key, case-insensitively (IAM User Guide: condition key names are not case-sensitive),
 * including the pattern keys `kms:EncryptionContext:<key>` and `aws:PrincipalTag/<tag>` / `ResourceTag` /
 * `RequestTag`.
 */
export function findConditionKey(name: string): ConditionKeyInfo | undefined {
  const lower = name.toLowerCase();
  const exact = byLowerName.get(lower);
  if (exact && !exact.name.includes('${')) return exact;
  for (const { prefix, pattern } of PATTERNS) {
    if (lower.startsWith(prefix) && lower.length > prefix.length) {
      const info = byLowerName.get(pattern.toLowerCase());
      if (info) return { ...info, variablePart: name.slice(prefix.length) };
    }
  }
  return undefined;
}

/** The pattern or plain name under which an action or resource type lists the key. */
function referenceName(name: string): string {
  return (findConditionKey(name)?.name ?? name).toLowerCase();
}

const resourceKeyNames = new Map(
  Object.entries(catalogData.resourceTypes).map(([type, r]) => [type, new Set(r.conditionKeys.map((k) => k.toLowerCase()))]),
);

/**
 * Whether AWS supplies `keyName` in requests for `actionName`: the action lists it, a resource type the action
 * acts on lists it, or it is a global `aws:` key that is not tied to tagging.
 */
export function actionSupportsConditionKey(actionName: string, keyName: string): boolean {
  const action = findAction(actionName);
  if (!action) return false;
  const ref = referenceName(keyName);
  if (action.conditionKeys.some((k) => k.toLowerCase() === ref)) return true;
  if (action.resourceTypes.some((r) => resourceKeyNames.get(r.name)?.has(ref))) return true;
  const info = findConditionKey(keyName);
  const tagKey = ref.startsWith('aws:resourcetag/') || ref.startsWith('aws:requesttag/') || ref === 'aws:tagkeys';
  return info?.service === 'aws' && !tagKey && catalogData.globalConditionKeys.some((k) => k.name.toLowerCase() === ref);
}

export function allConditionKeys(): readonly ConditionKeyInfo[] {
  return [...byLowerName.values()];
}
