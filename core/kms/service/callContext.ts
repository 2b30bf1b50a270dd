/**
 * One call's view of the KMS: the steps every operation shares (resolve the key it names, authorize, check
 * the key state, fetch material) and what the audit event of the call needs to know (the key used, the
 * authorization decision).
 */
import { parseArn } from '../../authz/arn';
import type { Explanation } from '../../authz/explanation';
import type { ContextValue, CreateGrantParameters } from '../../authz/request';
import type { AuditLog } from '../audit/auditLog';
import type { Clock } from '../clock';
import { generateKeyMaterial as defaultKeyMaterial, generateDataKeyPair as defaultDataKeyPair } from '../crypto/keyMaterial';
import { generateWrappingKeyPair as defaultWrappingKeyPair } from '../crypto/importWrapping';
import type { KeyMaterial as CryptoKeyMaterial, KeyPair } from '../crypto/keyMaterial';
import type { AesGcm } from '../crypto/aesGcm';
import type { DataKeyPairSpec, KeySpec, WrappingKeySpec } from '../crypto/algorithms';
import { KmsError } from '../errors';
import { MessageKeys } from '../messageKeys';
import { newUuid } from '../uuid';
import type { AliasRecord, KmsStore, StoredKey } from '../store/kmsStore';
import { AliasTable, type AliasEntry } from './aliasTable';
import type { CustomKeyStoreTable } from './customKeyStores';
import type { XksProxyRegistry } from './xksProxy';
import type { AuthorizationAsk, Authorizer } from './authorizer';
import type { KeyReads, ReadCache } from './readCache';
import { awsManagedKeyDescription, awsManagedKeyPolicy, awsManagedServiceOf } from './awsManagedKeys';
import { callerIdentityOf, type Caller } from './caller';
import { keyArnOf, aliasArnOf, partitionOf, type KeyRecord } from './keyRecord';
import { checkKeyState } from './keyStateTable';
import { newKeyMaterial } from './material';
import { LOCKOUT_MESSAGE } from './keyPolicyDocument';
import { aliasNotFound, invalidArnRegion, invalidKeyId, keyNotFound, malformedPolicy } from './serviceErrors';

export interface KmsCryptoOptions {
  /** The AES-GCM implementation for ciphertext blobs; node:crypto's where available. */
  aes?: AesGcm;
  /** Makes the material of a new KMS key; a test may pass one that reuses RSA keys it generated once. */
  generateKeyMaterial?: (spec: KeySpec) => CryptoKeyMaterial;
  /** Makes GenerateDataKeyPair's key pairs. The KMS owns (and wipes) the arrays returned by both functions. */
  generateDataKeyPair?: (spec: DataKeyPairSpec) => KeyPair;
  /** Makes GetParametersForImport's RSA wrapping key pairs. */
  generateWrappingKeyPair?: (spec: WrappingKeySpec) => KeyPair;
}

/** What every call shares: the KMS's collaborators. */
export interface KmsParts {
  store: KmsStore<KeyRecord, AliasRecord>;
  clock: Clock;
  /** The KMS's own account: of service principals' requests, and whose aliases the store keeps by name. */
  account: string;
  aliases: AliasTable;
  authorizer: Authorizer;
  crypto: {
    aes?: AesGcm;
    /** The message keys derived from this KMS's key material (see messageKeys.ts). */
    messageKeys: MessageKeys;
    generateKeyMaterial: (spec: KeySpec) => CryptoKeyMaterial;
    generateDataKeyPair: (spec: DataKeyPairSpec) => KeyPair;
    generateWrappingKeyPair: (spec: WrappingKeySpec) => KeyPair;
  };
  customKeyStores: CustomKeyStoreTable;
  /** The external key store proxies this KMS can reach. */
  xks: XksProxyRegistry;
  /** The audit log the KMS records to: GetKeyLastUsage reads a key's last use from it. */
  auditLog?: AuditLog;
  limits: KmsLimits;
}

/** AWS KMS quotas that a host (or a test) may lower. */
export interface KmsLimits {
  /** Grants per KMS key: 50,000 (AWS KMS Developer Guide, "Resource quotas"). */
  grantsPerKey: number;
}

export const DEFAULT_LIMITS: KmsLimits = { grantsPerKey: 50_000 };

export function cryptoParts(options: KmsCryptoOptions = {}): KmsParts['crypto'] {
  return {
    ...(options.aes ? { aes: options.aes } : {}),
    messageKeys: new MessageKeys(),
    generateKeyMaterial: options.generateKeyMaterial ?? defaultKeyMaterial,
    generateDataKeyPair: options.generateDataKeyPair ?? defaultDataKeyPair,
    generateWrappingKeyPair: options.generateWrappingKeyPair ?? defaultWrappingKeyPair,
  };
}

/** A key found from what the request named. */
export interface ResolvedKey {
  record: KeyRecord;
  /** Its material, unwrapped; wiped when the call ends. */
  material: Map<string, Uint8Array>;
  /** The alias ARN, when the request named the key by an alias. */
  aliasArn?: string;
}

