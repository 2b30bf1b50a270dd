/**
 * The CreateGrant request the guided Create Grant builds: the grantee, the operations, and optionally an
 * encryption context constraint, a retiring principal and a name. Checked here so a mistake is named before
 * the request goes out, in words that say what to change.
 */
import { grantOperationNames } from '../../../core/catalog/actions';
import type { CreateGrantRequest } from '../../../core/kms/service/shapes';
import type { EncryptionContext } from './encryptionContext';

export type ConstraintKind = 'none' | 'EncryptionContextSubset' | 'EncryptionContextEquals';

export interface GrantInput {
  keyId: string;
  granteePrincipal: string;
  operations: readonly string[];
  constraint?: { kind: ConstraintKind; context?: EncryptionContext };
  retiringPrincipal?: string;
  name?: string;
}

export class GrantInputError extends Error {
  override readonly name = 'GrantInputError';
}

/** Operations that take an encryption context; only they may have an encryption context constraint. */
const CONTEXT_OPERATIONS = new Set(['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'CreateGrant', 'RetireGrant', 'DescribeKey']);

export function createGrantRequest(input: GrantInput): CreateGrantRequest {
  const known = new Set(grantOperationNames());
  if (input.operations.length === 0) throw new GrantInputError('Choose at least one operation for the grant.');
  const unknown = input.operations.filter((o) => !known.has(o));
  if (unknown.length > 0) throw new GrantInputError(`${unknown.join(', ')} ${unknown.length === 1 ? 'is not a grant operation' : 'are not grant operations'}; a grant can allow ${[...known].join(', ')}.`);
  if (!input.granteePrincipal.trim()) throw new GrantInputError('Give the grantee principal: an IAM user or role ARN, or an account root ARN.');
  const request: CreateGrantRequest = { KeyId: input.keyId, GranteePrincipal: input.granteePrincipal.trim(), Operations: [...input.operations] };
  const c = input.constraint;
  if (c && c.kind !== 'none') {
    if (!c.context || Object.keys(c.context).length === 0) throw new GrantInputError(`${c.kind} needs at least one key=value pair.`);
    const without = input.operations.filter((o) => !CONTEXT_OPERATIONS.has(o));
    if (without.length > 0) {
      throw new GrantInputError(`An encryption context constraint cannot go with ${without.join(', ')}, which take no encryption context; make a separate grant for ${without.length === 1 ? 'it' : 'them'}.`);
    }
    request.Constraints = { [c.kind]: { ...c.context } };
  }
  if (input.retiringPrincipal?.trim()) request.RetiringPrincipal = input.retiringPrincipal.trim();
  if (input.name?.trim()) request.Name = input.name.trim();
  return request;
}
