/** The in-process AWS KMS API (see kms.ts for the call pipeline). */
export { Kms, type KmsOptions, type CallOptions } from './kms';
export { DEFAULT_ACCOUNT, ROLE_SESSION_NAME, callerForAccessKey, callerFromIdentity, rootCaller, type Caller, type CallerContext, type CallerPolicy } from './caller';
export type { KmsCryptoOptions, KmsLimits } from './callContext';
export { XksProxy, XKS_PROXY_TIMEOUT_MS, type XksProxyOptions, type XksCredential } from './xksProxy';
export { keyMetadataOf, validateKeyRecord, type KeyMetadata, type KeyRecord, type KeyState, type KeyUsage, type Origin, type Tag } from './keyRecord';
export { checkKeyState, keyStateCell, keyStateRefusal, keyStateRefusalFor, keyStateTableOperations, type KeyStateCell } from './keyStateTable';
export { defaultKeyPolicy, MAX_KEY_POLICY_BYTES, LOCKOUT_MESSAGE } from './keyPolicyDocument';
export { awsManagedAliasNames, awsManagedKeyPolicy } from './awsManagedKeys';
export { isImplemented, operationsNotYetAvailable } from './operationTable';
export type * from './shapes';
