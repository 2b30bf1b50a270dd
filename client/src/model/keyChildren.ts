/**
 * The children of a key in the explorer, as text: its aliases, its grants, its material versions (what
 * ListKeyRotations lists) and its key policy. Pure, like keyPresentation.ts.
 */
import type { GrantRecord, MaterialEntry } from '../../../core/kms/service/keyRecord';

export interface ItemText {
  label: string;
  description?: string;
  tooltip: string;
}

function iso(value: string | undefined): string {
  if (!value) return 'unknown';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace('.000Z', 'Z');
}

/** The part of an ARN after the account: `role/App`, `user/bob`, `root`; service principals as they are. */
export function shortPrincipal(arn: string): string {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return arn;
  const resource = parts.slice(5).join(':');
  if (parts[2] === 'sts' && resource.startsWith('assumed-role/')) return resource;
  return resource === 'root' ? `root (${parts[4]})` : resource;
}

export function aliasText(aliasName: string, aliasArn: string): ItemText {
  const aws = aliasName.startsWith('alias/aws/');
  return { label: aliasName, ...(aws ? { description: 'AWS managed' } : {}), tooltip: aliasArn };
}

export function grantText(grant: GrantRecord): ItemText {
  const lines = [
    `Grant ID: ${grant.GrantId}`,
    ...(grant.Name ? [`Name: ${grant.Name}`] : []),
    `Grantee: ${grant.GranteePrincipal}`,
    ...(grant.RetiringPrincipal ? [`Retiring principal: ${grant.RetiringPrincipal}`] : []),
    `Operations: ${grant.Operations.join(', ')}`,
  ];
  const c = grant.Constraints;
  if (c?.EncryptionContextEquals) lines.push(`Encryption context equals: ${JSON.stringify(c.EncryptionContextEquals)}`);
  if (c?.EncryptionContextSubset) lines.push(`Encryption context subset: ${JSON.stringify(c.EncryptionContextSubset)}`);
  lines.push(`Issued by account ${grant.IssuingAccount} on ${iso(grant.CreationDate)}`);
  return {
    label: grant.Name ?? `${grant.GrantId.slice(0, 12)}…`,
    description: `${shortPrincipal(grant.GranteePrincipal)}: ${grant.Operations.join(', ')}`,
    tooltip: lines.join('\n'),
  };
}

/**
 * One version of the key's material: the original, or a rotation (automatic or on demand). `current` marks the
 * one new ciphertexts use.
 */
export function materialText(entry: MaterialEntry, index: number, current: boolean): ItemText {
  const how = entry.rotationType === undefined ? 'original material' : entry.rotationType === 'AUTOMATIC' ? 'automatic rotation' : 'on-demand rotation';
  const lines = [`Key material ID: ${entry.id}`, `Created: ${iso(entry.createdAt)} (${how})`];
  if (current) lines.push('New ciphertexts use this material; older versions still decrypt what they encrypted.');
  return {
    label: `Version ${index + 1}${current ? ' (current)' : ''}`,
    description: `${iso(entry.createdAt).slice(0, 10)} · ${how}`,
    tooltip: lines.join('\n'),
  };
}

export function keyPolicyText(awsManaged: boolean): ItemText {
  return {
    label: 'Key policy',
    description: awsManaged ? 'read-only' : 'default',
    tooltip: awsManaged
      ? 'The key policy AWS wrote for this AWS managed key. Nobody can change it.'
      : 'Open the key policy: the language server lints it as you type, and saving calls PutKeyPolicy.',
  };
}
