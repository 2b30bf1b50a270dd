/**
 * Every documented limit of the operations implemented, at the limit (accepted) and one past it (refused with
 * AWS's exception), as a table.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { KmsError } from '../../../../core/kms/errors';
import type { Kms } from '../../../../core/kms/service';
import { ACCOUNT, ROOT, harness, rejectsWith } from './helpers';

interface Limit {
  name: string;
  /** A call at the limit, which must succeed. */
  within?: (kms: Kms, keyId: string) => Promise<unknown>;
  /** A call past it, and how AWS refuses it. */
  beyond: (kms: Kms, keyId: string) => Promise<unknown>;
  exception: string;
  message: RegExp;
}

const n = (length: number) => new Uint8Array(length);
const ROOT_POLICY = (sid: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] });
const policyOfBytes = (size: number) => ROOT_POLICY('x'.repeat(size - ROOT_POLICY('').length));

const LIMITS: Limit[] = [
  { name: 'Encrypt takes at most 4096 bytes of plaintext', within: (kms, KeyId) => kms.encrypt({ KeyId, Plaintext: n(4096) }, ROOT), beyond: (kms, KeyId) => kms.encrypt({ KeyId, Plaintext: n(4097) }, ROOT), exception: 'ValidationException', message: /^1 validation error detected: Value 'java\.nio\.HeapByteBuffer' at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096$/ },
  { name: 'Encrypt takes at least 1 byte of plaintext', within: (kms, KeyId) => kms.encrypt({ KeyId, Plaintext: n(1) }, ROOT), beyond: (kms, KeyId) => kms.encrypt({ KeyId, Plaintext: n(0) }, ROOT), exception: 'ValidationException', message: /at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1/ },
  { name: 'a CiphertextBlob is at most 6144 bytes', beyond: (kms) => kms.decrypt({ CiphertextBlob: n(6145) }, ROOT), exception: 'ValidationException', message: /at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144/ },
  { name: 'GenerateDataKey takes NumberOfBytes up to 1024', within: (kms, KeyId) => kms.generateDataKey({ KeyId, NumberOfBytes: 1024 }, ROOT), beyond: (kms, KeyId) => kms.generateDataKey({ KeyId, NumberOfBytes: 1025 }, ROOT), exception: 'ValidationException', message: /Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024/ },
  { name: 'GenerateDataKey takes NumberOfBytes from 1', within: (kms, KeyId) => kms.generateDataKey({ KeyId, NumberOfBytes: 1 }, ROOT), beyond: (kms, KeyId) => kms.generateDataKey({ KeyId, NumberOfBytes: 0 }, ROOT), exception: 'ValidationException', message: /Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1/ },
  { name: 'GenerateDataKey needs KeySpec or NumberOfBytes', beyond: (kms, KeyId) => kms.generateDataKey({ KeyId }, ROOT), exception: 'ValidationException', message: /^Please specify either number of bytes or key spec\.$/ },
  { name: 'GenerateDataKey takes only one of KeySpec and NumberOfBytes', beyond: (kms, KeyId) => kms.generateDataKey({ KeyId, KeySpec: 'AES_256', NumberOfBytes: 32 }, ROOT), exception: 'ValidationException', message: /^Please specify either number of bytes or key spec\.$/ },
  { name: 'GenerateDataKeyWithoutPlaintext takes only one of KeySpec and NumberOfBytes', beyond: (kms, KeyId) => kms.generateDataKeyWithoutPlaintext({ KeyId, KeySpec: 'AES_128', NumberOfBytes: 16 }, ROOT), exception: 'ValidationException', message: /^Please specify either/ },
  { name: 'GenerateRandom takes NumberOfBytes up to 1024', within: (kms) => kms.generateRandom({ NumberOfBytes: 1024 }, ROOT), beyond: (kms) => kms.generateRandom({ NumberOfBytes: 1025 }, ROOT), exception: 'ValidationException', message: /at 'numberOfBytes'/ },
  { name: 'ScheduleKeyDeletion waits at least 7 days', within: (kms, KeyId) => kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 7 }, ROOT), beyond: (kms, KeyId) => kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 6 }, ROOT), exception: 'ValidationException', message: /^1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7$/ },
  { name: 'ScheduleKeyDeletion waits at most 30 days', within: (kms, KeyId) => kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 30 }, ROOT), beyond: (kms, KeyId) => kms.scheduleKeyDeletion({ KeyId, PendingWindowInDays: 31 }, ROOT), exception: 'ValidationException', message: /Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30/ },
  { name: 'a rotation period is at least 90 days', beyond: (kms, KeyId) => kms.call('EnableKeyRotation', { KeyId, RotationPeriodInDays: 89 }, ROOT), exception: 'ValidationException', message: /Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90/ },
  { name: 'a rotation period is at most 2560 days', beyond: (kms, KeyId) => kms.call('EnableKeyRotation', { KeyId, RotationPeriodInDays: 2561 }, ROOT), exception: 'ValidationException', message: /at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560/ },
  { name: 'a request carries at most 10 grant tokens', beyond: (kms, KeyId) => kms.describeKey({ KeyId, GrantTokens: Array.from({ length: 11 }, () => 't') }, ROOT), exception: 'ValidationException', message: /at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10/ },
  { name: 'a key policy is at most 32768 bytes', within: (kms, KeyId) => kms.putKeyPolicy({ KeyId, Policy: policyOfBytes(32768) }, ROOT), beyond: (kms, KeyId) => kms.putKeyPolicy({ KeyId, Policy: policyOfBytes(32769) }, ROOT), exception: 'MalformedPolicyDocumentException', message: /at most 32768 bytes/ },
  { name: 'a description is at most 8192 characters', within: (kms, KeyId) => kms.updateKeyDescription({ KeyId, Description: 'd'.repeat(8192) }, ROOT), beyond: (kms, KeyId) => kms.updateKeyDescription({ KeyId, Description: 'd'.repeat(8193) }, ROOT), exception: 'ValidationException', message: /at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192/ },
  { name: 'an alias name is alias/ and [a-zA-Z0-9:/_-]', within: (kms, TargetKeyId) => kms.createAlias({ AliasName: 'alias/a-Z_0:9/x', TargetKeyId }, ROOT), beyond: (kms, TargetKeyId) => kms.createAlias({ AliasName: 'alias/a.b', TargetKeyId }, ROOT), exception: 'ValidationException', message: /at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: \^\[a-zA-Z0-9:\/_-\]\+\$/ },
  { name: 'an alias name begins with alias/', beyond: (kms, TargetKeyId) => kms.createAlias({ AliasName: 'aliases/x', TargetKeyId }, ROOT), exception: 'ValidationException', message: /^Alias must start with the prefix "alias\/"/ },
  { name: 'an alias name is at most 256 characters', within: (kms, TargetKeyId) => kms.createAlias({ AliasName: `alias/${'a'.repeat(250)}`, TargetKeyId }, ROOT), beyond: (kms, TargetKeyId) => kms.createAlias({ AliasName: `alias/${'a'.repeat(251)}`, TargetKeyId }, ROOT), exception: 'ValidationException', message: /at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256/ },
  { name: 'alias/aws/ is reserved for AWS managed keys', beyond: (kms, TargetKeyId) => kms.createAlias({ AliasName: 'alias/aws/custom', TargetKeyId }, ROOT), exception: 'NotAuthorizedException', message: /^$/ },
  { name: 'a key has at most 50 tags', within: (kms, KeyId) => kms.tagResource({ KeyId, Tags: Array.from({ length: 50 }, (_, i) => ({ TagKey: `t${i}`, TagValue: '' })) }, ROOT), beyond: (kms) => kms.createKey({ Tags: Array.from({ length: 51 }, (_, i) => ({ TagKey: `t${i}`, TagValue: '' })) }, ROOT), exception: 'TagException', message: /at most 50/ },
  { name: 'a tag key is at most 128 characters', beyond: (kms, KeyId) => kms.tagResource({ KeyId, Tags: [{ TagKey: 'k'.repeat(129), TagValue: '' }] }, ROOT), exception: 'ValidationException', message: /at 'tags\.1\.member\.tagKey' failed to satisfy constraint: Member must have length less than or equal to 128/ },
];

describe('Limits', () => {
  for (const limit of LIMITS) {
    it(limit.name, async () => {
      const { kms } = harness();
      const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
      if (limit.within) await limit.within(kms, KeyId);
      const error = await rejectsWith(limit.beyond(kms, KeyId), limit.exception, limit.message);
      assert.ok(error instanceof KmsError);
    });
  }

  it('a rotation period of 90 and of 2560 days is accepted', async () => {
    const { kms } = harness();
    const { KeyId } = (await kms.createKey({}, ROOT)).KeyMetadata;
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 90 }, ROOT);
    assert.equal((await kms.getKeyRotationStatus({ KeyId }, ROOT)).RotationPeriodInDays, 90);
    await kms.enableKeyRotation({ KeyId, RotationPeriodInDays: 2560 }, ROOT);
    assert.equal((await kms.getKeyRotationStatus({ KeyId }, ROOT)).RotationPeriodInDays, 2560);
  });
});
