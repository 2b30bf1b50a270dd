/**
 * Alias names as a person types them: `payments` is taken to mean `alias/payments`. The rules are AWS's
 * (CreateAlias): 1 to 256 characters after `alias/`, letters, digits, `/`, `_` and `-`, and never `alias/aws/`,
 * which AWS reserves for AWS managed keys.
 */

export function normalizeAliasName(text: string): string {
  const trimmed = text.trim();
  return trimmed.startsWith('alias/') ? trimmed : `alias/${trimmed}`;
}

/** What is wrong with an alias name, or undefined when AWS would take it. */
export function aliasNameProblem(name: string): string | undefined {
  if (!name.startsWith('alias/')) return 'An alias name starts with alias/.';
  const rest = name.slice('alias/'.length);
  if (rest === '') return 'Give a name after alias/.';
  if (name.startsWith('alias/aws/')) return 'alias/aws/ is reserved for AWS managed keys; choose another name.';
  if (name.length > 256) return `The alias name is ${name.length} characters; AWS allows 256.`;
  const bad = /[^a-zA-Z0-9/_-]/.exec(rest);
  if (bad) return `"${bad[0]}" is not allowed in an alias name: use letters, digits, /, _ and -.`;
  return undefined;
}
