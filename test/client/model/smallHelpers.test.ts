import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { aliasNameProblem, normalizeAliasName } from '../../../client/src/model/aliasName';
import { Base64TextError, decodeBase64Text, encodeBase64 } from '../../../client/src/model/base64Text';
import { endpointVariables, exportLines, powershellLines } from '../../../client/src/model/endpointEnv';
import { keyPolicyPath, parseKeyPolicyPath, parseRegionPath } from '../../../client/src/model/keyPolicyPath';
import { AWS_REGIONS, looksLikeRegion } from '../../../client/src/model/regions';
import { resolveStoreLocation, StoreLocationError } from '../../../client/src/model/storeLocation';

describe('key policy paths of the kms-studio: scheme', () => {
  it('round-trips a region and key ID, and ends in .keypolicy.json for the language server\'s glob', () => {
    const location = { region: 'eu-west-1', keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' };
    assert.equal(keyPolicyPath(location), '/eu-west-1/1234abcd-12ab-34cd-56ef-1234567890ab.keypolicy.json');
    assert.deepEqual(parseKeyPolicyPath(keyPolicyPath(location)), location);
  });
  it('refuses paths that are not a key\'s policy', () => {
    for (const p of ['/', '/us-east-1', '/us-east-1/x.json', '/us-east-1/a/b.keypolicy.json', '/US/x.keypolicy.json', '/us-east-1/.keypolicy.json', '/us-east-1/../x.keypolicy.json']) {
      assert.equal(parseKeyPolicyPath(p), undefined, p);
    }
  });
  it('reads region folders', () => {
    assert.equal(parseRegionPath('/us-east-1'), 'us-east-1');
    assert.equal(parseRegionPath('/us-east-1/'), 'us-east-1');
    assert.equal(parseRegionPath('/us-east-1/x'), undefined);
  });
});

describe('alias names', () => {
  it('adds alias/ to a bare name and accepts what AWS accepts', () => {
    assert.equal(normalizeAliasName(' payments '), 'alias/payments');
    assert.equal(normalizeAliasName('alias/a/b_c-d'), 'alias/a/b_c-d');
    assert.equal(aliasNameProblem('alias/a/b_c-d'), undefined);
  });
  it('refuses reserved, empty, long and oddly spelled names with the reason', () => {
    assert.match(aliasNameProblem('alias/aws/s3')!, /reserved/);
    assert.match(aliasNameProblem('alias/')!, /Give a name/);
    assert.match(aliasNameProblem('payments')!, /starts with alias\//);
    assert.match(aliasNameProblem(`alias/${'a'.repeat(251)}`)!, /257 characters/);
    assert.match(aliasNameProblem('alias/pay ments')!, /" " is not allowed/);
  });
});

describe('base64 in a selection', () => {
  it('decodes base64 wrapped over lines', () => {
    assert.deepEqual([...decodeBase64Text(' AQID\nBA== ', 'selection')], [1, 2, 3, 4]);
    assert.equal(encodeBase64(new Uint8Array([1, 2, 3, 4])), 'AQIDBA==');
  });
  it('refuses text that is not base64 instead of decoding garbage', () => {
    assert.throws(() => decodeBase64Text('hello world!', 'selection'), (e: unknown) => e instanceof Base64TextError && /holds "!"/.test(e.message));
    assert.throws(() => decodeBase64Text('abc', 'selection'), /length or padding/);
    assert.throws(() => decodeBase64Text('  ', 'selection'), /selection is empty/);
  });
});

describe('the local endpoint\'s environment', () => {
  const env = { url: 'http://127.0.0.1:4599', region: 'us-east-1', accessKeyId: 'test', secretAccessKey: "it's" };
  it('names the KMS endpoint, the Region and the keys', () => {
    assert.deepEqual(endpointVariables(env).map(([n]) => n), ['AWS_ENDPOINT_URL_KMS', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
  });
  it('quotes values for bash and PowerShell', () => {
    assert.match(exportLines(env), /^export AWS_ENDPOINT_URL_KMS=http:\/\/127\.0\.0\.1:4599$/m);
    assert.match(exportLines(env), /^export AWS_SECRET_ACCESS_KEY='it'\\''s'$/m);
    assert.match(powershellLines(env), /^\$env:AWS_REGION = "us-east-1"$/m);
  });
});

describe('the store location', () => {
  const context = { home: '/home/u', globalStorage: '/gs', workspaceFolder: '/ws' };
  it('defaults to store/ in the global storage, and resolves ~, absolute and relative paths', () => {
    assert.equal(resolveStoreLocation('', context), path.join('/gs', 'store'));
    assert.equal(resolveStoreLocation('~/kms', context), path.join('/home/u', 'kms'));
    assert.equal(resolveStoreLocation('/abs/store/', context), '/abs/store/');
    assert.equal(resolveStoreLocation('.kms', context), path.join('/ws', '.kms'));
  });
  it('says what to do with a relative path when no folder is open', () => {
    assert.throws(() => resolveStoreLocation('.kms', { home: '/h', globalStorage: '/gs' }), (e: unknown) => e instanceof StoreLocationError && /make it absolute/.test(e.message));
  });
});

describe('regions', () => {
  it('lists well-formed Region names and recognises them', () => {
    assert.ok(AWS_REGIONS.every(looksLikeRegion));
    assert.ok(looksLikeRegion('us-gov-west-1'));
    assert.ok(!looksLikeRegion('useast1'));
  });
});
