/**
 * Glob matching for IAM's two wildcards: `*` (any run of characters, including none) and `?` (any one character).
 *
 * Policies are user input and the evaluator runs on every KMS request, so matching must never backtrack
 * exponentially. The pattern is split at `*` into fixed-length segments; the first is anchored at the start,
 * the last at the end, and each middle segment is placed at its leftmost occurrence after the previous one.
 * Leftmost placement is always safe (a later placement leaves less room for the rest), so no choice is ever
 * revisited. Work is bounded by text length × longest segment, linear in the text for short segments.
 */

/**
 * A pattern piece: literal text, or one of the two wildcards. Text substituted for a policy variable or an
 * escape is a literal piece, so a `*` in it is not a wildcard.
 */
export type PatternPiece = { literal: string } | { wildcard: '*' | '?' };

interface Segment {
  chars: string;
  /** true where the segment has `?`. */
  any: boolean[];
}

export interface WildcardPattern {
  /** The segments between stars; with no star there is exactly one. */
  segments: Segment[];
  hasStar: boolean;
  ignoreCase: boolean;
}

/** Counts character comparisons, so tests can check the matcher's work without timing it. */
export interface WorkCounter {
  steps: number;
}

/** Compiles written text in which every `*` and `?` is a wildcard (Action, Resource, StringLike values). */
export function compileWildcard(written: string, ignoreCase = false): WildcardPattern {
  const pieces: PatternPiece[] = [];
  let literal = '';
  for (const ch of written) {
    if (ch === '*' || ch === '?') {
      if (literal) pieces.push({ literal });
      literal = '';
      pieces.push({ wildcard: ch });
    } else literal += ch;
  }
  if (literal) pieces.push({ literal });
  return compilePieces(pieces, ignoreCase);
}

/** Compiles pieces, where literal text (from escapes such as `${*}` or from variables) never acts as a wildcard. */
export function compilePieces(pieces: readonly PatternPiece[], ignoreCase = false): WildcardPattern {
  const segments: Segment[] = [];
  let current: Segment = { chars: '', any: [] };
  let hasStar = false;
  for (const piece of pieces) {
    if ('literal' in piece) {
      const text = ignoreCase ? piece.literal.toLowerCase() : piece.literal;
      current.chars += text;
      for (let i = 0; i < text.length; i++) current.any.push(false);
    } else if (piece.wildcard === '?') {
      current.chars += '?';
      current.any.push(true);
    } else {
      hasStar = true;
      segments.push(current);
      current = { chars: '', any: [] };
    }
  }
  segments.push(current);
  return { segments, hasStar, ignoreCase };
}

function segmentAt(segment: Segment, text: string, at: number, counter?: WorkCounter): boolean {
  const { chars, any } = segment;
  for (let j = 0; j < chars.length; j++) {
    if (counter) counter.steps++;
    if (!any[j] && text.charCodeAt(at + j) !== chars.charCodeAt(j)) return false;
  }
  return true;
}

export function matchWildcard(pattern: WildcardPattern, input: string, counter?: WorkCounter): boolean {
  const text = pattern.ignoreCase ? input.toLowerCase() : input;
  const { segments } = pattern;
  const first = segments[0]!;
  if (!pattern.hasStar) return text.length === first.chars.length && segmentAt(first, text, 0, counter);

  const last = segments[segments.length - 1]!;
  if (first.chars.length + last.chars.length > text.length) return false;
  if (!segmentAt(first, text, 0, counter)) return false;
  const tailStart = text.length - last.chars.length;
  if (!segmentAt(last, text, tailStart, counter)) return false;

  let pos = first.chars.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s]!;
    const k = segment.chars.length;
    if (k === 0) continue;
    let found = -1;
    for (let i = pos; i + k <= tailStart; i++) {
      if (segmentAt(segment, text, i, counter)) {
        found = i;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + k;
  }
  return true;
}

/** Convenience for one-off matches of written text. */
export function wildcardMatches(written: string, text: string, ignoreCase = false): boolean {
  if (written === '*') return true;
  return matchWildcard(compileWildcard(written, ignoreCase), text);
}
