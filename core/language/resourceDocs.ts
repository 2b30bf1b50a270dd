import { parseArn } from '../authz';
import { escapeMarkdown, inlineCode } from './markdown';

/**
 * Hover text for a Resource value. In a key policy the resource is always the key the policy is attached to
 * (AWS KMS Developer Guide, key policies: "Resource": "*" means "this KMS key"); in an IAM policy it is what
 * the ARN names, and a key's alias ARN does not stand for the key.
 */
export function resourceHoverMarkdown(value: string, kind: 'keyPolicy' | 'identityPolicy'): string {
  if (kind === 'keyPolicy') {
    return value === '*'
      ? '**Resource** `*`: in a key policy, the KMS key the policy is attached to, and nothing else.'
      : `**Resource** ${inlineCode(value)}: a key policy only ever governs its own key; write \`"*"\`, as AWS does.`;
  }
  if (value === '*') return '**Resource** `*`: every KMS key in every account that the key policies let this account use.';
  const arn = parseArn(value);
  if (arn?.service === 'kms' && arn.resource.startsWith('alias/')) {
    return `**Resource** ${inlineCode(value)}: the alias itself. It allows alias operations (CreateAlias, DeleteAlias); it gives nothing on the key the alias points to.`;
  }
  if (arn?.service === 'kms' && arn.resource.startsWith('key/')) {
    return `**Resource** ${inlineCode(value)}: ${arn.resource === 'key/*' ? 'every key' : 'the key'} in account ${arn.account}, Region ${arn.region || 'any'}.`;
  }
  return `**Resource** ${escapeMarkdown(value)}`;
}
