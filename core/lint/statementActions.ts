import { allActions, type KmsAction } from '../catalog';
import { compileWildcard, matchWildcard, type WildcardPattern } from '../authz';
import type { Located, Statement } from '../policy/model';

/**
 * Which KMS actions a statement applies to, and how action patterns relate. IAM compares action names without
 * regard to case, and `*` and `?` are wildcards (IAM User Guide, Action element).
 */

/**
 * Compiled patterns, reused across rules and across lint runs of the same text (the server lints on every
 * keystroke). Cleared when it grows past a bound, so editing never makes it grow without limit.
 */
const compiledPatterns = { exact: new Map<string, WildcardPattern>(), ignoreCase: new Map<string, WildcardPattern>() };

export function compiledPattern(text: string, ignoreCase: boolean): WildcardPattern {
  const cache = ignoreCase ? compiledPatterns.ignoreCase : compiledPatterns.exact;
  let pattern = cache.get(text);
  if (!pattern) {
    if (cache.size > 5000) cache.clear();
    pattern = compileWildcard(text, ignoreCase);
    cache.set(text, pattern);
  }
  return pattern;
}

const matchingCache = new Map<string, KmsAction[]>();

/** The KMS actions an action pattern (`kms:Get*`, `*`, `kms:decrypt`) matches. */
export function kmsActionsMatching(pattern: string): KmsAction[] {
  const key = pattern.toLowerCase();
  let found = matchingCache.get(key);
  if (!found) {
    if (matchingCache.size > 5000) matchingCache.clear();
    const compiled = compiledPattern(pattern, true);
    found = allActions().filter((a) => matchWildcard(compiled, a.fullName));
    matchingCache.set(key, found);
  }
  return found;
}

/** The string values of an element, skipping values of other JSON types (the grammar rule reports those). */
export function stringValues(values: readonly Located[] | undefined): Located[] {
  return (values ?? []).filter((v) => v.jsonType === 'string');
}

/**
 * The KMS actions a statement applies to: those its Action matches, or those its NotAction does not match.
 * Undefined when the statement has neither, or only values of the wrong type.
 */
export function statementKmsActions(statement: Statement): KmsAction[] | undefined {
  if (statement.action) {
    const values = stringValues(statement.action.values);
    if (values.length === 0) return undefined;
    const found = new Set<KmsAction>();
    for (const v of values) for (const a of kmsActionsMatching(v.value)) found.add(a);
    return [...found];
  }
  if (statement.notAction) {
    const values = stringValues(statement.notAction.values);
    const excluded = new Set<KmsAction>();
    for (const v of values) for (const a of kmsActionsMatching(v.value)) excluded.add(a);
    return allActions().filter((a) => !excluded.has(a));
  }
  return undefined;
}

const nameSets = new Map<string, ReadonlySet<string>>();

/** The full names (`kms:Decrypt`) an action pattern matches, as a set; cached like the patterns. */
function namesMatching(pattern: string): ReadonlySet<string> {
  const key = pattern.toLowerCase();
  let names = nameSets.get(key);
  if (!names) {
    if (nameSets.size > 5000) nameSets.clear();
    names = new Set(kmsActionsMatching(pattern).map((a) => a.fullName));
    nameSets.set(key, names);
  }
  return names;
}

/** Whether a statement applies to the KMS action `kms:Name`: its Action matches it, or its NotAction does not. */
export function statementApplies(statement: Statement, fullName: string): boolean {
  if (statement.action) return stringValues(statement.action.values).some((v) => namesMatching(v.value).has(fullName));
  if (statement.notAction) return !stringValues(statement.notAction.values).some((v) => namesMatching(v.value).has(fullName));
  return false;
}

/** Whether a statement's Action (not NotAction) covers the KMS action `kms:Name`. */
export function actionCovers(statement: Statement, fullName: string): boolean {
  return stringValues(statement.action?.values).some((v) => matchWildcard(compiledPattern(v.value, true), fullName));
}

/** Whether an Action value covers every KMS action (`*`, `kms:*`, `KMS:*`…). */
export function coversAllKms(pattern: string): boolean {
  return kmsActionsMatching(pattern).length === allActions().length;
}

/**
 * Whether pattern `a` matches every name pattern `b` matches, whatever actions AWS adds later. A literal `b` is
 * covered when `a` matches it. A `b` with wildcards is covered when `a` matches `b`'s own text with its `*` and
 * `?` taken as letters, provided `a` has no `?`: a `*` of `a` can take in any run of `b` (wildcards included),
 * while a `?` of `a` taking in a `*` of `b` would be unsound, so such pairs are never called covered.
 */
export function patternCovers(a: string, b: string, ignoreCase = true): boolean {
  const bHasWildcard = /[*?]/.test(b);
  if (bHasWildcard && a.includes('?')) return false;
  return matchWildcard(compiledPattern(a, ignoreCase), b);
}