// KMS key IDs: a UUID, or mrk- and 32 hex digits for multi-Region keys.
const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

export interface AuthorizeOptions {
  aliasArn?: string;
  encryptionContext?: Readonly<Record<string, string>>;
  grantTokens?: readonly string[];
  conditionKeys?: Readonly<Record<string, ContextValue>>;
  createGrant?: CreateGrantParameters;
  grantId?: string;
}

export class CallContext {
  readonly now: Date;
  /** The account the request acts in: the caller's, or the KMS's own for a service principal. */
  readonly account: string;
  readonly requestId = newUuid();
  /** The key the audit event names. */
  auditKey?: KeyRecord;
  /** The ARNs of the other keys the call used, in the order it used them. */
  readonly otherAuditKeys: string[] = [];
  /** The authorization decision the audit event records. */
  explanation?: Explanation;
  keyPairSpec?: string;
  /** Time the external key store proxies took answering this call: the call's answer waits for it. */
  xksLatencyMs = 0;
  private readonly loaded: Map<string, Uint8Array>[] = [];
  /** Where keys and aliases are read: the store, or for read-only operations the read cache (readCache.ts). */
  private reads: KeyReads;
  private cache: ReadCache | undefined;

  constructor(
    readonly parts: KmsParts,
    readonly operation: string,
    readonly caller: Caller,
    readonly region: string,
  ) {
    this.now = parts.clock.now();
    this.account = callerIdentityOf(caller).account ?? parts.account;
    this.reads = parts.store;
  }

  /**
   * Reads keys and aliases through `cache` for the rest of the call. Only for operations that change no key or
   * alias (READ_ONLY_OPERATIONS): the cached records are shared and frozen, the cached material is the cache's.
   */
  readThrough(cache: ReadCache): void {
    this.reads = cache;
    this.cache = cache;
  }

  get store(): KmsStore<KeyRecord, AliasRecord> {
    return this.parts.store;
  }

  get auditLog(): AuditLog | undefined {
    return this.parts.auditLog;
  }

  /**
   * The key a KeyId names: a key ID (in the caller's account), a key ARN, and where the operation takes them
   * (`aliases`), an alias name (in the caller's account) or an alias ARN. An alias of another account can only
   * be named by its ARN. Operations that take only a key ID or ARN refuse an alias as an invalid key ID.
   */
  resolveKey(identifier: string, options: { aliases: boolean }): ResolvedKey {
    if (identifier.startsWith('arn:')) {
      const arn = parseArn(identifier);
      if (!arn || arn.service !== 'kms') throw invalidKeyId(identifier);
      const isKey = arn.resource.startsWith('key/');
      if (!isKey && !(options.aliases && arn.resource.startsWith('alias/'))) throw invalidKeyId(identifier);
      if (arn.region !== this.region) throw invalidArnRegion(arn.region);
      return isKey ? this.loadKey(arn.account, arn.resource.slice('key/'.length)) : this.viaAlias(arn.account, arn.resource);
    }
    if (identifier.startsWith('alias/')) {
      if (!options.aliases) throw invalidKeyId(identifier);
      return this.viaAlias(this.account, identifier);
    }
    if (!KEY_ID.test(identifier)) throw invalidKeyId(identifier);
    return this.loadKey(this.account, identifier);
  }

  /** A key by ID in any account of this region, for Decrypt of a ciphertext that names its key; or undefined. */
  findKey(keyId: string): ResolvedKey | undefined {
    if (!KEY_ID.test(keyId)) return undefined;
    const stored = this.reads.readKey(this.region, keyId);
    return stored ? this.track(stored) : undefined;
  }

  private loadKey(account: string, keyId: string): ResolvedKey {
    const arn = keyArnOf(this.region, account, keyId);
    const stored = KEY_ID.test(keyId) ? this.reads.readKey(this.region, keyId) : undefined;
    // Key IDs are unique, but a key ID names a key only within its own account.
    if (!stored || stored.record.account !== account) throw keyNotFound(arn);
    return this.track(stored);
  }

  private viaAlias(account: string, aliasName: string): ResolvedKey {
    let entry = this.parts.aliases.get(this.region, account, aliasName, this.reads);
    if (!entry) {
      // Only the caller's own AWS managed keys come into being on use; another account's must already exist.
      if (account !== this.account) throw aliasNotFound(aliasArnOf(this.region, account, aliasName));
      entry = this.createAwsManagedKey(account, aliasName);
    }
    const stored = this.reads.readKey(this.region, entry.targetKeyId);
    if (!stored || stored.record.account !== account) throw keyNotFound(keyArnOf(this.region, account, entry.targetKeyId));
    return { ...this.track(stored), aliasArn: entry.aliasArn };
  }

  private track(stored: StoredKey<KeyRecord>): ResolvedKey {
    // Material read from the store is this call's copy, wiped when it ends; cached material is the cache's.
    if (this.reads !== this.cache) this.loaded.push(stored.material);
    return { record: stored.record, material: stored.material };
  }

