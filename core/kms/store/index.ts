/** The KMS store: the interface, its folder and in-memory implementations, root keys and identities. */
export * from './errors';
export type { AliasRecord, Disposable, KeyListing, KeyMaterial, KmsStore, StoreChange, StoredKey } from './kmsStore';
export { FolderStore, type FolderStoreOptions } from './folderStore';
export { STORE_FORMAT, STORE_FORMAT_VERSION, type StoreHeader } from './storeHeader';
export { MemoryStore, type MemoryStoreOptions } from './memoryStore';
export {
  ROOT_KEY_ENV,
  ROOT_KEY_SECRET,
  defaultRootKeyFile,
  encodeRootKey,
  generateRootKey,
  parseRootKey,
  resolveRootKey,
  rootKeyFromSecretStorage,
  type Environment,
  type ResolvedRootKey,
  type RootKeyOptions,
  type SecretStorageLike,
} from './rootKey';
export { ROOT_KEY_BYTES, UnwrapError } from './keyWrapper';
export { loadIdentities, parseIdentities, type Identity } from './identities';
