import type { Policy, Span } from '../policy/model';

/** A grant as `aws kms list-grants` prints it. */
export interface ScenarioGrant {
  GrantId?: string;
  KeyId?: string;
  Name?: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount?: string;
  CreationDate?: string | number;
  Operations: string[];
  Constraints?: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> };
}

/** Where a policy's text came from: the scenario file itself (inline) or a file it names. */
export interface PolicySource {
  file: string;
  policy: Policy;
}

export interface ScenarioKey {
  name: string;
  arn: string;
  keyPolicy: PolicySource;
  keySpec: string;
  keyUsage: string;
  origin: string;
  multiRegion: boolean;
  multiRegionKeyType?: string;
  aliases: string[];
  tags: Record<string, string>;
  grants: ScenarioGrant[];
}

export interface ScenarioPrincipal {
  policies: PolicySource[];
  tags: Record<string, string>;
}

export type Decision = 'allowed' | 'implicitDeny' | 'explicitDeny';

/** What a case may expect: one of the three decisions. */
export type Expectation = Decision;

export interface ScenarioCase extends Span {
  index: number;
  name: string;
  principal: string;
  action: string;
  key: string;
  via?: string;
  encryptionContext?: Record<string, string>;
  grantTokens?: string[];
  context: Record<string, string | number | boolean | Array<string | number | boolean>>;
  expect?: Expectation;
  /** Where each field of the case is written (`principal`, `action`, ...), so a problem can point at it. */
  fields?: Record<string, Span>;
}

export interface Scenario {
  file: string;
  keys: Map<string, ScenarioKey>;
  principals: Map<string, ScenarioPrincipal>;
  cases: ScenarioCase[];
}

/** A problem that makes a scenario file unusable: the CLI exits 2 naming file, JSON path and what is wrong. */
export interface ScenarioProblem {
  file: string;
  /** `$.cases[0].key` */
  jsonPath: string;
  message: string;
  /** Where in `file` the problem is, when it can be placed. */
  offset?: number;
  length?: number;
}
