/**
 * The nodes of the key explorer. Every node below a key carries that key's entry as `key`, so a command run
 * from any of them (a grant's Revoke, the policy's Open) knows its key without a lookup.
 */
import type { GrantRecord, KeyMetadata, KeyRecord, MaterialEntry } from '../../../core/kms/service/keyRecord';

/** A key as the explorer read it: the record, DescribeKey's view of it, and its aliases. */
export interface KeyEntry {
  region: string;
  keyId: string;
  arn: string;
  record: KeyRecord;
  metadata: KeyMetadata;
  aliases: string[];
}

export interface RegionNode {
  kind: 'region';
  region: string;
  keys: KeyEntry[];
}
export interface KeyNode {
  kind: 'key';
  key: KeyEntry;
  /** The node it was listed under (getParent): nodes made elsewhere, e.g. by a command's caller, have none. */
  parent?: RegionNode;
}
export interface AliasNode {
  kind: 'alias';
  key: KeyEntry;
  aliasName: string;
  parent?: KeyNode;
}
export interface GroupNode {
  kind: 'grants' | 'materials';
  key: KeyEntry;
  parent?: KeyNode;
}
export interface GrantNode {
  kind: 'grant';
  key: KeyEntry;
  grant: GrantRecord;
  parent?: GroupNode;
}
export interface MaterialNode {
  kind: 'material';
  key: KeyEntry;
  material: MaterialEntry;
  index: number;
  parent?: GroupNode;
}
export interface PolicyNode {
  kind: 'policy';
  key: KeyEntry;
  parent?: KeyNode;
}
/** The store could not be opened: shown instead of keys, with the reason. */
export interface ProblemNode {
  kind: 'problem';
  message: string;
}

export type KeyTreeNode = RegionNode | KeyNode | AliasNode | GroupNode | GrantNode | MaterialNode | PolicyNode | ProblemNode;

const KINDS = new Set(['region', 'key', 'alias', 'grants', 'materials', 'grant', 'material', 'policy', 'problem']);

export function isKeyTreeNode(value: unknown): value is KeyTreeNode {
  return typeof value === 'object' && value !== null && KINDS.has((value as { kind?: unknown }).kind as string);
}

/** The key a node belongs to, if any. */
export function keyOfNode(node: KeyTreeNode): KeyEntry | undefined {
  return 'key' in node ? node.key : undefined;
}
