import { allActions, findAction, type KmsAction } from '../catalog';
import { catalogData } from '../catalog/catalogData';
import { wildcardMatches } from '../authz';
import { compressKeyList, escapeMarkdown, inlineCode } from './markdown';

/** The words of a CamelCase API name, lowercased after the first: `GenerateDataKeyPair` → `Generate data key pair`. */
export function humanizeApiName(name: string): string {
  const words = name.match(/[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+/g) ?? [name];
  return words.map((w, i) => (i === 0 || /^[A-Z]{2,}$/.test(w) ? w : w.toLowerCase())).join(' ');
}

/** What an action acts on, from its resource types: the key, an alias, or the account (no resource). */
export function actionTarget(action: KmsAction): string {
  const names = action.resourceTypes.map((r) => r.name);
  if (names.length === 0) return 'the account (it names no key)';
  const parts = names.map((n) => (n === 'key' ? 'a KMS key' : n === 'alias' ? 'an alias' : `a ${n}`));
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** What kind of action it is, from the catalog: `a Write action on a KMS key`. */
export function actionSummary(action: KmsAction): string {
  return `a ${action.accessLevels.join(' and ')} action on ${actionTarget(action)}`;
}

/** The reference's own description, when the catalog generation carries one. */
function catalogDescription(action: KmsAction): string | undefined {
  const record = catalogData.actions.find((a) => a.name === action.name) as { description?: unknown } | undefined;
  return record && typeof record.description === 'string' && record.description ? record.description : undefined;
}

/**
 * A one-line description. The catalog is generated; when a later generation carries the Service Authorization
 * Reference's own description it is used, otherwise the line is derived from the name, access level and
 * resource types, which is all the reference says about most actions anyway.
 */
export function actionDescription(action: KmsAction): string {
  return catalogDescription(action) ?? `${humanizeApiName(action.name)}: ${actionSummary(action)}.`;
}

/** The KMS actions a written Action value covers (`kms:Describe*`), matched as IAM does, without regard to case. */
export function actionsCoveredBy(written: string): KmsAction[] {
  if (!written.includes('*') && !written.includes('?')) {
    const one = findAction(written);
    return one ? [one] : [];
  }
  return allActions().filter((a) => wildcardMatches(written, a.fullName, true));
}

let wildcardCache: Array<{ pattern: string; covers: KmsAction[] }> | undefined;

/**
 * The wildcards worth offering, derived from the action names: every first-word prefix shared by two actions
 * (`kms:List*`), and longer prefixes that pick out a family of their own (`kms:GenerateDataKey*`,
 * `kms:ReEncrypt*`), then `kms:*`.
 */
export function usefulActionWildcards(): ReadonlyArray<{ pattern: string; covers: KmsAction[] }> {
  if (wildcardCache) return wildcardCache;
  const actions = allActions();
  const coverage = (prefix: string) => actions.filter((a) => a.name.startsWith(prefix));
  const firstWord = new Map<string, KmsAction[]>();
  const longer = new Map<string, KmsAction[]>();
  for (const action of actions) {
    const words = action.name.match(/[A-Z][a-z]*/g) ?? [];
    for (let i = 1; i < words.length; i++) {
      const prefix = words.slice(0, i).join('');
      // Two-letter prefixes ("Re") join unrelated actions (ReEncrypt, RevokeGrant, RetireGrant).
      if (prefix.length < 3) continue;
      const covers = coverage(prefix);
      if (covers.length < 2) continue;
      (i === 1 ? firstWord : longer).set(prefix, covers);
    }
  }
  const sameSet = (a: KmsAction[], b: KmsAction[]) => a.length === b.length && a.every((x) => b.includes(x));
  const kept = [...firstWord.entries()];
  for (const [prefix, covers] of longer) {
    if (kept.some(([, c]) => sameSet(c, covers))) continue;
    // Among longer prefixes with the same actions keep the longest: `GenerateDataKey*`, not `GenerateData*`.
    const better = [...longer.entries()].some(([p, c]) => p.length > prefix.length && p.startsWith(prefix) && sameSet(c, covers));
    if (!better) kept.push([prefix, covers]);
  }
  wildcardCache = [
    ...kept.sort(([a], [b]) => a.localeCompare(b)).map(([prefix, covers]) => ({ pattern: `kms:${prefix}*`, covers })),
    { pattern: 'kms:*', covers: [...actions] },
  ];
  return wildcardCache;
}

/** The facts a reader of a policy wants about an action, as markdown bullets. */
export function actionFacts(action: KmsAction): string[] {
  const facts = [
    `Access level: **${action.accessLevels.join(', ')}**`,
    action.crossAccount
      ? 'Cross-account: **yes**, a principal in another account can call it when the key policy allows that account and the caller\'s IAM policy allows it too'
      : 'Cross-account: **no**, only principals in the key\'s own account can call it, whatever the key policy says',
    action.grantOperation
      ? 'Grant: **yes**, a grant can allow it (a grant `Operations` value)'
      : 'Grant: **no**, only policies can allow it',
  ];
  if (action.takesEncryptionContext) {
    facts.push('Encryption context: the request carries one, so `kms:EncryptionContext:…` keys and grant constraints apply');
  }
  if (!action.actsOnKey) facts.push('Names no key: only IAM policies decide it, a key policy never does');
  const keys = action.conditionKeys.length ? compressKeyList(action.conditionKeys).map(inlineCode).join(', ') : 'none of its own';
  facts.push(`Condition keys: ${keys}${action.actsOnKey ? ', plus the key\'s (`kms:KeySpec`, `kms:KeyUsage`, `aws:ResourceTag/…`, …)' : ''}`);
  if (action.dependentActions.length) facts.push(`Also needs: ${action.dependentActions.map(inlineCode).join(', ')}`);
  return facts;
}

/**
 * Hover text for a value of Action or NotAction (or a grant operation): what one action does, or which actions
 * a wildcard covers. Undefined for another service's action, which KMS Studio has nothing to say about.
 */
export function actionHoverMarkdown(written: string, options: { notAction?: boolean } = {}): string | undefined {
  const qualified = /^[a-z0-9-]+:/i.test(written) ? written : `kms:${written}`;
  if (!qualified.toLowerCase().startsWith('kms:')) return undefined;
  const covered = actionsCoveredBy(qualified);
  const isPattern = qualified.includes('*') || qualified.includes('?');
  if (!isPattern) {
    const action = covered[0];
    if (!action) return `**${escapeMarkdown(qualified)}** is not an AWS KMS action, so it matches no request.`;
    const lead = options.notAction ? `\n\nIn NotAction: the statement applies to every action **except** this one.` : '';
    const described = catalogDescription(action);
    const head = `**${action.fullName}**: ${actionSummary(action)}.${described ? `\n\n${described}` : ''}`;
    return `${head}${lead}\n\n${actionFacts(action).map((f) => `- ${f}`).join('\n')}`;
  }
  if (covered.length === 0) return `**${escapeMarkdown(qualified)}** matches no AWS KMS action.`;
  const total = allActions().length;
  const head =
    covered.length === total
      ? `**${escapeMarkdown(qualified)}** covers all ${total} AWS KMS actions.`
      : `**${escapeMarkdown(qualified)}** covers ${covered.length} AWS KMS action${covered.length === 1 ? '' : 's'}:`;
  const sensitive = covered.filter((a) => a.accessLevels.includes('Permissions management')).map((a) => a.fullName);
  const lines = [head];
  if (covered.length < total) lines.push('', covered.map((a) => `- \`${a.fullName}\` (${a.accessLevels.join(', ')})`).join('\n'));
  if (options.notAction) lines.push('', 'In NotAction: the statement applies to every action **except** these.');
  if (sensitive.length) {
    lines.push('', `Includes Permissions management: ${sensitive.map(inlineCode).join(', ')}, which let the caller change who can use the key.`);
  }
  return lines.join('\n');
}
