import { POLICY_VERSION_2012, type Policy } from '../policy/model';
import { checkStatement, compiledPolicy, type CompiledPolicy } from './compiledPolicy';
import type { PolicySource, StatementEvaluation, StatementRef } from './explanation';
import type { PrincipalMatchLevel } from './principalMatcher';
import { evaluateStatement, statementRef, type StatementCheck } from './statementMatcher';

/** A statement that applies to the request: what the decision needs of it. */
export interface AppliedStatement {
  ref: StatementRef;
  principalLevel?: PrincipalMatchLevel;
}

/**
 * How statements are checked. `compiled` decides from the compiled policy (see compiledPolicy) and builds each
 * statement's explanation only when it is read; `straightforward` reads every statement with its explanation at
 * once. Both must give the same result; the second is kept as the reference the first is tested against.
 */
export type AnalysisMode = 'compiled' | 'straightforward';

/** One policy's statements checked against a request, sorted by what they do to it. */
export interface PolicyAnalysis {
  /** Deny statements that apply. */
  denies: AppliedStatement[];
  /** Allow statements that apply. */
  allows: AppliedStatement[];
  /** Every statement checked, element by element, in order; built on the first call in the compiled mode. */
  statements(): StatementEvaluation[];
  /** The statements that matched principal, action and resource but not their condition, in order. */
  conditionMisses(): StatementEvaluation[];
}

/**
 * Checks every statement. Order never matters: IAM evaluates all statements and combines them, so the result is
 * the same for any order (IAM User Guide, policy evaluation logic).
 */
export function analyzePolicy(
  policy: Policy,
  source: PolicySource,
  check: Omit<StatementCheck, 'variablesEnabled'>,
  mode: AnalysisMode,
): PolicyAnalysis {
  return mode === 'compiled' ? analyzeCompiled(policy, source, check) : analyzeStraightforward(policy, source, check);
}

function analyzeStraightforward(policy: Policy, source: PolicySource, check: Omit<StatementCheck, 'variablesEnabled'>): PolicyAnalysis {
  // Policy variables exist only in the 2012-10-17 policy language; before it `${…}` is literal text.
  const variablesEnabled = policy.version?.value === POLICY_VERSION_2012;
  const statements = policy.statements.map((s) => evaluateStatement(s, source, { ...check, variablesEnabled }));
  const misses = statements.filter((s) => s.matchesApartFromCondition && !s.applies);
  return {
    denies: statements.filter((s) => s.applies && s.ref.effect === 'Deny'),
    allows: statements.filter((s) => s.applies && s.ref.effect === 'Allow'),
    statements: () => statements,
    conditionMisses: () => misses,
  };
}

function analyzeCompiled(policy: Policy, source: PolicySource, check: Omit<StatementCheck, 'variablesEnabled'>): PolicyAnalysis {
  return new CompiledAnalysis(compiledPolicy(policy), source, check);
}

/**
 * The compiled analysis: decided in the constructor from the compiled statements, explained on demand. One object
 * per policy and request, since this runs on every evaluation.
 */
class CompiledAnalysis implements PolicyAnalysis {
  readonly denies: AppliedStatement[] = [];
  readonly allows: AppliedStatement[] = [];
  /** Indices of the statements that failed only on their condition; allocated when there is one. */
  private misses: number[] | undefined;
  /** The references of the statements that apply, by index, for their explanations to share. */
  private refs: StatementRef[] | undefined;
  /** Explanations built so far, by index, and what they are checked against. */
  private built: StatementEvaluation[] | undefined;
  private fullCheck: StatementCheck | undefined;

  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly source: PolicySource,
    private readonly check: Omit<StatementCheck, 'variablesEnabled'>,
  ) {
    const list = compiled.statements;
    for (let i = 0; i < list.length; i++) {
      const outcome = checkStatement(list[i]!, check);
      if (outcome === 'notMatched') continue;
      if (outcome === 'conditionFailed') {
        (this.misses ??= []).push(i);
        continue;
      }
      const statement = list[i]!.statement;
      const ref = statementRef(statement, source);
      (this.refs ??= [])[i] = ref;
      const applied: AppliedStatement = { ref, principalLevel: outcome === 'appliesToCaller' ? 'caller' : 'account' };
      (statement.effect === 'Deny' ? this.denies : this.allows).push(applied);
    }
  }

  statements(): StatementEvaluation[] {
    return this.compiled.statements.map((_, i) => this.evaluation(i));
  }

  conditionMisses(): StatementEvaluation[] {
    return this.misses?.map((i) => this.evaluation(i)) ?? [];
  }

  /**
   * A statement's explanation, with the straightforward matchers. It reads only what the evaluation fixed: the
   * policy (immutable once evaluated), the resolved caller and the request context built from copies.
   */
  private evaluation(i: number): StatementEvaluation {
    const built = (this.built ??= []);
    const check = (this.fullCheck ??= { ...this.check, variablesEnabled: this.compiled.variablesEnabled });
    return (built[i] ??= evaluateStatement(this.compiled.statements[i]!.statement, this.source, check, this.refs?.[i]));
  }
}

export function emptyAnalysis(): PolicyAnalysis {
  return { statements: () => [], conditionMisses: () => [], denies: [], allows: [] };
}
