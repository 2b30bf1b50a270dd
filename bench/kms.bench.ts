// kms.sealCiphertext4k.vsNodeCrypto: what the ciphertext format of core/kms/ciphertext.ts costs on top of the
// cipher. Ours is sealCiphertext of 4 KB (the largest Encrypt plaintext) with a two-pair encryption context: a
// per-message HKDF key, the context encoding, the header, AES-256-GCM. The peer is the floor under any
// Encrypt: one raw node:crypto AES-256-GCM seal of 4 KB under a fresh random IV, nothing else.
//
// kms.encrypt4k.vsNodeCrypto: the whole Encrypt as an application in the same process calls it,
// `kms.call('Encrypt', ...)` of 4 KB with an encryption context, as an IAM role whose policy allows Encrypt
// under a condition on that context: request validation, key resolution, the key policy and the IAM policy
// evaluated, the key state table, the ciphertext format and the audit event, against the same raw node:crypto
// AES-256-GCM seal. The headline runs on a MemoryStore with a MemoryAuditLog (the KMS's own cost); the notes
// add the FolderStore with its file audit log on tmpfs, which is what `kms-studio kms` and VS Code use, so the
// cost of reading the key file and appending the log line per call shows apart from the KMS's logic.
import { createCipheriv, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditRecorder, FileAuditLog, MemoryAuditLog, type AuditLog } from '../core/kms/audit/auditLog';
import { openCiphertext, parseCiphertext, sealCiphertext } from '../core/kms/ciphertext';
import { systemClock } from '../core/kms/clock';
import { nobleAesGcm, type AesGcm } from '../core/kms/crypto/aesGcm';
import { Kms, callerFromIdentity, rootCaller, validateKeyRecord, type Caller, type KeyRecord } from '../core/kms/service';
import { FolderStore } from '../core/kms/store/folderStore';
import type { AliasRecord, KmsStore } from '../core/kms/store/kmsStore';
import { MemoryStore } from '../core/kms/store/memoryStore';
import { asyncOpsPerSecond, opsPerSecond, type Benchmark, type BenchResult } from './harness';

const PLAINTEXT_BYTES = 4096;
const ROUNDS = 5;
const ROUND_MS = 600;
const CONTEXT = { department: 'payments', purpose: 'bench' };

/**
 * One raw AES-256-GCM seal of 4 KB per call through node:crypto, with a fresh random 96-bit IV and no AAD: the
 * least any Encrypt of 4 KB can cost. Returns the function to time; key and plaintext are made once.
 */
export function rawAes256Gcm4k(): () => Uint8Array {
  const key = randomBytes(32);
  const plaintext = randomBytes(PLAINTEXT_BYTES);
  return () => {
    const cipher = createCipheriv('aes-256-gcm', key, randomBytes(12), { authTagLength: 16 });
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  };
}

/** One sealCiphertext of 4 KB with a two-pair encryption context per call, with the AES-GCM given (node:crypto by default). */
export function sealCiphertext4k(aes?: AesGcm): () => Uint8Array {
  const input = {
    keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
    materialId: randomBytes(32).toString('hex'),
    key: randomBytes(32),
    plaintext: randomBytes(PLAINTEXT_BYTES),
    encryptionContext: CONTEXT,
    ...(aes ? { aes } : {}),
  };
  return () => sealCiphertext(input);
}

async function run(): Promise<BenchResult> {
  const ours = sealCiphertext4k();
  const peer = rawAes256Gcm4k();
  const portable = sealCiphertext4k(nobleAesGcm);
  // A figure for a blob that does not open would mean nothing: check the round trip before timing.
  const probe = sealCiphertext({ keyId: '1234abcd-12ab-34cd-56ef-1234567890ab', materialId: 'ab'.repeat(32), key: new Uint8Array(32), plaintext: new Uint8Array(PLAINTEXT_BYTES), encryptionContext: CONTEXT });
  if (openCiphertext(parseCiphertext(probe), new Uint8Array(32), CONTEXT).length !== PLAINTEXT_BYTES) throw new Error('sealCiphertext output does not open');

  const oursRates: number[] = [];
  const peerRates: number[] = [];
  const portableRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRates.push(opsPerSecond(ours, ROUND_MS));
    peerRates.push(opsPerSecond(peer, ROUND_MS));
    if (round < 2) portableRates.push(opsPerSecond(portable, ROUND_MS / 2));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const o = median(oursRates);
  const p = median(peerRates);
  return {
    ours: o,
    peer: p,
    unit: 'seals/s',
    better: 'higher',
    notes: {
      'ours, microseconds per 4 KB seal': Number((1e6 / o).toFixed(2)),
      'peer, microseconds per 4 KB seal': Number((1e6 / p).toFixed(2)),
      'format overhead, microseconds per seal': Number((1e6 / o - 1e6 / p).toFixed(2)),
      'ours with the portable @noble/ciphers AES-GCM, seals/s': Math.round(median(portableRates)),
      'blob bytes for 4096 bytes of plaintext': probe.length,
    },
  };
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const WARM_UP_MS = 1500;

/** An application role allowed to Encrypt only with its purpose in the encryption context, as least privilege has it. */
export const APP_CALLER: Caller = callerFromIdentity({
  principal: `arn:aws:iam::${ACCOUNT}:role/App`,
  accessKeyId: 'AKIABENCHAPPROLE0001',
  secretAccessKey: 'bench',
  policies: [
    {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'bench' } } }],
    },
  ],
  tags: {},
});

type Store = KmsStore<KeyRecord, AliasRecord>;

