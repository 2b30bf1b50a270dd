import { findConditionKey, parseOperator, type OperatorType } from '../catalog';
import { defineRule, POLICY_KINDS } from './lintRule';
import { readsValue, takesPolicyVariables } from './conditionValues';

const CODES = {
  TYPE_MISMATCH: { severity: 'WARNING', description: 'An operator of another type than the condition key (StringEquals on a Date key, …).' },
  DATA_TYPE_MISMATCH: { severity: 'ERROR', description: 'A condition value its operator cannot read: "yes" for Bool, 10.0.0.0/33 for IpAddress, "tomorrow" for a Date operator, a word for a Numeric one.' },
  INVALID_VARIABLE_FOR_OPERATOR: { severity: 'ERROR', description: 'A policy variable in the value of an operator that does not substitute variables.' },
} as const;

type ValueCode = 'DATA_TYPE_MISMATCH';

/**
 * A value its operator cannot read is an error (DATA_TYPE_MISMATCH): AWS compares nothing with it, so the
 * condition can never be met (or, negated, is always met). What each operator type expects, for the message.
 */
const VALUE_CODES: Record<OperatorType, { code: ValueCode; expect: string } | undefined> = {
  Boolean: { code: 'DATA_TYPE_MISMATCH', expect: 'true or false' },
  Existence: { code: 'DATA_TYPE_MISMATCH', expect: 'true (the key is absent) or false (the key is present)' },
  Date: { code: 'DATA_TYPE_MISMATCH', expect: 'an ISO 8601 date such as 2026-01-31 or 2026-01-31T12:00:00Z, or epoch seconds' },
  IP: { code: 'DATA_TYPE_MISMATCH', expect: 'an IP address or CIDR block such as 203.0.113.0/24 or 2001:db8::/32' },
  Numeric: { code: 'DATA_TYPE_MISMATCH', expect: 'a number' },
  Binary: { code: 'DATA_TYPE_MISMATCH', expect: 'a base64-encoded value' },
  ARN: { code: 'DATA_TYPE_MISMATCH', expect: 'an ARN (arn:partition:service:region:account:resource, wildcards allowed) or "*"' },
  String: undefined,
};

/** The operator type that reads keys of a catalog type (`ArrayOfString` reads like `String`). */
function operatorTypesFor(keyType: string): OperatorType[] | undefined {
  const base = keyType.replace(/^ArrayOf/, '').toLowerCase();
  switch (base) {
    case 'string':
      return ['String'];
    case 'arn':
      // The IAM User Guide recommends ARN operators for ARN keys, and string operators work on them too.
      return ['ARN', 'String'];
    case 'bool':
    case 'boolean':
      return ['Boolean'];
    case 'numeric':
      return ['Numeric'];
    case 'date':
      return ['Date'];
    case 'ipaddress':
      return ['IP'];
    case 'binary':
      return ['Binary'];
    default:
      return undefined;
  }
}

/**
 * The operator types a key accepts. AWS services put ARNs in the encryption context (aws:logs:arn,
 * aws:cloudtrail:arn, ...), and AWS's own key policies for them compare those with ArnLike and ArnEquals
 * (CloudWatch Logs User Guide, encrypting log data with AWS KMS), so ARN operators are accepted there too.
 */
function acceptedOperatorTypes(keyType: string, keyName: string): OperatorType[] | undefined {
  const types = operatorTypesFor(keyType);
  if (types && /^kms:EncryptionContext:./i.test(keyName) && !types.includes('ARN')) return [...types, 'ARN'];
  return types;
}

const EXAMPLE_OPERATOR: Record<OperatorType, string> = {
  String: 'StringEquals',
  ARN: 'ArnLike',
  Boolean: 'Bool',
  Numeric: 'NumericLessThanEquals',
  Date: 'DateLessThan',
  IP: 'IpAddress',
  Binary: 'BinaryEquals',
  Existence: 'Null',
};

/** Condition operators against condition key types, and condition values against their operator. */
export const conditionTypeRule = defineRule({
  id: 'conditionTypes',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(_ctx, statement, report) {
    for (const block of statement.condition?.operators ?? []) {
      const parsed = parseOperator(block.operator.value);
      const operator = parsed.operator;
      if (!operator) continue;
      for (const entry of block.keys) {
        const info = findConditionKey(entry.key.value);
        const accepted = info && acceptedOperatorTypes(info.type, entry.key.value);
        if (accepted && operator.type !== 'Existence' && !accepted.includes(operator.type)) {
          const wanted = accepted[0]!;
          report(
            'TYPE_MISMATCH',
            entry.key,
            `${info.name} is a ${info.type} key, and ${operator.name} compares ${operator.type === 'IP' ? 'IP addresses' : `${operator.type} values`}. Use a ${wanted} operator such as ${EXAMPLE_OPERATOR[wanted]}.`,
          );
        }
        for (const value of entry.values) {
          if (value.jsonType === 'object' || value.jsonType === 'array' || value.jsonType === 'null') continue;
          if (value.value.includes('${') && !takesPolicyVariables(operator.type)) {
            report(
              'INVALID_VARIABLE_FOR_OPERATOR',
              value,
              `${operator.name} does not substitute policy variables: they work only with string and ARN operators, so ${value.value} is compared as written.`,
            );
            continue;
          }
          const expected = VALUE_CODES[operator.type];
          if (!expected || readsValue(operator.type, value.value) || (operator.type === 'ARN' && value.value.includes('${'))) continue;
          const outcome = operator.negated
            ? `it matches no request value, so this ${operator.name} condition is true for every request`
            : `it matches no request value, so this condition is never met`;
          report(expected.code, value, `${operator.name} needs ${expected.expect}; ${JSON.stringify(value.value)} is not one, and ${outcome}.`);
        }
      }
    }
  },
});
