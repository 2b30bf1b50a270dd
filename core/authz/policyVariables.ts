import type { PatternPiece } from './wildcard';
import { contextValues, type RequestContext } from './requestContext';

/**
 * A policy value with its `${…}` variables replaced (IAM User Guide, policy variables). Only policies with
 * `"Version": "2012-10-17"` have variables; in older versions `${…}` is plain text.
 */
export interface ResolvedValue {
  written: string;
  /** For wildcard operators: `*` and `?` written in the value are wildcards, everything substituted is literal. */
  pieces: PatternPiece[];
  /** For exact operators: the value with variables and escapes replaced. */
  text: string;
  /** The variable that had no value and no default; such a value matches nothing. */
  unresolved?: string;
}

/** `${*}`, `${?}` and `${$}` stand for the characters themselves (IAM User Guide, special characters). */
const ESCAPES = new Set(['*', '?', '$']);

export function resolveVariables(written: string, context: RequestContext, variablesEnabled: boolean): ResolvedValue {
  const pieces: PatternPiece[] = [];
  let text = '';
  let unresolved: string | undefined;
  const literal = (s: string): void => {
    if (!s) return;
    text += s;
    const last = pieces[pieces.length - 1];
    if (last && 'literal' in last) last.literal += s;
    else pieces.push({ literal: s });
  };
  const raw = (s: string): void => {
    for (const ch of s) {
      if (ch === '*' || ch === '?') {
        text += ch;
        pieces.push({ wildcard: ch });
      } else literal(ch);
    }
  };

  let i = 0;
  while (i < written.length) {
    const start = variablesEnabled ? written.indexOf('${', i) : -1;
    const end = start >= 0 ? written.indexOf('}', start + 2) : -1;
    if (start < 0 || end < 0) {
      raw(written.slice(i));
      break;
    }
    raw(written.slice(i, start));
    const body = written.slice(start + 2, end).trim();
    i = end + 1;
    if (ESCAPES.has(body)) {
      literal(body);
      continue;
    }
    const withDefault = splitDefault(body);
    const name = withDefault ? withDefault.name : body;
    const values = contextValues(context, name);
    // A variable stands for one value; a missing or multivalued key leaves it unresolved unless it has a default.
    if (values && values.length === 1) literal(values[0]!);
    else if (withDefault) literal(withDefault.fallback);
    else {
      unresolved ??= name;
      literal(`\${${body}}`);
    }
  }
  return { written, pieces, text, unresolved };
}

/**
 * `key, 'default'` → the key and the default (IAM User Guide, policy variables, specifying default values). Split
 * by hand at the first comma: a regular expression with a lazy name before optional spaces backtracks
 * quadratically on a long run of spaces.
 */
function splitDefault(body: string): { name: string; fallback: string } | undefined {
  const comma = body.indexOf(',');
  if (comma <= 0) return undefined;
  const name = body.slice(0, comma).trim();
  const quoted = body.slice(comma + 1).trim();
  if (!name || quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return undefined;
  const fallback = quoted.slice(1, -1);
  return fallback.includes("'") ? undefined : { name, fallback };
}
