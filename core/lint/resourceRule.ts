import { parseArn } from '../authz';
import { defineRule, POLICY_KINDS } from './lintRule';
import { statementKmsActions, stringValues } from './statementActions';
import { replaceNode } from './textEdits';

const CODES = {
  KMS_RESOURCE_NOT_STAR: { severity: 'WARNING', description: 'A key policy Resource other than "*" (which means the key itself).', kinds: ['keyPolicy'] },
  KMS_ALIAS_IN_RESOURCE: { severity: 'WARNING', description: 'An alias ARN as the Resource of key operations in an IAM policy, which matches no key.', kinds: ['identityPolicy'] },
} as const;

function isAliasArn(text: string): boolean {
  const arn = parseArn(text);
  return !!arn && arn.service === 'kms' && arn.resource.startsWith('alias/');
}

/**
 * Resource in key policies and IAM policies. In a key policy "*" means the key the policy is attached to (AWS
 * KMS Developer Guide, elements in a key policy). AWS KMS authorizes operations on a key against the key ARN,
 * even when the caller names the key by an alias; only the alias operations (CreateAlias, DeleteAlias,
 * UpdateAlias) are also authorized against the alias ARN (AWS KMS Developer Guide, controlling access to aliases).
 */
export const resourceRule = defineRule({
  id: 'resources',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    if (ctx.kind === 'keyPolicy') {
      const resource = statement.resource;
      for (const value of stringValues(resource?.values)) {
        if (value.value === '*') continue;
        report(
          'KMS_RESOURCE_NOT_STAR',
          value,
          isAliasArn(value.value)
            ? `An alias ARN matches nothing in a key policy: AWS KMS authorizes against the key itself. Use "Resource": "*", which means this key.`
            : `In a key policy "Resource": "*" means this key. ${value.value} matches only if it is this key's ARN, and nothing at all once the policy is copied to another key. Use "*".`,
          { fix: { title: 'Use "Resource": "*"', edits: [replaceNode(resource!.valueSpan, '"*"')] } },
        );
      }
      if (statement.notResource) {
        report(
          'KMS_RESOURCE_NOT_STAR',
          statement.notResource.key,
          'NotResource in a key policy decides only whether this statement applies to this key. Use "Resource": "*" and, to exclude requests, a condition.',
        );
      }
      return;
    }
    const aliases = stringValues(statement.resource?.values).filter((v) => isAliasArn(v.value));
    if (aliases.length === 0) return;
    // Cryptographic operations first: they are what an alias in Resource is usually meant for.
    const onKey = (statementKmsActions(statement) ?? [])
      .filter((a) => a.actsOnKey && !a.resourceTypes.some((r) => r.name === 'alias'))
      .sort((a, b) => Number(b.grantOperation) - Number(a.grantOperation));
    if (onKey.length === 0) return;
    const examples = onKey.slice(0, 3).map((a) => a.fullName).join(', ') + (onKey.length > 3 ? ', …' : '');
    for (const alias of aliases) {
      report(
        'KMS_ALIAS_IN_RESOURCE',
        alias,
        `${alias.value} is an alias ARN, but AWS KMS authorizes ${examples} against the key ARN, even when the caller names the key by its alias: this ${statement.effect === 'Deny' ? 'denies' : 'allows'} nothing on the key. Use the key ARN, or arn:aws:kms:<region>:<account>:key/* with a kms:ResourceAliases condition to select keys by alias.`,
      );
    }
  },
});
