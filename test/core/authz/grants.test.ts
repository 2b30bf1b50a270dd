import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Grant } from '../../../core/authz/request';
import { ACCOUNT, ALICE, BOB, KEY_ARN, KEY_ID, OTHER_USER, ROOT, allowAll, decision, iam, keyPolicy, run } from './helpers';

/** A grant as `aws kms list-grants` prints it (AWS KMS Developer Guide, grants). */
function grant(overrides: Partial<Grant> = {}): Grant {
  return {
    KeyId: KEY_ARN,
    CreationDate: 1572216195.0,
    GrantId: 'abcde1237f76e4ba7987489ac329fbfba6ad343d6f7075dbd1ef191f0120514',
    Name: '',
    IssuingAccount: ROOT,
    GranteePrincipal: ALICE,
    Operations: ['Decrypt'],
    ...overrides,
  };
}

const noAccess = keyPolicy(allowAll());

describe('grants', () => {
  it('allow the grantee the operations they list, with no key policy or IAM statement for it', () => {
    const result = run({ principal: ALICE }, { keyPolicy: noAccess, grants: [grant()] });
    assert.equal(result.decision, 'allowed');
    assert.equal(result.explanation.code, 'AllowedByGrant');
    assert.deepEqual(result.explanation.deciding[0]?.source, { kind: 'grant', grantId: grant().GrantId });
  });

  it('accept a bare key ID in KeyId', () => {
    assert.equal(decision({ principal: ALICE }, { keyPolicy: noAccess, grants: [grant({ KeyId: KEY_ID })] }), 'allowed');
  });

  it('do nothing for another key', () => {
    const result = run({ principal: ALICE }, { keyPolicy: noAccess, grants: [grant({ KeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:key/other` })] });
    assert.equal(result.decision, 'implicitDeny');
    assert.match(result.explanation.grants[0]!.note, /not this key/);
  });

  it('do nothing for another principal', () => {
    assert.equal(decision({ principal: BOB }, { keyPolicy: noAccess, grants: [grant()] }), 'implicitDeny');
  });

  it('name operations exactly: a GenerateDataKey grant does not allow GenerateDataKeyWithoutPlaintext', () => {
    const g = grant({ Operations: ['GenerateDataKey'] });
    assert.equal(decision({ principal: ALICE, action: 'kms:GenerateDataKey' }, { keyPolicy: noAccess, grants: [g] }), 'allowed');
    const result = run({ principal: ALICE, action: 'kms:GenerateDataKeyWithoutPlaintext' }, { keyPolicy: noAccess, grants: [g] });
    assert.equal(result.decision, 'implicitDeny');
    assert.match(result.explanation.grants[0]!.note, /do not include GenerateDataKeyWithoutPlaintext/);
  });

  it('never allow an operation that cannot be a grant operation', () => {
    const g = grant({ Operations: ['Decrypt', 'PutKeyPolicy'] });
    assert.equal(decision({ principal: ALICE, action: 'kms:PutKeyPolicy' }, { keyPolicy: noAccess, grants: [g] }), 'implicitDeny');
  });

  it('cover the sessions of a grantee role', () => {
    const g = grant({ GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Worker` });
    assert.equal(decision({ principal: `arn:aws:sts::${ACCOUNT}:assumed-role/Worker/job-7` }, { keyPolicy: noAccess, grants: [g] }), 'allowed');
  });

  it('can name a service principal as grantee', () => {
    const g = grant({ GranteePrincipal: 'dynamodb.us-west-2.amazonaws.com' });
    assert.equal(decision({ principal: 'dynamodb.us-west-2.amazonaws.com' }, { keyPolicy: noAccess, grants: [g] }), 'allowed');
  });

  it('work for a grantee in another account without any IAM policy', () => {
    const g = grant({ GranteePrincipal: OTHER_USER });
    assert.equal(decision({ principal: OTHER_USER }, { keyPolicy: noAccess, grants: [g] }), 'allowed');
  });

  it('never deny: an explicit Deny wins over a grant, in the key policy or in IAM', () => {
    const denyKp = keyPolicy(allowAll(), { Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' });
    assert.equal(decision({ principal: ALICE }, { keyPolicy: denyKp, grants: [grant()] }), 'explicitDeny');
    const denyIam = iam('NoDecrypt', { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' });
    assert.equal(decision({ principal: ALICE }, { keyPolicy: noAccess, identityPolicies: [denyIam], grants: [grant()] }), 'explicitDeny');
  });
});

describe('grant constraints (API reference, GrantConstraints)', () => {
  // AWS KMS Developer Guide, grant constraints: the EncryptionContextSubset example.
  const subset = grant({
    Operations: ['GenerateDataKey', 'Decrypt', 'DescribeKey', 'RetireGrant'],
    Constraints: { EncryptionContextSubset: { Department: 'Finance', Classification: 'Public' } },
  });
  const satisfying: Record<string, string>[] = [
    { Department: 'Finance', Classification: 'Public' },
    { Classification: 'Public', Department: 'Finance' },
    { Customer: '12345', Department: 'Finance', Classification: 'Public', Purpose: 'Test' },
  ];
  const failing: Record<string, string>[] = [
    { Department: 'Finance' },
    { Department: 'finance', Classification: 'public' },
    { Classification: 'Public', Customer: '12345' },
  ];
  for (const context of satisfying) {
    it(`EncryptionContextSubset is met by ${JSON.stringify(context)}`, () => {
      assert.equal(decision({ principal: ALICE, encryptionContext: context }, { keyPolicy: noAccess, grants: [subset] }), 'allowed');
    });
  }
  for (const context of failing) {
    it(`EncryptionContextSubset is not met by ${JSON.stringify(context)}`, () => {
      assert.equal(decision({ principal: ALICE, encryptionContext: context }, { keyPolicy: noAccess, grants: [subset] }), 'implicitDeny');
    });
  }

  it('is not met when the request has no encryption context', () => {
    assert.equal(decision({ principal: ALICE }, { keyPolicy: noAccess, grants: [subset] }), 'implicitDeny');
  });

  it('compares keys without case and values with case', () => {
    const context = { department: 'Finance', CLASSIFICATION: 'Public' };
    assert.equal(decision({ principal: ALICE, encryptionContext: context }, { keyPolicy: noAccess, grants: [subset] }), 'allowed');
  });

  const equals = grant({ Constraints: { EncryptionContextEquals: { Department: 'IT' } } });
  it('EncryptionContextEquals needs exactly the pairs', () => {
    assert.equal(decision({ principal: ALICE, encryptionContext: { Department: 'IT' } }, { keyPolicy: noAccess, grants: [equals] }), 'allowed');
    assert.equal(decision({ principal: ALICE, encryptionContext: { department: 'IT' } }, { keyPolicy: noAccess, grants: [equals] }), 'allowed');
    assert.equal(decision({ principal: ALICE, encryptionContext: { Department: 'IT', Extra: 'x' } }, { keyPolicy: noAccess, grants: [equals] }), 'implicitDeny');
    assert.equal(decision({ principal: ALICE, encryptionContext: { Department: 'it' } }, { keyPolicy: noAccess, grants: [equals] }), 'implicitDeny');
    assert.equal(decision({ principal: ALICE }, { keyPolicy: noAccess, grants: [equals] }), 'implicitDeny');
  });

  it('do not apply to operations without an encryption context, such as DescribeKey', () => {
    const result = run({ principal: ALICE, action: 'kms:DescribeKey' }, { keyPolicy: noAccess, grants: [subset] });
    assert.equal(result.decision, 'allowed');
    assert.match(result.explanation.grants[0]!.note, /constraints do not apply/);
  });

  it('do not apply to cryptographic operations with an asymmetric key, which take no encryption context', () => {
    // API reference, GrantConstraints: "Grant constraints are not applied to operations that do not support an
    // encryption context, such as cryptographic operations with asymmetric KMS keys".
    const rsaKey = { arn: KEY_ARN, keySpec: 'RSA_2048', keyUsage: 'ENCRYPT_DECRYPT' };
    const result = run({ principal: ALICE, key: rsaKey }, { keyPolicy: noAccess, grants: [subset] });
    assert.equal(result.decision, 'allowed');
    assert.match(result.explanation.grants[0]!.note, /constraints do not apply/);
    const symmetric = { arn: KEY_ARN, keySpec: 'SYMMETRIC_DEFAULT' };
    assert.equal(decision({ principal: ALICE, key: symmetric }, { keyPolicy: noAccess, grants: [subset] }), 'implicitDeny');
  });

  it('do not apply to RetireGrant', () => {
    assert.equal(decision({ principal: ALICE, action: 'kms:RetireGrant' }, { keyPolicy: noAccess, grants: [subset] }), 'allowed');
  });
});

describe('CreateGrant through a grant (AWS KMS Developer Guide, granting CreateGrant permission)', () => {
  const parent = grant({
    Operations: ['GenerateDataKey', 'Decrypt', 'CreateGrant'],
    Constraints: { EncryptionContextSubset: { Department: 'IT' } },
  });
  const create = (Operations: string[], Constraints?: Grant['Constraints']) => ({
    principal: ALICE,
    action: 'kms:CreateGrant',
    createGrant: { GranteePrincipal: BOB, Operations, ...(Constraints ? { Constraints } : {}) },
  });

  it('allows a child grant with a subset of the operations and a constraint as strict', () => {
    assert.equal(decision(create(['Decrypt'], { EncryptionContextSubset: { Department: 'IT' } }), { keyPolicy: noAccess, grants: [parent] }), 'allowed');
  });

  it('allows a child that adds pairs or turns Subset into Equals', () => {
    assert.equal(decision(create(['Decrypt'], { EncryptionContextSubset: { Department: 'IT', Team: 'A' } }), { keyPolicy: noAccess, grants: [parent] }), 'allowed');
    assert.equal(decision(create(['Decrypt'], { EncryptionContextEquals: { Department: 'IT' } }), { keyPolicy: noAccess, grants: [parent] }), 'allowed');
  });

  it('refuses a child with an operation the parent does not have', () => {
    const result = run(create(['Decrypt', 'ReEncryptFrom'], { EncryptionContextSubset: { Department: 'IT' } }), { keyPolicy: noAccess, grants: [parent] });
    assert.equal(result.decision, 'implicitDeny');
    assert.match(result.explanation.grants[0]!.note, /ReEncryptFrom/);
  });

  it('refuses a child that drops or loosens the constraint', () => {
    assert.equal(decision(create(['Decrypt']), { keyPolicy: noAccess, grants: [parent] }), 'implicitDeny');
    assert.equal(decision(create(['Decrypt'], { EncryptionContextSubset: { Team: 'A' } }), { keyPolicy: noAccess, grants: [parent] }), 'implicitDeny');
  });

  it('refuses when the requested grant is not described', () => {
    assert.equal(decision({ principal: ALICE, action: 'kms:CreateGrant' }, { keyPolicy: noAccess, grants: [parent] }), 'implicitDeny');
  });

  it('does not let an Equals parent be loosened to Subset', () => {
    const strict = grant({ Operations: ['Decrypt', 'CreateGrant'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } });
    assert.equal(decision(create(['Decrypt'], { EncryptionContextSubset: { Department: 'IT' } }), { keyPolicy: noAccess, grants: [strict] }), 'implicitDeny');
    assert.equal(decision(create(['Decrypt'], { EncryptionContextEquals: { Department: 'IT' } }), { keyPolicy: noAccess, grants: [strict] }), 'allowed');
  });
});

describe('RetireGrant through a grant', () => {
  const retirable = grant({ RetiringPrincipal: BOB, Operations: ['Decrypt'] });

  it('lets the retiring principal retire it', () => {
    assert.equal(decision({ principal: BOB, action: 'kms:RetireGrant', grantId: retirable.GrantId }, { keyPolicy: noAccess, grants: [retirable] }), 'allowed');
  });

  it('lets the grantee retire it only when the grant allows RetireGrant', () => {
    assert.equal(decision({ principal: ALICE, action: 'kms:RetireGrant' }, { keyPolicy: noAccess, grants: [retirable] }), 'implicitDeny');
    const withRetire = grant({ Operations: ['Decrypt', 'RetireGrant'] });
    assert.equal(decision({ principal: ALICE, action: 'kms:RetireGrant' }, { keyPolicy: noAccess, grants: [withRetire] }), 'allowed');
  });

  it('does not let one grant authorize retiring another', () => {
    assert.equal(decision({ principal: BOB, action: 'kms:RetireGrant', grantId: 'another-grant' }, { keyPolicy: noAccess, grants: [retirable] }), 'implicitDeny');
  });
});
