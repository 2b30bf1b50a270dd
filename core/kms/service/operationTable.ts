/**
 * Which handler serves each operation of the AWS KMS API, and which operations are not implemented yet. An
 * operation of the API model without a handler is refused with UnsupportedOperationException rather than
 * answered with something that only looks right.
 */
import { operationNames } from '../model/apiModel';
import type { CallContext } from './callContext';
import * as aliases from './operations/aliasOperations';
import * as asymmetric from './operations/asymmetricOperations';
import * as keys from './operations/keyOperations';
import * as policies from './operations/policyOperations';
import * as symmetric from './operations/symmetricOperations';

export type Handler = (ctx: CallContext, request: Record<string, unknown>) => object;

function handler<Req>(fn: (ctx: CallContext, request: Req) => object): Handler {
  return (ctx, request) => fn(ctx, request as unknown as Req);
}

export const OPERATIONS: Readonly<Record<string, Handler>> = {
  CreateKey: handler(keys.createKey),
  DescribeKey: handler(keys.describeKey),
  ListKeys: handler(keys.listKeys),
  UpdateKeyDescription: handler(keys.updateKeyDescription),
  EnableKey: handler(keys.enableKey),
  DisableKey: handler(keys.disableKey),
  ScheduleKeyDeletion: handler(keys.scheduleKeyDeletion),
  CancelKeyDeletion: handler(keys.cancelKeyDeletion),
  TagResource: handler(keys.tagResource),
  UntagResource: handler(keys.untagResource),
  ListResourceTags: handler(keys.listResourceTags),
  Encrypt: handler(symmetric.encrypt),
  Decrypt: handler(symmetric.decrypt),
  ReEncrypt: handler(symmetric.reEncrypt),
  GenerateDataKey: handler(symmetric.generateDataKey),
  GenerateDataKeyWithoutPlaintext: handler(symmetric.generateDataKeyWithoutPlaintext),
  GenerateRandom: handler(symmetric.generateRandom),
  GenerateDataKeyPair: handler(asymmetric.generateDataKeyPair),
  GenerateDataKeyPairWithoutPlaintext: handler(asymmetric.generateDataKeyPairWithoutPlaintext),
  Sign: handler(asymmetric.sign),
  Verify: handler(asymmetric.verify),
  GetPublicKey: handler(asymmetric.getPublicKey),
  GenerateMac: handler(asymmetric.generateMac),
  VerifyMac: handler(asymmetric.verifyMac),
  DeriveSharedSecret: handler(asymmetric.deriveSharedSecret),
  CreateAlias: handler(aliases.createAlias),
  UpdateAlias: handler(aliases.updateAlias),
  DeleteAlias: handler(aliases.deleteAlias),
  ListAliases: handler(aliases.listAliases),
  GetKeyPolicy: handler(policies.getKeyPolicy),
  PutKeyPolicy: handler(policies.putKeyPolicy),
  ListKeyPolicies: handler(policies.listKeyPolicies),
};

/** The operations of the AWS KMS API this KMS does not implement yet (grants, rotation, import, multi-Region, custom key stores). */
export function operationsNotYetAvailable(): string[] {
  return operationNames()
    .filter((name) => !Object.prototype.hasOwnProperty.call(OPERATIONS, name))
    .sort();
}

export function isImplemented(operation: string): boolean {
  return Object.prototype.hasOwnProperty.call(OPERATIONS, operation);
}
