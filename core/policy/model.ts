/**
 * The typed model of a policy document (key policy or identity policy). Every element and every value keeps
 * the offset and length of its text, so a finding, a hover or an authorization explanation can point at it.
 *
 * The model is what could be read, not what AWS would accept: a malformed element is left out (or holds the
 * values that were readable) and the linter reports the problem from the same tree.
 */

/** A span of the source text. */
export interface Span {
  offset: number;
  length: number;
}

/** The JSON type a value was written as; AWS reads numbers and booleans in conditions as their text. */
export type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** One value as written. `value` is the text of a scalar and '' for an object or array. */
export interface Located<T = string> extends Span {
  value: T;
  jsonType: JsonType;
}

/** A property of the document: where its name and its value are. */
export interface ElementSpan extends Span {
  /** The span of the property name, quotes included. */
  key: Span;
  /** The span of the value alone. */
  valueSpan: Span;
  valueType: JsonType;
}

/** Action, NotAction, Resource, NotResource: a string or a list of strings. */
export interface StringListElement extends ElementSpan {
  values: Located[];
  /** Whether the value was written as an array. */
  isArray: boolean;
}

/** The principal types IAM knows; `*` is the bare `"Principal": "*"`. */
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser' | '*';

export interface PrincipalEntry extends Span {
  type: PrincipalType;
  /** The span of the type name (`"AWS"`); for the bare `"*"` the value's own span. */
  typeSpan: Span;
  values: Located[];
}

/** Principal or NotPrincipal, normalised: `"*"` becomes one entry of type `*` holding the value `*`. */
export interface PrincipalElement extends ElementSpan {
  entries: PrincipalEntry[];
  /** Principal types written that IAM does not know, kept for the linter. */
  unknownTypes: Located[];
}

export interface ConditionKeyEntry extends Span {
  /** The condition key as written (`kms:EncryptionContext:Department`). */
  key: Located;
  values: Located[];
  isArray: boolean;
}

export interface ConditionOperatorBlock extends Span {
  /** The operator as written (`ForAnyValue:StringLikeIfExists`). */
  operator: Located;
  /** An operator's value must be an object of condition keys. */
  valueType: JsonType;
  keys: ConditionKeyEntry[];
}

export interface ConditionElement extends ElementSpan {
  operators: ConditionOperatorBlock[];
}

export type Effect = 'Allow' | 'Deny';

export interface Statement extends Span {
  /** Position in the Statement list (0 when Statement is a single object). */
  index: number;
  sid?: Located;
  /** The Effect as written; `effect` below is set only when it is exactly `Allow` or `Deny`. */
  effectElement?: Located;
  effect?: Effect;
  principal?: PrincipalElement;
  notPrincipal?: PrincipalElement;
  action?: StringListElement;
  notAction?: StringListElement;
  resource?: StringListElement;
  notResource?: StringListElement;
  condition?: ConditionElement;
  /** Property names that are not statement elements, for the linter. */
  unknownElements: Located[];
}

export interface Policy extends Span {
  /** The text the offsets refer to. */
  text: string;
  version?: Located;
  id?: Located;
  /** Where the Statement property is, when there is one. */
  statementElement?: ElementSpan & { isArray: boolean };
  statements: Statement[];
  unknownElements: Located[];
}

/** The policy language version that supports policy variables (IAM User Guide, Version element). */
export const POLICY_VERSION_2012 = '2012-10-17';
