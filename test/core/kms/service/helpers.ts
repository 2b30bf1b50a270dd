import * as assert from 'node:assert/strict';
import { AuditRecorder, MemoryAuditLog } from '../../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../../core/kms/clock';
import { isRsaKeySpec, type DataKeyPairSpec, type KeySpec } from '../../../../core/kms/crypto/algorithms';
import { generateKeyMaterial, generateKeyPair, type KeyMaterial, type KeyPair } from '../../../../core/kms/crypto/keyMaterial';
import { KmsError } from '../../../../core/kms/errors';
import { MemoryStore } from '../../../../core/kms/store/memoryStore';
import type { AliasRecord, KmsStore } from '../../../../core/kms/store/kmsStore';
import { Kms, rootCaller, type Caller, type KeyRecord, type KmsLimits } from '../../../../core/kms/service';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'us-east-1';
export const ROOT: Caller = rootCaller(ACCOUNT);

/**
 * RSA key generation takes from tens of milliseconds (2048) to seconds (4096) of CPU, so each test process
 * generates one pair per RSA spec and hands out copies. Distinct KMS keys then share RSA material, which no
 * test here depends on being distinct.
 */
const rsaPairs = new Map<string, KeyPair>();
function rsaPair(spec: KeySpec): KeyPair {
  let pair = rsaPairs.get(spec);
  if (!pair) {
    pair = generateKeyPair(spec as 'RSA_2048');
    rsaPairs.set(spec, pair);
  }
  return { privateKey: pair.privateKey.slice(), publicKey: pair.publicKey.slice() };
}

export function reusingKeyMaterial(spec: KeySpec): KeyMaterial {
  return isRsaKeySpec(spec) ? { keySpec: spec, ...rsaPair(spec) } : generateKeyMaterial(spec);
}

export function reusingDataKeyPair(spec: DataKeyPairSpec): KeyPair {
  return isRsaKeySpec(spec) ? rsaPair(spec) : generateKeyPair(spec);
}

/** GetParametersForImport's wrapping key pairs, from the same shared RSA pairs. */
export function reusingWrappingKeyPair(spec: string): KeyPair {
  return rsaPair(spec as KeySpec);
}

export interface Harness {
  kms: Kms;
  store: KmsStore<KeyRecord, AliasRecord>;
  clock: ManualClock;
  log: MemoryAuditLog;
}

/** A KMS on a MemoryStore with a ManualClock and an in-memory audit log. */
export function harness(store: KmsStore<KeyRecord, AliasRecord> = new MemoryStore<KeyRecord>(), limits?: Partial<KmsLimits>): Harness {
  const clock = new ManualClock('2024-01-01T00:00:00.000Z');
  const log = new MemoryAuditLog();
  const kms = new Kms({
    store,
    clock,
    audit: new AuditRecorder(log, clock),
    defaultRegion: REGION,
    account: ACCOUNT,
    crypto: { generateKeyMaterial: reusingKeyMaterial, generateDataKeyPair: reusingDataKeyPair, generateWrappingKeyPair: reusingWrappingKeyPair },
    ...(limits ? { limits } : {}),
  });
  return { kms, store, clock, log };
}

/** Asserts that `promise` rejects with the AWS exception `name` and, when given, exactly `message`. */
export async function rejectsWith(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<KmsError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof KmsError, `expected ${name}, got ${caught === undefined ? 'success' : String(caught)}`);
  assert.equal(caught.name, name, `expected ${name}, got ${caught.name}: ${caught.message}`);
  if (typeof message === 'string') assert.equal(caught.message, message);
  else if (message) assert.match(caught.message, message);
  return caught;
}

export const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
export const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');

/** A caller that is an IAM user of `account` with the given IAM policy statements. */
export function iamUser(name: string, statements: object[], account = ACCOUNT, context?: Caller['context']): Caller {
  return {
    principal: `arn:aws:iam::${account}:user/${name}`,
    policies: statements.length > 0 ? [{ name: `${name}-policy`, document: { Version: '2012-10-17', Statement: statements } }] : [],
    ...(context ? { context } : {}),
  };
}

/** Rewrites a stored key's record: how tests put a key in a state no API call leads to. */
export function patchKey(store: KmsStore<KeyRecord, AliasRecord>, keyId: string, patch: Partial<KeyRecord>, region = REGION): KeyRecord {
  const stored = store.readKey(region, keyId);
  assert.ok(stored, `no key ${keyId}`);
  const record = { ...stored.record, ...patch };
  store.writeKey(region, keyId, record);
  return record;
}

/** A caller that is the IAM role session `role` of `account`. */
export function roleSession(role: string, account = ACCOUNT, statements: object[] = []): Caller {
  return {
    principal: `arn:aws:sts::${account}:assumed-role/${role}/session`,
    roleArn: `arn:aws:iam::${account}:role/${role}`,
    policies: statements.length > 0 ? [{ name: `${role}-policy`, document: { Version: '2012-10-17', Statement: statements } }] : [],
  };
}
