import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildRequestContext, contextValues } from '../../../core/authz/requestContext';
import type { AuthorizationRequest } from '../../../core/authz/request';
import { validateRequest } from '../../../core/authz/validateRequest';
import { ACCOUNT, ALICE, KEY_ARN, OTHER_ACCOUNT, ROOT, keyPolicy } from './helpers';

function contextFor(request: Partial<AuthorizationRequest>): (key: string) => string[] | undefined {
  const full = { action: 'kms:Decrypt', principal: { arn: ALICE }, key: { arn: KEY_ARN }, ...request } as AuthorizationRequest;
  const context = buildRequestContext(validateRequest(full, { keyPolicy: keyPolicy(), identityPolicies: [], grants: [] }));
  return (key) => contextValues(context, key);
}

describe('the request context AWS fills in', () => {
  it('describes an IAM user caller', () => {
    const get = contextFor({ principal: { arn: ALICE, userId: 'AIDAEXAMPLE', tags: { team: 'blue' } } });
    assert.deepEqual(get('aws:PrincipalArn'), [ALICE]);
    assert.deepEqual(get('aws:PrincipalAccount'), [ACCOUNT]);
    assert.deepEqual(get('aws:PrincipalType'), ['User']);
    assert.deepEqual(get('aws:username'), ['alice']);
    assert.deepEqual(get('aws:userid'), ['AIDAEXAMPLE']);
    assert.deepEqual(get('aws:PrincipalTag/team'), ['blue']);
    assert.deepEqual(get('kms:CallerAccount'), [ACCOUNT]);
    assert.deepEqual(get('aws:PrincipalIsAWSService'), ['false']);
  });

  it('gives a user name without its path', () => {
    const get = contextFor({ principal: { arn: `arn:aws:iam::${ACCOUNT}:user/division/alice` } });
    assert.deepEqual(get('aws:username'), ['alice']);
  });

  it('gives the role ARN, not the session ARN, as aws:PrincipalArn of a session, and no aws:username', () => {
    const get = contextFor({ principal: { arn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/Reader/s1` } });
    assert.deepEqual(get('aws:PrincipalArn'), [`arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`]);
    assert.deepEqual(get('aws:PrincipalType'), ['AssumedRole']);
    assert.deepEqual(get('kms:CallerAccount'), [OTHER_ACCOUNT]);
    assert.equal(get('aws:username'), undefined);
  });

  it('describes the root user as the Account, with the account ID as aws:userid', () => {
    const get = contextFor({ principal: { arn: ROOT } });
    assert.deepEqual(get('aws:PrincipalType'), ['Account']);
    assert.deepEqual(get('aws:userid'), [ACCOUNT]);
    assert.deepEqual(get('aws:PrincipalArn'), [ROOT]);
  });

  it('describes a service principal', () => {
    const get = contextFor({ principal: { arn: 'cloudtrail.amazonaws.com' } });
    assert.deepEqual(get('aws:PrincipalIsAWSService'), ['true']);
    assert.deepEqual(get('aws:PrincipalServiceName'), ['cloudtrail.amazonaws.com']);
    assert.equal(get('aws:PrincipalArn'), undefined);
    assert.equal(get('kms:CallerAccount'), undefined);
  });

  it('describes the key', () => {
    const get = contextFor({
      key: {
        arn: KEY_ARN,
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        multiRegion: false,
        aliases: ['alias/finance'],
        tags: { Project: 'Alpha' },
      },
    });
    assert.deepEqual(get('kms:KeySpec'), ['SYMMETRIC_DEFAULT']);
    assert.deepEqual(get('kms:KeyUsage'), ['ENCRYPT_DECRYPT']);
    assert.deepEqual(get('kms:KeyOrigin'), ['AWS_KMS']);
    assert.deepEqual(get('kms:MultiRegion'), ['false']);
    assert.deepEqual(get('kms:ResourceAliases'), ['alias/finance']);
    assert.deepEqual(get('aws:ResourceTag/Project'), ['Alpha']);
    assert.deepEqual(get('aws:ResourceTag/project'), ['Alpha'], 'tag keys in condition keys are case-insensitive');
    assert.deepEqual(get('aws:ResourceAccount'), [ACCOUNT]);
  });

  it('fills encryption context keys only for operations that carry them', () => {
    const encryptionContext = { Department: 'IT', Project: 'Alpha' };
    const decrypt = contextFor({ encryptionContext });
    assert.deepEqual(decrypt('kms:EncryptionContext:Department'), ['IT']);
    assert.deepEqual(decrypt('kms:encryptioncontext:department'), ['IT']);
    assert.deepEqual(decrypt('kms:EncryptionContextKeys'), ['Department', 'Project']);
    const describe = contextFor({ action: 'kms:DescribeKey', encryptionContext });
    assert.equal(describe('kms:EncryptionContext:Department'), undefined);
    assert.equal(describe('kms:EncryptionContextKeys'), undefined);
  });

  it('leaves the encryption context keys out when the request has no context', () => {
    const get = contextFor({});
    assert.equal(get('kms:EncryptionContextKeys'), undefined);
  });

  it("fills grant keys from CreateGrant's parameters, with constraints as the encryption context", () => {
    const get = contextFor({
      action: 'kms:CreateGrant',
      createGrant: {
        GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Worker`,
        RetiringPrincipal: ROOT,
        Operations: ['Decrypt', 'Encrypt'],
        Constraints: { EncryptionContextSubset: { Department: 'IT' } },
      },
    });
    assert.deepEqual(get('kms:GrantOperations'), ['Decrypt', 'Encrypt']);
    assert.deepEqual(get('kms:GranteePrincipal'), [`arn:aws:iam::${ACCOUNT}:role/Worker`]);
    assert.deepEqual(get('kms:RetiringPrincipal'), [ROOT]);
    assert.deepEqual(get('kms:GrantConstraintType'), ['EncryptionContextSubset']);
    assert.deepEqual(get('kms:EncryptionContext:Department'), ['IT']);
  });

  it('does not fill grant keys for other actions', () => {
    const get = contextFor({ createGrant: { GranteePrincipal: ALICE, Operations: ['Decrypt'] } });
    assert.equal(get('kms:GrantOperations'), undefined);
  });

  it('gives kms:RequestAlias when the caller named an alias, for operations that support it', () => {
    const aliasArn = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/finance`;
    assert.deepEqual(contextFor({ resourceArn: aliasArn })('kms:RequestAlias'), ['alias/finance']);
    assert.equal(contextFor({ action: 'kms:PutKeyPolicy', resourceArn: aliasArn })('kms:RequestAlias'), undefined);
  });

  it('takes everything else from the request context, numbers and booleans as text', () => {
    const get = contextFor({
      context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com', 'aws:SecureTransport': true, 'aws:EpochTime': 1700000000, 'aws:CalledVia': ['a', 'b'] },
    });
    assert.deepEqual(get('kms:ViaService'), ['ec2.us-west-2.amazonaws.com']);
    assert.deepEqual(get('aws:SecureTransport'), ['true']);
    assert.deepEqual(get('aws:EpochTime'), ['1700000000']);
    assert.deepEqual(get('aws:CalledVia'), ['a', 'b']);
  });

  it('never lets the request context override what AWS derives, and says which keys it ignored', () => {
    const full = {
      action: 'kms:Decrypt',
      principal: { arn: ALICE },
      key: { arn: KEY_ARN },
      encryptionContext: { Department: 'IT' },
      context: { 'aws:PrincipalArn': ROOT, 'kms:CallerAccount': OTHER_ACCOUNT, 'kms:EncryptionContext:Department': 'HR', 'aws:PrincipalTag/team': 'red' },
    };
    const context = buildRequestContext(validateRequest(full, { keyPolicy: keyPolicy(), identityPolicies: [], grants: [] }));
    assert.deepEqual(contextValues(context, 'aws:PrincipalArn'), [ALICE]);
    assert.deepEqual(contextValues(context, 'kms:CallerAccount'), [ACCOUNT]);
    assert.deepEqual(contextValues(context, 'kms:EncryptionContext:Department'), ['IT']);
    assert.equal(contextValues(context, 'aws:PrincipalTag/team'), undefined);
    assert.deepEqual([...context.ignored].sort(), ['aws:PrincipalArn', 'aws:PrincipalTag/team', 'kms:CallerAccount', 'kms:EncryptionContext:Department']);
  });

  it('takes key attributes from the request context when the key does not describe them', () => {
    const get = contextFor({ context: { 'kms:KeySpec': 'RSA_2048' } });
    assert.deepEqual(get('kms:KeySpec'), ['RSA_2048']);
  });

  it('takes CreateKey parameters from the request context', () => {
    const get = contextFor({ action: 'kms:CreateKey', context: { 'kms:KeySpec': 'HMAC_256', 'kms:KeyUsage': 'GENERATE_VERIFY_MAC' } });
    assert.deepEqual(get('kms:KeySpec'), ['HMAC_256']);
  });
});
