import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { buildAuditEvent, cloudTrailTime, isReadOnlyOperation, userIdentityFor, type AuditEvent, type AuditInput } from '../../../../core/kms/audit/auditEvent';
import { auditEventJson } from '../../../../core/kms/audit/auditEventJson';
import { ACCOUNT, ALICE, KEY_ARN, keyPolicy, run } from '../../authz/helpers';

const NOW = new Date('2025-05-20T20:46:16.789Z');
let counter = 0;
const ids = { uuid: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };

function event(input: Partial<AuditInput> = {}) {
  return buildAuditEvent({ operation: 'Encrypt', region: 'us-west-2', caller: { arn: ALICE, accessKeyId: 'AKIAEXAMPLE' }, keyArn: KEY_ARN, ...input }, NOW, ids);
}

// The fields of the Encrypt entry in the AWS KMS Developer Guide ("Encrypt", under "AWS KMS log entry
// examples"), in its order, with eventCategory from the newer examples (e.g. "Decapsulate").
const CLOUDTRAIL_ENCRYPT_FIELDS = [
  'eventVersion',
  'userIdentity',
  'eventTime',
  'eventSource',
  'eventName',
  'awsRegion',
  'sourceIPAddress',
  'userAgent',
  'requestParameters',
  'responseElements',
  'requestID',
  'eventID',
  'readOnly',
  'resources',
  'eventType',
  'managementEvent',
  'recipientAccountId',
  'eventCategory',
];

