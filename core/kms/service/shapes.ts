/**
 * The requests and responses of the operations this KMS implements, in AWS's shapes and field names (the
 * KMS API model's members), in the in-process form: binary fields are Uint8Array, timestamps Date.
 */
import type { KeyMetadata, Tag } from './keyRecord';

export type EncryptionContext = Record<string, string>;
export type { KeyMetadata, Tag };

export interface CreateKeyRequest {
  Policy?: string;
  Description?: string;
  KeyUsage?: string;
  CustomerMasterKeySpec?: string;
  KeySpec?: string;
  Origin?: string;
  CustomKeyStoreId?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Tags?: Tag[];
  MultiRegion?: boolean;
  XksKeyId?: string;
}
export interface CreateKeyResponse {
  KeyMetadata: KeyMetadata;
}

export interface KeyIdRequest {
  KeyId: string;
}
export type GetKeyLastUsageRequest = KeyIdRequest;

export interface GetKeyLastUsageResponse {
  KeyId: string;
  KeyLastUsage?: { Operation: string; Timestamp: Date; CloudTrailEventId: string; KmsRequestId: string };
  TrackingStartDate: Date;
  KeyCreationDate: Date;
}

export interface DescribeKeyRequest extends KeyIdRequest {
  GrantTokens?: string[];
}
export interface DescribeKeyResponse {
  KeyMetadata: KeyMetadata;
}

