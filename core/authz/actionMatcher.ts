import type { Statement } from '../policy/model';
import type { MatchResult } from './elementExplain';
import { compileWildcard, matchWildcard } from './wildcard';

/**
 * Matches Action or NotAction against `kms:Name`. Action names compare without regard to case, and `*` and
 * `?` are wildcards (IAM User Guide, Action element).
 */
export function matchAction(statement: Statement, fullName: string): MatchResult {
  const element = statement.action ?? statement.notAction;
  const name = statement.action ? 'Action' : 'NotAction';
  if (!element) {
    return {
      matches: false,
      explain: { element: 'Action', matches: false, offset: statement.offset, length: statement.length, note: 'the statement has no Action or NotAction' },
    };
  }
  const hit = element.values.find((v) => v.jsonType === 'string' && matchWildcard(compileWildcard(v.value, true), fullName));
  const matches = statement.action ? !!hit : !hit;
  const span = hit ?? element;
  const note = statement.action
    ? hit ? `Action ${hit.value} covers ${fullName}` : `Action does not cover ${fullName}`
    : hit ? `NotAction ${hit.value} excludes ${fullName}` : `NotAction does not exclude ${fullName}`;
  return { matches, explain: { element: name, matches, offset: span.offset, length: span.length, note } };
}
