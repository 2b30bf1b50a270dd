import { POLICY_VERSION_2012, type Policy, type Statement, type StringListElement } from '../policy/model';
import { compileCondition, type CompiledCondition } from './compiledCondition';
import { compilePrincipal, principalLevel, type CompiledPrincipal } from './compiledPrincipal';
import type { PrincipalMatchLevel } from './principalMatcher';
import { resolveVariables } from './policyVariables';
import type { RequestContext } from './requestContext';
import type { StatementCheck } from './statementMatcher';
import { compilePieces, compileWildcard, matchWildcard, type WildcardPattern } from './wildcard';

/**
 * A policy read once for deciding many requests: every statement's principals parsed, its Action and Resource
 * patterns compiled, its condition operators parsed and its values compiled into tests. The straightforward
 * matchers (statementMatcher and the element matchers) read the model again on every request; they stay, to build
 * explanations, and as the reference this must agree with (test/core/authz/compiled.test.ts).
 */
export interface CompiledPolicy {
  /** Policy variables exist only in the 2012-10-17 policy language; before it `${…}` is literal text. */
  variablesEnabled: boolean;
  statements: CompiledStatement[];
}

export interface CompiledStatement {
  statement: Statement;
  principal: CompiledPrincipal;
  /** Whether Action (or NotAction) covers the action, by its catalog name. */
  action(fullName: string): boolean;
  /** Whether Resource (or NotResource) covers the resource ARN. */
  resource(resourceArn: string, context: RequestContext): boolean;
  condition: CompiledCondition;
}

/**
 * The outcome of one statement for one request, as evaluateStatement reports it without the explanation: not
 * matched (principal, action, resource or Effect), matched but for its condition, or applying, with the level at
 * which its principal names the caller (see PrincipalMatchLevel).
 */
export type StatementOutcome = 'notMatched' | 'conditionFailed' | 'appliesToCaller' | 'appliesToAccount';

/**
 * Compiled policies by model object. A policy model must be treated as immutable once it has been evaluated:
 * it is compiled (and its shape validated, see validatePolicyModel) on its first evaluation only, as a language
 * server keeps one parse per document version and AWS KMS one key policy per key. A changed document is a new
 * model object. Weak, so a compiled policy lives exactly as long as its model.
 */
const cache = new WeakMap<Policy, CompiledPolicy>();

export function compiledPolicy(policy: Policy): CompiledPolicy {
  let compiled = cache.get(policy);
  if (!compiled) {
    const variablesEnabled = policy.version?.value === POLICY_VERSION_2012;
    compiled = { variablesEnabled, statements: policy.statements.map((s) => compileStatement(s, variablesEnabled)) };
    cache.set(policy, compiled);
  }
  return compiled;
}

function compileStatement(statement: Statement, variablesEnabled: boolean): CompiledStatement {
  return {
    statement,
    principal: compilePrincipal(statement),
    action: compileAction(statement),
    resource: compileResource(statement, variablesEnabled),
    condition: compileCondition(statement.condition, variablesEnabled),
  };
}

/** Action or NotAction (Resource or NotResource): the positive element wins when both are written. */
function listElement(statement: Statement, positive: 'action' | 'resource', negative: 'notAction' | 'notResource'): [StringListElement | undefined, boolean] {
  return [statement[positive] ?? statement[negative], !statement[positive]];
}

/**
 * matchAction's decision. Action names come from the catalog, so the answers are remembered per name: at most one
 * entry per KMS action, for the life of the policy.
 */
function compileAction(statement: Statement): (fullName: string) => boolean {
  const [element, negated] = listElement(statement, 'action', 'notAction');
  if (!element) return () => false;
  const patterns = element.values.filter((v) => v.jsonType === 'string').map((v) => compileWildcard(v.value, true));
  const answers = new Map<string, boolean>();
  return (fullName) => {
    let answer = answers.get(fullName);
    if (answer === undefined) {
      const hit = patterns.some((p) => matchWildcard(p, fullName));
      answer = negated ? !hit : hit;
      answers.set(fullName, answer);
    }
    return answer;
  };
}

type ResourceTest = (resourceArn: string, context: RequestContext) => boolean;

/** matchResource's decision, with patterns compiled once; a value with a policy variable resolves per request. */
function compileResource(statement: Statement, variablesEnabled: boolean): ResourceTest {
  const [element, negated] = listElement(statement, 'resource', 'notResource');
  if (!element) return () => false;
  const tests: ResourceTest[] = [];
  for (const v of element.values) {
    if (v.jsonType !== 'string') continue;
    const written = v.value;
    // `*` matches every ARN, the empty one included.
    if (written === '*') tests.push(() => true);
    else if (variablesEnabled && written.includes('${')) {
      tests.push((arn, context) => {
        const resolved = resolveVariables(written, context, true);
        return !resolved.unresolved && matchWildcard(compilePieces(resolved.pieces), arn);
      });
    } else {
      // Without variables, resolveVariables gives the written text's own wildcards: compileWildcard's pieces.
      const pattern: WildcardPattern = compileWildcard(written);
      tests.push((arn) => matchWildcard(pattern, arn));
    }
  }
  return (arn, context) => {
    let hit = false;
    for (let i = 0; i < tests.length && !hit; i++) hit = tests[i]!(arn, context);
    return negated ? !hit : hit;
  };
}

/**
 * evaluateStatement's decision without the explanation. The cheapest elements are checked first, and the condition
 * only when the rest matched: it changes nothing otherwise.
 */
export function checkStatement(s: CompiledStatement, check: Omit<StatementCheck, 'variablesEnabled'>): StatementOutcome {
  // A statement whose Effect is neither Allow nor Deny is invalid and never applies.
  if (s.statement.effect === undefined) return 'notMatched';
  let level: PrincipalMatchLevel | undefined = 'caller';
  if (check.policyKind === 'resourceBased') {
    level = principalLevel(s.principal, check.caller);
    if (level === undefined) return 'notMatched';
  }
  if (!s.action(check.actionFullName) || !s.resource(check.resourceArn, check.context)) return 'notMatched';
  if (!s.condition(check.context)) return 'conditionFailed';
  return level === 'caller' ? 'appliesToCaller' : 'appliesToAccount';
}
