/**
 * What the KMS keeps about a KMS key in the store (key material aside, which the store keeps wrapped in its
 * material map), and the KeyMetadata that DescribeKey, CreateKey and the other key operations return from it.
 *
 * Grants, rotation, imported material, multi-Region configuration and the custom key store all live in the
 * record, so a key is one file in a folder store and every change to it is one atomic write.
 */
import {
  encryptionAlgorithmsFor,
  keyAgreementAlgorithmsFor,
  macAlgorithmsFor,
  signingAlgorithmsFor,
  type KeySpec,
} from '../crypto/algorithms';

export type KeyState = 'Creating' | 'Enabled' | 'Disabled' | 'PendingDeletion' | 'PendingImport' | 'PendingReplicaDeletion' | 'Unavailable' | 'Updating';
export const KEY_STATES: readonly KeyState[] = ['Creating', 'Enabled', 'Disabled', 'PendingDeletion', 'PendingImport', 'PendingReplicaDeletion', 'Unavailable', 'Updating'];

export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT';
export type Origin = 'AWS_KMS' | 'EXTERNAL' | 'AWS_CLOUDHSM' | 'EXTERNAL_KEY_STORE';
export type KeyManager = 'CUSTOMER' | 'AWS';

export interface Tag {
  TagKey: string;
  TagValue: string;
}

/** One version of the key's material. The bytes live in the store's material map under `id`. */
export interface MaterialEntry {
  /** AWS's KeyMaterialId: 64 lowercase hex characters; also the ciphertext header's material ID. */
  id: string;
  createdAt: string;
  /** SubjectPublicKeyInfo DER, base64, for asymmetric keys: public, so it may sit in the record. */
  publicKey?: string;
  /** How this version came: absent for the key's first material, else the rotation that made it. */
  rotationType?: 'AUTOMATIC' | 'ON_DEMAND';
  /**
   * For imported material: a digest of the material, kept after DeleteImportedKeyMaterial or expiry so that
   * only the same material can be imported again (IncorrectKeyMaterialException).
   */
  importedDigest?: string;
}

/** The parameters of the latest GetParametersForImport; the wrapping private key is in the material map. */
export interface ImportParametersRecord {
  tokenId: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  validTo: string;
}

/** Automatic rotation's settings, and how many on-demand rotations the key has had. */
export interface RotationRecord {
  enabled: boolean;
  periodInDays: number;
  nextRotationDate?: string;
  /** RotateKeyOnDemand calls so far: AWS limits them per key. */
  onDemandCount?: number;
}

export interface MultiRegionKeyRecord {
  Arn: string;
  Region: string;
}

export interface MultiRegionConfigurationRecord {
  MultiRegionKeyType: 'PRIMARY' | 'REPLICA';
  PrimaryKey: MultiRegionKeyRecord;
  ReplicaKeys: MultiRegionKeyRecord[];
}

/** A grant as CreateGrant stores it: ListGrants' entry, less the KeyId, plus the token it issued. */
export interface GrantRecord {
  GrantId: string;
  Name?: string;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: string[];
  Constraints?: { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> };
  CreationDate: string;
  /**
   * The random parts of the grant tokens issued for this grant: one per CreateGrant call that returned it (a
   * retried named CreateGrant returns the same grant with a new token, as AWS does).
   */
  tokenIds?: string[];
}

export interface KeyRecord {
  keyId: string;
  arn: string;
  account: string;
  region: string;
  creationDate: string;
  description: string;
  keySpec: KeySpec;
  keyUsage: KeyUsage;
  origin: Origin;
  keyManager: KeyManager;
  keyState: KeyState;
  deletionDate?: string;
  pendingDeletionWindowInDays?: number;
  /** The key policy text, exactly as given (GetKeyPolicy returns it unchanged). */
  policy: string;
  tags: Tag[];
  multiRegion: boolean;
  multiRegionConfiguration?: MultiRegionConfigurationRecord;
  /** The material new ciphertexts and signatures use; absent while an EXTERNAL key awaits its material. */
  currentKeyMaterialId?: string;
  materials: MaterialEntry[];
  rotation: RotationRecord;
  grants: GrantRecord[];
  /** For an AWS managed key: the service of its `alias/aws/<service>`. */
  awsManagedService?: string;
  expirationModel?: 'KEY_MATERIAL_EXPIRES' | 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  validTo?: string;
  importParameters?: ImportParametersRecord;
  customKeyStoreId?: string;
  /** For a key in an external key store: the external key's ID at the proxy (XksKeyConfiguration.Id). */
  xksKeyId?: string;
  /** While its custom key store is disconnected a key is Unavailable; the state it returns to on reconnection. */
  stateWhenAvailable?: KeyState;
}

