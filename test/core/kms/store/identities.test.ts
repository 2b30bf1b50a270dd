import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IdentitiesFileError } from '../../../../core/kms/store/errors';
import { FolderStore } from '../../../../core/kms/store/folderStore';
import { loadIdentities, parseIdentities } from '../../../../core/kms/store/identities';
import { ROOT_KEY, tempDir } from './helpers';

const APP = {
  principal: 'arn:aws:iam::111122223333:role/App',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] }],
  tags: { team: 'blue' },
};

const text = (value: unknown) => JSON.stringify(value, null, 2);

describe('parseIdentities', () => {
  it('reads the documented format', () => {
    const identities = parseIdentities(text({ identities: [APP, { principal: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIAALICE0000000EXAM', secretAccessKey: 'x' }] }), 'identities.json');
    assert.equal(identities.length, 2);
    assert.deepEqual(identities[0], APP);
    assert.deepEqual(identities[1]!.policies, []);
    assert.deepEqual(identities[1]!.tags, {});
  });

  const other = { ...APP, accessKeyId: 'AKIAOTHER00000000000' };
  const bad: [string, unknown, string, RegExp][] = [
    ['a top level that is not an object', [], '$', /expected an object/],
    ['a missing identities array', {}, '$.identities', /expected an array/],
    ['an unknown top-level field', { identities: [], users: [] }, '$.users', /unknown field/],
    ['an identity that is not an object', { identities: ['x'] }, '$.identities[0]', /expected an object/],
    ['a principal that is not an ARN', { identities: [{ ...APP, principal: 'App' }] }, '$.identities[0].principal', /not an IAM user, role or root ARN/],
    ['an STS session as principal', { identities: [{ ...APP, principal: 'arn:aws:sts::111122223333:assumed-role/App/s' }] }, '$.identities[0].principal', /not an IAM user, role or root ARN/],
    ['a short access key ID', { identities: [{ ...APP, accessKeyId: 'AKIA' }] }, '$.identities[0].accessKeyId', /16 to 128/],
    ['a duplicate access key ID', { identities: [other, APP, APP] }, '$.identities[2].accessKeyId', /already used by \$\.identities\[1\]/],
    ['an empty secret', { identities: [{ ...APP, secretAccessKey: '' }] }, '$.identities[0].secretAccessKey', /non-empty/],
    ['policies that are not an array', { identities: [{ ...APP, policies: {} }] }, '$.identities[0].policies', /array of IAM policy documents/],
    ['a policy without statements', { identities: [other, { ...APP, policies: [APP.policies[0], { Version: '2012-10-17' }] }] }, '$.identities[1].policies[1].Statement', /statement/],
    ['a tag value that is not a string', { identities: [{ ...APP, tags: { team: 1 } }] }, '$.identities[0].tags.team', /string/],
    ['a misspelt field', { identities: [{ ...APP, secretKey: 'x' }] }, '$.identities[0].secretKey', /unknown field/],
  ];
  for (const [what, value, jsonPath, message] of bad) {
    it(`refuses ${what}, naming ${jsonPath}`, () => {
      assert.throws(
        () => parseIdentities(text(value), '/store/identities.json'),
        (error: unknown) => error instanceof IdentitiesFileError && error.jsonPath === jsonPath && message.test(error.message) && error.message.startsWith('/store/identities.json: '),
      );
    });
  }

  it('names the line and column of a JSON syntax error', () => {
    assert.throws(() => parseIdentities('{\n  "identities": [,]\n}', 'identities.json'), /identities\.json: \$: not valid JSON at line 2, column 18: ValueExpected/);
  });
});

describe('identities of a store', () => {
  it('are none when identities.json does not exist', () => {
    assert.deepEqual(loadIdentities(path.join(tempDir(), 'identities.json')), []);
  });

  it('are read from DIR/identities.json, and a bad file is reported when read, not when the store opens', () => {
    const dir = tempDir();
    const store = FolderStore.open(dir, ROOT_KEY);
    fs.writeFileSync(path.join(dir, 'identities.json'), text({ identities: [APP] }));
    assert.deepEqual(store.readIdentities(), [APP]);
    fs.writeFileSync(path.join(dir, 'identities.json'), text({ identities: [{ ...APP, tags: [] }] }));
    FolderStore.open(dir, ROOT_KEY);
    assert.throws(() => store.readIdentities(), /\$\.identities\[0\]\.tags: expected an object/);
  });
});
