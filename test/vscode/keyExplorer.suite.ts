// The key explorer in a real extension host: its items (label, description, tooltip, icon, context value) come
// from the store, its menus follow the context values, it shows a welcome view for an empty store, and it
// refreshes when another process (the CLI) changes the store.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import type { KeyTreeNode } from '../../client/src/tree/keyNodes';
import { cliPath, createKey, kmsStudio, nextEvent, useTempStore, waitFor, type TempStore } from './kmsSupport';

const run = promisify(execFile);

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

async function children(api: KmsStudioApi, node?: KeyTreeNode): Promise<KeyTreeNode[]> {
  return api.tree.getChildren(node);
}

async function keyNode(api: KmsStudioApi, keyId: string): Promise<KeyTreeNode & { kind: 'key' }> {
  for (const region of await children(api)) {
    for (const node of await children(api, region)) {
      if (node.kind === 'key' && node.key.keyId === keyId) return node;
    }
  }
  assert.fail(`key ${keyId} is not in the explorer`);
}

/** The commands of the node's context menu, by evaluating the manifest's `viewItem` regexes on its context value. */
function menuCommands(contextValue: string): string[] {
  const menus = (vscode.extensions.getExtension('kms-studio.kms-studio')!.packageJSON as { contributes: { menus: Record<string, MenuItem[]> } }).contributes.menus;
  return menus['view/item/context']!.filter((item) => {
    const regex = /viewItem =~ \/(.+?)\/(?= &&|$)/.exec(item.when ?? '');
    const equals = /viewItem == '?([^'&]+?)'?(?= &&|$)/.exec(item.when ?? '');
    return regex ? new RegExp(regex[1]!).test(contextValue) : equals ? equals[1] === contextValue : false;
  }).map((item) => item.command);
}

