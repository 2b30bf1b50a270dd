import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { StoreCorruptedError, StoreLockTimeoutError, StoreNotFoundError, WrongRootKeyError } from '../../../../core/kms/store/errors';
import { UnwrapError } from '../../../../core/kms/store/keyWrapper';
import { describeStoreContract, type TestRecord } from './storeContract';
import { OTHER_ROOT_KEY, ROOT_KEY, filesUnder, tempDir, within } from './helpers';

describeStoreContract('FolderStore', () => FolderStore.open<TestRecord>(tempDir(), ROOT_KEY));

const REGION = 'us-east-1';
const material = (fill: number) => new Map([['v1', new Uint8Array(32).fill(fill)]]);

/** A digest of every file's name and bytes, to prove a failed operation changed nothing. */
function snapshot(dir: string): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(dir).sort()) hash.update(path.relative(dir, file)).update(fs.readFileSync(file));
  return hash.digest('hex');
}

function newStore(): { dir: string; store: FolderStore<TestRecord> } {
  const dir = tempDir();
  return { dir, store: FolderStore.open<TestRecord>(dir, ROOT_KEY) };
}

function keyFile(dir: string, keyId: string): string {
  return path.join(dir, 'keys', REGION, `${keyId}.json`);
}

describe('FolderStore layout', () => {
  it('writes the header, one file per key, a file per region of aliases and the clock, owner-only', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    store.writeKey(REGION, 'k2', { description: 'b' }, material(2));
    store.writeAliases(REGION, new Map([['alias/a', { targetKeyId: 'k1', creationDate: 'x', lastUpdatedDate: 'x' }]]));
    store.writeClockOffset(1000);
    const files = filesUnder(dir).map((f) => path.relative(dir, f)).sort();
    assert.deepEqual(files, ['aliases/us-east-1.json', 'clock.json', 'keys/us-east-1/k1.json', 'keys/us-east-1/k2.json', 'store.json', 'version.json']);
    for (const file of filesUnder(dir)) assert.equal(fs.statSync(file).mode & 0o777, 0o600, file);
    for (const folder of [dir, path.join(dir, 'keys'), path.join(dir, 'keys', REGION), path.join(dir, 'aliases')]) {
      assert.equal(fs.statSync(folder).mode & 0o777, 0o700, folder);
    }
    const header = JSON.parse(fs.readFileSync(path.join(dir, 'store.json'), 'utf8'));
    assert.equal(header.format, 'kms-studio-store');
    assert.equal(header.formatVersion, 1);
    assert.match(header.keyCheckValue, /^[A-Za-z0-9+/]{22}==$/);
    assert.ok(!Number.isNaN(Date.parse(header.created)));
  });

  it('rewrites only the file of the key that changed', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    store.writeKey(REGION, 'k2', { description: 'b' }, material(2));
    const before = fs.statSync(keyFile(dir, 'k2')).ino;
    store.writeKey(REGION, 'k1', { description: 'changed' });
    assert.equal(fs.statSync(keyFile(dir, 'k2')).ino, before);
  });

  it('says whether a folder holds a store', () => {
    const { dir } = newStore();
    assert.equal(FolderStore.exists(dir), true);
    assert.equal(FolderStore.exists(tempDir()), false);
  });
});

describe('FolderStore opening', () => {
  it('reopens with the same root key and sees what was written', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'kept' }, material(5));
    const reopened = FolderStore.open<TestRecord>(dir, ROOT_KEY);
    assert.equal(reopened.readKey(REGION, 'k1')!.record.description, 'kept');
    assert.deepEqual(reopened.readKey(REGION, 'k1')!.material.get('v1'), new Uint8Array(32).fill(5));
  });

  it('refuses a wrong root key with WrongRootKeyError naming its source, changing nothing', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    const before = snapshot(dir);
    assert.throws(
      () => FolderStore.open(dir, OTHER_ROOT_KEY, { rootKeySource: 'KMS_STUDIO_ROOT_KEY' }),
      (error: unknown) => error instanceof WrongRootKeyError && /KMS_STUDIO_ROOT_KEY/.test(error.message) && error.storeDir === dir,
    );
    assert.equal(snapshot(dir), before);
  });

  it('tells a wrong root key apart from damage even when the store has no keys', () => {
    const { dir } = newStore();
    assert.throws(() => FolderStore.open(dir, OTHER_ROOT_KEY), WrongRootKeyError);
  });

  it('creates a store in a missing folder, and refuses to when told not to', () => {
    const parent = tempDir();
    assert.throws(() => FolderStore.open(path.join(parent, 'absent'), ROOT_KEY, { create: false }), StoreNotFoundError);
    assert.equal(fs.existsSync(path.join(parent, 'absent')), false);
    FolderStore.open(path.join(parent, 'nested', 'store'), ROOT_KEY);
    assert.ok(FolderStore.exists(path.join(parent, 'nested', 'store')));
  });

  it('refuses to turn a folder holding other files into a store', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const before = snapshot(dir);
    assert.throws(() => FolderStore.open(dir, ROOT_KEY), (error: unknown) => error instanceof StoreCorruptedError && /notes\.txt/.test(error.message));
    assert.equal(snapshot(dir), before);
  });

  it('creates a store in a folder that holds only the identities written for it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'identities.json'), '{"identities": []}');
    assert.deepEqual(FolderStore.open(dir, ROOT_KEY).readIdentities(), []);
  });

  it('removes temp files left by a killed writer and never lists them as keys', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    // pid 2147483646 is above pid_max, so no process has it.
    const leftovers = [path.join(dir, 'keys', REGION, '.k2.json.2147483646.abcdef.tmp'), path.join(dir, '.version.json.2147483646.abcdef.tmp')];
    for (const file of leftovers) fs.writeFileSync(file, '{"half":');
    assert.deepEqual(store.listKeys().map((k) => k.keyId), ['k1']);
    FolderStore.open(dir, ROOT_KEY);
    for (const file of leftovers) assert.equal(fs.existsSync(file), false, file);
  });
});

