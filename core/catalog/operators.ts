import { catalogData } from './catalogData';

/** The value type an operator compares (IAM User Guide, condition operators). */
export type OperatorType = 'String' | 'Numeric' | 'Date' | 'Boolean' | 'Binary' | 'IP' | 'ARN' | 'Existence';

export interface ConditionOperatorInfo {
  name: string;
  type: OperatorType;
  /** A negated operator (StringNotEquals, NotIpAddress, ArnNotLike, …) is true when the key is missing. */
  negated: boolean;
  trueWhenKeyMissing: boolean;
  allowsIfExists: boolean;
}

export type SetOperator = 'ForAllValues' | 'ForAnyValue';

/** An operator as written in a Condition block, split into its parts. */
export interface ParsedOperator {
  written: string;
  setOperator?: SetOperator;
  ifExists: boolean;
  /** undefined when the base name is not an IAM condition operator. */
  operator?: ConditionOperatorInfo;
}

const byLowerName = new Map<string, ConditionOperatorInfo>(
  catalogData.operators.map((o) => [o.name.toLowerCase(), { ...o, type: o.type as OperatorType }]),
);

export function findOperator(name: string): ConditionOperatorInfo | undefined {
  return byLowerName.get(name.toLowerCase());
}

export function allOperators(): readonly ConditionOperatorInfo[] {
  return [...byLowerName.values()];
}

/**
 * Splits `ForAllValues:StringEqualsIfExists` into set operator, base operator and IfExists. The suffix is only
 * taken off when what remains is an operator that allows it, so that a base name ending in "IfExists" could
 * never be misread.
 */
export function parseOperator(written: string): ParsedOperator {
  let rest = written;
  let setOperator: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'forallvalues') setOperator = 'ForAllValues';
    else if (prefix === 'foranyvalue') setOperator = 'ForAnyValue';
    else return { written, ifExists: false };
    rest = rest.slice(colon + 1);
  }
  const direct = findOperator(rest);
  if (direct) return { written, setOperator, ifExists: false, operator: direct };
  if (rest.toLowerCase().endsWith('ifexists')) {
    const base = findOperator(rest.slice(0, -'IfExists'.length));
    if (base?.allowsIfExists) return { written, setOperator, ifExists: true, operator: base };
  }
  return { written, setOperator, ifExists: false };
}