/** A KMS on `store` writing its audit events to `log`, on real time. */
function kmsOn(store: Store, log: AuditLog): Kms {
  return new Kms({ store, clock: systemClock, audit: new AuditRecorder(log, systemClock), defaultRegion: REGION, account: ACCOUNT });
}

export interface EncryptSetup {
  keyId: string;
  kms: Kms;
  /** One Encrypt of 4 KB with a two-pair encryption context, as the application role unless told otherwise. */
  encrypt(caller?: Caller): Promise<unknown>;
  cleanup(): void;
}

/** A symmetric key on `store`, and an Encrypt of 4 KB with the bench context through `kms.call`. */
export async function encrypt4kSetup(store: Store, log: AuditLog, cleanup: () => void = () => {}): Promise<EncryptSetup> {
  const kms = kmsOn(store, log);
  const created = (await kms.call('CreateKey', {}, rootCaller(ACCOUNT))) as { KeyMetadata: { KeyId: string } };
  const keyId = created.KeyMetadata.KeyId;
  const plaintext = new Uint8Array(randomBytes(PLAINTEXT_BYTES));
  const request = { KeyId: keyId, Plaintext: plaintext, EncryptionContext: CONTEXT };
  // A figure for ciphertext that does not decrypt would mean nothing: check the round trip before timing.
  const probe = (await kms.call('Encrypt', request, APP_CALLER)) as { CiphertextBlob: Uint8Array };
  const opened = (await kms.call('Decrypt', { CiphertextBlob: probe.CiphertextBlob, EncryptionContext: CONTEXT }, APP_CALLER)) as { Plaintext: Uint8Array };
  if (Buffer.compare(Buffer.from(opened.Plaintext), Buffer.from(plaintext)) !== 0) throw new Error('Encrypt output does not decrypt to the plaintext');
  return {
    keyId,
    kms,
    encrypt: (caller = APP_CALLER) => kms.call('Encrypt', request, caller),
    cleanup,
  };
}

/** Where the FolderStore variant runs: tmpfs where there is one (/dev/shm), so the figure is the store's CPU cost, not the disk's. */
function scratchBase(): { base: string; where: string } {
  if (fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory()) return { base: '/dev/shm', where: 'tmpfs (/dev/shm)' };
  return { base: os.tmpdir(), where: `${os.tmpdir()} (not tmpfs)` };
}

function folderStoreSetup(base: string): Promise<EncryptSetup> {
  const dir = fs.mkdtempSync(path.join(base, 'kms-studio-bench-'));
  const store = FolderStore.open<KeyRecord>(dir, new Uint8Array(randomBytes(32)), { validateKeyRecord });
  return encrypt4kSetup(store, new FileAuditLog(store.auditDir), () => fs.rmSync(dir, { recursive: true, force: true }));
}

async function runEncrypt(): Promise<BenchResult> {
  // The in-memory log keeps every event (a few MB over the run): the cost of recording one is what is measured.
  const memory = await encrypt4kSetup(new MemoryStore<KeyRecord>(), new MemoryAuditLog());
  const scratch = scratchBase();
  const folder = await folderStoreSetup(scratch.base);
  const peer = rawAes256Gcm4k();
  const root = rootCaller(ACCOUNT);
  const oursRates: number[] = [];
  const peerRates: number[] = [];
  const rootRates: number[] = [];
  const folderRates: number[] = [];
  try {
    // The Encrypt path runs through far more code than the peer: let the JIT settle before the first timed round,
    // or the first rounds measure compilation.
    await asyncOpsPerSecond(() => memory.encrypt(), WARM_UP_MS);
    await asyncOpsPerSecond(() => memory.encrypt(root), WARM_UP_MS / 4);
    await asyncOpsPerSecond(() => folder.encrypt(), WARM_UP_MS / 4);
    opsPerSecond(peer, WARM_UP_MS / 4);
    for (let round = 0; round < ROUNDS; round++) {
      oursRates.push(await asyncOpsPerSecond(() => memory.encrypt(), ROUND_MS));
      peerRates.push(opsPerSecond(peer, ROUND_MS));
      if (round < 3) {
        rootRates.push(await asyncOpsPerSecond(() => memory.encrypt(root), ROUND_MS / 2));
        folderRates.push(await asyncOpsPerSecond(() => folder.encrypt(), ROUND_MS / 2));
      }
    }
  } finally {
    folder.cleanup();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const o = median(oursRates);
  const p = median(peerRates);
  const f = median(folderRates);
  return {
    ours: o,
    peer: p,
    unit: 'encrypts/s',
    better: 'higher',
    notes: {
      'ours, microseconds per Encrypt of 4 KB (MemoryStore, MemoryAuditLog, IAM role with a condition)': Number((1e6 / o).toFixed(2)),
      'peer, microseconds per raw AES-256-GCM seal of 4 KB': Number((1e6 / p).toFixed(2)),
      'ours as the root user (key policy only), encrypts/s': Math.round(median(rootRates)),
      [`ours on a FolderStore with its file audit log on ${scratch.where}, encrypts/s`]: Math.round(f),
      'FolderStore ratio ours/peer': Number((f / p).toFixed(4)),
      'rounds (ours, peer)': `${oursRates.map(Math.round).join(' ')} | ${peerRates.map(Math.round).join(' ')}`,
    },
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'kms.sealCiphertext4k.vsNodeCrypto',
    description: 'sealCiphertext of 4 KB with an encryption context vs one raw node:crypto AES-256-GCM seal of 4 KB',
    run,
  },
  {
    name: 'kms.encrypt4k.vsNodeCrypto',
    description: "kms.call('Encrypt') of 4 KB with an encryption context (authorization, key state, audit) vs one raw node:crypto AES-256-GCM seal of 4 KB",
    run: runEncrypt,
  },
];