describe('FolderStore damage', () => {
  function damaged(change: (dir: string) => void): { dir: string; before: string } {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    store.writeKey(REGION, 'k2', { description: 'b' }, material(2));
    change(dir);
    return { dir, before: snapshot(dir) };
  }

  const cases: [string, (dir: string) => void, RegExp][] = [
    ['a truncated key file', (dir) => fs.truncateSync(keyFile(dir, 'k1'), 40), /k1\.json is damaged: not valid JSON/],
    ['an empty key file', (dir) => fs.truncateSync(keyFile(dir, 'k1'), 0), /k1\.json is damaged: the file is empty/],
    ['garbage in a key file', (dir) => fs.writeFileSync(keyFile(dir, 'k1'), '\u0000\u0001garbage'), /k1\.json is damaged: not valid JSON/],
    [
      'a bit flipped in a wrapped blob',
      (dir) => {
        const file = JSON.parse(fs.readFileSync(keyFile(dir, 'k1'), 'utf8'));
        const blob = Buffer.from(file.material.v1.slice(3), 'base64');
        blob[20]! ^= 1;
        file.material.v1 = 'w1.' + blob.toString('base64');
        fs.writeFileSync(keyFile(dir, 'k1'), JSON.stringify(file));
      },
      /k1\.json is damaged: material "v1": the wrapped blob does not authenticate/,
    ],
    [
      "another key's wrapped blob moved into a key file",
      (dir) => {
        const k1 = JSON.parse(fs.readFileSync(keyFile(dir, 'k1'), 'utf8'));
        const k2 = JSON.parse(fs.readFileSync(keyFile(dir, 'k2'), 'utf8'));
        k1.material.v1 = k2.material.v1;
        fs.writeFileSync(keyFile(dir, 'k1'), JSON.stringify(k1));
      },
      /k1\.json is damaged: material "v1": the wrapped blob does not authenticate \(altered, or moved from another record\)/,
    ],
    ['a key file copied under another key ID', (dir) => fs.copyFileSync(keyFile(dir, 'k2'), keyFile(dir, 'k1')), /names key k2 in us-east-1 but is stored as k1/],
    ['a garbage header', (dir) => fs.writeFileSync(path.join(dir, 'store.json'), '{"format": "kms-studio-st'), /store\.json is damaged: not valid JSON/],
    ['a header from a newer version', (dir) => {
      const header = JSON.parse(fs.readFileSync(path.join(dir, 'store.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, 'store.json'), JSON.stringify({ ...header, formatVersion: 99 }));
    }, /format version 99 is newer/],
    ['a missing header', (dir) => fs.rmSync(path.join(dir, 'store.json')), /store\.json is damaged: it is missing, yet the folder holds/],
    ['a damaged clock file', (dir) => fs.writeFileSync(path.join(dir, 'clock.json'), '{"offsetMs": -5}'), /clock\.json is damaged/],
    ['a damaged aliases file', (dir) => {
      fs.mkdirSync(path.join(dir, 'aliases'));
      fs.writeFileSync(path.join(dir, 'aliases', `${REGION}.json`), '[]');
    }, /us-east-1\.json is damaged/],
  ];

  for (const [what, change, message] of cases) {
    it(`reports ${what} when the store is opened, changing nothing`, () => {
      const { dir, before } = damaged(change);
      assert.throws(() => FolderStore.open(dir, ROOT_KEY), (error: unknown) => error instanceof StoreCorruptedError && message.test(error.message));
      assert.equal(snapshot(dir), before);
    });
  }

  it('reports a damaged key when it is read, with opening-time checks off', () => {
    const { dir } = damaged((d) => fs.truncateSync(keyFile(d, 'k1'), 10));
    const store = FolderStore.open<TestRecord>(dir, ROOT_KEY, { verify: false });
    assert.equal(store.readKey(REGION, 'k2')!.record.description, 'b');
    assert.throws(() => store.readKey(REGION, 'k1'), (error: unknown) => error instanceof StoreCorruptedError && error.file === keyFile(dir, 'k1'));
  });

  it('refuses to overwrite a damaged key file', () => {
    const { dir, before } = damaged((d) => fs.writeFileSync(keyFile(d, 'k1'), 'garbage'));
    const store = FolderStore.open<TestRecord>(dir, ROOT_KEY, { verify: false });
    assert.throws(() => store.writeKey(REGION, 'k1', { description: 'overwrite' }, material(3)), StoreCorruptedError);
    assert.equal(snapshot(dir), before);
  });

  it('reports a record its validator rejects as damage', () => {
    const { dir } = damaged(() => undefined);
    const validateKeyRecord = (value: unknown): TestRecord => {
      if ((value as TestRecord).description === 'b') throw new Error('description "b" is not allowed');
      return value as TestRecord;
    };
    assert.throws(() => FolderStore.open(dir, ROOT_KEY, { validateKeyRecord }), /k2\.json is damaged: the key record is not valid: description "b" is not allowed/);
  });
});

describe('FolderStore shared by two processes', () => {
  it('reads through: a record changed by another process is seen on the next read', () => {
    const dir = tempDir();
    const vscode = FolderStore.open<TestRecord>(dir, ROOT_KEY);
    const cli = FolderStore.open<TestRecord>(dir, ROOT_KEY);
    vscode.writeKey(REGION, 'k1', { description: 'Enabled' }, material(1));
    const seen = vscode.version();
    assert.equal(vscode.readKey(REGION, 'k1')!.record.description, 'Enabled');
    cli.writeKey(REGION, 'k1', { description: 'PendingDeletion' });
    assert.notEqual(vscode.version(), seen);
    assert.equal(vscode.readKey(REGION, 'k1')!.record.description, 'PendingDeletion');
    cli.deleteKey(REGION, 'k1');
    assert.equal(vscode.readKey(REGION, 'k1'), undefined);
  });

  it("tells a watcher about another store object's change to the folder", async () => {
    const dir = tempDir();
    const watching = FolderStore.open<TestRecord>(dir, ROOT_KEY, { watchDebounceMs: 10 });
    const writer = FolderStore.open<TestRecord>(dir, ROOT_KEY);
    let resolve: (version: string) => void;
    const changed = new Promise<string>((r) => (resolve = r));
    const watcher = watching.watch((change) => resolve(change.version));
    try {
      writer.writeAliases(REGION, new Map([['alias/new', { targetKeyId: 'k1', creationDate: 'x', lastUpdatedDate: 'x' }]]));
      assert.equal(await within(changed, 5000, 'the watch event'), writer.version());
    } finally {
      watcher.dispose();
    }
  });

  it('waits for a live holder of the lock and names it when the wait times out', () => {
    const dir = tempDir();
    const store = FolderStore.open<TestRecord>(dir, ROOT_KEY, { lock: { timeoutMs: 1 } });
    // The parent of this test process is alive, so its lock is not stale.
    const holder = { pid: process.ppid, hostname: os.hostname(), token: 'other', acquiredAt: '2024-01-01T00:00:00.000Z' };
    fs.writeFileSync(path.join(dir, '.lock'), JSON.stringify(holder));
    const error = (() => {
      try {
        store.writeKey(REGION, 'k1', { description: 'a' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof StoreLockTimeoutError);
    assert.match(error.message, new RegExp(`held by process ${process.ppid}`));
    assert.equal(fs.existsSync(keyFile(dir, 'k1')), false);
  });
});

describe('FolderStore wrap and unwrap', () => {
  it('round-trips bytes bound to an AAD', () => {
    const { store } = newStore();
    const blob = store.wrap(new Uint8Array([1, 2, 3]), 'import-token:k1');
    assert.deepEqual([...store.unwrap(blob, 'import-token:k1')], [1, 2, 3]);
    assert.throws(() => store.unwrap(blob, 'import-token:k2'), UnwrapError);
  });

  it('cannot open key material, nor wrap something that opens as key material', () => {
    const { dir, store } = newStore();
    store.writeKey(REGION, 'k1', { description: 'a' }, material(1));
    const blob = JSON.parse(fs.readFileSync(keyFile(dir, 'k1'), 'utf8')).material.v1 as string;
    assert.throws(() => store.unwrap(blob, JSON.stringify(['kms-studio/key-material/v1', REGION, 'k1', 'v1'])), UnwrapError);
  });
});
