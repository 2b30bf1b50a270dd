import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  ACCOUNT,
  ALICE,
  BOB,
  DEFAULT_KEY_POLICY_DOCUMENT,
  KEY_ARN,
  OTHER_USER,
  ROOT,
  allowAll,
  decision,
  iam,
  keyPolicy,
  policy,
  run,
} from './helpers';

const decryptOnKey = iam('DecryptOnKey', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: KEY_ARN });

describe('the default key policy (AWS KMS Developer Guide, default key policy)', () => {
  const scenario = { keyPolicy: policy(DEFAULT_KEY_POLICY_DOCUMENT) };

  it('gives an IAM user nothing by itself: the account statement only delegates to IAM', () => {
    const result = run({ principal: ALICE }, scenario);
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'NoIamPolicyAllows');
    assert.match(result.explanation.reason, /delegates to account 111122223333's IAM policies, but no IAM policy allows kms:Decrypt/);
  });

  it('lets an IAM policy allow, naming the key ARN or *', () => {
    assert.equal(decision({ principal: ALICE }, { ...scenario, identityPolicies: [decryptOnKey] }), 'allowed');
    const star = iam('AnyKey', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    assert.equal(decision({ principal: ALICE, action: 'kms:ScheduleKeyDeletion' }, { ...scenario, identityPolicies: [star] }), 'allowed');
  });

  it('does not let an IAM policy for another key allow this one', () => {
    const other = iam('Other', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:key/another` });
    assert.equal(decision({ principal: ALICE }, { ...scenario, identityPolicies: [other] }), 'implicitDeny');
  });

  it('does not let an IAM policy on an alias ARN allow the key, even when the caller names the alias', () => {
    const aliasArn = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/example`;
    const onAlias = iam('OnAlias', { Effect: 'Allow', Action: 'kms:Decrypt', Resource: aliasArn });
    assert.equal(decision({ principal: ALICE, resourceArn: aliasArn }, { ...scenario, identityPolicies: [onAlias] }), 'implicitDeny');
  });

  it("allows the account's root user with no IAM policy", () => {
    const result = run({ principal: ROOT, action: 'kms:PutKeyPolicy' }, scenario);
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.code, 'AllowedByKeyPolicy');
  });

  it('keeps IAM policies from applying to the root user', () => {
    const deny = iam('DenyAll', { Effect: 'Deny', Action: '*', Resource: '*' });
    assert.equal(decision({ principal: ROOT }, { ...scenario, identityPolicies: [deny] }), 'allowed');
  });

  it('gives a principal of another account nothing', () => {
    const result = run({ principal: OTHER_USER }, { ...scenario, identityPolicies: [decryptOnKey] });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'CrossAccountKeyPolicyDoesNotAllow');
  });

  it('accepts a bare account ID as the account principal', () => {
    const byId = keyPolicy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'kms:*', Resource: '*' });
    assert.equal(decision({ principal: ALICE }, { keyPolicy: byId }), 'implicitDeny');
    assert.equal(decision({ principal: ALICE }, { keyPolicy: byId, identityPolicies: [decryptOnKey] }), 'allowed');
    assert.equal(decision({ principal: ROOT }, { keyPolicy: byId }), 'allowed');
  });
});

