/**
 * What a person should do about an error of the KMS, by AWS exception name. The message says what went wrong
 * (AWS's own words, which name the key and the operation); the advice says what to do next in the editor.
 */

const ADVICE: Readonly<Record<string, string>> = {
  AccessDeniedException:
    'Choose Explain to see which statement decided, then change the key policy (KMS: Open Key Policy) or act as another identity (KMS: Switch Identity).',
  DisabledException: 'Enable the key (KMS: Enable Key, or the key explorer\'s context menu) and try again.',
  KMSInvalidStateException:
    'The key is not in a state that allows this operation (see its state in the key explorer): cancel a scheduled deletion, import its material, or enable it first.',
  NotFoundException:
    'Check the key ID, ARN or alias, and the Region: the key explorer lists the keys of every Region, and kmsStudio.region sets the default one.',
  InvalidCiphertextException:
    'The ciphertext was changed, or was encrypted under another encryption context: decrypt with exactly the encryption context it was encrypted with.',
  IncorrectKeyException: 'The ciphertext was not encrypted under the key given: leave the key out, or name the key that encrypted it.',
  InvalidKeyUsageException:
    'The key\'s usage does not allow this operation: pick a key with the right usage (ENCRYPT_DECRYPT to encrypt, SIGN_VERIFY to sign, GENERATE_VERIFY_MAC for MACs).',
  KMSInvalidSignatureException: 'The signature does not match the message under this key and algorithm.',
  KMSInvalidMacException: 'The MAC does not match the message under this key and algorithm.',
  MalformedPolicyDocumentException:
    'Fix the policy where the linter underlines it. If AWS KMS says the policy would lock you out, keep a statement that lets you call kms:PutKeyPolicy (the "Enable IAM User Permissions" statement does).',
  AlreadyExistsException: 'Choose another name: an alias name is unique in its account and Region.',
  InvalidAliasNameException: 'An alias name starts with alias/, may hold letters, digits, /, _ and -, and must not start with alias/aws/.',
  LimitExceededException: 'A quota of AWS KMS was reached; remove what you no longer need (grants, aliases, keys) and try again.',
  ValidationException: 'Change the value the message names and try again.',
  InvalidGrantTokenException: 'The grant token is not valid; create the grant again to get a new one.',
  InvalidGrantIdException: 'The grant does not exist on this key (it may have been retired or revoked); refresh the key explorer.',
  UnsupportedOperationException: 'This key (its spec, origin or key store) does not support the operation.',
  InvalidImportTokenException: 'The import token has expired or belongs to other parameters: run KMS: Import Key Material again to get new ones.',
  IncorrectKeyMaterialException: 'A key with imported material only accepts the same material again.',
  ExpiredImportTokenException: 'The import parameters have expired: run KMS: Import Key Material again.',
  DryRunOperationException: 'The dry run succeeded: the request would have been allowed.',
  KMSInternalException: 'This is a bug of KMS Studio\'s KMS: run KMS: Show Output and report what it shows.',
};

/** The advice for an exception name; a generic one for names without their own. */
export function adviceFor(exceptionName: string): string {
  return ADVICE[exceptionName] ?? 'Check the values given and try again; KMS: Show Audit Log shows the request as the KMS saw it.';
}

/** `<operation> failed: <Exception>: <message> <advice>`, one line for a notification. */
export function kmsErrorText(operation: string, exceptionName: string, message: string): string {
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  return `${operation} failed: ${exceptionName}: ${sentence} ${adviceFor(exceptionName)}`;
}

/** Store problems (no root key, the wrong one, a damaged file, a held lock), with what to do about each. */
export function storeProblemText(errorName: string, message: string, storeDir: string): string {
  switch (errorName) {
    case 'WrongRootKeyError':
      return `${message} The store in ${storeDir} was created with another root key: set KMS_STUDIO_ROOT_KEY to that key, or point the setting kmsStudio.store.location at another folder.`;
    case 'StoreCorruptedError':
      return `${message} Repair or move the file it names, or point kmsStudio.store.location at another folder.`;
    case 'StoreLockTimeoutError':
      return `${message} Another process (the CLI, a local endpoint) holds the store's lock; wait for it to finish and try again.`;
    case 'RootKeyError':
      return `${message} Set KMS_STUDIO_ROOT_KEY to 32 bytes of base64 (openssl rand -base64 32), or unset it to let VS Code keep its own key.`;
    case 'IdentitiesFileError':
      return `${message} Fix identities.json, then run KMS: Switch Identity again.`;
    default:
      return `The KMS store in ${storeDir} could not be opened: ${message} Check that the folder is readable and writable, or point kmsStudio.store.location at another folder.`;
  }
}