  /**
   * An AWS managed key comes into being the first time its alias is used (AWS KMS Developer Guide, "AWS
   * managed keys"): a symmetric key with the AWS managed key policy, rotating every year.
   */
  private createAwsManagedKey(account: string, aliasName: string): AliasEntry {
    const service = awsManagedServiceOf(aliasName);
    if (!service) throw aliasNotFound(aliasArnOf(this.region, account, aliasName));
    return this.store.withLock(() => {
      const existing = this.parts.aliases.get(this.region, account, aliasName);
      if (existing) return existing;
      const keyId = newUuid();
      const created = this.now.toISOString();
      const { entry, material } = newKeyMaterial(this.parts.crypto.generateKeyMaterial('SYMMETRIC_DEFAULT'), created);
      const record: KeyRecord = {
        keyId,
        arn: keyArnOf(this.region, account, keyId),
        account,
        region: this.region,
        creationDate: created,
        description: awsManagedKeyDescription(service),
        keySpec: 'SYMMETRIC_DEFAULT',
        keyUsage: 'ENCRYPT_DECRYPT',
        origin: 'AWS_KMS',
        keyManager: 'AWS',
        keyState: 'Enabled',
        policy: awsManagedKeyPolicy(service, account, this.region, partitionOf(this.region)),
        tags: [],
        multiRegion: false,
        currentKeyMaterialId: entry.id,
        materials: [entry],
        rotation: { enabled: true, periodInDays: 365, nextRotationDate: new Date(this.now.getTime() + 365 * 86_400_000).toISOString() },
        grants: [],
        awsManagedService: service,
      };
      this.store.writeKey(this.region, keyId, record, material);
      material.forEach((bytes) => bytes.fill(0));
      const alias: AliasEntry = {
        aliasName,
        aliasArn: aliasArnOf(this.region, account, aliasName),
        account,
        region: this.region,
        targetKeyId: keyId,
        creationDate: created,
        lastUpdatedDate: created,
      };
      this.parts.aliases.put(alias);
      return alias;
    });
  }

  /**
   * Authorizes `action` on the key (or, without one, on the account) and records the decision for the audit
   * event; AccessDeniedException, carrying the explanation, when it is not allowed.
   */
  authorize(action: string, key: ResolvedKey | undefined, options: AuthorizeOptions = {}): void {
    if (key) {
      if (!this.auditKey) this.auditKey = key.record;
      // ReEncrypt's destination key, an alias's new target: every key a call used is among its event's resources.
      else if (key.record.arn !== this.auditKey.arn && !this.otherAuditKeys.includes(key.record.arn)) this.otherAuditKeys.push(key.record.arn);
    }
    const aliasArn = options.aliasArn ?? key?.aliasArn;
    const ask: AuthorizationAsk = { action, caller: this.caller, account: this.account, region: this.region, now: this.now };
    if (key) {
      ask.key = key.record;
      ask.keyAliases = this.parts.aliases.namesOf(key.record, this.reads);
    }
    if (aliasArn) ask.aliasArn = aliasArn;
    if (options.encryptionContext) ask.encryptionContext = options.encryptionContext;
    if (options.grantTokens) ask.grantTokens = options.grantTokens;
    if (options.conditionKeys) ask.conditionKeys = options.conditionKeys;
    if (options.createGrant) ask.createGrant = options.createGrant;
    if (options.grantId) ask.grantId = options.grantId;
    try {
      this.explanation = this.parts.authorizer.authorize(ask).explanation;
    } catch (error) {
      if (error instanceof KmsError && error.explanation) this.explanation = error.explanation as Explanation;
      throw error;
    }
  }

  /**
   * The lockout safety check of CreateKey, PutKeyPolicy and ReplicateKey: the caller must still be allowed
   * PutKeyPolicy on the key under the new policy (with its own IAM policies, in this request's context), so that
   * it could change the policy back (AWS KMS API Reference, BypassPolicyLockoutSafetyCheck). Otherwise
   * MalformedPolicyDocumentException, in AWS's words.
   */
  checkLockout(key: KeyRecord, policy: string): void {
    const ask: AuthorizationAsk = {
      action: 'PutKeyPolicy',
      caller: this.caller,
      account: key.account,
      region: this.region,
      now: this.now,
      key: { ...key, policy },
      keyAliases: this.parts.aliases.namesOf(key, this.reads),
      conditionKeys: { 'kms:BypassPolicyLockoutSafetyCheck': false },
    };
    if (this.parts.authorizer.evaluate(ask).decision !== 'allowed') throw malformedPolicy(LOCKOUT_MESSAGE);
  }

  /** The key state table's refusal for this operation (or `row`'s) on the key. */
  checkState(key: ResolvedKey, row: string = this.operation): void {
    checkKeyState(row, key.record);
  }

  /** Wipes every copy of material this call read, and what the read cache dropped during the call. */
  wipe(): void {
    for (const material of this.loaded) for (const bytes of material.values()) bytes.fill(0);
    this.loaded.length = 0;
    this.cache?.release();
  }
}