suite('Key explorer', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    // The CLI, another process, opens the same store with the same root key.
    store = await useTempStore(api, 'explorer', {}, { sharedRootKey: true });
  });

  suiteTeardown(async () => {
    await store.dispose();
  });

  test('an empty store has no items, so the view shows its welcome with Create Key', async () => {
    assert.deepEqual(await children(api), []);
    const welcome = (vscode.extensions.getExtension('kms-studio.kms-studio')!.packageJSON as { contributes: { viewsWelcome: { view: string; contents: string }[] } }).contributes.viewsWelcome;
    assert.ok(welcome.some((w) => w.view === 'kmsStudio.keys' && w.contents.includes('(command:kmsStudio.createKey)')));
  });

  test('a key appears under its Region, labelled by its alias, described by state and spec', async () => {
    const key = await createKey({ alias: 'alias/explorer-app', description: 'explorer test' });
    const [region] = await children(api);
    assert.equal(region?.kind, 'region');
    const regionItem = api.tree.getTreeItem(region!);
    assert.equal(regionItem.label, 'us-east-1');
    const node = await keyNode(api, key.KeyId);
    const item = api.tree.getTreeItem(node);
    assert.equal(item.label, 'alias/explorer-app');
    assert.equal(item.description, 'Enabled · SYMMETRIC_DEFAULT');
    assert.match(String(item.tooltip), new RegExp(`ARN: ${key.Arn}`));
    assert.match(String(item.tooltip), /Origin: AWS_KMS/);
    assert.match(String(item.tooltip), /Created: \d{4}-/);
    assert.match(String(item.tooltip), /Rotation: off/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'key');
    assert.equal(item.contextValue, 'kmsKey customer Enabled ENCRYPT_DECRYPT AWS_KMS symmetric');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  });

  test('a key\'s children are its aliases, grants, material versions and key policy', async () => {
    const key = await createKey({ alias: 'alias/explorer-children' });
    await vscode.commands.executeCommand('kmsStudio.createGrant', { keyId: key.KeyId, granteePrincipal: 'arn:aws:iam::111122223333:user/worker', operations: ['Decrypt'] });
    api.tree.refresh();
    const kids = await children(api, await keyNode(api, key.KeyId));
    assert.deepEqual(kids.map((k) => k.kind), ['alias', 'grants', 'materials', 'policy']);
    const items = kids.map((k) => api.tree.getTreeItem(k));
    assert.equal(items[0]!.label, 'alias/explorer-children');
    assert.equal(items[1]!.description, '1');
    assert.equal(items[2]!.description, '1 version');
    const policy = items[3]!;
    assert.equal(policy.label, 'Key policy');
    assert.equal(policy.command?.command, 'kmsStudio.openKeyPolicy');
    const grants = await children(api, kids[1]!);
    assert.equal(grants.length, 1);
    assert.equal(api.tree.getTreeItem(grants[0]!).description, 'user/worker: Decrypt');
    const versions = await children(api, kids[2]!);
    assert.equal(api.tree.getTreeItem(versions[0]!).label, 'Version 1 (current)');
  });

  test('getParent leads from a grant or material version to its group, key and Region, as reveal needs', async () => {
    const key = await createKey({ region: 'eu-north-1' });
    await vscode.commands.executeCommand('kmsStudio.createGrant', { keyId: key.KeyId, region: 'eu-north-1', granteePrincipal: 'arn:aws:iam::111122223333:user/worker', operations: ['Decrypt'] });
    api.tree.refresh();
    const node = await keyNode(api, key.KeyId);
    const kids = await children(api, node);
    const grantsGroup = kids.find((k) => k.kind === 'grants')!;
    const materialsGroup = kids.find((k) => k.kind === 'materials')!;
    const [grant] = await children(api, grantsGroup);
    const [material] = await children(api, materialsGroup);
    assert.equal(grant?.kind, 'grant');
    assert.equal(await api.tree.getParent(grant!), grantsGroup, "a grant's parent is its key's Grants group");
    assert.equal(await api.tree.getParent(material!), materialsGroup, "a material version's parent is the Key material group");
    assert.equal(await api.tree.getParent(grantsGroup!), node);
    const region = await api.tree.getParent(node);
    assert.equal(region?.kind === 'region' && region.region, 'eu-north-1', "a key's parent is its Region");
    assert.equal(await api.tree.getParent(region!), undefined);

    const made = await api.tree.getParent({ kind: 'grant', key: node.key, grant: node.key.record.grants[0]! });
    assert.equal(made?.kind, 'grants', 'a node made by a caller still has its group as parent');
    const madeKey = await api.tree.getParent(made!);
    const madeRegion = await api.tree.getParent(madeKey!);
    assert.equal(madeRegion?.kind === 'region' && madeRegion.region, 'eu-north-1');
  });

  test('the context menu follows the key\'s state: Disable for an enabled key, Enable for a disabled one', async () => {
    const key = await createKey();
    const enabled = api.tree.getTreeItem(await keyNode(api, key.KeyId)).contextValue!;
    assert.ok(menuCommands(enabled).includes('kmsStudio.disableKey'));
    assert.ok(!menuCommands(enabled).includes('kmsStudio.enableKey'));
    await vscode.commands.executeCommand('kmsStudio.disableKey', await keyNode(api, key.KeyId));
    api.tree.refresh();
    const disabledItem = api.tree.getTreeItem(await keyNode(api, key.KeyId));
    assert.match(String(disabledItem.description), /^Disabled/);
    assert.equal(((disabledItem.iconPath as vscode.ThemeIcon).color as unknown as { id: string }).id, 'disabledForeground');
    assert.ok(menuCommands(disabledItem.contextValue!).includes('kmsStudio.enableKey'));
    assert.ok(!menuCommands(disabledItem.contextValue!).includes('kmsStudio.disableKey'));
  });

  test('Refresh Keys reads the store again', async () => {
    const changed = nextEvent(api.tree.onDidChangeTreeData, 'the explorer to refresh');
    await vscode.commands.executeCommand('kmsStudio.refreshKeys');
    await changed;
  });

  test('it refreshes by itself when the CLI creates a key in the same store', async () => {
    const refreshed = nextEvent(api.tree.onDidChangeTreeData, 'the explorer to notice the CLI\'s change');
    const { stdout } = await run(process.execPath, [cliPath(), 'kms', 'CreateKey', '--store', store.dir, '--input', '{"Description":"made by the CLI"}'], {
      env: { ...process.env, KMS_STUDIO_ROOT_KEY: store.rootKey },
    });
    const keyId = (JSON.parse(stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;
    await refreshed;
    const node = await waitFor('the CLI\'s key in the explorer', async () => (await api.tree.keys()).find((k) => k.keyId === keyId));
    assert.equal(node.metadata.Description, 'made by the CLI');
  });

  test('an AWS managed key appears once used, marked as such, with the read-only actions only', async () => {
    await vscode.commands.executeCommand('kmsStudio.generateDataKey', { keyId: 'alias/aws/s3', keySpec: 'AES_256' });
    api.tree.refresh();
    const managed = await waitFor('the AWS managed key', async () => (await api.tree.keys()).find((k) => k.aliases.includes('alias/aws/s3')));
    const item = api.tree.getTreeItem({ kind: 'key', key: managed });
    assert.equal(item.label, 'alias/aws/s3');
    assert.match(String(item.description), /^AWS managed · Enabled · SYMMETRIC_DEFAULT/);
    assert.deepEqual(
      [...new Set(menuCommands(item.contextValue!))].sort(),
      ['kmsStudio.copyKeyArn', 'kmsStudio.openKeyPolicy', 'kmsStudio.showAuditLog', 'kmsStudio.simulateRequest'],
    );
    const policy = (await children(api, { kind: 'key', key: managed })).find((k) => k.kind === 'policy')!;
    assert.equal(api.tree.getTreeItem(policy).description, 'read-only');
  });

  test('a store the extension cannot open shows one item saying why', async () => {
    const file = path.join(store.dir, '..', `${path.basename(store.dir)}-not-a-folder`);
    fs.writeFileSync(file, 'x');
    try {
      await vscode.workspace.getConfiguration('kmsStudio').update('store.location', file, vscode.ConfigurationTarget.Global);
      const [problem] = await waitFor('the problem item', async () => {
        const kids = await children(api);
        return kids[0]?.kind === 'problem' ? kids : undefined;
      });
      const item = api.tree.getTreeItem(problem!);
      assert.equal(item.label, 'The KMS store could not be opened');
      assert.match(String(item.description), /not a store folder|point kmsStudio\.store\.location/);
    } finally {
      await vscode.workspace.getConfiguration('kmsStudio').update('store.location', store.dir, vscode.ConfigurationTarget.Global);
      fs.rmSync(file, { force: true });
    }
    await waitFor('the store to open again', async () => (await api.host.open()).storeDir === store.dir);
  });
});
