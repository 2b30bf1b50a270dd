/**
 * A second process acting on a KMS store folder, for the tests of what one process sees of another's changes. The
 * root key comes from KMS_STUDIO_ROOT_KEY, as the CLI resolves it.
 *
 *   node kmsChild.js disable DIR KEY_ID   DisableKey through this process's own KMS, as the root user
 *   node kmsChild.js patch DIR KEY_ID     rewrites the key's record in the store with keyState Disabled, as a tool
 *                                         working on the store directly would
 *
 * Prints "done" when the change is committed.
 */
import { AuditRecorder, FileAuditLog } from '../../../../core/kms/audit/auditLog';
import { ManualClock } from '../../../../core/kms/clock';
import { Kms, rootCaller, validateKeyRecord, type KeyRecord } from '../../../../core/kms/service';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { resolveRootKey } from '../../../../core/kms/store/rootKey';

const REGION = 'us-east-1';
const ACCOUNT = '111122223333';
const [mode, dir, keyId] = process.argv.slice(2);
// Resolution never falls back to a key file here: the parent always sets the variable.
const { key } = resolveRootKey(process.env, { create: false, homeDir: '/nonexistent' });
const store = FolderStore.open<KeyRecord>(dir!, key, { validateKeyRecord, create: false });

async function main(): Promise<void> {
  if (mode === 'disable') {
    const clock = new ManualClock('2024-01-01T00:00:00Z');
    const log = new FileAuditLog(store.auditDir);
    const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: REGION, account: ACCOUNT });
    await kms.disableKey({ KeyId: keyId! }, rootCaller(ACCOUNT));
    log.dispose();
  } else if (mode === 'patch') {
    const stored = store.readKey(REGION, keyId!);
    if (!stored) throw new Error(`no key ${keyId}`);
    stored.material.forEach((bytes) => bytes.fill(0));
    store.writeKey(REGION, keyId!, { ...stored.record, keyState: 'Disabled' });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  process.stdout.write('done\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
