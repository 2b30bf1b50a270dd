import * as path from 'node:path';
import { evaluate, ValidationException, type AuthorizationRequest, type Explanation, type Grant } from '../authz';
import { LineIndex } from '../policy/lineIndex';
import type { Decision, Expectation, PolicySource, Scenario, ScenarioCase, ScenarioKey, ScenarioPrincipal, ScenarioProblem } from './scenarioModel';

export interface CaseResult {
  case: ScenarioCase;
  decision: Decision;
  expected?: Expectation;
  /** True when the case has no expectation or meets it. */
  pass: boolean;
  explanation: Explanation;
  /** Where each deciding statement is written, for a reader who wants to open it. */
  locations: StatementLocation[];
}

export interface StatementLocation {
  description: string;
  file?: string;
  /** 0-based, as LSP counts. */
  line?: number;
  character?: number;
  offset?: number;
  length?: number;
}

export interface ScenarioRun {
  results: CaseResult[];
  /** Cases the evaluator could not take (an action that is not a KMS action, say): input errors, exit 2. */
  problems: ScenarioProblem[];
}

/** The name an identity policy goes by in explanations: its file, relative to the scenario, or its place. */
function identityPolicyName(scenario: Scenario, principal: string, source: PolicySource, index: number): string {
  if (source.file === scenario.file) return `${principal} policies[${index}]`;
  return path.relative(path.dirname(scenario.file), source.file);
}

/** The ARN a case names the key by: an alias given as `alias/x` becomes the alias ARN in the key's Region. */
function aliasArn(key: ScenarioKey, via: string): string {
  if (via.startsWith('arn:')) return via;
  const [, partition, , region, account] = key.arn.split(':');
  return `arn:${partition}:kms:${region}:${account}:${via}`;
}

/**
 * The principal entry whose policies and tags apply to a caller: its own, or for an assumed-role session the
 * role's (IAM policies and tags are attached to the role; a session ARN omits the role's path).
 */
export function principalEntryFor(scenario: Scenario, caller: string): ScenarioPrincipal | undefined {
  const own = scenario.principals.get(caller);
  if (own) return own;
  const session = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(caller);
  if (!session) return undefined;
  const [, partition, account, role] = session;
  for (const [arn, entry] of scenario.principals) {
    const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (m && m[1] === partition && m[2] === account && m[3] === role) return entry;
  }
  return undefined;
}

/**
 * A role does not sign requests, its sessions do; a scenario that names a role means "a session of this role",
 * so the request is made as a session of it (with the role's full ARN, path included, for aws:PrincipalArn).
 */
function callerFor(principal: string): { arn: string; roleArn?: string } {
  const role = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(principal);
  if (!role) return { arn: principal };
  const [, partition, account, name] = role;
  return { arn: `arn:${partition}:sts::${account}:assumed-role/${name}/kms-studio-simulation`, roleArn: principal };
}

/** Builds the evaluator's request and inputs for one case. */
export function requestFor(scenario: Scenario, c: ScenarioCase): {
  request: AuthorizationRequest;
  inputs: Parameters<typeof evaluate>[1];
  policyFiles: Map<string, PolicySource>;
} {
  const key = scenario.keys.get(c.key)!;
  const principal = principalEntryFor(scenario, c.principal);
  const policyFiles = new Map<string, PolicySource>([['keyPolicy', key.keyPolicy]]);
  const identityPolicies = (principal?.policies ?? []).map((source, i) => {
    const name = identityPolicyName(scenario, c.principal, source, i);
    policyFiles.set(`identityPolicy:${name}`, source);
    return { name, policy: source.policy };
  });
  const grants: Grant[] = key.grants.map((g, i) => ({ ...g, GrantId: g.GrantId ?? `grant-${i + 1}`, KeyId: g.KeyId ?? key.arn }));
  const context = Object.fromEntries(
    Object.entries(c.context).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : v]),
  ) as AuthorizationRequest['context'];
  const request: AuthorizationRequest = {
    action: c.action,
    principal: { ...callerFor(c.principal), tags: principal?.tags ?? {} },
    key: {
      arn: key.arn,
      keySpec: key.keySpec,
      keyUsage: key.keyUsage,
      origin: key.origin,
      multiRegion: key.multiRegion,
      ...(key.multiRegionKeyType ? { multiRegionKeyType: key.multiRegionKeyType } : {}),
      aliases: key.aliases,
      tags: key.tags,
    },
    ...(c.encryptionContext ? { encryptionContext: c.encryptionContext } : {}),
    ...(c.grantTokens ? { grantTokens: c.grantTokens } : {}),
    ...(c.via ? { resourceArn: aliasArn(key, c.via) } : {}),
    context,
  };
  return { request, inputs: { keyPolicy: key.keyPolicy.policy, identityPolicies, grants }, policyFiles };
}

