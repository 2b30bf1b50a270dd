import type { Effect, Span } from '../policy/model';
import type { CallerKind } from './arn';
import type { ConditionKeyOutcome } from './conditionMatcher';
import type { ElementExplain } from './elementExplain';
import type { PrincipalMatchLevel } from './principalMatcher';
import type { Decision } from './request';

/** Where a statement comes from. */
export type PolicySource =
  | { kind: 'keyPolicy' }
  | { kind: 'identityPolicy'; name: string }
  | { kind: 'grant'; grantId: string };

/** A statement (or grant) named in an explanation. */
export interface StatementRef {
  source: PolicySource;
  /** The statement's index in its policy; for a grant, its index in the grants list. */
  index: number;
  sid?: string;
  effect: Effect;
  /** The statement's span in its policy's text; absent for grants, which have no text. */
  offset?: number;
  length?: number;
}

/** One statement checked against the request, element by element. */
export interface StatementEvaluation {
  ref: StatementRef;
  /** Every element matched: the statement's Effect applies to this request. */
  applies: boolean;
  /** Principal, action and resource matched; only the condition is left (or failed). */
  matchesApartFromCondition: boolean;
  principalLevel?: PrincipalMatchLevel;
  elements: ElementExplain[];
  condition: ConditionKeyOutcome[];
}

/** A condition that kept a statement from applying, with the policy's and the request's values. */
export interface ConditionMismatch extends Span {
  statement: StatementRef;
  operator: string;
  key: string;
  policyValues: string[];
  requestValues?: string[];
  note?: string;
}

/** One grant checked against the request. */
export interface GrantEvaluation {
  grantId: string;
  name?: string;
  index: number;
  allows: boolean;
  /** Why it allows, or the first reason it does not. */
  note: string;
  /**
   * For RetireGrant: the caller's account, when the grant names that account as its retiring principal, so that
   * the account's IAM policies can let the caller retire it.
   */
  retiringAccount?: string;
}

/** Machine-readable reasons, one per way a decision can come about. */
export type ExplanationCode =
  | 'AllowedByKeyPolicy'
  | 'AllowedByIamPolicyThroughKeyPolicy'
  | 'AllowedAsRootUserOfAllowedAccount'
  | 'AllowedByGrant'
  | 'AllowedByIamPolicy'
  | 'ExplicitDeny'
  | 'CrossAccountNotSupported'
  | 'KeyPolicyDoesNotAllow'
  | 'IamPolicyWithoutKeyPolicyDelegation'
  | 'NoIamPolicyAllows'
  | 'CrossAccountKeyPolicyDoesNotAllow'
  | 'CrossAccountNoIamPolicyAllows'
  | 'ServicePrincipalNotAllowed'
  | 'AliasNotAllowed'
  | 'AllowedByRetireGrantDelegation'
  | 'RetireGrantNotAllowed';

export interface ContextEntrySummary {
  name: string;
  values: string[];
  derived: boolean;
}

/**
 * Why a decision was made: a one-line `reason` for a CLI line or a status bar, and structured detail for a
 * hover, a diagnostic's related information or an audit event.
 */
export interface Explanation {
  decision: Decision;
  code: ExplanationCode;
  reason: string;
  /** The statements and grants that decided: the denying statements, or those that together allowed. */
  deciding: StatementRef[];
  /** Statements that matched principal, action and resource but not their condition. */
  conditionMismatches: ConditionMismatch[];
  grants: GrantEvaluation[];
  action: string;
  caller: { arn: string; kind: CallerKind; account?: string };
  keyAccount: string;
  crossAccount: boolean;
  /** The request context the conditions were evaluated against. */
  context: ContextEntrySummary[];
  /** Keys given in the request's context that the evaluator derives itself, so were not used. */
  ignoredContextKeys: string[];
  /** Every policy statement checked, in order: key policy first, then identity policies. */
  statements: StatementEvaluation[];
}

export interface AuthorizationResult {
  decision: Decision;
  explanation: Explanation;
}

/** `"Sid"` when the statement has one, otherwise its position. */
export function describeStatement(ref: StatementRef): string {
  const label = ref.sid ? `statement "${ref.sid}"` : `statement #${ref.index + 1}`;
  switch (ref.source.kind) {
    case 'keyPolicy':
      return `the key policy's ${label}`;
    case 'identityPolicy':
      return `IAM policy "${ref.source.name}" ${label}`;
    case 'grant':
      return `grant ${ref.source.grantId}`;
  }
}

/** The references of the statements that decided, for `deciding`. */
export function refs(list: readonly { ref: StatementRef }[]): StatementRef[] {
  return list.map((s) => s.ref);
}

/** A grant named in `deciding`: grants have no text, so no span. */
export function grantRef(g: GrantEvaluation): StatementRef {
  return { source: { kind: 'grant', grantId: g.grantId }, index: g.index, effect: 'Allow' };
}
