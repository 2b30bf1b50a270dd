// The key commands through vscode.commands.executeCommand, with every answer given as arguments (the guided
// quick picks are for people): create, enable and disable, schedule and cancel deletion, rotation, aliases,
// grants, replication, imported material, copying the ARN, and the sandbox clock that makes deletion happen.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import type { KeyEntry } from '../../client/src/tree/keyNodes';
import type { KeyMetadata } from '../../core/kms/service/keyRecord';
import { closeAllEditors, createKey, editorWith, kmsStudio, useTempStore, waitFor, type TempStore } from './kmsSupport';

async function entry(api: KmsStudioApi, keyId: string, region = 'us-east-1'): Promise<KeyEntry | undefined> {
  api.tree.refresh();
  return (await api.tree.keys()).find((k) => k.keyId === keyId && k.region === region);
}

async function mustEntry(api: KmsStudioApi, keyId: string, region?: string): Promise<KeyEntry> {
  const found = await entry(api, keyId, region);
  assert.ok(found, `key ${keyId} is in the explorer`);
  return found;
}

suite('Key commands', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    store = await useTempStore(api, 'keys');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await store.dispose();
  });

  test('Create Key takes spec, usage, origin, multi-Region, description and alias as arguments', async () => {
    const key = await createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', description: 'for MACs', alias: 'mac-key' });
    assert.equal(key.KeySpec, 'HMAC_256');
    assert.equal(key.KeyUsage, 'GENERATE_VERIFY_MAC');
    assert.equal(key.Description, 'for MACs');
    const found = await mustEntry(api, key.KeyId);
    assert.deepEqual(found.aliases, ['alias/mac-key'], 'a bare alias name gets alias/');
  });

  test('Create Key reports a refused request and resolves to nothing', async () => {
    const result = await vscode.commands.executeCommand('kmsStudio.createKey', { keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'SIGN_VERIFY', origin: 'AWS_KMS', multiRegion: false, description: '', alias: '' });
    assert.equal(result, undefined);
    assert.equal(api.reporter.lastError?.operation, 'Create Key');
    assert.match(api.reporter.lastError!.text, /CreateKey failed: ValidationException: .*\. Change the value/);
  });

  test('Disable Key and Enable Key change the key state', async () => {
    const key = await createKey();
    await vscode.commands.executeCommand('kmsStudio.disableKey', { keyId: key.KeyId });
    assert.equal((await mustEntry(api, key.KeyId)).metadata.KeyState, 'Disabled');
    await vscode.commands.executeCommand('kmsStudio.enableKey', { keyId: key.Arn });
    assert.equal((await mustEntry(api, key.KeyId)).metadata.KeyState, 'Enabled');
  });

  test('Schedule Key Deletion with a confirmed window, then Cancel Key Deletion', async () => {
    const key = await createKey({ alias: 'doomed' });
    const scheduled = await vscode.commands.executeCommand<{ PendingWindowInDays: number; KeyState: string }>('kmsStudio.scheduleKeyDeletion', { keyId: key.KeyId, pendingWindowInDays: 7, confirm: true });
    assert.equal(scheduled?.PendingWindowInDays, 7);
    assert.equal((await mustEntry(api, key.KeyId)).metadata.KeyState, 'PendingDeletion');
    await vscode.commands.executeCommand('kmsStudio.cancelKeyDeletion', { keyId: 'alias/doomed' });
    assert.equal((await mustEntry(api, key.KeyId)).metadata.KeyState, 'Disabled', 'a cancelled deletion leaves the key disabled, as in AWS');
  });

  test('Advance Sandbox Clock past the waiting period deletes the key', async () => {
    const key = await createKey();
    await vscode.commands.executeCommand('kmsStudio.scheduleKeyDeletion', { keyId: key.KeyId, pendingWindowInDays: 7, confirm: true });
    const time = await vscode.commands.executeCommand<string>('kmsStudio.advanceClock', { days: 8 });
    assert.ok(time && Date.parse(time) > Date.now() + 7 * 86_400_000);
    assert.equal(await entry(api, key.KeyId), undefined, 'the key is gone once its deletion date passed');
  });

  test('Rotate Key Now adds a material version; Enable Key Rotation sets the period', async () => {
    const key = await createKey();
    await vscode.commands.executeCommand('kmsStudio.rotateKeyNow', { keyId: key.KeyId });
    const rotated = await mustEntry(api, key.KeyId);
    assert.equal(rotated.record.materials.length, 2);
    assert.equal(rotated.record.materials[1]!.rotationType, 'ON_DEMAND');
    const days = await vscode.commands.executeCommand<number>('kmsStudio.enableKeyRotation', { keyId: key.KeyId, rotationPeriodInDays: 180 });
    assert.equal(days, 180);
    const withRotation = await mustEntry(api, key.KeyId);
    assert.equal(withRotation.record.rotation.enabled, true);
    assert.equal(withRotation.record.rotation.periodInDays, 180);
    await vscode.commands.executeCommand('kmsStudio.disableKeyRotation', { keyId: key.KeyId });
    assert.equal((await mustEntry(api, key.KeyId)).record.rotation.enabled, false);
  });

  test('Create Alias and Delete Alias', async () => {
    const key = await createKey();
    assert.equal(await vscode.commands.executeCommand('kmsStudio.createAlias', { keyId: key.KeyId, aliasName: 'alias/second' }), 'alias/second');
    assert.deepEqual((await mustEntry(api, key.KeyId)).aliases, ['alias/second']);
    const again = await vscode.commands.executeCommand('kmsStudio.createAlias', { keyId: key.KeyId, aliasName: 'alias/second' });
    assert.equal(again, undefined);
    assert.equal(api.reporter.lastError?.name, 'AlreadyExistsException');
    const node = { kind: 'alias' as const, key: await mustEntry(api, key.KeyId), aliasName: 'alias/second' };
    await vscode.commands.executeCommand('kmsStudio.deleteAlias', node);
    assert.deepEqual((await mustEntry(api, key.KeyId)).aliases, []);
  });

  test('Create Grant with grantee, operations and a constraint; Retire and Revoke Grant', async () => {
    const key = await createKey();
    const grant = await vscode.commands.executeCommand<{ GrantId: string }>('kmsStudio.createGrant', {
      keyId: key.KeyId,
      granteePrincipal: 'arn:aws:iam::111122223333:user/worker',
      operations: ['Decrypt', 'GenerateDataKey'],
      constraint: { kind: 'EncryptionContextSubset', context: { app: 'payments' } },
      retiringPrincipal: 'arn:aws:iam::111122223333:root',
    });
    assert.ok(grant?.GrantId);
    const stored = (await mustEntry(api, key.KeyId)).record.grants;
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0]!.Constraints, { EncryptionContextSubset: { app: 'payments' } });
    assert.equal(await vscode.commands.executeCommand('kmsStudio.retireGrant', { keyId: key.KeyId, grantId: grant.GrantId }), grant.GrantId);
    assert.equal((await mustEntry(api, key.KeyId)).record.grants.length, 0);

    const second = await vscode.commands.executeCommand<{ GrantId: string }>('kmsStudio.createGrant', { keyId: key.KeyId, granteePrincipal: 'arn:aws:iam::111122223333:user/worker', operations: ['Encrypt'] });
    const found = await mustEntry(api, key.KeyId);
    await vscode.commands.executeCommand('kmsStudio.revokeGrant', { kind: 'grant', key: found, grant: found.record.grants[0] });
    assert.equal((await mustEntry(api, key.KeyId)).record.grants.length, 0, `grant ${second?.GrantId} was revoked`);
  });

  test('Replicate Key puts a replica of a multi-Region primary in another Region', async () => {
    const key = await createKey({ multiRegion: true });
    const replica = await vscode.commands.executeCommand<KeyMetadata>('kmsStudio.replicateKey', { keyId: key.KeyId, replicaRegion: 'eu-west-1' });
    assert.equal(replica?.KeyId, key.KeyId);
    assert.match(replica!.Arn, /:eu-west-1:/);
    const copy = await mustEntry(api, key.KeyId, 'eu-west-1');
    assert.equal(copy.metadata.MultiRegionConfiguration?.MultiRegionKeyType, 'REPLICA');
    const regions = (await api.tree.getChildren()).map((n) => (n.kind === 'region' ? n.region : ''));
    assert.deepEqual(regions, ['eu-west-1', 'us-east-1']);
  });

  test('Import Key Material makes an EXTERNAL key usable', async () => {
    const key = await createKey({ origin: 'EXTERNAL' });
    assert.equal(key.KeyState, 'PendingImport');
    await vscode.commands.executeCommand('kmsStudio.importKeyMaterial', { keyId: key.KeyId, material: 'random', expiresInDays: 30 });
    const imported = await mustEntry(api, key.KeyId);
    assert.equal(imported.metadata.KeyState, 'Enabled');
    assert.equal(imported.record.expirationModel, 'KEY_MATERIAL_EXPIRES');
    await editorWith('');
    const dataKey = await vscode.commands.executeCommand<{ ciphertextBlob: string }>('kmsStudio.generateDataKey', { keyId: key.KeyId });
    assert.ok(dataKey?.ciphertextBlob, 'the imported key encrypts');
  });

  test('Copy Key ARN puts the ARN on the clipboard', async () => {
    const key = await createKey();
    const arn = await vscode.commands.executeCommand<string>('kmsStudio.copyKeyArn', { keyId: key.KeyId });
    assert.equal(arn, key.Arn);
    assert.equal(await waitFor('the clipboard', async () => ((await vscode.env.clipboard.readText()) === key.Arn ? true : undefined)), true);
  });

  test('a command run from a tree node acts on that node\'s key', async () => {
    const key = await createKey();
    const node = { kind: 'key' as const, key: await mustEntry(api, key.KeyId) };
    await vscode.commands.executeCommand('kmsStudio.disableKey', node);
    assert.equal((await mustEntry(api, key.KeyId)).metadata.KeyState, 'Disabled');
  });
});
