/**
 * A separate process working on a store, for the crash-safety and two-process tests. The root key comes from
 * KMS_STUDIO_ROOT_KEY, resolved the way the CLI resolves it.
 *
 *   node storeChild.js crash DIR          writes keys k0, k1, ... and bumps a counter key, printing "ack <i>"
 *                                         after each write returns, until killed (or 5000 writes)
 *   node storeChild.js shared DIR NAME N M  creates N keys NAME-k<i> and, under the lock, M times increments the
 *                                         shared counter key and adds alias/NAME-<i>; prints "done"
 */
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { resolveRootKey } from '../../../../core/kms/store/rootKey';
import type { AliasRecord } from '../../../../core/kms/store/kmsStore';
import { materialFor } from './childSupport';

interface ChildRecord {
  n?: number;
  count?: number;
  pad?: string;
  writer?: string;
}

const REGION = 'us-east-1';
const [mode, dir, name, n, m] = process.argv.slice(2);
// Resolution never falls back to a key file here: the parent always sets the variable.
const { key } = resolveRootKey(process.env, { create: false, homeDir: '/nonexistent' });
const store = FolderStore.open<ChildRecord, AliasRecord>(dir!, key, { lock: { timeoutMs: 60_000 } });

function alias(keyId: string): AliasRecord {
  const now = new Date().toISOString();
  return { targetKeyId: keyId, creationDate: now, lastUpdatedDate: now };
}

if (mode === 'crash') {
  // A record of some size, like a key with a long policy and many grants.
  const pad = 'x'.repeat(16 * 1024);
  for (let i = 0; i < 5000; i++) {
    const keyId = `k${i}`;
    store.writeKey(REGION, keyId, { n: i, pad }, new Map([['v1', materialFor(keyId)]]));
    store.withLock((tx) => {
      tx.writeKey(REGION, 'counter', { count: i + 1 });
      const aliases = tx.readAliases(REGION);
      aliases.set(`alias/a${i}`, alias(keyId));
      tx.writeAliases(REGION, aliases);
    });
    process.stdout.write(`ack ${i}\n`);
  }
} else if (mode === 'shared') {
  const keys = Number(n);
  const increments = Number(m);
  for (let i = 0; i < Math.max(keys, increments); i++) {
    if (i < keys) {
      const keyId = `${name}-k${i}`;
      store.writeKey(REGION, keyId, { n: i, writer: name! }, new Map([['v1', materialFor(keyId)]]));
    }
    if (i < increments) {
      store.withLock((tx) => {
        const counter = tx.readKey(REGION, 'counter');
        tx.writeKey(REGION, 'counter', { count: (counter?.record.count ?? 0) + 1 });
        const aliases = tx.readAliases(REGION);
        aliases.set(`alias/${name}-${i}`, alias(`${name}-k0`));
        tx.writeAliases(REGION, aliases);
      });
    }
  }
  process.stdout.write('done\n');
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
