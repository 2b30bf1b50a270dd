import type { Policy } from '../policy/model';

/** The three outcomes of IAM policy evaluation, from most to least permissive. */
export type Decision = 'allowed' | 'implicitDeny' | 'explicitDeny';

/** A request context value as a scenario file or the KMS gives it; numbers and booleans are read as text. */
export type ContextValue = string | number | boolean | readonly string[];

/** The caller. */
export interface RequestPrincipal {
  /**
   * The ARN the request is signed with: an IAM user, an assumed-role session, a federated user, the account's
   * root user (`arn:aws:iam::<account>:root`), or a service principal name (`cloudtrail.amazonaws.com`).
   */
  arn: string;
  /** For a session of a role with a path: the role's full ARN (the session ARN omits the path). */
  roleArn?: string;
  /** `aws:userid` (AIDA… for a user, `AROA…:session` for a session); the account ID is used for the root user. */
  userId?: string;
  /** `aws:PrincipalTag/*`: the user's or role's tags, plus session tags. */
  tags?: Readonly<Record<string, string>>;
}

/** The KMS key the request acts on, with the attributes AWS exposes as condition keys. */
export interface RequestKey {
  /** The key ARN: `arn:aws:kms:<region>:<account>:key/<key-id>`. */
  arn: string;
  keySpec?: string;
  keyUsage?: string;
  origin?: string;
  multiRegion?: boolean;
  multiRegionKeyType?: string;
  /** Alias names (`alias/example`) associated with the key: `kms:ResourceAliases`. */
  aliases?: readonly string[];
  /** `aws:ResourceTag/*`. */
  tags?: Readonly<Record<string, string>>;
}

/** GrantConstraints, as CreateGrant takes them and ListGrants prints them. */
export interface GrantConstraints {
  EncryptionContextEquals?: Readonly<Record<string, string>>;
  EncryptionContextSubset?: Readonly<Record<string, string>>;
}

/** A grant, in the shape `aws kms list-grants` prints. */
export interface Grant {
  GrantId: string;
  /** The key ARN (or key ID) the grant is for. */
  KeyId: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  /** Operation names as the API spells them: `Decrypt`, `GenerateDataKey`, … */
  Operations: readonly string[];
  Constraints?: GrantConstraints;
  Name?: string;
  IssuingAccount?: string;
  CreationDate?: string | number;
}

/** The parameters of a CreateGrant request, which feed `kms:GrantOperations` and the other grant keys. */
export interface CreateGrantParameters {
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  Operations: readonly string[];
  Constraints?: GrantConstraints;
}

export interface AuthorizationRequest {
  /** `kms:Decrypt`; case-insensitive, the `kms:` prefix optional. */
  action: string;
  principal: RequestPrincipal;
  key: RequestKey;
  encryptionContext?: Readonly<Record<string, string>>;
  /** Accepted for completeness; grants are modelled as effective at once, so tokens change nothing. */
  grantTokens?: readonly string[];
  /** The ARN the caller named when it was not the key ARN: an alias ARN gives `kms:RequestAlias`. */
  resourceArn?: string;
  /** For CreateGrant: the requested grant. */
  createGrant?: CreateGrantParameters;
  /** For RetireGrant and RevokeGrant: the grant being retired or revoked. */
  grantId?: string;
  /**
   * Every other condition key (`kms:ViaService`, `aws:SourceIp`, `aws:CurrentTime`, `aws:SecureTransport`,
   * `kms:GrantIsForAWSResource`, …). Keys the evaluator derives from the request are not taken from here.
   */
  context?: Readonly<Record<string, ContextValue>>;
}

export interface NamedPolicy {
  name: string;
  policy: Policy;
}

export interface AuthorizationInputs {
  /** The key policy; every key has one, and it is the only policy that can give access by itself. */
  keyPolicy: Policy;
  /** The caller's identity-based policies (inline and managed). */
  identityPolicies: readonly NamedPolicy[];
  grants: readonly Grant[];
}
