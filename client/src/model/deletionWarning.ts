/**
 * The modal warning before ScheduleKeyDeletion, naming what becomes unusable for good once the waiting period
 * ends: AWS cannot recover a deleted key, and every ciphertext under it becomes undecryptable.
 */
import type { AuditEvent } from '../../../core/kms/audit/auditEvent';
import type { KeyMetadata } from '../../../core/kms/service/keyRecord';

/** Operations whose success produced something only this key can open: ciphertexts and data keys. */
const PRODUCING = new Set(['Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'ReEncrypt']);

/** Successful calls of the audit log that encrypted under the key (ReEncrypt only when the key was the destination). */
export function ciphertextsMadeUnder(keyArn: string, events: readonly AuditEvent[]): number {
  let count = 0;
  for (const e of events) {
    if (e.errorCode !== undefined || !PRODUCING.has(e.eventName)) continue;
    if (e.eventName === 'ReEncrypt') {
      const destination = e.requestParameters?.['destinationKeyId'];
      if (typeof destination !== 'string' || !(keyArn === destination || keyArn.endsWith(`/${destination}`))) continue;
    }
    if ((e.resources ?? []).some((r) => r.ARN === keyArn)) count++;
  }
  return count;
}

export interface DeletionWarning {
  message: string;
  detail: string;
}

export function deletionWarning(metadata: Pick<KeyMetadata, 'KeyUsage' | 'MultiRegionConfiguration'> | undefined, name: string, days: number, deletionDate: Date, ciphertexts: number, aliases: readonly string[], grants: number): DeletionWarning {
  const date = deletionDate.toISOString().slice(0, 10);
  const what: string[] = [];
  switch (metadata?.KeyUsage ?? 'ENCRYPT_DECRYPT') {
    case 'ENCRYPT_DECRYPT':
      what.push(
        ciphertexts > 0
          ? `every ciphertext and data key encrypted under it becomes undecryptable: the audit log shows ${ciphertexts} encryption${ciphertexts === 1 ? '' : 's'} under this key`
          : 'every ciphertext and data key encrypted under it becomes undecryptable (the audit log shows none, but copies of the store or other tools may hold some)',
      );
      break;
    case 'SIGN_VERIFY':
      what.push('its signatures can no longer be verified with the KMS (only with a copy of its public key)');
      break;
    case 'GENERATE_VERIFY_MAC':
      what.push('the MACs it generated can never be verified again');
      break;
    case 'KEY_AGREEMENT':
      what.push('it can no longer derive shared secrets');
      break;
  }
  if (aliases.length > 0) what.push(`its alias${aliases.length === 1 ? '' : 'es'} ${aliases.join(', ')} ${aliases.length === 1 ? 'is' : 'are'} deleted`);
  if (grants > 0) what.push(`its ${grants} grant${grants === 1 ? '' : 's'} go${grants === 1 ? 'es' : ''} with it`);
  if (metadata?.MultiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY' && metadata.MultiRegionConfiguration.ReplicaKeys.length > 0) {
    what.push('the primary waits until its replicas are deleted');
  }
  return {
    message: `Schedule deletion of ${name} in ${days} days (on ${date})?`,
    detail: `When the waiting period ends, the key is deleted for good and ${what.join('; ')}. Until then, KMS: Cancel Key Deletion brings it back (disabled). While pending deletion the key cannot be used.`,
  };
}
