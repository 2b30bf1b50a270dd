import modelJson from './model/kms-api.json';

/**
 * An error the KMS returns, named as AWS names it. `name` is the exception name the wire protocol puts in
 * `__type` and the SDKs map to their exception classes; `message` is AWS's wording where it is known.
 */
export class KmsError extends Error {
  /** Set on AccessDeniedException: the evaluator's explanation, for a client to show why. */
  explanation?: unknown;

  constructor(
    readonly name: string,
    message: string,
    /** HTTP status the wire endpoint answers with: 400 for client errors, 500 for KMSInternalException. */
    readonly httpStatus: number = name === 'KMSInternalException' ? 500 : 400,
  ) {
    super(message);
  }
}

/** The exception names of the AWS KMS API model plus those every AWS JSON service can return. */
export const KNOWN_EXCEPTIONS: ReadonlySet<string> = new Set([
  ...Object.entries((modelJson as { shapes: Record<string, { exception?: boolean }> }).shapes)
    .filter(([, s]) => s.exception)
    .map(([name]) => name),
  // Common to AWS JSON protocol services, not listed in the KMS model.
  'AccessDeniedException',
  'ValidationException',
  'SerializationException',
  'UnknownOperationException',
  'InvalidSignatureException',
  'UnrecognizedClientException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'ThrottlingException',
  'RequestExpired',
  'InvalidClientTokenId',
]);

export function kmsError(name: string, message: string): KmsError {
  return new KmsError(name, message);
}

/** AWS's multi-error ValidationException: "2 validation errors detected: Value ... at 'x' failed ...; ...". */
export function validationError(problems: readonly string[]): KmsError {
  const count = problems.length;
  return new KmsError('ValidationException', `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`);
}