export interface ListKeysRequest {
  Limit?: number;
  Marker?: string;
}
export interface ListKeysResponse {
  Keys: { KeyId: string; KeyArn: string }[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface UpdateKeyDescriptionRequest extends KeyIdRequest {
  Description: string;
}

export interface ScheduleKeyDeletionRequest extends KeyIdRequest {
  PendingWindowInDays?: number;
}
export interface ScheduleKeyDeletionResponse {
  KeyId: string;
  DeletionDate: Date;
  KeyState: string;
  PendingWindowInDays: number;
}
export interface CancelKeyDeletionResponse {
  KeyId: string;
}

export interface TagResourceRequest extends KeyIdRequest {
  Tags: Tag[];
}
export interface UntagResourceRequest extends KeyIdRequest {
  TagKeys: string[];
}
export interface ListResourceTagsRequest extends KeyIdRequest {
  Limit?: number;
  Marker?: string;
}
export interface ListResourceTagsResponse {
  Tags: Tag[];
  NextMarker?: string;
  Truncated: boolean;
}

interface DryRunnable {
  GrantTokens?: string[];
  DryRun?: boolean;
}

export interface EncryptRequest extends DryRunnable {
  KeyId: string;
  Plaintext: Uint8Array;
  EncryptionContext?: EncryptionContext;
  EncryptionAlgorithm?: string;
}
export interface EncryptResponse {
  CiphertextBlob: Uint8Array;
  KeyId: string;
  EncryptionAlgorithm: string;
}

export interface DecryptRequest extends DryRunnable {
  CiphertextBlob: Uint8Array;
  EncryptionContext?: EncryptionContext;
  KeyId?: string;
  EncryptionAlgorithm?: string;
  Recipient?: object;
}
export interface DecryptResponse {
  KeyId: string;
  Plaintext: Uint8Array;
  EncryptionAlgorithm: string;
  KeyMaterialId?: string;
}

export interface ReEncryptRequest extends DryRunnable {
  CiphertextBlob: Uint8Array;
  SourceEncryptionContext?: EncryptionContext;
  SourceKeyId?: string;
  DestinationKeyId: string;
  DestinationEncryptionContext?: EncryptionContext;
  SourceEncryptionAlgorithm?: string;
  DestinationEncryptionAlgorithm?: string;
}
export interface ReEncryptResponse {
  CiphertextBlob: Uint8Array;
  SourceKeyId: string;
  KeyId: string;
  SourceEncryptionAlgorithm: string;
  DestinationEncryptionAlgorithm: string;
  SourceKeyMaterialId?: string;
  DestinationKeyMaterialId?: string;
}

export interface GenerateDataKeyRequest extends DryRunnable {
  KeyId: string;
  EncryptionContext?: EncryptionContext;
  NumberOfBytes?: number;
  KeySpec?: string;
  Recipient?: object;
}
export interface GenerateDataKeyResponse {
  CiphertextBlob: Uint8Array;
  Plaintext: Uint8Array;
  KeyId: string;
  KeyMaterialId?: string;
}
export type GenerateDataKeyWithoutPlaintextRequest = Omit<GenerateDataKeyRequest, 'Recipient'>;
export type GenerateDataKeyWithoutPlaintextResponse = Omit<GenerateDataKeyResponse, 'Plaintext'>;

export interface GenerateDataKeyPairRequest extends DryRunnable {
  KeyId: string;
  KeyPairSpec: string;
  EncryptionContext?: EncryptionContext;
  Recipient?: object;
}
export interface GenerateDataKeyPairResponse {
  PrivateKeyCiphertextBlob: Uint8Array;
  PrivateKeyPlaintext: Uint8Array;
  PublicKey: Uint8Array;
  KeyId: string;
  KeyPairSpec: string;
  KeyMaterialId?: string;
}
export type GenerateDataKeyPairWithoutPlaintextRequest = Omit<GenerateDataKeyPairRequest, 'Recipient'>;
export type GenerateDataKeyPairWithoutPlaintextResponse = Omit<GenerateDataKeyPairResponse, 'PrivateKeyPlaintext'>;

export interface GenerateRandomRequest {
  NumberOfBytes?: number;
  CustomKeyStoreId?: string;
  Recipient?: object;
}
export interface GenerateRandomResponse {
  Plaintext: Uint8Array;
}

export interface SignRequest extends DryRunnable {
  KeyId: string;
  Message: Uint8Array;
  MessageType?: string;
  SigningAlgorithm: string;
}
export interface SignResponse {
  KeyId: string;
  Signature: Uint8Array;
  SigningAlgorithm: string;
}
export interface VerifyRequest extends SignRequest {
  Signature: Uint8Array;
}
export interface VerifyResponse {
  KeyId: string;
  SignatureValid: boolean;
  SigningAlgorithm: string;
}

export interface GetPublicKeyRequest {
  KeyId: string;
  GrantTokens?: string[];
}
export interface GetPublicKeyResponse {
  KeyId: string;
  PublicKey: Uint8Array;
  CustomerMasterKeySpec: string;
  KeySpec: string;
  KeyUsage: string;
  EncryptionAlgorithms?: string[];
  SigningAlgorithms?: string[];
  KeyAgreementAlgorithms?: string[];
}

export interface GenerateMacRequest extends DryRunnable {
  KeyId: string;
  Message: Uint8Array;
  MacAlgorithm: string;
}
export interface GenerateMacResponse {
  Mac: Uint8Array;
  MacAlgorithm: string;
  KeyId: string;
}
export interface VerifyMacRequest extends GenerateMacRequest {
  Mac: Uint8Array;
}
export interface VerifyMacResponse {
  KeyId: string;
  MacValid: boolean;
  MacAlgorithm: string;
}

export interface DeriveSharedSecretRequest extends DryRunnable {
  KeyId: string;
  KeyAgreementAlgorithm: string;
  PublicKey: Uint8Array;
  Recipient?: object;
}
export interface DeriveSharedSecretResponse {
  KeyId: string;
  SharedSecret: Uint8Array;
  KeyAgreementAlgorithm: string;
  KeyOrigin: string;
}

export interface AliasRequest {
  AliasName: string;
  TargetKeyId: string;
}
export interface DeleteAliasRequest {
  AliasName: string;
}
export interface ListAliasesRequest {
  KeyId?: string;
  Limit?: number;
  Marker?: string;
}
export interface AliasListEntry {
  AliasName: string;
  AliasArn: string;
  TargetKeyId?: string;
  CreationDate?: Date;
  LastUpdatedDate?: Date;
}
export interface ListAliasesResponse {
  Aliases: AliasListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface GetKeyPolicyRequest extends KeyIdRequest {
  PolicyName?: string;
}
export interface GetKeyPolicyResponse {
  Policy: string;
  PolicyName: string;
}
export interface PutKeyPolicyRequest extends KeyIdRequest {
  PolicyName?: string;
  Policy: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
}
export interface ListKeyPoliciesRequest extends KeyIdRequest {
  Limit?: number;
  Marker?: string;
}
export interface ListKeyPoliciesResponse {
  PolicyNames: string[];
  Truncated: boolean;
}

/** Operations that answer with no members. */
export type EmptyResponse = Record<string, never>;

export interface GrantConstraints {
  EncryptionContextEquals?: EncryptionContext;
  EncryptionContextSubset?: EncryptionContext;
  SourceArn?: string;
}
export interface CreateGrantRequest {
  KeyId: string;
  GranteePrincipal?: string;
  RetiringPrincipal?: string;
  Operations: string[];
  Constraints?: GrantConstraints;
  GrantTokens?: string[];
  Name?: string;
  DryRun?: boolean;
  GranteeServicePrincipal?: string;
  RetiringServicePrincipal?: string;
}
export interface CreateGrantResponse {
  GrantToken: string;
  GrantId: string;
}
export interface ListGrantsRequest {
  KeyId: string;
  Limit?: number;
  Marker?: string;
  GrantId?: string;
  GranteePrincipal?: string;
  GranteeServicePrincipal?: string;
}
export interface GrantListEntry {
  KeyId: string;
  GrantId: string;
  Name?: string;
  CreationDate: Date;
  GranteePrincipal: string;
  RetiringPrincipal?: string;
  IssuingAccount: string;
  Operations: string[];
  Constraints?: GrantConstraints;
}
export interface ListGrantsResponse {
  Grants: GrantListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}
export interface ListRetirableGrantsRequest {
  RetiringPrincipal?: string;
  RetiringServicePrincipal?: string;
  Limit?: number;
  Marker?: string;
}
export interface RetireGrantRequest {
  GrantToken?: string;
  KeyId?: string;
  GrantId?: string;
  DryRun?: boolean;
}
export interface RevokeGrantRequest {
  KeyId: string;
  GrantId: string;
  DryRun?: boolean;
}

export interface EnableKeyRotationRequest extends KeyIdRequest {
  RotationPeriodInDays?: number;
}
export interface GetKeyRotationStatusResponse {
  KeyRotationEnabled: boolean;
  KeyId: string;
  RotationPeriodInDays?: number;
  NextRotationDate?: Date;
  OnDemandRotationStartDate?: Date;
}
export interface RotateKeyOnDemandResponse {
  KeyId: string;
}
export interface ListKeyRotationsRequest extends KeyIdRequest {
  IncludeKeyMaterial?: string;
  Limit?: number;
  Marker?: string;
}
export interface RotationsListEntry {
  KeyId: string;
  KeyMaterialId?: string;
  ImportState?: string;
  KeyMaterialState?: string;
  ExpirationModel?: string;
  ValidTo?: Date;
  RotationDate?: Date;
  RotationType?: string;
}
export interface ListKeyRotationsResponse {
  Rotations: RotationsListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}

export interface GetParametersForImportRequest extends KeyIdRequest {
  WrappingAlgorithm: string;
  WrappingKeySpec: string;
}
export interface GetParametersForImportResponse {
  KeyId: string;
  ImportToken: Uint8Array;
  PublicKey: Uint8Array;
  ParametersValidTo: Date;
}
export interface ImportKeyMaterialRequest extends KeyIdRequest {
  ImportToken: Uint8Array;
  EncryptedKeyMaterial: Uint8Array;
  ValidTo?: Date;
  ExpirationModel?: string;
  ImportType?: string;
  KeyMaterialDescription?: string;
  KeyMaterialId?: string;
}
export interface ImportKeyMaterialResponse {
  KeyId: string;
  KeyMaterialId: string;
}
export interface DeleteImportedKeyMaterialRequest extends KeyIdRequest {
  KeyMaterialId?: string;
}
export interface DeleteImportedKeyMaterialResponse {
  KeyId: string;
  KeyMaterialId: string;
}

export interface ReplicateKeyRequest extends KeyIdRequest {
  ReplicaRegion: string;
  Policy?: string;
  BypassPolicyLockoutSafetyCheck?: boolean;
  Description?: string;
  Tags?: Tag[];
}
export interface ReplicateKeyResponse {
  ReplicaKeyMetadata: KeyMetadata;
  ReplicaPolicy: string;
  ReplicaTags: Tag[];
}
export interface UpdatePrimaryRegionRequest extends KeyIdRequest {
  PrimaryRegion: string;
}

export interface XksProxyAuthenticationCredential {
  AccessKeyId: string;
  RawSecretAccessKey: string;
}
export interface CreateCustomKeyStoreRequest {
  CustomKeyStoreName: string;
  CloudHsmClusterId?: string;
  TrustAnchorCertificate?: string;
  KeyStorePassword?: string;
  CustomKeyStoreType?: string;
  XksProxyUriEndpoint?: string;
  XksProxyUriPath?: string;
  XksProxyVpcEndpointServiceName?: string;
  XksProxyVpcEndpointServiceOwner?: string;
  XksProxyAuthenticationCredential?: XksProxyAuthenticationCredential;
  XksProxyConnectivity?: string;
}
export interface CreateCustomKeyStoreResponse {
  CustomKeyStoreId: string;
}
export interface CustomKeyStoreIdRequest {
  CustomKeyStoreId: string;
}
export interface DescribeCustomKeyStoresRequest {
  CustomKeyStoreId?: string;
  CustomKeyStoreName?: string;
  Limit?: number;
  Marker?: string;
}
export interface CustomKeyStoresListEntry {
  CustomKeyStoreId: string;
  CustomKeyStoreName: string;
  ConnectionState: string;
  ConnectionErrorCode?: string;
  CreationDate: Date;
  CustomKeyStoreType: string;
  XksProxyConfiguration: { Connectivity: string; AccessKeyId: string; UriEndpoint: string; UriPath: string };
}
export interface DescribeCustomKeyStoresResponse {
  CustomKeyStores: CustomKeyStoresListEntry[];
  NextMarker?: string;
  Truncated: boolean;
}
export interface UpdateCustomKeyStoreRequest extends CustomKeyStoreIdRequest {
  NewCustomKeyStoreName?: string;
  KeyStorePassword?: string;
  CloudHsmClusterId?: string;
  XksProxyUriEndpoint?: string;
  XksProxyUriPath?: string;
  XksProxyVpcEndpointServiceName?: string;
  XksProxyVpcEndpointServiceOwner?: string;
  XksProxyAuthenticationCredential?: XksProxyAuthenticationCredential;
  XksProxyConnectivity?: string;
}