describe('a key policy that does not name the account', () => {
  const aliceOnly = keyPolicy({ Sid: 'Alice', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' });

  it('allows a principal it names, with no IAM policy', () => {
    const result = run({ principal: ALICE }, { keyPolicy: aliceOnly });
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.deciding[0]?.sid, 'Alice');
  });

  it('makes IAM policies ineffective for everyone else', () => {
    const result = run({ principal: BOB }, { keyPolicy: aliceOnly, identityPolicies: [decryptOnKey] });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'IamPolicyWithoutKeyPolicyDelegation');
    assert.match(result.explanation.reason, /the key policy does not allow this principal and does not delegate to IAM/);
  });

  it('gives the root user nothing', () => {
    const result = run({ principal: ROOT }, { keyPolicy: aliceOnly });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'KeyPolicyDoesNotAllow');
  });

  it('still lets IAM Deny statements apply', () => {
    const deny = iam('NoDecrypt', { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    assert.equal(decision({ principal: ALICE }, { keyPolicy: aliceOnly, identityPolicies: [deny] }), 'explicitDeny');
  });
});

describe("the console's default key policy (key administrators and key users)", () => {
  const ADMIN_USER = `arn:aws:iam::${ACCOUNT}:user/KMSAdminUser`;
  const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/KMSAdminRole`;
  const KEY_USER_ROLE = `arn:aws:iam::${ACCOUNT}:role/ExampleRole`;
  const KEY_USER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/ExampleRole/app`;
  const consolePolicy = policy({
    Version: '2012-10-17',
    Id: 'key-consolepolicy-3',
    Statement: [
      allowAll(),
      {
        Sid: 'Allow access for Key Administrators',
        Effect: 'Allow',
        Principal: { AWS: [ADMIN_USER, ADMIN_ROLE] },
        Action: [
          'kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*',
          'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion',
          'kms:CancelKeyDeletion',
        ],
        Resource: '*',
      },
      {
        Sid: 'Allow use of the key',
        Effect: 'Allow',
        Principal: { AWS: KEY_USER_ROLE },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        Resource: '*',
      },
      {
        Sid: 'Allow attachment of persistent resources',
        Effect: 'Allow',
        Principal: { AWS: KEY_USER_ROLE },
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ],
  });
  const scenario = { keyPolicy: consolePolicy };

  const rows: Array<[string, string, string, string]> = [
    ['a key administrator', ADMIN_USER, 'kms:PutKeyPolicy', 'allowed'],
    ['a key administrator', ADMIN_USER, 'kms:ScheduleKeyDeletion', 'allowed'],
    ['a key administrator', ADMIN_USER, 'kms:CreateGrant', 'allowed'],
    ['a key administrator', ADMIN_USER, 'kms:Decrypt', 'implicitDeny'],
    ['a key administrator role session', `arn:aws:sts::${ACCOUNT}:assumed-role/KMSAdminRole/ops`, 'kms:DisableKey', 'allowed'],
    ['a key user role session', KEY_USER_SESSION, 'kms:Decrypt', 'allowed'],
    ['a key user role session', KEY_USER_SESSION, 'kms:GenerateDataKeyWithoutPlaintext', 'allowed'],
    ['a key user role session', KEY_USER_SESSION, 'kms:ReEncryptFrom', 'allowed'],
    ['a key user role session', KEY_USER_SESSION, 'kms:PutKeyPolicy', 'implicitDeny'],
    ['a key user role session', KEY_USER_SESSION, 'kms:Sign', 'implicitDeny'],
    ['a user it does not name', BOB, 'kms:Decrypt', 'implicitDeny'],
  ];
  for (const [who, principal, action, expected] of rows) {
    it(`${expected === 'allowed' ? 'allows' : 'does not allow'} ${who} to call ${action}`, () => {
      assert.equal(decision({ principal, action }, scenario), expected);
    });
  }

  it('lets a key user create grants only for AWS resources', () => {
    assert.equal(decision({ principal: KEY_USER_SESSION, action: 'kms:CreateGrant', context: { 'kms:GrantIsForAWSResource': true } }, scenario), 'allowed');
    const denied = run({ principal: KEY_USER_SESSION, action: 'kms:CreateGrant' }, scenario);
    assert.equal(denied.decision, 'implicitDeny');
    const [miss] = denied.explanation.conditionMismatches;
    assert.equal(miss?.statement.sid, 'Allow attachment of persistent resources');
    assert.equal(miss?.operator, 'Bool');
    assert.equal(miss?.key, 'kms:GrantIsForAWSResource');
    assert.deepEqual(miss?.policyValues, ['true']);
    assert.equal(miss?.requestValues, undefined);
  });
});

describe('Principal forms', () => {
  const allowFor = (principal: unknown) => keyPolicy({ Effect: 'Allow', Principal: principal, Action: 'kms:Decrypt', Resource: '*' });
  const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/session-1`;
  const OTHER_SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Reader/session-2`;
  const rows: Array<[string, unknown, string, string]> = [
    ['"*"', '*', ALICE, 'allowed'],
    ['{"AWS": "*"}', { AWS: '*' }, ALICE, 'allowed'],
    ['a user ARN, for that user', { AWS: ALICE }, ALICE, 'allowed'],
    ['a user ARN, for another user', { AWS: ALICE }, BOB, 'implicitDeny'],
    ['a list of user ARNs', { AWS: [BOB, ALICE] }, ALICE, 'allowed'],
    ['a user ARN with a path, for that user', { AWS: `arn:aws:iam::${ACCOUNT}:user/division/alice` }, `arn:aws:iam::${ACCOUNT}:user/division/alice`, 'allowed'],
    ['a user ARN without the path, for the user with a path', { AWS: ALICE }, `arn:aws:iam::${ACCOUNT}:user/division/alice`, 'implicitDeny'],
    ['a bare account ID, for the root user', { AWS: ACCOUNT }, ROOT, 'allowed'],
    ['a role ARN, for a session of the role', { AWS: `arn:aws:iam::${ACCOUNT}:role/Reader` }, SESSION, 'allowed'],
    ['a role ARN with a path, for a session of the role', { AWS: `arn:aws:iam::${ACCOUNT}:role/team/Reader` }, SESSION, 'allowed'],
    ['a role ARN, for a session of another role', { AWS: `arn:aws:iam::${ACCOUNT}:role/Writer` }, SESSION, 'implicitDeny'],
    ['a role ARN of another account, for a session of the same-named role', { AWS: 'arn:aws:iam::444455556666:role/Reader' }, SESSION, 'implicitDeny'],
    ['a session ARN, for that session', { AWS: SESSION }, SESSION, 'allowed'],
    ['a session ARN, for another session of the role', { AWS: SESSION }, OTHER_SESSION, 'implicitDeny'],
    ['a role ARN, for a user', { AWS: `arn:aws:iam::${ACCOUNT}:role/alice` }, ALICE, 'implicitDeny'],
    ['a service principal, for that service', { Service: 'cloudtrail.amazonaws.com' }, 'cloudtrail.amazonaws.com', 'allowed'],
    ['a list of service principals', { Service: ['s3.amazonaws.com', 'cloudtrail.amazonaws.com'] }, 'cloudtrail.amazonaws.com', 'allowed'],
    ['a service principal, for a user', { Service: 'cloudtrail.amazonaws.com' }, ALICE, 'implicitDeny'],
    ['a user ARN, for a service', { AWS: ALICE }, 'cloudtrail.amazonaws.com', 'implicitDeny'],
    ['"*", for a service', '*', 'cloudtrail.amazonaws.com', 'allowed'],
    ['a bare string that is not "*"', ALICE, ALICE, 'implicitDeny'],
    ['a Federated principal', { Federated: 'cognito-identity.amazonaws.com' }, ALICE, 'implicitDeny'],
    ['a partial wildcard, which Principal does not support', { AWS: `arn:aws:iam::${ACCOUNT}:user/*` }, ALICE, 'implicitDeny'],
  ];
  for (const [form, principal, caller, expected] of rows) {
    it(`${expected === 'allowed' ? 'matches' : 'does not match'}: ${form}`, () => {
      assert.equal(decision({ principal: caller }, { keyPolicy: allowFor(principal) }), expected);
    });
  }

  it('gives the role path from roleArn to aws:PrincipalArn for a session', () => {
    const result = run(
      { principal: { arn: SESSION, roleArn: `arn:aws:iam::${ACCOUNT}:role/team/Reader` } },
      { keyPolicy: keyPolicy({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*', Condition: { ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/team/Reader` } } }) },
    );
    assert.equal(result.decision, 'allowed');
  });
});

describe('NotPrincipal with Deny (IAM User Guide, NotPrincipal)', () => {
  const denyAllBut = (notPrincipal: unknown) =>
    keyPolicy(allowAll(), { Effect: 'Deny', NotPrincipal: notPrincipal, Action: 'kms:*', Resource: '*' });
  const admin = iam('Admin', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
  const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/ops`;

  it('denies everyone not listed', () => {
    assert.equal(decision({ principal: BOB }, { keyPolicy: denyAllBut({ AWS: [ALICE, ROOT] }), identityPolicies: [admin] }), 'explicitDeny');
  });

  it('spares a listed user when its account is listed too', () => {
    assert.equal(decision({ principal: ALICE }, { keyPolicy: denyAllBut({ AWS: [ALICE, ROOT] }), identityPolicies: [admin] }), 'allowed');
  });

  it('still denies a listed user whose account is not listed', () => {
    assert.equal(decision({ principal: ALICE }, { keyPolicy: denyAllBut({ AWS: [ALICE] }), identityPolicies: [admin] }), 'explicitDeny');
  });

  it('spares a role session when the role and its account are listed', () => {
    const listed = { AWS: [`arn:aws:iam::${ACCOUNT}:role/Admin`, ROOT] };
    assert.equal(decision({ principal: SESSION }, { keyPolicy: denyAllBut(listed), identityPolicies: [admin] }), 'allowed');
  });

  it('still denies a role session listed with its account but without its role', () => {
    // AWS checks the account, then the role, then the session: leaving out the role denies the role and with
    // it every session of it (IAM User Guide, NotPrincipal, "IAM role in the same or different account").
    const listed = { AWS: [SESSION, ROOT] };
    const result = run({ principal: SESSION }, { keyPolicy: denyAllBut(listed), identityPolicies: [admin] });
    assert.equal(result.decision, 'explicitDeny');
    assert.equal(decision({ principal: SESSION }, { keyPolicy: denyAllBut({ AWS: [SESSION, `arn:aws:iam::${ACCOUNT}:role/Admin`, ROOT] }), identityPolicies: [admin] }), 'allowed');
  });

  it('spares the root user when the account is listed', () => {
    assert.equal(decision({ principal: ROOT }, { keyPolicy: denyAllBut({ AWS: ROOT }) }), 'allowed');
  });
});

describe('Deny statements', () => {
  it('win over a key policy Allow naming the caller', () => {
    const kp = keyPolicy(
      { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' },
      { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' },
    );
    const result = run({ principal: ALICE }, { keyPolicy: kp });
    assert.equal(result.decision, 'explicitDeny');
    assert.equal(result.explanation.deciding[0]?.sid, 'NoDecrypt');
  });

  it('in the key policy naming the account apply to every principal of the account', () => {
    const kp = keyPolicy(
      { Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' },
    );
    assert.equal(decision({ principal: ALICE }, { keyPolicy: kp }), 'explicitDeny');
  });

  it('in an IAM policy win over the key policy', () => {
    const kp = keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' });
    const deny = iam('NoKms', { Effect: 'Deny', Action: 'kms:*', Resource: '*' });
    const result = run({ principal: ALICE }, { keyPolicy: kp, identityPolicies: [deny] });
    assert.equal(result.decision, 'explicitDeny');
    assert.deepEqual(result.explanation.deciding[0]?.source, { kind: 'identityPolicy', name: 'NoKms' });
  });

  it('apply only when their condition holds', () => {
    const kp = keyPolicy(allowAll(), {
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    const admin = iam('Admin', { Effect: 'Allow', Action: 'kms:*', Resource: '*' });
    assert.equal(decision({ principal: ALICE, context: { 'aws:SecureTransport': false } }, { keyPolicy: kp, identityPolicies: [admin] }), 'explicitDeny');
    assert.equal(decision({ principal: ALICE, context: { 'aws:SecureTransport': true } }, { keyPolicy: kp, identityPolicies: [admin] }), 'allowed');
  });
});

describe('Action and Resource in a key policy', () => {
  const kp = (statement: Record<string, unknown>) => keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, ...statement });
  const rows: Array<[string, Record<string, unknown>, string, string]> = [
    ['an action in any case', { Action: 'KMS:decrypt', Resource: '*' }, 'kms:Decrypt', 'allowed'],
    ['a wildcard action', { Action: 'kms:De*', Resource: '*' }, 'kms:Decrypt', 'allowed'],
    ['a ? wildcard action', { Action: 'kms:?ecrypt', Resource: '*' }, 'kms:Decrypt', 'allowed'],
    ['a prefix that is not the whole name', { Action: 'kms:GenerateDataKey', Resource: '*' }, 'kms:GenerateDataKeyWithoutPlaintext', 'implicitDeny'],
    ['NotAction not listing the action', { NotAction: ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'], Resource: '*' }, 'kms:Decrypt', 'allowed'],
    ['NotAction listing the action', { NotAction: 'kms:Decrypt', Resource: '*' }, 'kms:Decrypt', 'implicitDeny'],
    ['the key ARN as Resource', { Action: 'kms:Decrypt', Resource: KEY_ARN }, 'kms:Decrypt', 'allowed'],
    ['a wildcard covering the key ARN', { Action: 'kms:Decrypt', Resource: `arn:aws:kms:*:${ACCOUNT}:key/*` }, 'kms:Decrypt', 'allowed'],
    ['another key ARN', { Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:key/other` }, 'kms:Decrypt', 'implicitDeny'],
    ['an alias ARN', { Action: 'kms:Decrypt', Resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/example` }, 'kms:Decrypt', 'implicitDeny'],
    ['NotResource not covering the key', { Action: 'kms:Decrypt', NotResource: `arn:aws:kms:*:${ACCOUNT}:alias/*` }, 'kms:Decrypt', 'allowed'],
    ['NotResource covering the key', { Action: 'kms:Decrypt', NotResource: '*' }, 'kms:Decrypt', 'implicitDeny'],
    ['no Resource at all', { Action: 'kms:Decrypt' }, 'kms:Decrypt', 'implicitDeny'],
    ['no Action at all', { Resource: '*' }, 'kms:Decrypt', 'implicitDeny'],
  ];
  for (const [what, statement, action, expected] of rows) {
    it(`${expected === 'allowed' ? 'allows' : 'does not allow'} with ${what}`, () => {
      assert.equal(decision({ principal: ALICE, action }, { keyPolicy: kp(statement) }), expected);
    });
  }

  it('ignores a statement whose Effect is neither Allow nor Deny', () => {
    const kp2 = keyPolicy({ Effect: 'allow', Principal: { AWS: ALICE }, Action: 'kms:*', Resource: '*' });
    assert.equal(decision({ principal: ALICE }, { keyPolicy: kp2 }), 'implicitDeny');
  });
});

describe('actions on no key', () => {
  const scenario = { keyPolicy: policy(DEFAULT_KEY_POLICY_DOCUMENT) };

  it('are allowed by an IAM policy alone, whatever the key policy says', () => {
    const createKey = iam('CreateKey', { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' });
    assert.equal(decision({ principal: ALICE, action: 'kms:CreateKey' }, { keyPolicy: keyPolicy(), identityPolicies: [createKey] }), 'allowed');
  });

  it('need a Resource of * in the IAM policy', () => {
    const onKey = iam('OnKey', { Effect: 'Allow', Action: 'kms:ListKeys', Resource: KEY_ARN });
    assert.equal(decision({ principal: ALICE, action: 'kms:ListKeys' }, { ...scenario, identityPolicies: [onKey] }), 'implicitDeny');
  });

  it('are allowed to the root user', () => {
    assert.equal(decision({ principal: ROOT, action: 'kms:CreateKey' }, scenario), 'allowed');
  });

  it('are not allowed without an IAM policy', () => {
    const result = run({ principal: ALICE, action: 'kms:ListAliases' }, scenario);
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'NoIamPolicyAllows');
  });
});

describe('service principals', () => {
  // AWS KMS Developer Guide / CloudTrail User Guide: the key policy statement that lets CloudTrail encrypt logs.
  const cloudTrail = keyPolicy(allowAll(), {
    Sid: 'Allow CloudTrail to encrypt logs',
    Effect: 'Allow',
    Principal: { Service: 'cloudtrail.amazonaws.com' },
    Action: 'kms:GenerateDataKey*',
    Resource: '*',
    Condition: {
      StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/trail-name` },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    },
  });
  const request = {
    principal: 'cloudtrail.amazonaws.com',
    action: 'kms:GenerateDataKey',
    encryptionContext: { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/trail-name` },
    context: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/trail-name` },
  };

  it('are allowed by a key policy statement that names them', () => {
    assert.equal(decision(request, { keyPolicy: cloudTrail }), 'allowed');
  });

  it('are held to the statement conditions', () => {
    assert.equal(decision({ ...request, context: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-2:${ACCOUNT}:trail/other` } }, { keyPolicy: cloudTrail }), 'implicitDeny');
  });

  it('get nothing from the account statement', () => {
    const result = run({ ...request, action: 'kms:Decrypt' }, { keyPolicy: cloudTrail });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'ServicePrincipalNotAllowed');
  });
});

describe('alias operations (AWS KMS Developer Guide, controlling access to aliases)', () => {
  const aliasArn = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/test-key`;
  const kp = keyPolicy(allowAll(), { Sid: 'KeyPolicyForAlias', Effect: 'Allow', Principal: { AWS: ALICE }, Action: ['kms:CreateAlias', 'kms:DescribeKey'], Resource: '*' });
  const onAlias = iam('IAMPolicyForAnAlias', { Sid: 'IAMPolicyForAnAlias', Effect: 'Allow', Action: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias'], Resource: aliasArn });

  it('need permission on the key and, in an IAM policy, on the alias', () => {
    const result = run({ principal: ALICE, action: 'kms:CreateAlias', resourceArn: aliasArn }, { keyPolicy: kp, identityPolicies: [onAlias] });
    assert.equal(result.decision, 'allowed');
    assert.deepEqual(result.explanation.deciding.map((r) => r.sid), ['KeyPolicyForAlias', 'IAMPolicyForAnAlias']);
  });

  it('are not allowed by the key policy alone', () => {
    const result = run({ principal: ALICE, action: 'kms:CreateAlias', resourceArn: aliasArn }, { keyPolicy: kp });
    assert.equal(result.decision, 'implicitDeny');
    assert.equal(result.explanation.code, 'AliasNotAllowed');
    assert.match(result.explanation.reason, /^No IAM policy allows kms:CreateAlias on arn:aws:kms:us-west-2:111122223333:alias\/test-key/);
  });

  it('are denied by an IAM Deny on the alias', () => {
    const deny = iam('NoAliases', { Effect: 'Deny', Action: 'kms:CreateAlias', Resource: `arn:aws:kms:*:${ACCOUNT}:alias/*` });
    assert.equal(decision({ principal: ALICE, action: 'kms:CreateAlias', resourceArn: aliasArn }, { keyPolicy: kp, identityPolicies: [onAlias, deny] }), 'explicitDeny');
  });

  it('are allowed to the root user, whom IAM policies do not govern', () => {
    assert.equal(decision({ principal: ROOT, action: 'kms:CreateAlias', resourceArn: aliasArn }, { keyPolicy: kp }), 'allowed');
  });
});
