/**
 * Double encryption with a KMS key in an external key store (AWS KMS Developer Guide, "External key stores",
 * "Double encryption"): the data is encrypted first under the KMS key's own material inside AWS KMS, then the
 * result is encrypted again under the external key by the external key store proxy. Decryption undoes the layers
 * in the opposite order. Neither side alone can decrypt: the external key's owner can cut AWS off by taking the
 * proxy or the key away, and the proxy never sees plaintext.
 *
 * Here the inner layer is the usual version 1 ciphertext blob (core/kms/ciphertext.ts) under the key's material;
 * the outer layer replaces its sealed part (ciphertext and tag) with the proxy's AES-GCM encryption of it, with
 * the 78-byte header as additional authenticated data:
 *
 *   header (78) || proxy IV (12) || proxy tag (16) || proxy ciphertext of (inner ciphertext || inner tag)
 *
 * The header stays in the clear, so Decrypt still finds the key and the material from the blob alone. A
 * 4096-byte plaintext makes a 4218-byte blob, within AWS's 6144-byte CiphertextBlob.
 *
 * When the proxy cannot be reached, answers too slowly or refuses, the operation fails with
 * KMSInvalidStateException: AWS answers every failure of a cryptographic operation that comes from the external
 * key store's configuration or connection that way, the message saying which ("Troubleshooting external key
 * stores").
 */
import { HEADER_BYTES } from '../ciphertext';
import { GCM_IV_BYTES, GCM_TAG_BYTES } from '../crypto/aesGcm';
import { concatBytes } from '../crypto/bytes';
import { KmsError } from '../errors';
import type { CallContext, ResolvedKey } from './callContext';
import type { CustomKeyStoreRecord } from './customKeyStores';
import { invalidCiphertext } from './serviceErrors';
import { XksProxyError, type XksPresentedCredential, type XksProxy } from './xksProxy';

const OUTER_OVERHEAD = GCM_IV_BYTES + GCM_TAG_BYTES;

export function isExternalKeyStoreKey(key: ResolvedKey): boolean {
  return key.record.origin === 'EXTERNAL_KEY_STORE';
}

/** The proxy of a custom key store and the credential to present to it; throws as AWS does when there is none. */
export function proxyOf(ctx: CallContext, store: CustomKeyStoreRecord): { proxy: XksProxy; credential: XksPresentedCredential } {
  const proxy = ctx.parts.xks.find(store.uriEndpoint, store.uriPath);
  if (!proxy) throw unreachable(store);
  return { proxy, credential: { accessKeyId: store.accessKeyId, secretDigest: store.secretDigest } };
}

function unreachable(store: CustomKeyStoreRecord): KmsError {
  return new KmsError('KMSInvalidStateException', `KMS cannot reach the external key store proxy of custom key store ${store.id} at ${store.uriEndpoint}${store.uriPath}.`);
}

/** A failure of the proxy during a cryptographic operation, as AWS reports it. */
export function proxyFailure(store: CustomKeyStoreRecord, error: unknown): KmsError {
  if (!(error instanceof XksProxyError)) throw error;
  if (error.failure === 'INVALID_CIPHERTEXT') return invalidCiphertext();
  if (error.failure === 'UNREACHABLE') return unreachable(store);
  return new KmsError('KMSInvalidStateException', `${error.message} (custom key store ${store.id})`);
}

function storeOf(ctx: CallContext, key: ResolvedKey): CustomKeyStoreRecord {
  const store = key.record.customKeyStoreId ? ctx.parts.customKeyStores.get(key.record.region, key.record.account, key.record.customKeyStoreId) : undefined;
  if (!store) throw new KmsError('KMSInternalException', `The custom key store of ${key.record.arn} is missing from the store.`);
  // Keys of a disconnected store are Unavailable, which the key state table refuses before this; a store that
  // failed to connect refuses the same way.
  if (store.connectionState !== 'CONNECTED') throw new KmsError('KMSInvalidStateException', `${key.record.arn} is unavailable: custom key store ${store.id} is not connected.`);
  return store;
}

/** The outer layer over an inner version 1 blob. */
export function sealOuter(ctx: CallContext, key: ResolvedKey, inner: Uint8Array): Uint8Array {
  const store = storeOf(ctx, key);
  const { proxy, credential } = proxyOf(ctx, store);
  const header = inner.subarray(0, HEADER_BYTES);
  try {
    const { result, latency } = proxy.encrypt(credential, key.record.xksKeyId!, inner.subarray(HEADER_BYTES), header);
    ctx.xksLatencyMs += latency;
    return concatBytes(header, result.iv, result.tag, result.ciphertext);
  } catch (error) {
    throw proxyFailure(store, error);
  } finally {
    // The inner blob opens with the KMS's own material alone: once wrapped (or not), nothing may keep it.
    inner.fill(0);
  }
}

/** The inner version 1 blob of an outer one. */
export function openOuter(ctx: CallContext, key: ResolvedKey, blob: Uint8Array): Uint8Array {
  const store = storeOf(ctx, key);
  if (blob.length < HEADER_BYTES + OUTER_OVERHEAD + GCM_TAG_BYTES + 1) throw invalidCiphertext();
  const { proxy, credential } = proxyOf(ctx, store);
  const header = blob.subarray(0, HEADER_BYTES);
  const iv = blob.subarray(HEADER_BYTES, HEADER_BYTES + GCM_IV_BYTES);
  const tag = blob.subarray(HEADER_BYTES + GCM_IV_BYTES, HEADER_BYTES + OUTER_OVERHEAD);
  try {
    const { plaintext, latency } = proxy.decrypt(credential, key.record.xksKeyId!, { iv, tag, ciphertext: blob.subarray(HEADER_BYTES + OUTER_OVERHEAD) }, header);
    ctx.xksLatencyMs += latency;
    return concatBytes(header, plaintext);
  } catch (error) {
    throw proxyFailure(store, error);
  }
}
