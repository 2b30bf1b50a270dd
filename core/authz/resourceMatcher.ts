import type { Statement } from '../policy/model';
import type { MatchResult } from './elementExplain';
import { resolveVariables } from './policyVariables';
import type { RequestContext } from './requestContext';
import { compilePieces, matchWildcard } from './wildcard';

/**
 * Matches Resource or NotResource against the resource ARN, case-sensitively, with wildcards and (in
 * 2012-10-17 policies) policy variables. In a key policy `*` stands for the key the policy is attached to; a key
 * ARN matches itself; an alias ARN never stands for the key (AWS KMS Developer Guide, key policies: Resource).
 */
export function matchResource(
  statement: Statement,
  resourceArn: string,
  context: RequestContext,
  variablesEnabled: boolean,
): MatchResult {
  const element = statement.resource ?? statement.notResource;
  const name = statement.resource ? 'Resource' : 'NotResource';
  if (!element) {
    return {
      matches: false,
      explain: { element: 'Resource', matches: false, offset: statement.offset, length: statement.length, note: 'the statement has no Resource or NotResource' },
    };
  }
  const hit = element.values.find((v) => {
    if (v.jsonType !== 'string') return false;
    const resolved = resolveVariables(v.value, context, variablesEnabled);
    return !resolved.unresolved && matchWildcard(compilePieces(resolved.pieces), resourceArn);
  });
  const matches = statement.resource ? !!hit : !hit;
  const span = hit ?? element;
  const note = statement.resource
    ? hit ? `Resource ${hit.value} covers ${resourceArn}` : `Resource does not cover ${resourceArn}`
    : hit ? `NotResource ${hit.value} excludes ${resourceArn}` : `NotResource does not exclude ${resourceArn}`;
  return { matches, explain: { element: name, matches, offset: span.offset, length: span.length, note } };
}
