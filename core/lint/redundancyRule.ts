import type { ConditionElement, PrincipalElement, Statement, StringListElement } from '../policy/model';
import type { Fix } from './finding';
import { nodeForSpan } from './jsonTree';
import { defineRule, derived, POLICY_KINDS, type LintContext } from './lintRule';
import { principalValues } from './principals';
import { kmsActionsMatching, patternCovers, stringValues } from './statementActions';
import { removeArrayItem } from './textEdits';

const CODES = {
  REDUNDANT_ACTION: { severity: 'SUGGESTION', description: 'An action another action of the same statement already covers (kms:Decrypt next to kms:*).' },
  REDUNDANT_STATEMENT: { severity: 'SUGGESTION', description: 'A statement another statement of the policy already covers.' },
} as const;

/** Pairs of values compared per list, and of statements per policy, before only exact repeats are looked for. */
const MAX_PAIRS = 200_000;

function removeFix(ctx: LintContext, element: { valueSpan: { offset: number; length: number } }, index: number, title: string): Fix | undefined {
  const array = nodeForSpan(ctx.root, element.valueSpan);
  return array?.type === 'array' ? { title, edits: [removeArrayItem(array, index)] } : undefined;
}

/** Values of a list that another value of the same list covers: the later one of two equivalent values. */
function coveredValues(element: StringListElement, ignoreCase: boolean): Array<{ index: number; by: number }> {
  // A kms: name that matches no action is an INVALID_ACTION finding, not a redundant one.
  const items = element.values
    .map((v, index) => ({ v, index }))
    .filter(({ v }) => v.jsonType === 'string' && !(/^kms:/i.test(v.value) && kmsActionsMatching(v.value).length === 0));
  const wildcards = items.filter(({ v }) => /[*?]/.test(v.value));
  const firstSpelling = new Map<string, number>();
  const out: Array<{ index: number; by: number }> = [];
  const compareWildcards = items.length * wildcards.length <= MAX_PAIRS;
  for (const { v, index } of items) {
    const key = ignoreCase ? v.value.toLowerCase() : v.value;
    const earlier = firstSpelling.get(key);
    if (earlier !== undefined) {
      out.push({ index, by: earlier });
      continue;
    }
    firstSpelling.set(key, index);
    if (!compareWildcards) continue;
    const by = wildcards.find(
      (w) => w.index !== index && patternCovers(w.v.value, v.value, ignoreCase) && (!patternCovers(v.value, w.v.value, ignoreCase) || w.index < index),
    );
    if (by) out.push({ index, by: by.index });
  }
  return out;
}

/** What of a statement decides whether another covers it, apart from its actions and resources. */
interface Facets {
  principals: string[] | undefined;
  notPrincipal: string | undefined;
  condition: string;
}

/** A statement reduced to what decides its effect, for comparing statements. */
interface Shape extends Facets {
  statement: Statement;
}

function canonicalCondition(condition: ConditionElement | undefined): string {
  if (!condition) return '';
  const blocks = condition.operators.map((b) => {
    const keys = b.keys.map((k) => `${k.key.value.toLowerCase()}=${k.values.map((v) => v.value).sort().join('\u0000')}`).sort();
    return `${b.operator.value.toLowerCase()}{${keys.join(';')}}`;
  });
  return blocks.sort().join('|');
}

function canonicalPrincipal(element: PrincipalElement): string {
  return principalValues(element).map((p) => `${p.type}=${p.value.value}`).sort().join('|');
}

function facetsOf(statement: Statement): Facets {
  return {
    principals: statement.principal ? principalValues(statement.principal).map((p) => `${p.type === '*' ? 'AWS' : p.type}=${p.value.value}`) : undefined,
    notPrincipal: statement.notPrincipal ? canonicalPrincipal(statement.notPrincipal) : undefined,
    condition: canonicalCondition(statement.condition),
  };
}

/** Every value of `inner` is covered by some value of `outer` (both Action, or both Resource). */
function listCovers(outer: StringListElement | undefined, inner: StringListElement | undefined, ignoreCase: boolean): boolean {
  if (!outer || !inner) return false;
  const o = stringValues(outer.values).map((v) => v.value);
  const i = stringValues(inner.values).map((v) => v.value);
  return i.length > 0 && i.length === inner.values.length && i.every((b) => o.some((a) => patternCovers(a, b, ignoreCase)));
}

function sameList(a: StringListElement | undefined, b: StringListElement | undefined): boolean {
  if (!a || !b) return !a && !b;
  const norm = (e: StringListElement) => e.values.map((v) => v.value.toLowerCase()).sort().join('\u0000');
  return norm(a) === norm(b);
}

/** Whether statement `a` already allows (or denies) everything `b` does. */
function covers(a: Shape, b: Shape): boolean {
  const sa = a.statement;
  const sb = b.statement;
  if (!sa.effect || sa.effect !== sb.effect) return false;
  if (a.condition !== '' && a.condition !== b.condition) return false;
  if ((a.notPrincipal ?? null) !== (b.notPrincipal ?? null)) return false;
  if (!!a.principals !== !!b.principals) return false;
  if (a.principals && b.principals) {
    if (b.principals.length === 0) return false;
    const anyone = a.principals.includes('AWS=*');
    if (!b.principals.every((p) => anyone || a.principals!.includes(p))) return false;
  }
  const actions = sa.action || sb.action ? listCovers(sa.action, sb.action, true) : sameList(sa.notAction, sb.notAction);
  if (!actions) return false;
  // Resource ARNs are compared case-sensitively: most of their parts are.
  return sa.resource || sb.resource ? listCovers(sa.resource, sb.resource, false) : sameList(sa.notResource, sb.notResource) && !!sa.notResource;
}

