/**
 * How a KMS key looks in the key explorer, worked out from DescribeKey's KeyMetadata and the key's aliases:
 * label, description, tooltip, icon and the `viewItem` context value that menus' `when` clauses test. Pure, so
 * the words and the menu rules are unit-tested without VS Code.
 */
import type { KeyMetadata } from '../../../core/kms/service/keyRecord';

/** What the explorer knows of a key beyond DescribeKey: its aliases and rotation settings. */
export interface KeyFacts {
  metadata: KeyMetadata;
  /** Alias names (`alias/app`) pointing at the key. */
  aliases: readonly string[];
  rotation?: { enabled: boolean; periodInDays?: number; nextRotationDate?: string };
}

/** A codicon and the theme colour it is drawn in (ids of VS Code's ThemeIcon and ThemeColor). */
export interface IconSpec {
  id: string;
  color?: string;
}

const PENDING_DELETION = new Set(['PendingDeletion', 'PendingReplicaDeletion']);

export function isAwsManaged(metadata: Pick<KeyMetadata, 'KeyManager'>): boolean {
  return metadata.KeyManager === 'AWS';
}

function isoDate(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString().replace('.000Z', 'Z');
}

/** Alias names in the order the explorer lists them: customer aliases first, then `alias/aws/…`, each sorted. */
export function sortedAliases(aliases: readonly string[]): string[] {
  const aws = (name: string): number => (name.startsWith('alias/aws/') ? 1 : 0);
  return [...aliases].sort((a, b) => aws(a) - aws(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The first alias, or the key ID for a key without one. */
export function keyLabel(facts: Pick<KeyFacts, 'metadata' | 'aliases'>): string {
  return sortedAliases(facts.aliases)[0] ?? facts.metadata.KeyId;
}

/** `Enabled · SYMMETRIC_DEFAULT`, with `AWS managed` and the multi-Region role where they apply. */
export function keyDescription(metadata: KeyMetadata): string {
  const parts = [metadata.KeyState, metadata.KeySpec];
  const mrk = metadata.MultiRegionConfiguration?.MultiRegionKeyType;
  if (mrk) parts.push(`multi-Region ${mrk.toLowerCase()}`);
  if (isAwsManaged(metadata)) parts.unshift('AWS managed');
  return parts.join(' · ');
}

/** The tooltip's lines: ARN, origin, manager, creation date, rotation, deletion date, description. */
export function keyTooltipLines(facts: KeyFacts): string[] {
  const m = facts.metadata;
  const lines = [keyLabel(facts), `ARN: ${m.Arn}`];
  if (facts.aliases.length > 1) lines.push(`Aliases: ${sortedAliases(facts.aliases).join(', ')}`);
  lines.push(`State: ${m.KeyState}`);
  lines.push(`Usage: ${m.KeyUsage} · Spec: ${m.KeySpec}`);
  lines.push(`Origin: ${m.Origin}`);
  lines.push(`Manager: ${isAwsManaged(m) ? 'AWS (an AWS managed key: AWS rotates it, nobody can change, disable or delete it)' : 'CUSTOMER'}`);
  lines.push(`Created: ${isoDate(m.CreationDate) ?? 'unknown'}`);
  const rotation = facts.rotation;
  if (rotation) {
    if (rotation.enabled) {
      const next = isoDate(rotation.nextRotationDate);
      lines.push(`Rotation: every ${rotation.periodInDays ?? 365} days${next ? `, next on ${next}` : ''}`);
    } else {
      lines.push('Rotation: off');
    }
  }
  if (PENDING_DELETION.has(m.KeyState)) {
    const when = isoDate(m.DeletionDate);
    const window = m.PendingDeletionWindowInDays !== undefined ? ` (${m.PendingDeletionWindowInDays}-day waiting period)` : '';
    lines.push(`Deletion: ${when ? `scheduled for ${when}` : 'pending'}${window}`);
  }
  if (m.ValidTo) lines.push(`Imported material expires: ${isoDate(m.ValidTo)}`);
  const mrk = m.MultiRegionConfiguration;
  if (mrk) {
    lines.push(`Multi-Region ${mrk.MultiRegionKeyType.toLowerCase()}; primary in ${mrk.PrimaryKey.Region}`);
    if (mrk.ReplicaKeys.length > 0) lines.push(`Replicas: ${mrk.ReplicaKeys.map((r) => r.Region).join(', ')}`);
  }
  if (m.Description) lines.push(`Description: ${m.Description}`);
  return lines;
}

const USAGE_ICONS: Readonly<Record<string, string>> = {
  ENCRYPT_DECRYPT: 'key',
  SIGN_VERIFY: 'verified',
  GENERATE_VERIFY_MAC: 'shield',
  KEY_AGREEMENT: 'arrow-swap',
};

/** The icon by usage, coloured by state; a key on its way out, or unusable, gets an icon saying so. */
export function keyIcon(metadata: KeyMetadata): IconSpec {
  const usage = USAGE_ICONS[metadata.KeyUsage] ?? 'key';
  switch (metadata.KeyState) {
    case 'Enabled':
      return { id: usage, color: isAwsManaged(metadata) ? 'charts.blue' : 'charts.green' };
    case 'Disabled':
      return { id: usage, color: 'disabledForeground' };
    case 'PendingDeletion':
    case 'PendingReplicaDeletion':
      return { id: 'trash', color: 'list.errorForeground' };
    case 'PendingImport':
      return { id: 'cloud-upload', color: 'list.warningForeground' };
    case 'Unavailable':
      return { id: 'debug-disconnect', color: 'list.warningForeground' };
    default:
      return { id: 'loading', color: 'list.warningForeground' };
  }
}

/**
 * The `viewItem` context value: space-separated words in a fixed order, so a menu's `when` clause can test
 * any of them with `viewItem =~ /\bword\b/`:
 *
 *   kmsKey <customer|aws> <KeyState> <KeyUsage> <Origin> [symmetric] [multiRegionPrimary|multiRegionReplica]
 *
 * AWS managed keys get `aws`, and the manifest offers them only the read-only actions.
 */
export function keyContextValue(metadata: KeyMetadata): string {
  const words = ['kmsKey', isAwsManaged(metadata) ? 'aws' : 'customer', metadata.KeyState, metadata.KeyUsage, metadata.Origin];
  if (metadata.KeySpec === 'SYMMETRIC_DEFAULT') words.push('symmetric');
  const mrk = metadata.MultiRegionConfiguration?.MultiRegionKeyType;
  if (mrk === 'PRIMARY') words.push('multiRegionPrimary');
  if (mrk === 'REPLICA') words.push('multiRegionReplica');
  return words.join(' ');
}

/** A key's place in a quick pick: label, description and detail. */
export function keyPickText(facts: Pick<KeyFacts, 'metadata' | 'aliases'>): { label: string; description: string; detail: string } {
  const m = facts.metadata;
  const label = keyLabel(facts);
  return {
    label,
    description: `${keyDescription(m)} · ${m.KeyUsage}`,
    detail: label === m.KeyId ? m.Arn : `${m.KeyId} · ${m.Arn.split(':')[3]}`,
  };
}