/** KeyMetadata as the API returns it: DescribeKey, CreateKey. */
export interface KeyMetadata {
  AWSAccountId: string;
  KeyId: string;
  Arn: string;
  CreationDate: Date;
  Enabled: boolean;
  Description: string;
  KeyUsage: KeyUsage;
  KeyState: KeyState;
  DeletionDate?: Date;
  ValidTo?: Date;
  Origin: Origin;
  CustomKeyStoreId?: string;
  ExpirationModel?: string;
  KeyManager: KeyManager;
  CustomerMasterKeySpec: string;
  KeySpec: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
  MacAlgorithms?: string[];
  MultiRegion: boolean;
  MultiRegionConfiguration?: MultiRegionConfigurationRecord;
  PendingDeletionWindowInDays?: number;
  XksKeyConfiguration?: { Id: string };
  CurrentKeyMaterialId?: string;
}

/** The AWS partition of a region: China and GovCloud regions have their own. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function keyArnOf(region: string, account: string, keyId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:key/${keyId}`;
}

export function aliasArnOf(region: string, account: string, aliasName: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${account}:${aliasName}`;
}

/**
 * The algorithm lists of KeyMetadata and GetPublicKey go with the key usage, not the spec alone: an RSA key
 * for SIGN_VERIFY lists signing algorithms only, an ECC key for KEY_AGREEMENT lists ECDH only.
 */
export function algorithmsOf(spec: KeySpec, usage: KeyUsage): Pick<KeyMetadata, 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms'> {
  switch (usage) {
    case 'ENCRYPT_DECRYPT':
      return { EncryptionAlgorithms: encryptionAlgorithmsFor(spec) };
    case 'SIGN_VERIFY':
      return { SigningAlgorithms: signingAlgorithmsFor(spec) };
    case 'GENERATE_VERIFY_MAC':
      return { MacAlgorithms: macAlgorithmsFor(spec) };
    case 'KEY_AGREEMENT':
      return { KeyAgreementAlgorithms: keyAgreementAlgorithmsFor(spec) };
  }
}

/** KeyMetadata, field for field in the order AWS's responses list them. */
export function keyMetadataOf(record: KeyRecord): KeyMetadata {
  const pending = record.keyState === 'PendingDeletion' || record.keyState === 'PendingReplicaDeletion';
  return {
    AWSAccountId: record.account,
    KeyId: record.keyId,
    Arn: record.arn,
    CreationDate: new Date(record.creationDate),
    Enabled: record.keyState === 'Enabled',
    Description: record.description,
    KeyUsage: record.keyUsage,
    KeyState: record.keyState,
    ...(pending && record.deletionDate ? { DeletionDate: new Date(record.deletionDate) } : {}),
    ...(record.validTo ? { ValidTo: new Date(record.validTo) } : {}),
    Origin: record.origin,
    ...(record.customKeyStoreId ? { CustomKeyStoreId: record.customKeyStoreId } : {}),
    ...(record.expirationModel ? { ExpirationModel: record.expirationModel } : {}),
    KeyManager: record.keyManager,
    // Deprecated by AWS in favour of KeySpec, and still returned beside it.
    CustomerMasterKeySpec: record.keySpec,
    KeySpec: record.keySpec,
    ...algorithmsOf(record.keySpec, record.keyUsage),
    MultiRegion: record.multiRegion,
    ...(record.multiRegionConfiguration ? { MultiRegionConfiguration: record.multiRegionConfiguration } : {}),
    ...(pending && record.pendingDeletionWindowInDays ? { PendingDeletionWindowInDays: record.pendingDeletionWindowInDays } : {}),
    ...(record.xksKeyId ? { XksKeyConfiguration: { Id: record.xksKeyId } } : {}),
    // AWS reports CurrentKeyMaterialId for symmetric encryption keys only.
    ...(record.keySpec === 'SYMMETRIC_DEFAULT' && record.currentKeyMaterialId ? { CurrentKeyMaterialId: record.currentKeyMaterialId } : {}),
  };
}

const STRING_FIELDS = ['keyId', 'arn', 'account', 'region', 'creationDate', 'keySpec', 'keyUsage', 'origin', 'keyManager', 'keyState', 'policy'] as const;

/**
 * Checks a record read from a store folder (FolderStore's `validateKeyRecord` option), so a hand-edited or
 * damaged file is reported as damage instead of failing somewhere inside an operation.
 */
export function validateKeyRecord(value: unknown): KeyRecord {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TypeError('a key record must be an object');
  const r = value as Record<string, unknown>;
  for (const field of STRING_FIELDS) if (typeof r[field] !== 'string') throw new TypeError(`"${field}" must be a string`);
  if (!KEY_STATES.includes(r['keyState'] as KeyState)) throw new TypeError(`"keyState" ${String(r['keyState'])} is not a key state`);
  if (typeof r['description'] !== 'string') throw new TypeError('"description" must be a string');
  if (typeof r['multiRegion'] !== 'boolean') throw new TypeError('"multiRegion" must be a boolean');
  for (const list of ['tags', 'materials', 'grants'] as const) if (!Array.isArray(r[list])) throw new TypeError(`"${list}" must be a list`);
  if (!r['rotation'] || typeof r['rotation'] !== 'object') throw new TypeError('"rotation" must be an object');
  return value as KeyRecord;
}