describe('buildAuditEvent', () => {
  it("has CloudTrail's fields in CloudTrail's order, with its constant values", () => {
    const e = event({ requestParameters: { KeyId: KEY_ARN, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', EncryptionContext: { Department: 'Engineering' } } });
    assert.deepEqual(Object.keys(e), CLOUDTRAIL_ENCRYPT_FIELDS);
    assert.equal(e.eventVersion, '1.11');
    assert.equal(e.eventSource, 'kms.amazonaws.com');
    assert.equal(e.eventType, 'AwsApiCall');
    assert.equal(e.eventCategory, 'Management');
    assert.equal(e.managementEvent, true);
    assert.equal(e.readOnly, true);
    assert.equal(e.responseElements, null);
    assert.deepEqual(e.resources, [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: KEY_ARN }]);
    assert.equal(e.recipientAccountId, ACCOUNT);
    assert.deepEqual(e.requestParameters, { keyId: KEY_ARN, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { Department: 'Engineering' } });
    assert.match(e.requestID, /^[0-9a-f-]{36}$/);
    assert.notEqual(e.requestID, e.eventID);
  });

  it('takes its time from the KMS clock, in whole seconds as CloudTrail writes it', () => {
    assert.equal(event().eventTime, '2025-05-20T20:46:16Z');
    assert.equal(cloudTrailTime(new Date('2024-01-01T00:00:00Z')), '2024-01-01T00:00:00Z');
  });

  it('records a failure with errorCode and errorMessage between userAgent and requestParameters', () => {
    const e = event({ operation: 'Decrypt', error: { code: 'AccessDeniedException', message: 'User: alice is not authorized to perform: kms:Decrypt' } });
    const keys = Object.keys(e);
    assert.deepEqual(keys.slice(keys.indexOf('userAgent'), keys.indexOf('requestParameters') + 1), ['userAgent', 'errorCode', 'errorMessage', 'requestParameters']);
    assert.equal(e.errorCode, 'AccessDeniedException');
  });

  it('keeps the request ID the caller saw', () => {
    assert.equal(event({ requestId: 'f3423043-63bc-11e4-bc2b-4198b6150d5c' }).requestID, 'f3423043-63bc-11e4-bc2b-4198b6150d5c');
  });

  it('omits resources for a call without a key, and takes the caller account as recipient', () => {
    const e = buildAuditEvent({ operation: 'ListKeys', region: 'us-east-1', caller: { arn: ALICE } }, NOW, ids);
    assert.equal('resources' in e, false);
    assert.equal(e.recipientAccountId, ACCOUNT);
    assert.equal(e.readOnly, true);
  });

  it('marks management operations as not read-only and keeps their (redacted) response', () => {
    const e = event({
      operation: 'CreateKey',
      requestParameters: { KeySpec: 'SYMMETRIC_DEFAULT', Tags: [{ TagKey: 'team', TagValue: 'blue' }] },
      responseElements: { KeyMetadata: { KeyId: 'k1', KeyState: 'Enabled', Arn: KEY_ARN } },
    });
    assert.equal(e.readOnly, false);
    assert.deepEqual(e.requestParameters, { keySpec: 'SYMMETRIC_DEFAULT', tags: [{ tagKey: 'team', tagValue: 'blue' }] });
    assert.deepEqual(e.responseElements, { keyMetadata: { keyId: 'k1', keyState: 'Enabled', arn: KEY_ARN } });
  });

  it('carries the authorization decision and what decided it in the kmsStudio field', () => {
    const denied = run({ principal: ALICE }, { keyPolicy: keyPolicy({ Sid: 'DenyAlice', Effect: 'Deny', Principal: { AWS: ALICE }, Action: 'kms:Decrypt', Resource: '*' }) });
    const e = event({ operation: 'Decrypt', authorization: denied.explanation, keySpec: 'SYMMETRIC_DEFAULT', error: { code: 'AccessDeniedException', message: 'denied' } });
    assert.equal(Object.keys(e).at(-1), 'kmsStudio');
    assert.equal(e.kmsStudio!.authorization!.decision, 'explicitDeny');
    assert.equal(e.kmsStudio!.authorization!.code, 'ExplicitDeny');
    assert.deepEqual(e.kmsStudio!.authorization!.deciding, [{ source: 'keyPolicy', index: 0, sid: 'DenyAlice' }]);
    assert.equal(e.kmsStudio!.keySpec, 'SYMMETRIC_DEFAULT');
  });
});

describe('the secrets of a call', () => {
  const plaintext = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
  const cases: [string, Partial<AuditInput>, string[]][] = [
    ['Encrypt plaintext, as bytes or base64', { operation: 'Encrypt', requestParameters: { KeyId: 'k1', Plaintext: plaintext } }, ['Plaintext']],
    ['Encrypt plaintext given as a base64 string', { operation: 'Encrypt', requestParameters: { KeyId: 'k1', Plaintext: '3q2+7w==' } }, ['3q2+7w==']],
    ['a data key in the response', { operation: 'GenerateDataKey', responseElements: { Plaintext: '3q2+7w==', CiphertextBlob: 'AQID', KeyId: 'k1' } }, ['3q2+7w==', 'AQID']],
    ['a private key in the response', { operation: 'GenerateDataKeyPair', responseElements: { PrivateKeyPlaintext: 'MIIEv', PublicKey: 'MIIB' } }, ['MIIEv', 'MIIB']],
    ['imported key material and its token', { operation: 'ImportKeyMaterial', requestParameters: { KeyId: 'k1', EncryptedKeyMaterial: 'ZW5j', ImportToken: 'dG9r' } }, ['ZW5j', 'dG9r']],
    ['the message to sign', { operation: 'Sign', requestParameters: { KeyId: 'k1', Message: 'aGVsbG8=', MessageType: 'RAW' } }, ['aGVsbG8=']],
    ['ciphertext to decrypt', { operation: 'Decrypt', requestParameters: { CiphertextBlob: 'AQIDBAU=' } }, ['AQIDBAU=']],
    ['a binary value under any name', { operation: 'CreateGrant', requestParameters: { KeyId: 'k1', Unexpected: { deep: [Buffer.from('hidden')] } } }, ['hidden', 'aGlkZGVu']],
  ];
  for (const [what, input, forbidden] of cases) {
    it(`leave out ${what}`, () => {
      const line = JSON.stringify(event(input));
      for (const text of forbidden) assert.equal(line.includes(text), false, `${text} in ${line}`);
      assert.equal(line.includes('deadbeef'), false);
    });
  }

  it('keep the encryption context verbatim, even keys named like secret fields', () => {
    const context = { Plaintext: 'not-a-secret', Department: 'Engineering', ['__proto__']: 'odd' };
    const e = event({ requestParameters: JSON.parse(JSON.stringify({ KeyId: 'k1', EncryptionContext: context })) });
    assert.deepEqual(JSON.parse(JSON.stringify(e.requestParameters)).encryptionContext, JSON.parse(JSON.stringify(context)));
  });
});

describe('request parameters of a request as given', () => {
  it('follow the request as it is at each call, though one object is changed in place between calls', () => {
    const request: Record<string, unknown> = { KeyId: 'k1', Plaintext: new Uint8Array(4), EncryptionContext: { purpose: 'a' } };
    const params = () => event({ asGiven: true, requestParameters: request }).requestParameters;
    assert.deepEqual(params(), { keyId: 'k1', encryptionContext: { purpose: 'a' } });
    (request['EncryptionContext'] as Record<string, string>)['purpose'] = 'b';
    assert.deepEqual(params(), { keyId: 'k1', encryptionContext: { purpose: 'b' } });
    request['GrantTokens'] = ['t'];
    assert.deepEqual(params(), { keyId: 'k1', encryptionContext: { purpose: 'b' }, grantTokens: ['t'] });
    request['KeyId'] = 'k2';
    delete request['GrantTokens'];
    const last = params();
    assert.deepEqual(last, { keyId: 'k2', encryptionContext: { purpose: 'b' } });
    assert.ok(Object.isFrozen(last) && Object.isFrozen(last!['encryptionContext']));
  });

  it('log what one reading of the request gave, and compare the next request with that same reading', () => {
    let reads = 0;
    const changing = Object.defineProperty({}, 'KeyId', { enumerable: true, get: () => (reads++ === 0 ? 'alias/a' : 'alias/b') });
    assert.deepEqual(event({ asGiven: true, requestParameters: changing }).requestParameters, { keyId: 'alias/a' });
    assert.equal(reads, 1);
    assert.deepEqual(event({ asGiven: true, requestParameters: { KeyId: 'alias/b' } }).requestParameters, { keyId: 'alias/b' });
  });
});

describe('userIdentityFor', () => {
  it('describes an IAM user as CloudTrail does', () => {
    const id = userIdentityFor({ arn: ALICE, accessKeyId: 'AKIAEXAMPLE' });
    assert.equal(id.type, 'IAMUser');
    assert.equal(id.userName, 'alice');
    assert.equal(id.accountId, ACCOUNT);
    assert.equal(id.accessKeyId, 'AKIAEXAMPLE');
    assert.match(id.principalId!, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(userIdentityFor({ arn: ALICE }).principalId, id.principalId);
  });

  it('describes a role session with its issuer', () => {
    const id = userIdentityFor({ arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/job-7` });
    assert.equal(id.type, 'AssumedRole');
    assert.match(id.principalId!, /^AROA[A-Z2-7]{17}:job-7$/);
    assert.deepEqual(id.sessionContext!.sessionIssuer, {
      type: 'Role',
      principalId: id.principalId!.split(':')[0],
      arn: `arn:aws:iam::${ACCOUNT}:role/App`,
      accountId: ACCOUNT,
      userName: 'App',
    });
  });

  it('describes the root user, a service and an unknown caller', () => {
    assert.deepEqual(userIdentityFor({ arn: `arn:aws:iam::${ACCOUNT}:root` }), { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT });
    assert.deepEqual(userIdentityFor({ arn: 's3.amazonaws.com' }), { type: 'AWSService', invokedBy: 's3.amazonaws.com' });
    assert.equal(userIdentityFor({ arn: 'nobody' }).type, 'Unknown');
  });
});

describe('auditEventJson', () => {
  it('writes exactly what JSON.stringify writes, for every kind of event', () => {
    const result = run({ action: 'kms:Encrypt' }, { keyPolicy: keyPolicy({ Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'kms:Encrypt', Resource: '*' }) });
    const inputs: Partial<AuditInput>[] = [
      {},
      { requestParameters: { KeyId: 'k', EncryptionContext: { 'quote"d': 'back\\slash', emoji: '\u{1F511}', ctl: '\n\t' } }, asGiven: true },
      { error: { code: 'AccessDeniedException', message: 'User: "x" is not authorized\n' }, authorization: result.explanation },
      { keySpec: 'RSA_2048', keyPairSpec: 'ECC_NIST_P256' },
      { authorization: result.explanation, keySpec: 'SYMMETRIC_DEFAULT' },
      { keyArn: undefined, operation: 'ListKeys', responseElements: { Keys: [{ KeyId: 'a' }], Truncated: false } },
      { additionalEventData: { keyMaterialId: 'ab' }, readOnly: false, userAgent: 'aws-cli/2.9 "quoted"', sourceIPAddress: '::1' },
      { caller: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/App/s\u00e9ssion`, roleArn: `arn:aws:iam::${ACCOUNT}:role/App` } },
      { caller: { arn: 's3.amazonaws.com' }, region: 'eu-west-1' },
      { error: { code: 'KMSInternalException', message: undefined as unknown as string }, userAgent: 'line\u2028separator \ud800 lone' },
    ];
    for (const input of inputs) {
      const e = event(input);
      assert.equal(auditEventJson(e), JSON.stringify(e), JSON.stringify(input));
      assert.deepEqual(JSON.parse(auditEventJson(e)), JSON.parse(JSON.stringify(e)));
    }
  });

  it('writes an event it did not build with JSON.stringify, whatever its member order', () => {
    const e = event();
    const { eventName, ...rest } = e;
    const reordered = { ...rest, extra: 1, eventName } as unknown as AuditEvent;
    assert.equal(auditEventJson(reordered), JSON.stringify(reordered));
  });

  it('makes events frozen through, so no holder can change what was recorded', () => {
    const e = event({ requestParameters: { KeyId: 'k', EncryptionContext: { a: 'b' } }, asGiven: true });
    assert.ok(Object.isFrozen(e) && Object.isFrozen(e.requestParameters) && Object.isFrozen(e.requestParameters!['encryptionContext']));
    assert.throws(() => {
      (e as { eventName: string }).eventName = 'Decrypt';
    }, TypeError);
  });

  it('shares one frozen userIdentity among the events of a caller, so a reader cannot change what later events say', () => {
    const [a, b] = [event(), event()];
    assert.equal(a.userIdentity, b.userIdentity);
    assert.ok(Object.isFrozen(a.userIdentity));
    assert.throws(() => {
      (a.userIdentity as { arn?: string }).arn = 'changed';
    }, TypeError);
  });
});

describe('isReadOnlyOperation', () => {
  it('counts cryptographic operations and reads as read-only, changes as not', () => {
    for (const op of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'Sign', 'DescribeKey', 'ListAliases', 'GetKeyPolicy']) assert.equal(isReadOnlyOperation(op), true, op);
    for (const op of ['CreateKey', 'PutKeyPolicy', 'ScheduleKeyDeletion', 'CreateGrant', 'RetireGrant']) assert.equal(isReadOnlyOperation(op), false, op);
  });
});