/** A map that creates its missing entries. */
function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * Statements that could cover another, in statement order. A statement covers another only with the same Effect
 * and NotPrincipal, both or neither with a Principal, its condition absent or the same and, with principals,
 * `*` or the other's first principal among its own: buckets on those facets hold every statement that could, so
 * only they are compared, not every pair. The buckets are nested maps keyed by the facets' own strings, which
 * the linter keeps per statement, so building them hashes no new text.
 */
class CoverCandidates {
  /** Effect and whether there is a Principal → NotPrincipal → condition → principal (or '') → statement indices. */
  private readonly buckets = new Map<string, Map<string, Map<string, Map<string, number[]>>>>();

  constructor(shapes: readonly Shape[]) {
    shapes.forEach((s, i) => {
      const byCondition = this.byCondition(s, true);
      if (!byCondition) return;
      const byPrincipal = entry(byCondition, s.condition, () => new Map<string, number[]>());
      for (const p of s.principals ? new Set(s.principals) : ['']) entry(byPrincipal, p, () => []).push(i);
    });
  }

  private byCondition(s: Shape, create: boolean): Map<string, Map<string, number[]>> | undefined {
    // A statement without a valid Effect covers nothing and is covered by nothing.
    if (!s.statement.effect) return undefined;
    const group = `${s.statement.effect}${s.principals ? 'P' : '-'}`;
    const notPrincipal = s.notPrincipal === undefined ? '\u0001' : `=${s.notPrincipal}`;
    if (!create) return this.buckets.get(group)?.get(notPrincipal);
    return entry(entry(this.buckets, group, () => new Map()), notPrincipal, () => new Map());
  }

  /** Indices of the statements that may cover `b` (a superset of those that do), ascending. */
  for(b: Shape): number[] {
    if (b.principals && b.principals.length === 0) return [];
    const byCondition = this.byCondition(b, false);
    if (!byCondition) return [];
    const found: number[] = [];
    for (const condition of b.condition === '' ? [''] : [b.condition, '']) {
      const byPrincipal = byCondition.get(condition);
      if (!byPrincipal) continue;
      const tokens = !b.principals ? [''] : b.principals[0] === 'AWS=*' ? ['AWS=*'] : [b.principals[0]!, 'AWS=*'];
      for (const token of tokens) found.push(...(byPrincipal.get(token) ?? []));
    }
    if (found.length < 2) return found;
    found.sort((x, y) => x - y);
    return found.filter((x, i) => i === 0 || x !== found[i - 1]);
  }
}

/** Actions repeated or covered within a statement, and statements covered by another statement. */
export const redundancyRule = defineRule({
  id: 'redundancy',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    for (const element of [statement.action, statement.notAction]) {
      if (!element?.isArray) continue;
      for (const { index, by } of coveredValues(element, true)) {
        const value = element.values[index]!;
        const cover = element.values[by]!;
        const fix = removeFix(ctx, element, index, `Remove ${value.value}`);
        report(
          'REDUNDANT_ACTION',
          value,
          cover.value.toLowerCase() === value.value.toLowerCase()
            ? `${value.value} is listed twice in this statement. Remove the repeat.`
            : `${value.value} is already covered by ${cover.value} in this statement. Remove it.`,
          { related: [{ offset: cover.offset, length: cover.length, message: `Covered by ${cover.value}` }], ...(fix ? { fix } : {}) },
        );
      }
    }
  },
  checkDocument(ctx, report) {
    const statements = ctx.policy.statements;
    if (statements.length < 2 || statements.length * statements.length > MAX_PAIRS) return;
    const shapes: Shape[] = statements.map((statement) => ({ statement, ...derived(ctx, statement, 'redundancy.facets', () => facetsOf(statement)) }));
    const candidates = new CoverCandidates(shapes);
    shapes.forEach((b, bi) => {
      // The first statement, in order, that covers b (and that b does not cover back, unless it comes first).
      const found = candidates.for(b).find((si) => {
        const s = shapes[si]!;
        return si !== bi && covers(s, b) && (!covers(b, s) || s.statement.index < b.statement.index);
      });
      if (found === undefined) return;
      const a = shapes[found]!;
      const sb = b.statement;
      const at = sb.sid ?? { offset: sb.offset, length: 1 };
      const name = (s: Statement) => (s.sid?.value ? `statement ${JSON.stringify(s.sid.value)}` : `statement #${s.index + 1}`);
      const array = ctx.policy.statementElement?.isArray ? nodeForSpan(ctx.root, ctx.policy.statementElement.valueSpan) : undefined;
      const fix: Fix | undefined = array?.type === 'array' ? { title: `Remove ${name(sb)}`, edits: [removeArrayItem(array, sb.index)] } : undefined;
      report(
        'REDUNDANT_STATEMENT',
        at,
        `${name(sb)} ${sb.effect === 'Deny' ? 'denies' : 'allows'} nothing that ${name(a.statement)} does not already ${sb.effect === 'Deny' ? 'deny' : 'allow'}. Remove it, or narrow the other statement.`,
        { related: [{ offset: a.statement.offset, length: 1, message: `The covering ${name(a.statement)}` }], ...(fix ? { fix } : {}) },
      );
    });
  },
});
