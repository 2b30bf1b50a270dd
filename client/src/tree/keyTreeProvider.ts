/**
 * The key explorer: Regions, their keys, and under each key its aliases, grants, material versions and key
 * policy. It reads the store (DescribeKey's KeyMetadata comes from keyMetadataOf of the record) rather than
 * calling ListKeys and DescribeKey as the acting identity: the inventory stays visible whoever one acts as, and
 * looking at it does not fill the audit log. Actions on keys go through the KMS and its authorization.
 *
 * It refreshes on every store change, whoever made it.
 */
import * as vscode from 'vscode';
import { keyMetadataOf, type KeyRecord } from '../../../core/kms/service';
import { aliasText, grantText, keyPolicyText, materialText } from '../model/keyChildren';
import { isAwsManaged, keyContextValue, keyDescription, keyIcon, keyLabel, keyTooltipLines, sortedAliases, type IconSpec } from '../model/keyPresentation';
import { sweepDue } from '../model/sweepDue';
import type { KmsHost } from '../kms/kmsHost';
import type { KeyEntry, KeyNode, KeyTreeNode, RegionNode } from './keyNodes';

function icon(spec: IconSpec): vscode.ThemeIcon {
  return new vscode.ThemeIcon(spec.id, spec.color ? new vscode.ThemeColor(spec.color) : undefined);
}

function entryOf(record: KeyRecord, aliases: string[]): KeyEntry {
  return { region: record.region, keyId: record.keyId, arn: record.arn, record, metadata: keyMetadataOf(record), aliases: sortedAliases(aliases) };
}

