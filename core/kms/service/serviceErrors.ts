/**
 * The errors the KMS operations raise, with AWS's exception names and, where it is known, AWS's wording
 * (recorded against AWS by LocalStack's and moto's test suites, or quoted in AWS's documentation and in users'
 * reports of real responses). Where AWS's wording is not known the message says plainly what was wrong.
 */
import type { Explanation } from '../../authz/explanation';
import { KmsError, validationError } from '../errors';

export function keyNotFound(keyArn: string): KmsError {
  return new KmsError('NotFoundException', `Key '${keyArn}' does not exist`);
}

export function aliasNotFound(aliasArn: string): KmsError {
  return new KmsError('NotFoundException', `Alias ${aliasArn} is not found.`);
}

/** A key identifier of no form the operation takes: an alias where only a key ID or ARN is accepted, or garbage. */
export function invalidKeyId(value: string): KmsError {
  return new KmsError('NotFoundException', `Invalid keyId ${value}`);
}

/** A key ARN of another region: the request went to this region's endpoint. */
export function invalidArnRegion(region: string): KmsError {
  return new KmsError('NotFoundException', `Invalid arn ${region}`);
}

export function invalidKeyUsage(keyArn: string, keyUsage: string, operation: string): KmsError {
  return new KmsError('InvalidKeyUsageException', `${keyArn} key usage is ${keyUsage} which is not valid for ${operation}.`);
}

/** The key's usage fits but its spec cannot do the operation (an RSA ENCRYPT_DECRYPT key asked for a data key). */
export function invalidKeySpec(keyArn: string, keySpec: string, operation: string): KmsError {
  return new KmsError('InvalidKeyUsageException', `${keyArn} key spec is ${keySpec} which is not valid for ${operation}.`);
}

export function incompatibleAlgorithm(algorithm: string, keySpec: string): KmsError {
  return new KmsError('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${keySpec}.`);
}

/**
 * Decrypt's answer to a ciphertext that does not open, whatever the reason (wrong encryption context, a changed
 * byte, unknown material): AWS sends InvalidCiphertextException with an empty message, so the answer says
 * nothing about which check failed.
 */
export function invalidCiphertext(): KmsError {
  return new KmsError('InvalidCiphertextException', '');
}

export function incorrectKey(): KmsError {
  return new KmsError('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
}

/** Decrypt without KeyId of a ciphertext whose key does not exist here (deleted, or of another region). */
export function ciphertextKeyUnknown(): KmsError {
  return new KmsError(
    'AccessDeniedException',
    'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
  );
}

export function accessDenied(message: string, explanation: Explanation): KmsError {
  const error = new KmsError('AccessDeniedException', message);
  error.explanation = explanation;
  return error;
}

export function malformedPolicy(message: string): KmsError {
  return new KmsError('MalformedPolicyDocumentException', message);
}

export function unsupported(message: string): KmsError {
  return new KmsError('UnsupportedOperationException', message);
}

/** An operation of the AWS KMS API this KMS does not implement yet. */
export function notAvailableYet(operation: string): KmsError {
  return unsupported(`${operation} is not available in this KMS yet.`);
}

export function tagError(message: string): KmsError {
  return new KmsError('TagException', message);
}

export function limitExceeded(message: string): KmsError {
  return new KmsError('LimitExceededException', message);
}

export function invalidMarker(): KmsError {
  return new KmsError('InvalidMarkerException', 'Invalid marker');
}

export function dryRunSucceeded(): KmsError {
  return new KmsError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
}

/** A grant token this KMS could not have issued (AWS: "The request was rejected because the specified grant token is not valid."). */
export function invalidGrantToken(): KmsError {
  return new KmsError('InvalidGrantTokenException', 'The grant token is not valid.');
}

export function invalidGrantId(grantId: string): KmsError {
  return new KmsError('InvalidGrantIdException', `Grant ID ${grantId} is not valid.`);
}

export function grantNotFound(grantId: string, keyArn: string): KmsError {
  return new KmsError('NotFoundException', `Grant ID ${grantId} not found for ${keyArn}.`);
}

/** An operation that does not apply to a key of this kind (origin, spec, multi-Region role). */
export function notValidFor(keyArn: string, what: string): KmsError {
  return unsupported(`${keyArn} ${what} which is not valid for this operation.`);
}

export function customKeyStoreNotFound(): KmsError {
  return new KmsError('CustomKeyStoreNotFoundException', 'The specified custom key store ID is not found.');
}

export function customKeyStoreInvalidState(message: string): KmsError {
  return new KmsError('CustomKeyStoreInvalidStateException', message);
}

/** A ValidationException in AWS's form for one member: "1 validation error detected: Value 'x' at 'member' ...". */
export function memberValidation(value: unknown, member: string, constraint: string): KmsError {
  return validationError([`Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must ${constraint}`]);
}

export function validation(message: string): KmsError {
  return new KmsError('ValidationException', message);
}
