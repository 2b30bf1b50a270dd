import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { ROOT_KEY, filesUnder, tempDir } from './helpers';

/** The forms a secret could be written in: raw bytes, base64, base64url, hex in either case. */
function forms(secret: Uint8Array): { name: string; bytes: Buffer }[] {
  const raw = Buffer.from(secret);
  return [
    { name: 'raw', bytes: raw },
    { name: 'base64', bytes: Buffer.from(raw.toString('base64').replace(/=+$/, '')) },
    { name: 'base64url', bytes: Buffer.from(raw.toString('base64url')) },
    { name: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    { name: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
  ];
}

/** Every (file, form) where a secret appears under `dir`. */
function findSecrets(dir: string, secrets: Uint8Array[]): string[] {
  const found: string[] = [];
  for (const file of filesUnder(dir)) {
    const content = fs.readFileSync(file);
    secrets.forEach((secret, i) => {
      for (const form of forms(secret)) if (content.includes(form.bytes)) found.push(`secret ${i} as ${form.name} in ${path.relative(dir, file)}`);
    });
  }
  return found;
}

describe('the store folder on disk', () => {
  it('finds a secret written in the clear (the scan itself works)', () => {
    const dir = tempDir('kms-grep');
    const secret = randomBytes(32);
    fs.writeFileSync(path.join(dir, 'leak.json'), JSON.stringify({ hex: secret.toString('hex') }));
    assert.deepEqual(findSecrets(dir, [secret]), ['secret 0 as hex in leak.json']);
  });

  it('holds no key material and no root key in any form, in any file', () => {
    const dir = tempDir('kms-grep');
    const store = FolderStore.open<{ description: string }>(dir, ROOT_KEY);
    const secrets: Uint8Array[] = [];
    for (let k = 0; k < 6; k++) {
      // Symmetric material versions and a DER-sized private key, as the KMS layer will store them.
      const material = new Map([
        ['v1', randomBytes(32)],
        ['v2', randomBytes(32)],
        ['private', randomBytes(1218)],
      ]);
      secrets.push(...material.values());
      store.writeKey('us-east-1', `key-${k}`, { description: `key ${k}` }, material);
    }
    store.writeKey('us-east-1', 'key-0', { description: 'policy changed, material kept' });
    const tokenSecret = randomBytes(32);
    secrets.push(tokenSecret);
    fs.writeFileSync(path.join(tempDir('kms-grep-out'), 'blob'), store.wrap(tokenSecret, 'import-token'));
    store.writeAliases('us-east-1', new Map([['alias/app', { targetKeyId: 'key-1', creationDate: 'x', lastUpdatedDate: 'x' }]]));
    store.writeClockOffset(86_400_000);
    FolderStore.open(dir, ROOT_KEY).readKey('us-east-1', 'key-3');

    assert.ok(filesUnder(dir).length >= 8);
    assert.deepEqual(findSecrets(dir, [...secrets, ROOT_KEY]), []);
  });
});
