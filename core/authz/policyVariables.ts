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
    const withDefault = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    const name = withDefault ? withDefault[1]! : body;
    const values = contextValues(context, name);
    // A variable stands for one value; a missing or multivalued key leaves it unresolved unless it has a default.
    if (values && values.length === 1) literal(values[0]!);
    else if (withDefault) literal(withDefault[2]!);
    else {
      unresolved ??= name;
      literal(`\${${body}}`);
    }
  }
  return { written, pieces, text, unresolved };
}
