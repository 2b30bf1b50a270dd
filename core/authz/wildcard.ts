/**
 * Glob matching for IAM's two wildcards: `*` (any run of characters, including none) and `?` (any one character).
 *
 * Policies are user input and the evaluator runs on every KMS request, so matching must never backtrack. The
 * pattern is split at `*` into fixed-length segments; the first is anchored at the start, the last at the end,
 * and each middle segment is placed at its leftmost occurrence after the previous one. Leftmost placement is
 * always safe (a later placement leaves less room for the rest), so no choice is ever revisited and the text is
 * scanned once from left to right.
 *
 * Finding a segment must not cost segment length × text length either (`*aaaa…ab*` against `aaaa…`): a segment
 * without `?` is found with Knuth-Morris-Pratt, in time linear in the text and the segment; a segment with `?`
 * is found with the bit-parallel Shift-And algorithm, one step per text character and per 32 segment
 * characters, which is linear for segments of up to 32 characters and 32 times cheaper than a naive scan above.
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
  /** The search for this segment inside the text, built on first use (middle segments only). */
  finder?: Finder;
}

/** The leftmost start in [from, lastStart] where the segment occurs in the text, or -1. */
type Finder = (text: string, from: number, lastStart: number, counter?: WorkCounter) => number;

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

  let fixed = 0;
  for (const segment of segments) fixed += segment.chars.length;
  if (fixed > text.length) return false;
  const last = segments[segments.length - 1]!;
  if (!segmentAt(first, text, 0, counter)) return false;
  const tailStart = text.length - last.chars.length;
  if (!segmentAt(last, text, tailStart, counter)) return false;

  let pos = first.chars.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s]!;
    const k = segment.chars.length;
    if (k === 0) continue;
    if (pos + k > tailStart) return false;
    segment.finder ??= segment.any.includes(true) ? shiftAndFinder(segment) : kmpFinder(segment.chars);
    const found = segment.finder(text, pos, tailStart - k, counter);
    if (found < 0) return false;
    pos = found + k;
  }
  return true;
}

/** Knuth-Morris-Pratt: each text character is compared at most twice, amortised. */
function kmpFinder(p: string): Finder {
  const k = p.length;
  const fail = new Int32Array(k);
  for (let i = 1, j = 0; i < k; i++) {
    while (j > 0 && p.charCodeAt(i) !== p.charCodeAt(j)) j = fail[j - 1]!;
    if (p.charCodeAt(i) === p.charCodeAt(j)) j++;
    fail[i] = j;
  }
  return (text, from, lastStart, counter) => {
    const end = lastStart + k;
    let j = 0;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      while (j > 0 && c !== p.charCodeAt(j)) {
        j = fail[j - 1]!;
        if (counter) counter.steps++;
      }
      if (counter) counter.steps++;
      if (c === p.charCodeAt(j)) j++;
      if (j === k) return i - k + 1;
    }
    return -1;
  };
}

/**
 * Shift-And over 32-bit words: bit j of the state says the segment's first j+1 characters end at the current text
 * position. A character's mask is dense (a word per 32 segment characters) when it occurs more often than there
 * are words, and a list of positions otherwise, so at most 32 dense masks exist and each step costs at most two
 * passes over the words, whatever the alphabet.
 */
function shiftAndFinder(segment: Segment): Finder {
  const { chars, any } = segment;
  const k = chars.length;
  const words = (k + 31) >>> 5;
  const anyMask = new Int32Array(words);
  const positions = new Map<number, number[]>();
  for (let j = 0; j < k; j++) {
    if (any[j]) {
      anyMask[j >>> 5]! |= 1 << (j & 31);
      continue;
    }
    const c = chars.charCodeAt(j);
    const list = positions.get(c);
    if (list) list.push(j);
    else positions.set(c, [j]);
  }
  const dense = new Map<number, Int32Array>();
  for (const [c, list] of positions) {
    if (list.length <= words) continue;
    const mask = Int32Array.from(anyMask);
    for (const j of list) mask[j >>> 5]! |= 1 << (j & 31);
    dense.set(c, mask);
  }
  const lastWord = (k - 1) >>> 5;
  const lastBit = 1 << ((k - 1) & 31);
  return (text, from, lastStart, counter) => {
    const end = lastStart + k;
    const state = new Int32Array(words);
    const shifted = new Int32Array(words);
    for (let i = from; i < end; i++) {
      let carry = 1;
      for (let w = 0; w < words; w++) {
        const x = state[w]!;
        shifted[w] = (x << 1) | carry;
        carry = x >>> 31;
      }
      const c = text.charCodeAt(i);
      const mask = dense.get(c);
      if (mask) {
        for (let w = 0; w < words; w++) state[w] = shifted[w]! & mask[w]!;
      } else {
        for (let w = 0; w < words; w++) state[w] = shifted[w]! & anyMask[w]!;
        for (const j of positions.get(c) ?? []) {
          const bit = 1 << (j & 31);
          if (shifted[j >>> 5]! & bit) state[j >>> 5]! |= bit;
        }
      }
      if (counter) counter.steps += words + (mask ? 0 : (positions.get(c)?.length ?? 0));
      if (state[lastWord]! & lastBit) return i - k + 1;
    }
    return -1;
  };
}

/** Convenience for one-off matches of written text. */
export function wildcardMatches(written: string, text: string, ignoreCase = false): boolean {
  if (written === '*') return true;
  return matchWildcard(compileWildcard(written, ignoreCase), text);
}
