import type { Statement } from '../policy/model';
import type { CallerIdentity } from './arn';
import { matchAction } from './actionMatcher';
import { matchCondition } from './conditionMatcher';
import type { ElementExplain } from './elementExplain';
import type { PolicySource, StatementEvaluation, StatementRef } from './explanation';
import { matchPrincipal } from './principalMatcher';
import type { RequestContext } from './requestContext';
import { matchResource } from './resourceMatcher';

/** What a statement is checked against. */
export interface StatementCheck {
  /** A key policy names its principals; an identity policy's principal is the identity it is attached to. */
  policyKind: 'resourceBased' | 'identityBased';
  caller: CallerIdentity;
  actionFullName: string;
  resourceArn: string;
  context: RequestContext;
  variablesEnabled: boolean;
}

/** How an explanation names a statement; the key order is part of the explanation's serialised form. */
export function statementRef(statement: Statement, source: PolicySource): StatementRef {
  const effect = statement.effect ?? 'Allow';
  return statement.sid?.jsonType === 'string'
    ? { source, index: statement.index, sid: statement.sid.value, effect, offset: statement.offset, length: statement.length }
    : { source, index: statement.index, effect, offset: statement.offset, length: statement.length };
}

/**
 * Checks every element of one statement, explaining each; the statement applies when all match. This is the
 * straightforward reading of a statement: checkStatement (compiledPolicy) decides the same way faster, and
 * this builds the trace an explanation shows. `ref` lets the trace share the reference a decision already named.
 */
export function evaluateStatement(
  statement: Statement,
  source: PolicySource,
  check: StatementCheck,
  ref: StatementRef = statementRef(statement, source),
): StatementEvaluation {
  const elements: ElementExplain[] = [];
  let principalLevel: StatementEvaluation['principalLevel'];
  let principalMatches = true;
  if (check.policyKind === 'resourceBased') {
    const principal = matchPrincipal(statement, check.caller);
    elements.push(principal.explain);
    principalMatches = principal.matches;
    principalLevel = principal.level;
  } else {
    principalLevel = 'caller';
  }
  const action = matchAction(statement, check.actionFullName);
  const resource = matchResource(statement, check.resourceArn, check.context, check.variablesEnabled);
  elements.push(action.explain, resource.explain);
  const condition = matchCondition(statement.condition, check.context, check.variablesEnabled);
  if (statement.condition) {
    elements.push({
      element: 'Condition',
      matches: condition.matches,
      offset: statement.condition.offset,
      length: statement.condition.length,
      note: condition.matches ? 'every condition is true' : 'a condition is false',
    });
  }
  // A statement whose Effect is neither Allow nor Deny is invalid and never applies.
  const valid = statement.effect !== undefined;
  const matchesApartFromCondition = valid && principalMatches && action.matches && resource.matches;
  return {
    ref,
    applies: matchesApartFromCondition && condition.matches,
    matchesApartFromCondition,
    ...(principalMatches && principalLevel ? { principalLevel } : {}),
    elements,
    condition: condition.explain,
  };
}
