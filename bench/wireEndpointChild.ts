/**
 * The endpoint of bench/wire.bench.ts's headline, in a child process of its own: startKmsEndpoint on a KMS with a
 * MemoryStore and a MemoryAuditLog on real time, as bench/kms.bench.ts measures the KMS itself, so the figure is
 * the endpoint's cost (HTTP, SigV4, JSON, the KMS's logic) without the disk. The identities file named on the
 * command line says who may sign. Prints `KMS Studio listening on <url>` when ready; SIGTERM stops it.
 */
import { AuditRecorder, MemoryAuditLog } from '../core/kms/audit/auditLog';
import { systemClock } from '../core/kms/clock';
import { Kms, type KeyRecord } from '../core/kms/service';
import { loadIdentities } from '../core/kms/store/identities';
import { MemoryStore } from '../core/kms/store/memoryStore';
import { startKmsEndpoint } from '../core/wire';

async function main(): Promise<void> {
  const identities = loadIdentities(process.argv[2]!);
  const kms = new Kms({ store: new MemoryStore<KeyRecord>(), clock: systemClock, audit: new AuditRecorder(new MemoryAuditLog(), systemClock), defaultRegion: 'us-east-1' });
  const endpoint = await startKmsEndpoint({ kms, port: 0, identities });
  process.stdout.write(`KMS Studio listening on ${endpoint.url}\n`);
  process.once('SIGTERM', () => void endpoint.close().then(() => process.exit(0)));
}

void main();
