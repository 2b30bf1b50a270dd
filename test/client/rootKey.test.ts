import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FolderStore, ROOT_KEY_SECRET, WrongRootKeyError, generateRootKey } from '../../core/kms/store';
import { rootKeyFor, type SecretStore } from '../../client/src/kms/rootKey';

/**
 * SecretStorage as two windows see it: one shared map, every call answered a turn later, so two activations
 * interleave their get and store calls as they can in VS Code. Counts the stores, and refuses none.
 */
function sharedSecrets(): SecretStore & { stores: number; values: Map<string, string> } {
  const values = new Map<string, string>();
  const later = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    values,
    stores: 0,
    async get(key) {
      await later();
      return values.get(key);
    },
    async store(key, value) {
      await later();
      this.stores++;
      values.set(key, value);
    },
  };
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-rootkey-'));
}

describe('the editor\'s root key in SecretStorage', () => {
  it('two windows activating at once store one key and both use it', async () => {
    const dir = tempDir();
    const secrets = sharedSecrets();
    const creation = { lockFile: path.join(dir, 'global', 'root-key.lock'), storeDir: path.join(dir, 'store') };
    const [a, b] = await Promise.all([rootKeyFor(secrets, {}, creation), rootKeyFor(secrets, {}, creation)]);
    assert.deepEqual(a.key, b.key);
    assert.equal(secrets.stores, 1, 'the secret is stored once, never overwritten');
    assert.deepEqual([a.created, b.created].sort(), [false, true]);
    assert.equal(Buffer.from(a.key).toString('base64'), secrets.values.get(ROOT_KEY_SECRET));
    assert.equal(fs.existsSync(creation.lockFile), false, 'the lock file is removed');
  });

  it('an existing secret is used as it is, and never replaced', async () => {
    const dir = tempDir();
    const secrets = sharedSecrets();
    const kept = Buffer.from(generateRootKey()).toString('base64');
    secrets.values.set(ROOT_KEY_SECRET, kept);
    const got = await rootKeyFor(secrets, {}, { lockFile: path.join(dir, 'root-key.lock') });
    assert.equal(Buffer.from(got.key).toString('base64'), kept);
    assert.equal(got.created, false);
    assert.equal(secrets.stores, 0);
  });

  it('a new key is not stored when a store another key made exists: WrongRootKeyError, SecretStorage left empty', async () => {
    const dir = tempDir();
    const storeDir = path.join(dir, 'store');
    FolderStore.open(storeDir, generateRootKey());
    const secrets = sharedSecrets();
    await assert.rejects(rootKeyFor(secrets, {}, { lockFile: path.join(dir, 'root-key.lock'), storeDir }), WrongRootKeyError);
    assert.equal(secrets.stores, 0);
    assert.equal(fs.existsSync(path.join(dir, 'root-key.lock')), false, 'the lock file is removed after a failure too');
  });

  it('waits for another window\'s lock, then uses the key that window stored', async () => {
    const dir = tempDir();
    const lockFile = path.join(dir, 'root-key.lock');
    fs.writeFileSync(lockFile, '');
    const secrets = sharedSecrets();
    const waiting = rootKeyFor(secrets, {}, { lockFile });
    const other = Buffer.from(generateRootKey()).toString('base64');
    secrets.values.set(ROOT_KEY_SECRET, other);
    fs.rmSync(lockFile);
    const got = await waiting;
    assert.equal(Buffer.from(got.key).toString('base64'), other);
    assert.equal(secrets.stores, 0);
  });

  it('KMS_STUDIO_ROOT_KEY wins and touches neither SecretStorage nor the lock', async () => {
    const secrets = sharedSecrets();
    const env = Buffer.from(generateRootKey()).toString('base64');
    const got = await rootKeyFor(secrets, { KMS_STUDIO_ROOT_KEY: env }, { lockFile: '/nonexistent/dir/root-key.lock' });
    assert.equal(got.source, 'KMS_STUDIO_ROOT_KEY');
    assert.equal(secrets.stores, 0);
  });
});
