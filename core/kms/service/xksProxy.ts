/**
 * An external key store proxy, simulated in process (AWS KMS Developer Guide, "External key stores"; the XKS
 * Proxy API specification). A real proxy is an HTTPS service in front of an external key manager; this one holds
 * its external keys (AES-256, by XksKeyId) in memory and answers the calls the KMS makes of a proxy: health
 * status, key metadata, encrypt and decrypt with AES-256-GCM.
 *
 * What makes external key stores worth simulating is that the KMS keys in them depend on something outside AWS:
 * the proxy can be slow or down, and then every cryptographic operation with those keys fails. `available` and
 * `latencyMs` are settable for that, by tests and by the UI. The KMS waits for a proxy at most
 * XKS_PROXY_TIMEOUT_MS, the 250 milliseconds AWS allows a proxy to answer.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** AWS KMS waits 250 ms for an external key store proxy to answer (Developer Guide, "External key stores"). */
export const XKS_PROXY_TIMEOUT_MS = 250;

export type XksProxyFailure = 'UNREACHABLE' | 'TIMED_OUT' | 'KEY_NOT_FOUND' | 'KEY_DISABLED' | 'INVALID_CIPHERTEXT' | 'AUTHENTICATION_FAILED';

/** A call to the proxy that did not succeed, named after what the KMS sees. */
export class XksProxyError extends Error {
  constructor(
    readonly failure: XksProxyFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface XksCredential {
  AccessKeyId: string;
  RawSecretAccessKey: string;
}

/** What the KMS presents to the proxy: the access key ID and a digest of the secret (see customKeyStores.ts). */
export interface XksPresentedCredential {
  accessKeyId: string;
  secretDigest: string;
}

export function secretDigest(secret: string): string {
  return createHash('sha256').update('kms-studio/xks-credential/v1\n').update(secret, 'utf8').digest('hex');
}

export interface XksProxyOptions {
  /** `https://` and a host name: the XksProxyUriEndpoint a custom key store names. */
  uriEndpoint: string;
  /** The XksProxyUriPath; `/kms/xks/v1` unless given. */
  uriPath?: string;
  /** The proxy authentication credential it accepts; any credential when absent. */
  credential?: XksCredential;
  latencyMs?: number;
  available?: boolean;
}

export interface XksEncrypted {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
}

interface ExternalKey {
  key: Uint8Array;
  enabled: boolean;
}

export class XksProxy {
  readonly uriEndpoint: string;
  readonly uriPath: string;
  readonly credential: XksCredential | undefined;
  /** How long each call takes, in milliseconds; past XKS_PROXY_TIMEOUT_MS the KMS gives up on it. */
  latencyMs: number;
  /** False: the proxy does not answer at all (down, or unreachable from AWS). */
  available: boolean;
  private readonly keys = new Map<string, ExternalKey>();
  /** Calls the proxy answered, for tests and the UI to see the dependency at work. */
  calls = 0;

  constructor(options: XksProxyOptions) {
    this.uriEndpoint = options.uriEndpoint;
    this.uriPath = options.uriPath ?? '/kms/xks/v1';
    this.credential = options.credential;
    this.latencyMs = options.latencyMs ?? 0;
    this.available = options.available ?? true;
  }

  /** Creates an external key (random AES-256 unless `key` is given) in the external key manager. */
  createKey(xksKeyId: string, key?: Uint8Array): void {
    if (this.keys.has(xksKeyId)) throw new Error(`the external key ${xksKeyId} already exists`);
    const bytes = key ? new Uint8Array(key) : new Uint8Array(randomBytes(32));
    if (bytes.length !== 32) throw new RangeError('an external key for AWS KMS is AES-256: 32 bytes');
    this.keys.set(xksKeyId, { key: bytes, enabled: true });
  }

  /** Disables or enables an external key in the external key manager, outside AWS's control. */
  setKeyEnabled(xksKeyId: string, enabled: boolean): void {
    const key = this.keys.get(xksKeyId);
    if (!key) throw new Error(`no external key ${xksKeyId}`);
    key.enabled = enabled;
  }

  deleteKey(xksKeyId: string): void {
    this.keys.get(xksKeyId)?.key.fill(0);
    this.keys.delete(xksKeyId);
  }

  /** The proxy's answer time for one call; throws when it does not answer. */
  private answer(): number {
    if (!this.available) throw new XksProxyError('UNREACHABLE', `The external key store proxy at ${this.uriEndpoint}${this.uriPath} is not reachable.`);
    if (this.latencyMs > XKS_PROXY_TIMEOUT_MS) {
      throw new XksProxyError('TIMED_OUT', `The external key store proxy at ${this.uriEndpoint}${this.uriPath} did not respond within ${XKS_PROXY_TIMEOUT_MS} milliseconds.`);
    }
    this.calls++;
    return this.latencyMs;
  }

  private authenticate(credential: XksPresentedCredential): void {
    if (this.credential && (this.credential.AccessKeyId !== credential.accessKeyId || secretDigest(this.credential.RawSecretAccessKey) !== credential.secretDigest)) {
      throw new XksProxyError('AUTHENTICATION_FAILED', 'The external key store proxy rejected the proxy authentication credential.');
    }
  }

  private usableKey(xksKeyId: string): ExternalKey {
    const key = this.keys.get(xksKeyId);
    if (!key) throw new XksProxyError('KEY_NOT_FOUND', `The external key store proxy has no external key ${xksKeyId}.`);
    if (!key.enabled) throw new XksProxyError('KEY_DISABLED', `The external key ${xksKeyId} is disabled in the external key manager.`);
    return key;
  }

  /** GetHealthStatus: returns the latency; throws when unreachable, slow or refusing the credential. */
  healthStatus(credential: XksPresentedCredential): number {
    const latency = this.answer();
    this.authenticate(credential);
    return latency;
  }

  /** GetKeyMetadata: whether the external key exists and can encrypt; returns the latency. */
  keyMetadata(credential: XksPresentedCredential, xksKeyId: string): number {
    const latency = this.answer();
    this.authenticate(credential);
    this.usableKey(xksKeyId);
    return latency;
  }

  /** Encrypt: AES-256-GCM under the external key, with the KMS's additional authenticated data. */
  encrypt(credential: XksPresentedCredential, xksKeyId: string, plaintext: Uint8Array, aad: Uint8Array): { result: XksEncrypted; latency: number } {
    const latency = this.answer();
    this.authenticate(credential);
    const { key } = this.usableKey(xksKeyId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { result: { ciphertext: new Uint8Array(ciphertext), iv: new Uint8Array(iv), tag: new Uint8Array(cipher.getAuthTag()) }, latency };
  }

  decrypt(credential: XksPresentedCredential, xksKeyId: string, encrypted: XksEncrypted, aad: Uint8Array): { plaintext: Uint8Array; latency: number } {
    const latency = this.answer();
    this.authenticate(credential);
    const { key } = this.usableKey(xksKeyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.iv);
      decipher.setAAD(aad);
      decipher.setAuthTag(encrypted.tag);
      return { plaintext: new Uint8Array(Buffer.concat([decipher.update(encrypted.ciphertext), decipher.final()])), latency };
    } catch {
      throw new XksProxyError('INVALID_CIPHERTEXT', 'The external key store proxy could not decrypt the ciphertext.');
    }
  }
}

/** The proxies a KMS can reach, by endpoint and path. */
export class XksProxyRegistry {
  private readonly proxies = new Map<string, XksProxy>();

  register(proxy: XksProxy): void {
    this.proxies.set(proxy.uriEndpoint + proxy.uriPath, proxy);
  }

  unregister(proxy: XksProxy): void {
    if (this.proxies.get(proxy.uriEndpoint + proxy.uriPath) === proxy) this.proxies.delete(proxy.uriEndpoint + proxy.uriPath);
  }

  /** The proxy at an endpoint and path, or undefined: nothing answers there. */
  find(uriEndpoint: string, uriPath: string): XksProxy | undefined {
    return this.proxies.get(uriEndpoint + uriPath);
  }
}
