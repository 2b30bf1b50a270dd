/**
 * Appends audit events from a separate process, for the concurrent-append test:
 *   node auditChild.js DIR NAME COUNT
 * Each event's request carries a 4 KiB context value, so lines are long enough that interleaved writes would show.
 */
import { FileAuditLog } from '../../../../core/kms/audit/auditLog';
import { buildAuditEvent } from '../../../../core/kms/audit/auditEvent';

const [dir, name, count] = process.argv.slice(2);
const log = new FileAuditLog(dir!);
const padding = name!.repeat(4096 / name!.length);
for (let i = 0; i < Number(count); i++) {
  log.append(
    buildAuditEvent(
      {
        operation: 'Decrypt',
        region: 'us-east-1',
        caller: { arn: `arn:aws:iam::111122223333:user/${name}` },
        requestParameters: { KeyId: 'k1', EncryptionContext: { writer: name!, seq: String(i), padding } },
        keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k1',
      },
      new Date('2024-06-01T12:00:00Z'),
    ),
  );
}
process.stdout.write('done\n');
