import type { JSONPath } from 'jsonc-parser';

/**
 * What a JSON path means in a KMS document: the vocabulary hover and completion are written in. `name` is the
 * property name at the cursor (complete for a hover, partial while typing).
 */
export type PolicyContext =
  | { kind: 'policyKey'; name: string }
  | { kind: 'version' }
  | { kind: 'statement'; statement: number }
  | { kind: 'statementKey'; statement: number; name: string }
  | { kind: 'sid'; statement: number }
  | { kind: 'effect'; statement: number }
  | { kind: 'action'; statement: number; element: 'Action' | 'NotAction' }
  | { kind: 'resource'; statement: number; element: 'Resource' | 'NotResource' }
  | { kind: 'principalType'; statement: number; element: 'Principal' | 'NotPrincipal'; name: string }
  | { kind: 'principalValue'; statement: number; element: 'Principal' | 'NotPrincipal'; type: string }
  | { kind: 'conditionOperator'; statement: number; name: string }
  | { kind: 'conditionKey'; statement: number; operator: string; name: string }
  | { kind: 'conditionValue'; statement: number; operator: string; key: string };

/** Classifies a path inside a policy document (key policy or identity policy). */
export function policyContext(path: JSONPath, isKey: boolean): PolicyContext | undefined {
  if (path.length === 0) return undefined;
  const [first] = path;
  if (path.length === 1) {
    if (isKey) return { kind: 'policyKey', name: String(first) };
    return first === 'Version' ? { kind: 'version' } : undefined;
  }
  if (first !== 'Statement') return undefined;
  // "Statement" is a list of statements, or (allowed by the grammar) one statement object.
  const listed = typeof path[1] === 'number';
  const statement = listed ? (path[1] as number) : 0;
  const rest = path.slice(listed ? 2 : 1);
  if (rest.length === 0) return isKey ? undefined : { kind: 'statement', statement };
  const element = String(rest[0]);
  if (rest.length === 1 && isKey) return { kind: 'statementKey', statement, name: element };
  switch (element) {
    case 'Sid':
      return rest.length === 1 ? { kind: 'sid', statement } : undefined;
    case 'Effect':
      return rest.length === 1 ? { kind: 'effect', statement } : undefined;
    case 'Action':
    case 'NotAction':
      return rest.length <= 2 && !isKey ? { kind: 'action', statement, element } : undefined;
    case 'Resource':
    case 'NotResource':
      return rest.length <= 2 && !isKey ? { kind: 'resource', statement, element } : undefined;
    case 'Principal':
    case 'NotPrincipal':
      if (rest.length === 1) return { kind: 'principalValue', statement, element, type: '*' };
      if (rest.length === 2 && isKey) return { kind: 'principalType', statement, element, name: String(rest[1]) };
      if (rest.length <= 3 && typeof rest[1] === 'string') return { kind: 'principalValue', statement, element, type: rest[1] };
      return undefined;
    case 'Condition':
      if (rest.length === 2 && isKey) return { kind: 'conditionOperator', statement, name: String(rest[1]) };
      if (rest.length === 3 && isKey) return { kind: 'conditionKey', statement, operator: String(rest[1]), name: String(rest[2]) };
      if ((rest.length === 3 || rest.length === 4) && !isKey) {
        return { kind: 'conditionValue', statement, operator: String(rest[1]), key: String(rest[2]) };
      }
      return undefined;
  }
  return undefined;
}

/** A grant document: one CreateGrant request, or `aws kms list-grants` output (`{"Grants": [...]}`). */
export type GrantContext =
  | { kind: 'grantKey'; name: string; inList: boolean }
  | { kind: 'operation' }
  | { kind: 'grantPrincipal'; element: 'GranteePrincipal' | 'RetiringPrincipal' }
  | { kind: 'constraintKey'; name: string };

export function grantContext(path: JSONPath, isKey: boolean): GrantContext | undefined {
  const inList = path[0] === 'Grants' && typeof path[1] === 'number';
  const rest = inList ? path.slice(2) : path;
  if (rest.length === 0) return undefined;
  const element = String(rest[0]);
  if (rest.length === 1 && isKey) return { kind: 'grantKey', name: element, inList };
  if (element === 'Operations' && !isKey && rest.length <= 2) return { kind: 'operation' };
  if ((element === 'GranteePrincipal' || element === 'RetiringPrincipal') && rest.length === 1) return { kind: 'grantPrincipal', element };
  if (element === 'Constraints' && rest.length === 2 && isKey) return { kind: 'constraintKey', name: String(rest[1]) };
  return undefined;
}

/** Where a policy written inline in a scenario file starts, so the policy vocabulary applies below it. */
export interface InlinePolicyPath {
  /** The path of the policy object in the scenario file. */
  prefix: JSONPath;
  /** The path inside the policy. */
  rest: JSONPath;
}

export type ScenarioContext =
  | { kind: 'scenarioKey'; name: string }
  | { kind: 'keyName'; name: string }
  | { kind: 'keyProperty'; key: string; name: string }
  | { kind: 'keyValue'; key: string; property: string }
  | { kind: 'keyGrant'; key: string; grant: number; rest: JSONPath }
  | { kind: 'principalArn'; arn: string }
  | { kind: 'principalProperty'; arn: string; name: string }
  | { kind: 'case'; index: number; field?: string; isKey: boolean }
  | { kind: 'inlinePolicy'; policy: InlinePolicyPath };

/** Classifies a path inside a scenario file (`*.kms-scenarios.json`). */
export function scenarioContext(path: JSONPath, isKey: boolean): ScenarioContext | undefined {
  if (path.length === 0) return undefined;
  const [first] = path;
  if (path.length === 1 && isKey) return { kind: 'scenarioKey', name: String(first) };
  if (first === 'keys' && path.length >= 2) {
    const key = String(path[1]);
    if (path.length === 2) return isKey ? { kind: 'keyName', name: key } : undefined;
    const property = String(path[2]);
    if (property === 'policy' && path.length > 3) return { kind: 'inlinePolicy', policy: { prefix: path.slice(0, 3), rest: path.slice(3) } };
    if (path.length === 3) return isKey ? { kind: 'keyProperty', key, name: property } : { kind: 'keyValue', key, property };
    if (property === 'grants' && typeof path[3] === 'number') return { kind: 'keyGrant', key, grant: path[3], rest: path.slice(4) };
    return undefined;
  }
  if (first === 'principals' && path.length >= 2) {
    const arn = String(path[1]);
    if (path.length === 2) return isKey ? { kind: 'principalArn', arn } : undefined;
    if (path.length === 3 && isKey) return { kind: 'principalProperty', arn, name: String(path[2]) };
    if (path[2] === 'policies' && typeof path[3] === 'number' && path.length > 4) {
      return { kind: 'inlinePolicy', policy: { prefix: path.slice(0, 4), rest: path.slice(4) } };
    }
    return undefined;
  }
  if (first === 'cases' && typeof path[1] === 'number') {
    const field = path.length > 2 ? String(path[2]) : undefined;
    return { kind: 'case', index: path[1], isKey: isKey && path.length === 3, ...(field !== undefined ? { field } : {}) };
  }
  return undefined;
}
