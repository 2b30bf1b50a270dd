import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DocumentClassifier, fileSettingsFrom, kindFromContent, DEFAULT_FILE_SETTINGS } from '../../../core/policy/documentKind';

describe('DocumentClassifier', () => {
  const classifier = new DocumentClassifier();
  const table: Array<[string, string | undefined]> = [
    ['/work/app/kms/app.keypolicy.json', 'keyPolicy'],
    ['/work/app/kms/app.key-policy.json', 'keyPolicy'],
    ['C:\\work\\app\\app.keypolicy.json', 'keyPolicy'],
    ['/work/app/roles/app.iam.json', 'identityPolicy'],
    ['/work/app/roles/app.iam-policy.json', 'identityPolicy'],
    ['/work/app/.hidden/app.iam.json', 'identityPolicy'],
    ['/work/app/checks.kms-scenarios.json', 'scenarios'],
    ['/work/app/package.json', undefined],
    ['/work/app/keypolicy.json.bak', undefined],
  ];
  for (const [path, kind] of table) {
    it(`classifies ${path} as ${kind ?? 'nothing'}`, () => assert.equal(classifier.classify(path), kind));
  }

  it('follows custom globs and drops the defaults it replaces', () => {
    const custom = new DocumentClassifier(fileSettingsFrom({ keyPolicies: ['**/policies/*.json'] }));
    assert.equal(custom.classify('/x/policies/a.json'), 'keyPolicy');
    assert.equal(custom.classify('/x/a.keypolicy.json'), undefined);
    assert.equal(custom.classify('/x/a.iam.json'), 'identityPolicy');
  });

  it('ignores malformed settings and keeps the defaults', () => {
    assert.deepEqual(fileSettingsFrom({ keyPolicies: 'x', scenarios: [1] }), DEFAULT_FILE_SETTINGS);
    assert.deepEqual(fileSettingsFrom(null), DEFAULT_FILE_SETTINGS);
  });
});

describe('kindFromContent', () => {
  it('takes a document whose statements name a principal for a key policy', () => {
    assert.equal(kindFromContent({ Statement: [{ Effect: 'Allow', Principal: '*' }] }), 'keyPolicy');
    assert.equal(kindFromContent({ Statement: { Effect: 'Deny', NotPrincipal: { AWS: '1' } } }), 'keyPolicy');
  });
  it('takes a document whose statements name no principal for an identity policy', () => {
    assert.equal(kindFromContent({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*' }] }), 'identityPolicy');
  });
  it('recognises a scenario file and refuses what is no policy', () => {
    assert.equal(kindFromContent({ keys: {}, cases: [] }), 'scenarios');
    assert.equal(kindFromContent([1, 2]), undefined);
    assert.equal(kindFromContent('text'), undefined);
    assert.equal(kindFromContent({ name: 'x' }), undefined);
  });
});
