import type { Span } from '../policy/model';

/** The statement elements a matcher checks. */
export type StatementElementName =
  | 'Principal'
  | 'NotPrincipal'
  | 'Action'
  | 'NotAction'
  | 'Resource'
  | 'NotResource'
  | 'Condition';

/**
 * What one element matcher found, with the span of the value that decided it (or of the whole element when
 * no value did), so an editor can point at it.
 */
export interface ElementExplain extends Span {
  element: StatementElementName;
  matches: boolean;
  note: string;
}

/** Every matcher answers in this shape. */
export interface MatchResult {
  matches: boolean;
  explain: ElementExplain;
}
