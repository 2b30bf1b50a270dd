// kms.sealCiphertext4k.vsNodeCrypto: what the ciphertext format of core/kms/ciphertext.ts costs on top of the
// cipher. Ours is sealCiphertext of 4 KB (the largest Encrypt plaintext) with a two-pair encryption context: a
// per-message HKDF key, the context encoding, the header, AES-256-GCM. The peer is the floor under any
// Encrypt: one raw node:crypto AES-256-GCM seal of 4 KB under a fresh random IV, nothing else. The whole KMS
// benchmark (Encrypt through the KMS API, authorization included) builds on the helpers exported here.
import { createCipheriv, randomBytes } from 'node:crypto';
import { openCiphertext, parseCiphertext, sealCiphertext } from '../core/kms/ciphertext';
import { nobleAesGcm, type AesGcm } from '../core/kms/crypto/aesGcm';
import { opsPerSecond, type Benchmark, type BenchResult } from './harness';

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

export const benchmarks: Benchmark[] = [
  {
    name: 'kms.sealCiphertext4k.vsNodeCrypto',
    description: 'sealCiphertext of 4 KB with an encryption context vs one raw node:crypto AES-256-GCM seal of 4 KB',
    run,
  },
];