function locate(explanation: Explanation, policyFiles: Map<string, PolicySource>): StatementLocation[] {
  const indexes = new Map<string, LineIndex>();
  return explanation.deciding.map((ref) => {
    const description = statementName(ref);
    const id = ref.source.kind === 'identityPolicy' ? `identityPolicy:${ref.source.name}` : ref.source.kind;
    const source = policyFiles.get(id);
    if (!source || ref.offset === undefined) return { description };
    let lines = indexes.get(source.file);
    if (!lines) indexes.set(source.file, (lines = new LineIndex(source.policy.text)));
    const position = lines.positionAt(ref.offset);
    return { description, file: source.file, ...position, offset: ref.offset, length: ref.length };
  });
}

/** A deciding statement as explanations name it: its Sid or position, and where it comes from. */
export function statementName(ref: Explanation['deciding'][number]): string {
  const label = ref.sid ? `"${ref.sid}"` : `#${ref.index + 1}`;
  switch (ref.source.kind) {
    case 'keyPolicy':
      return `key policy statement ${label}`;
    case 'identityPolicy':
      return `IAM policy ${ref.source.name} statement ${label}`;
    case 'grant':
      return `grant ${ref.source.grantId}`;
  }
}

/** Evaluates every case of a loaded scenario. */
export function runScenario(scenario: Scenario): ScenarioRun {
  const results: CaseResult[] = [];
  const problems: ScenarioProblem[] = [];
  for (const c of scenario.cases) {
    const { request, inputs, policyFiles } = requestFor(scenario, c);
    try {
      const { decision, explanation } = evaluate(request, inputs);
      results.push({
        case: c,
        decision,
        ...(c.expect ? { expected: c.expect } : {}),
        pass: meets(decision, c.expect),
        explanation,
        locations: locate(explanation, policyFiles),
      });
    } catch (e) {
      if (!(e instanceof ValidationException)) throw e;
      const field = fieldAt(c, e.message);
      const span = (field && c.fields?.[field]) || { offset: c.offset, length: c.length };
      problems.push({ file: scenario.file, jsonPath: `$.cases[${c.index}]${field ? `.${field}` : ''}`, message: e.message, ...span });
    }
  }
  return { results, problems };
}

/**
 * The field of a case an evaluator refusal is about, so the message can name its JSON path: the refusals quote
 * the offending value ("\"bob\" is neither an ARN nor a service principal name", "\"kms:Foo\" is not an AWS KMS action").
 */
function fieldAt(c: ScenarioCase, message: string): string | undefined {
  if (message.includes('is not an AWS KMS action')) return 'action';
  if (message.includes(JSON.stringify(c.principal)) || message.startsWith('principal')) return 'principal';
  if (c.via && message.includes(c.via)) return 'via';
  return undefined;
}

/** True when a decision meets an expectation: none, or the same decision. */
export function meets(decision: Decision, expect: Expectation | undefined): boolean {
  return expect === undefined || expect === decision;
}
