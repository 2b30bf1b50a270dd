import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Explanation } from '../../../../core/authz/explanation';
import { DEFAULT_LIMITS } from '../../../../core/kms/service/callContext';
import { ACCOUNT, OTHER_ACCOUNT, ROOT, bytes, harness, iamUser, rejectsWith, text } from './helpers';

const APP_ARN = `arn:aws:iam::${ACCOUNT}:user/app`;
/** A principal with no IAM policy: under the default key policy only a grant lets it use a key. */
const APP = iamUser('app', []);
const RETIRER = iamUser('retirer', []);

async function setup(limits?: { grantsPerKey: number }) {
  const h = harness(undefined, limits);
  const { KeyId, Arn } = (await h.kms.createKey({}, ROOT)).KeyMetadata;
  return { ...h, keyId: KeyId, arn: Arn };
}

describe('CreateGrant', () => {
  it('lets the grantee use the key at once, with or without the grant token, and returns a GrantId and a GrantToken', async () => {
    const h = await setup();
    const { CiphertextBlob } = await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('secret') }, ROOT);
    await rejectsWith(h.kms.decrypt({ CiphertextBlob }, APP), 'AccessDeniedException');
    const grant = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT);
    assert.match(grant.GrantId, /^[0-9a-f]{64}$/);
    assert.ok(grant.GrantToken.length > 0);
    // This KMS is consistent: no token needed; the token is accepted too.
    assert.equal(text((await h.kms.decrypt({ CiphertextBlob }, APP)).Plaintext), 'secret');
    assert.equal(text((await h.kms.decrypt({ CiphertextBlob, GrantTokens: [grant.GrantToken] }, APP)).Plaintext), 'secret');
    // The grant allows Decrypt only.
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, APP), 'AccessDeniedException');
    const [event] = h.log.read({ operation: 'Decrypt', outcome: 'success' });
    assert.equal(event!.kmsStudio?.authorization?.code, 'AllowedByGrant');
    assert.deepEqual(event!.kmsStudio?.authorization?.deciding, [{ source: `grant:${grant.GrantId}`, index: 0 }]);
    // CloudTrail logs CreateGrant's grant ID, not its token.
    const [created] = h.log.read({ operation: 'CreateGrant' });
    assert.deepEqual(created!.responseElements, { grantId: grant.GrantId });
  });

  it('takes an IAM role as grantee: its sessions may use the key, other roles\' may not; a malformed principal is refused', async () => {
    const h = await setup();
    const session = (role: string) => ({ principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/job-1` });
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:role/service/Worker`, Operations: ['Encrypt'] }, ROOT);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, { ...session('Worker'), roleArn: `arn:aws:iam::${ACCOUNT}:role/service/Worker` });
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, session('Other')), 'AccessDeniedException');
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: 'arn:aws:iam::12:role/x', Operations: ['Encrypt'] }, ROOT), 'ValidationException');
  });

  it('a GenerateDataKey grant does not allow GenerateDataKeyWithoutPlaintext: grant operations are exact', async () => {
    const h = await setup();
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['GenerateDataKey'] }, ROOT);
    await h.kms.generateDataKey({ KeyId: h.keyId, KeySpec: 'AES_256' }, APP);
    const error = await rejectsWith(h.kms.generateDataKeyWithoutPlaintext({ KeyId: h.keyId, KeySpec: 'AES_256' }, APP), 'AccessDeniedException');
    const note = (error.explanation as Explanation).grants[0]!.note;
    assert.match(note, /do not include GenerateDataKeyWithoutPlaintext/);
  });

  it('with EncryptionContextSubset allows only requests whose context includes the pairs; Equals only the exact context', async () => {
    const h = await setup();
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { tenant: 'a' } } }, ROOT);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a' } }, APP);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a', purpose: 'backup' } }, APP);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'b' } }, APP), 'AccessDeniedException');
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, APP), 'AccessDeniedException');

    const other = iamUser('other', []);
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: other.principal, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { tenant: 'a' } } }, ROOT);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a' } }, other);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), EncryptionContext: { tenant: 'a', purpose: 'backup' } }, other), 'AccessDeniedException');
  });

  it('is for a key, never an alias: an alias name or alias ARN is refused as AWS refuses it', async () => {
    const h = await setup();
    await h.kms.createAlias({ AliasName: 'alias/app', TargetKeyId: h.keyId }, ROOT);
    await rejectsWith(h.kms.createGrant({ KeyId: 'alias/app', GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT), 'NotFoundException', 'Invalid keyId alias/app');
    const aliasArn = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`;
    await rejectsWith(h.kms.createGrant({ KeyId: aliasArn, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT), 'NotFoundException', `Invalid keyId ${aliasArn}`);
    assert.equal((await h.kms.listGrants({ KeyId: h.keyId }, ROOT)).Grants.length, 0);
  });

  it('refuses operations the key cannot do, and encryption context constraints on a key that takes no context', async () => {
    const h = await setup();
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Sign'] }, ROOT), 'ValidationException', /Grant operations Sign are not valid/);
    const signing = (await h.kms.createKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }, ROOT)).KeyMetadata.KeyId;
    await h.kms.createGrant({ KeyId: signing, GranteePrincipal: APP_ARN, Operations: ['Sign', 'Verify'] }, ROOT);
    await rejectsWith(h.kms.createGrant({ KeyId: signing, GranteePrincipal: APP_ARN, Operations: ['Sign'], Constraints: { EncryptionContextSubset: { a: 'b' } } }, ROOT), 'ValidationException', /takes no encryption context/);
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: 'not a principal', Operations: ['Decrypt'] }, ROOT), 'ValidationException');
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'], DryRun: true }, ROOT), 'DryRunOperationException');
    assert.equal((await h.kms.listGrants({ KeyId: h.keyId }, ROOT)).Grants.length, 0);
  });

  it('with a Name is idempotent: the same name and parameters return the same grant, with a new token', async () => {
    const h = await setup();
    const request = { KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt', 'Encrypt'], Name: 'app-grant' };
    const first = await h.kms.createGrant(request, ROOT);
    const again = await h.kms.createGrant({ ...request, Operations: ['Encrypt', 'Decrypt'] }, ROOT);
    assert.equal(again.GrantId, first.GrantId);
    assert.notEqual(again.GrantToken, first.GrantToken);
    const different = await h.kms.createGrant({ ...request, Operations: ['Decrypt'] }, ROOT);
    assert.notEqual(different.GrantId, first.GrantId);
    assert.equal((await h.kms.listGrants({ KeyId: h.keyId }, ROOT)).Grants.length, 2);
  });

  it('stops at the grants-per-key quota with LimitExceededException (50,000 by default; lowered here)', async () => {
    const h = await setup({ grantsPerKey: 3 });
    for (let i = 0; i < 3; i++) await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT);
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT), 'LimitExceededException', /already has 3 grants/);
    // Retiring one makes room.
    const [grant] = (await h.kms.listGrants({ KeyId: h.keyId, Limit: 1 }, ROOT)).Grants;
    await h.kms.revokeGrant({ KeyId: h.keyId, GrantId: grant!.GrantId }, ROOT);
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT);
  });

  it('the default quota is 50,000 grants per key', () => {
    assert.equal(DEFAULT_LIMITS.grantsPerKey, 50_000);
  });

  it('lets a grantee with CreateGrant create only narrower grants', async () => {
    const h = await setup();
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['CreateGrant', 'Decrypt'] }, ROOT);
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: RETIRER.principal, Operations: ['Decrypt'] }, APP);
    await rejectsWith(h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: RETIRER.principal, Operations: ['Encrypt'] }, APP), 'AccessDeniedException');
  });
});

describe('Grant tokens', () => {
  it('are accepted in up to 10 per request; a string this KMS did not issue is InvalidGrantTokenException', async () => {
    const h = await setup();
    const { GrantToken } = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Encrypt', 'DescribeKey'] }, ROOT);
    await h.kms.describeKey({ KeyId: h.keyId, GrantTokens: [GrantToken] }, APP);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: [GrantToken, 'AQEBAHhA84wnXjEJdBbBBylRUFcZZK2j7xwh6UyLoL28nQ'] }, APP), 'InvalidGrantTokenException', 'The grant token is not valid.');
  });

  it('of a retired grant allows nothing: the grant stops working at once', async () => {
    const h = await setup();
    const { GrantToken } = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Encrypt'], RetiringPrincipal: RETIRER.principal }, ROOT);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: [GrantToken] }, APP);
    await h.kms.retireGrant({ GrantToken }, RETIRER);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: [GrantToken] }, APP), 'AccessDeniedException');
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, APP), 'AccessDeniedException');
    // ROOT, allowed by the key policy, is not troubled by a stale token.
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x'), GrantTokens: [GrantToken] }, ROOT);
    await rejectsWith(h.kms.retireGrant({ GrantToken }, RETIRER), 'NotFoundException');
  });
});

describe('RetireGrant and RevokeGrant', () => {
  it('RevokeGrant stops the grant at once', async () => {
    const h = await setup();
    const { GrantId } = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Encrypt'] }, ROOT);
    await h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, APP);
    await h.kms.revokeGrant({ KeyId: h.keyId, GrantId }, ROOT);
    await rejectsWith(h.kms.encrypt({ KeyId: h.keyId, Plaintext: bytes('x') }, APP), 'AccessDeniedException');
    await rejectsWith(h.kms.revokeGrant({ KeyId: h.keyId, GrantId }, ROOT), 'NotFoundException');
    await rejectsWith(h.kms.revokeGrant({ KeyId: h.keyId, GrantId: 'nope' }, ROOT), 'InvalidGrantIdException');
  });

  it('is allowed to the retiring principal, to a grantee whose grant allows RetireGrant, and to the key account; not to others', async () => {
    const h = await setup();
    const byRetirer = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'], RetiringPrincipal: RETIRER.principal }, ROOT);
    const byGrantee = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt', 'RetireGrant'] }, ROOT);
    const notGrantee = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT);
    const byAccount = await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'] }, ROOT);

    await rejectsWith(h.kms.retireGrant({ KeyId: h.arn, GrantId: byRetirer.GrantId }, APP), 'AccessDeniedException');
    await h.kms.retireGrant({ KeyId: h.arn, GrantId: byRetirer.GrantId }, RETIRER);
    await h.kms.retireGrant({ GrantToken: byGrantee.GrantToken }, APP);
    await rejectsWith(h.kms.retireGrant({ KeyId: h.arn, GrantId: notGrantee.GrantId }, APP), 'AccessDeniedException');
    // An outsider cannot, even with every IAM permission.
    await rejectsWith(h.kms.retireGrant({ KeyId: h.arn, GrantId: byAccount.GrantId }, iamUser('outsider', [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }], OTHER_ACCOUNT)), 'AccessDeniedException');
    await h.kms.retireGrant({ KeyId: h.arn, GrantId: byAccount.GrantId }, ROOT);
    assert.deepEqual((await h.kms.listGrants({ KeyId: h.keyId }, ROOT)).Grants.map((g) => g.GrantId), [notGrantee.GrantId]);
    await rejectsWith(h.kms.retireGrant({ KeyId: h.arn }, ROOT), 'ValidationException');
    await rejectsWith(h.kms.retireGrant({ GrantToken: 'garbage' }, ROOT), 'InvalidGrantTokenException');
  });
});

describe('ListGrants and ListRetirableGrants', () => {
  it('pages with Limit and Marker and filters by GrantId and GranteePrincipal, in AWS list-grants shape', async () => {
    const h = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      h.clock.advanceMs(1000);
      ids.push((await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: i === 4 ? RETIRER.principal : APP_ARN, Operations: ['Decrypt'], Name: `g${i}`, Constraints: { EncryptionContextSubset: { n: String(i) } } }, ROOT)).GrantId);
    }
    const first = await h.kms.listGrants({ KeyId: h.keyId, Limit: 2 }, ROOT);
    assert.equal(first.Truncated, true);
    const rest = await h.kms.listGrants({ KeyId: h.keyId, Marker: first.NextMarker! }, ROOT);
    assert.equal(rest.Truncated, false);
    assert.deepEqual([...first.Grants, ...rest.Grants].map((g) => g.GrantId), ids);
    const entry = first.Grants[0]!;
    assert.deepEqual({ ...entry, CreationDate: entry.CreationDate.toISOString() }, {
      KeyId: h.arn,
      GrantId: ids[0],
      Name: 'g0',
      CreationDate: '2024-01-01T00:00:01.000Z',
      GranteePrincipal: APP_ARN,
      IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`,
      Operations: ['Decrypt'],
      Constraints: { EncryptionContextSubset: { n: '0' } },
    });
    assert.deepEqual((await h.kms.listGrants({ KeyId: h.keyId, GrantId: ids[2]! }, ROOT)).Grants.map((g) => g.Name), ['g2']);
    assert.deepEqual((await h.kms.listGrants({ KeyId: h.keyId, GranteePrincipal: RETIRER.principal }, ROOT)).Grants.map((g) => g.Name), ['g4']);
    await rejectsWith(h.kms.listGrants({ KeyId: h.keyId, Limit: 101 }, ROOT), 'ValidationException', /at 'limit'/);
  });

  it('ListRetirableGrants lists the grants of every key of the account that the retiring principal may retire', async () => {
    const h = await setup();
    const other = (await h.kms.createKey({}, ROOT)).KeyMetadata.KeyId;
    await h.kms.createGrant({ KeyId: h.keyId, GranteePrincipal: APP_ARN, Operations: ['Decrypt'], RetiringPrincipal: RETIRER.principal }, ROOT);
    await h.kms.createGrant({ KeyId: other, GranteePrincipal: APP_ARN, Operations: ['Encrypt'], RetiringPrincipal: RETIRER.principal }, ROOT);
    await h.kms.createGrant({ KeyId: other, GranteePrincipal: APP_ARN, Operations: ['Encrypt'] }, ROOT);
    const listed = await h.kms.listRetirableGrants({ RetiringPrincipal: RETIRER.principal }, ROOT);
    assert.equal(listed.Grants.length, 2);
    assert.ok(listed.Grants.every((g) => g.RetiringPrincipal === RETIRER.principal));
  });
});
