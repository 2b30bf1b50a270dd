export { evaluate } from './evaluate';
export type {
  AuthorizationInputs,
  AuthorizationRequest,
  ContextValue,
  CreateGrantParameters,
  Decision,
  Grant,
  GrantConstraints,
  NamedPolicy,
  RequestKey,
  RequestPrincipal,
} from './request';
export type {
  AuthorizationResult,
  ConditionMismatch,
  ContextEntrySummary,
  Explanation,
  ExplanationCode,
  GrantEvaluation,
  PolicySource,
  StatementEvaluation,
  StatementRef,
} from './explanation';
export { describeStatement } from './explanation';
export type { ConditionKeyOutcome } from './conditionMatcher';
export type { ElementExplain, StatementElementName } from './elementExplain';
export { ValidationException, validateRequest, type ValidatedRequest } from './validateRequest';
export { putKeyPolicyAccess, type PutKeyPolicyAccess, type PutKeyPolicyPath } from './putKeyPolicyAccess';
export { compileWildcard, compilePieces, matchWildcard, wildcardMatches, type WildcardPattern, type WorkCounter } from './wildcard';
export { resolveCaller, parseArn, type CallerIdentity, type CallerKind } from './arn';