export class KeyTreeProvider implements vscode.TreeDataProvider<KeyTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<KeyTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private regions: Promise<RegionNode[] | { problem: string }> | undefined;
  private readonly disposables: vscode.Disposable[];
  private readonly refreshed = new vscode.EventEmitter<void>();
  /** Fires after the explorer has read the store anew (tests wait on it). */
  readonly onDidRefresh = this.refreshed.event;

  constructor(private readonly host: KmsHost) {
    this.disposables = [this.changed, this.refreshed, host.onDidChangeStore(() => this.refresh())];
  }

  refresh(): void {
    this.regions = undefined;
    this.changed.fire(undefined);
  }

  /** Every key the explorer shows, by region: what quick picks of keys offer too. */
  async keys(): Promise<KeyEntry[]> {
    const regions = await this.read();
    return 'problem' in regions ? [] : regions.flatMap((r) => r.keys);
  }

  private read(): Promise<RegionNode[] | { problem: string }> {
    this.regions ??= this.readNow().then((result) => {
      this.refreshed.fire();
      return result;
    });
    return this.regions;
  }

  private async readNow(): Promise<RegionNode[] | { problem: string }> {
    try {
      const session = await this.host.open();
      if (sweepDue(session.keys(), session.clock.now())) await this.host.sweep().catch(() => undefined);
      return session.store.listRegions().flatMap((region) => {
        const aliases = session.aliasesByKey(region);
        const keys = session.keys(region).map((record) => entryOf(record, aliases.get(record.keyId) ?? []));
        return keys.length > 0 ? [{ kind: 'region' as const, region, keys }] : [];
      });
    } catch (error) {
      return { problem: error instanceof Error ? error.message : String(error) };
    }
  }

  async getChildren(node?: KeyTreeNode): Promise<KeyTreeNode[]> {
    if (!node) {
      const regions = await this.read();
      // No key at all: the view's welcome content (package.json viewsWelcome) offers to create one.
      return 'problem' in regions ? [{ kind: 'problem', message: regions.problem }] : regions;
    }
    switch (node.kind) {
      case 'region':
        return node.keys.map((key) => ({ kind: 'key', key, parent: node }));
      case 'key': {
        const key = node.key;
        return [
          ...key.aliases.map((aliasName) => ({ kind: 'alias' as const, key, aliasName, parent: node })),
          { kind: 'grants', key, parent: node },
          { kind: 'materials', key, parent: node },
          { kind: 'policy', key, parent: node },
        ];
      }
      case 'grants':
        return node.key.record.grants.map((grant) => ({ kind: 'grant', key: node.key, grant, parent: node }));
      case 'materials':
        return node.key.record.materials.map((material, index) => ({ kind: 'material', key: node.key, material, index, parent: node }));
      default:
        return [];
    }
  }

  /**
   * The node a node was listed under, for TreeView.reveal: a key's Region, a grant's Grants and a material
   * version's Key material group, an alias's, group's or policy's key. A node made elsewhere (a command's caller)
   * has no link, so its parent is made from its key: the Region from the explorer's last read.
   */
  async getParent(node: KeyTreeNode): Promise<KeyTreeNode | undefined> {
    if (node.kind === 'region' || node.kind === 'problem') return undefined;
    if (node.parent) return node.parent;
    const key = node.key;
    if (node.kind === 'key') {
      const regions = await this.read();
      return 'problem' in regions ? undefined : regions.find((r) => r.region === key.region);
    }
    const keyNode: KeyNode = { kind: 'key', key };
    const region = await this.getParent(keyNode);
    if (region?.kind === 'region') keyNode.parent = region;
    if (node.kind === 'grant') return { kind: 'grants', key, parent: keyNode };
    if (node.kind === 'material') return { kind: 'materials', key, parent: keyNode };
    return keyNode;
  }

  getTreeItem(node: KeyTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'problem': {
        const item = new vscode.TreeItem('The KMS store could not be opened', vscode.TreeItemCollapsibleState.None);
        item.description = node.message;
        item.tooltip = node.message;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        item.contextValue = 'kmsProblem';
        item.command = { command: 'kmsStudio.showOutput', title: 'Show Output' };
        return item;
      }
      case 'region': {
        const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `region:${node.region}`;
        item.description = `${node.keys.length} key${node.keys.length === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('globe');
        item.contextValue = 'kmsRegion';
        return item;
      }
      case 'key': {
        const { metadata, aliases } = node.key;
        const item = new vscode.TreeItem(keyLabel({ metadata, aliases }), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `key:${node.key.region}:${node.key.keyId}`;
        item.description = keyDescription(metadata);
        item.tooltip = keyTooltipLines({ metadata, aliases, rotation: node.key.record.rotation }).join('\n');
        item.iconPath = icon(keyIcon(metadata));
        item.contextValue = keyContextValue(metadata);
        return item;
      }
      case 'alias': {
        const text = aliasText(node.aliasName, node.key.arn.replace(/key\/.*$/, node.aliasName));
        const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
        item.id = `alias:${node.key.region}:${node.aliasName}`;
        if (text.description) item.description = text.description;
        item.tooltip = text.tooltip;
        item.iconPath = new vscode.ThemeIcon('tag');
        item.contextValue = node.aliasName.startsWith('alias/aws/') ? 'kmsAlias aws' : 'kmsAlias customer';
        return item;
      }
      case 'grants': {
        const count = node.key.record.grants.length;
        const item = new vscode.TreeItem('Grants', count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `grants:${node.key.region}:${node.key.keyId}`;
        item.description = String(count);
        item.iconPath = new vscode.ThemeIcon('person-add');
        item.contextValue = isAwsManaged(node.key.metadata) ? 'kmsGrants aws' : 'kmsGrants customer';
        return item;
      }
      case 'materials': {
        const count = node.key.record.materials.length;
        const item = new vscode.TreeItem('Key material', count > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `materials:${node.key.region}:${node.key.keyId}`;
        item.description = count === 0 ? 'none yet (import it)' : `${count} version${count === 1 ? '' : 's'}`;
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'kmsMaterials';
        return item;
      }
      case 'grant': {
        const text = grantText(node.grant);
        const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
        item.id = `grant:${node.key.region}:${node.key.keyId}:${node.grant.GrantId}`;
        if (text.description) item.description = text.description;
        item.tooltip = text.tooltip;
        item.iconPath = new vscode.ThemeIcon('pass');
        item.contextValue = 'kmsGrant';
        return item;
      }
      case 'material': {
        const current = node.key.record.currentKeyMaterialId === node.material.id;
        const text = materialText(node.material, node.index, current);
        const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
        item.id = `material:${node.key.region}:${node.key.keyId}:${node.material.id}`;
        if (text.description) item.description = text.description;
        item.tooltip = text.tooltip;
        item.iconPath = new vscode.ThemeIcon(current ? 'circle-filled' : 'circle-outline');
        item.contextValue = 'kmsMaterial';
        return item;
      }
      case 'policy': {
        const text = keyPolicyText(isAwsManaged(node.key.metadata));
        const item = new vscode.TreeItem(text.label, vscode.TreeItemCollapsibleState.None);
        item.id = `policy:${node.key.region}:${node.key.keyId}`;
        if (text.description) item.description = text.description;
        item.tooltip = text.tooltip;
        item.iconPath = new vscode.ThemeIcon('json');
        item.contextValue = 'kmsKeyPolicy';
        item.command = { command: 'kmsStudio.openKeyPolicy', title: 'Open Key Policy', arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
