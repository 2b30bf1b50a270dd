/**
 * The AWS Encryption SDK for JavaScript (@aws-crypto/client-node) against the local endpoint: a KmsKeyringNode
 * whose client provider points at it encrypts and decrypts messages under two KMS keys (by key ARN) with an
 * encryption context, and the caching materials manager's savings show in the audit log as KMS calls not made.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { buildClient, CommitmentPolicy, getClient, getLocalCryptographicMaterialsCache, KMS, KmsKeyringNode, NodeCachingMaterialsManager } from '@aws-crypto/client-node';
import type { AuditLog } from '../../core/kms/audit/auditLog';
import { ROOT_CREDENTIALS, startTestEndpoint } from '../core/wire/wireHelpers';

const { encrypt, decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
const CONTEXT = { tenant: 'acme', purpose: 'interop' };
const MESSAGES = 5;

/** KMS calls in the audit log by operation, counting only those made after `since` events. */
function callsSince(log: AuditLog, since: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const event of log.read().slice(since)) counts[event.eventName] = (counts[event.eventName] ?? 0) + 1;
  return counts;
}

async function setup() {
  const t = await startTestEndpoint({ folder: true });
  const admin = t.client();
  const generator = (await admin.send(new CreateKeyCommand({ Description: 'esdk generator' }))).KeyMetadata!.Arn!;
  const additional = (await admin.send(new CreateKeyCommand({ Description: 'esdk additional' }))).KeyMetadata!.Arn!;
  // The keyring asks the provider for a client per Region of the key ARNs; every one points at the endpoint.
  const clientProvider = getClient(KMS, { endpoint: t.url, credentials: ROOT_CREDENTIALS });
  const keyring = new KmsKeyringNode({ generatorKeyId: generator, keyIds: [additional], clientProvider });
  return { t, generator, additional, keyring, clientProvider };
}

describe('the AWS Encryption SDK for JavaScript through the endpoint', () => {
  it('encrypts under two key ARNs with an encryption context; either key alone decrypts; another context does not', async () => {
    const { t, generator, additional, keyring, clientProvider } = await setup();
    const plaintext = randomBytes(10_000);
    const before = t.log.read().length;
    const { result } = await encrypt(keyring, plaintext, { encryptionContext: CONTEXT });
    assert.deepEqual(callsSince(t.log, before), { GenerateDataKey: 1, Encrypt: 1 });
    const generated = t.log.read({ operation: 'GenerateDataKey' }).at(-1)!;
    // The message's encryption context goes to KMS with the SDK's own signing-key entry added.
    assert.deepEqual(Object.keys(generated.requestParameters!['encryptionContext'] as object).sort(), ['aws-crypto-public-key', 'purpose', 'tenant']);

    const decrypted = await decrypt(keyring, result);
    assert.deepEqual(decrypted.plaintext, plaintext);
    assert.deepEqual(Object.fromEntries(Object.entries(decrypted.messageHeader.encryptionContext).filter(([k]) => k !== 'aws-crypto-public-key')), CONTEXT);
    assert.equal(decrypted.messageHeader.encryptedDataKeys.length, 2);

    for (const only of [generator, additional]) {
      const single = new KmsKeyringNode({ keyIds: [only], clientProvider });
      assert.deepEqual((await decrypt(single, result)).plaintext, plaintext, `${only} alone decrypts`);
    }
    const tampered = Buffer.from(result);
    tampered[tampered.length - 200] ^= 1;
    await assert.rejects(decrypt(keyring, tampered));
  });

  it('the caching materials manager: the audit log shows the KMS calls it saved', async (test) => {
    const { t, keyring } = await setup();
    const plaintexts = Array.from({ length: MESSAGES }, (_, i) => Buffer.from(`message ${i} `.repeat(100)));

    // Without caching: a data key from KMS per message, and a Decrypt per message.
    let mark = t.log.read().length;
    const uncached = [];
    for (const p of plaintexts) uncached.push((await encrypt(keyring, p, { encryptionContext: CONTEXT })).result);
    for (const [i, message] of uncached.entries()) assert.deepEqual((await decrypt(keyring, message)).plaintext, plaintexts[i]);
    const withoutCache = callsSince(t.log, mark);
    assert.deepEqual(withoutCache, { GenerateDataKey: MESSAGES, Encrypt: MESSAGES, Decrypt: MESSAGES });

    // With a local cache in front of the same keyring: one data key serves every message, and one Decrypt.
    const cmm = new NodeCachingMaterialsManager({
      backingMaterials: keyring,
      cache: getLocalCryptographicMaterialsCache(100),
      maxAge: 60_000,
      maxMessagesEncrypted: 10,
      partition: 'interop',
    });
    mark = t.log.read().length;
    const cached = [];
    for (const p of plaintexts) cached.push((await encrypt(cmm, p, { encryptionContext: CONTEXT })).result);
    for (const [i, message] of cached.entries()) assert.deepEqual((await decrypt(cmm, message)).plaintext, plaintexts[i]);
    const withCache = callsSince(t.log, mark);
    assert.deepEqual(withCache, { GenerateDataKey: 1, Encrypt: 1, Decrypt: 1 });

    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const saved = total(withoutCache) - total(withCache);
    assert.equal(saved, 3 * MESSAGES - 3);
    test.diagnostic(`caching materials manager, ${MESSAGES} messages: ${total(withoutCache)} KMS calls without the cache, ${total(withCache)} with it (${saved} saved)`);

    // maxMessagesEncrypted bounds the reuse: the eleventh message asks KMS for a new data key.
    mark = t.log.read().length;
    for (let i = 0; i < 10 - MESSAGES + 1; i++) await encrypt(cmm, plaintexts[0]!, { encryptionContext: CONTEXT });
    assert.deepEqual(callsSince(t.log, mark), { GenerateDataKey: 1, Encrypt: 1 });
  });
});
