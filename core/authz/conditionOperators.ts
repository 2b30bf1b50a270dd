import type { ConditionOperatorInfo } from '../catalog/operators';
import { cidrContains, parseCidr, parseIp } from './ipAddress';
import type { ResolvedValue } from './policyVariables';
import { compilePieces, matchWildcard, type PatternPiece } from './wildcard';

/**
 * How one operator compares request values with one policy value. Every operator is an entry in the table below;
 * IfExists, the set operators, negation and missing keys are handled once, in conditionMatcher.
 */
export interface ValueComparison {
  /** Whether `${…}` in policy values is substituted (IAM User Guide: string and ARN operators only). */
  usesVariables: boolean;
  /**
   * Reads (parses, compiles) the policy value once and returns its test of a request value, because a set
   * operator compares every request value with every policy value. The test is false also when either value is
   * not of the operator's type: such values are never equal.
   */
  matcher(policyValue: ResolvedValue): (requestValue: string) => boolean;
}

// Digits, then an optional fraction: written so that no run of digits can be split two ways, which would make
// the regular expression engine backtrack quadratically on a long run of digits that fails to match.
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  return NUMBER.test(t) ? Number(t) : undefined;
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * ISO 8601 (date, or date and time) or epoch seconds (IAM User Guide, date condition operators). A date and time
 * without an offset is UTC, as AWS reads it; JavaScript would read it as local time, so the offset is always
 * written out before parsing.
 */
export function parseDate(text: string): number | undefined {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const m = ISO_8601.exec(t);
  if (!m) return undefined;
  const [, day, hourMinute = '00:00', seconds = ':00', offset = 'Z'] = m;
  const zone = offset === 'Z' || offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  // Date.parse takes at most millisecond precision reliably.
  const second = seconds.replace(/(\.\d{3})\d+$/, '$1');
  const ms = Date.parse(`${day}T${hourMinute}${second}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

function decodeBase64(text: string): Buffer | undefined {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 === 1) return undefined;
  return Buffer.from(t, 'base64');
}

function numeric(test: (request: number, policy: number) => boolean): ValueComparison {
  return {
    usesVariables: false,
    matcher: (p) => {
      const b = parseNumber(p.written);
      if (b === undefined) return () => false;
      return (r) => {
        const a = parseNumber(r);
        return a !== undefined && test(a, b);
      };
    },
  };
}

function date(test: (request: number, policy: number) => boolean): ValueComparison {
  return {
    usesVariables: false,
    matcher: (p) => {
      const b = parseDate(p.written);
      if (b === undefined) return () => false;
      return (r) => {
        const a = parseDate(r);
        return a !== undefined && test(a, b);
      };
    },
  };
}

/**
 * Splits pieces at their first five colons. Substitution comes first, so a variable holding a whole ARN splits
 * like one written out; its text stays literal, so it brings no wildcards.
 */
function splitArnPieces(pieces: readonly PatternPiece[]): PatternPiece[][] {
  const parts: PatternPiece[][] = [[]];
  for (const piece of pieces) {
    if (!('literal' in piece) || parts.length === 6) {
      parts[parts.length - 1]!.push(piece);
      continue;
    }
    let rest = piece.literal;
    let colon = rest.indexOf(':');
    while (colon >= 0 && parts.length < 6) {
      if (colon > 0) parts[parts.length - 1]!.push({ literal: rest.slice(0, colon) });
      parts.push([]);
      rest = rest.slice(colon + 1);
      colon = rest.indexOf(':');
    }
    if (rest) parts[parts.length - 1]!.push({ literal: rest });
  }
  return parts;
}

/**
 * The last request value split, and its parts: conditionMatcher tests one request value against every policy value
 * in turn, so remembering one split saves splitting it once per policy value.
 */
let lastSplit: { text: string; parts: string[] | undefined } | undefined;

function splitArnText(text: string): string[] | undefined {
  if (lastSplit?.text !== text) lastSplit = { text, parts: splitArnTextOnce(text) };
  return lastSplit.parts;
}

function splitArnTextOnce(text: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < 5; i++) {
    const colon = text.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(text.slice(start, colon));
    start = colon + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * ArnEquals and ArnLike behave alike: each of the six colon-separated parts is matched on its own, and a
 * wildcard never reaches across a colon into the next part (IAM User Guide, ARN condition operators).
 * A policy value of fewer than six parts matches nothing, except a lone `*`, which matches any value.
 */
const arn: ValueComparison = {
  usesVariables: true,
  matcher: (p) => {
    const policyParts = splitArnPieces(p.pieces);
    if (policyParts.length < 6) {
      const any = p.pieces.length > 0 && p.pieces.every((piece) => 'wildcard' in piece && piece.wildcard === '*');
      return () => any;
    }
    const patterns = policyParts.map((part) => compilePieces(part));
    return (r) => {
      const requestParts = splitArnText(r);
      if (!requestParts) return false;
      // The resource part tells ARNs apart most often, so it is tried first.
      for (let i = 5; i >= 0; i--) if (!matchWildcard(patterns[i]!, requestParts[i]!)) return false;
      return true;
    };
  },
};

/** The positive operators; each negated operator is its positive partner's negation (see NEGATED). */
const COMPARISONS: Readonly<Record<string, ValueComparison>> = {
  StringEquals: { usesVariables: true, matcher: (p) => (r) => r === p.text },
  StringEqualsIgnoreCase: {
    usesVariables: true,
    matcher: (p) => {
      const b = p.text.toLowerCase();
      return (r) => r.toLowerCase() === b;
    },
  },
  StringLike: {
    usesVariables: true,
    matcher: (p) => {
      const pattern = compilePieces(p.pieces);
      return (r) => matchWildcard(pattern, r);
    },
  },
  NumericEquals: numeric((a, b) => a === b),
  NumericLessThan: numeric((a, b) => a < b),
  NumericLessThanEquals: numeric((a, b) => a <= b),
  NumericGreaterThan: numeric((a, b) => a > b),
  NumericGreaterThanEquals: numeric((a, b) => a >= b),
  DateEquals: date((a, b) => a === b),
  DateLessThan: date((a, b) => a < b),
  DateLessThanEquals: date((a, b) => a <= b),
  DateGreaterThan: date((a, b) => a > b),
  DateGreaterThanEquals: date((a, b) => a >= b),
  Bool: {
    usesVariables: false,
    matcher: (p) => {
      const b = p.written.trim().toLowerCase();
      if (b !== 'true' && b !== 'false') return () => false;
      return (r) => r.trim().toLowerCase() === b;
    },
  },
  BinaryEquals: {
    usesVariables: false,
    matcher: (p) => {
      const b = decodeBase64(p.written);
      if (!b) return () => false;
      return (r) => {
        const a = decodeBase64(r);
        return !!a && a.equals(b);
      };
    },
  },
  IpAddress: {
    usesVariables: false,
    matcher: (p) => {
      const block = parseCidr(p.written.trim());
      if (!block) return () => false;
      return (r) => {
        const ip = parseIp(r.trim());
        return !!ip && cidrContains(block, ip);
      };
    },
  },
  ArnEquals: arn,
  ArnLike: arn,
};

/**
 * Negated operators and the positive operator they negate. With several policy values a negated operator is
 * true only when the request value matches none of them (IAM User Guide, condition operators: "negated
 * matching"), which is exactly the negation of the positive operator's "matches any".
 */
const NEGATED: Readonly<Record<string, string>> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  NumericNotEquals: 'NumericEquals',
  DateNotEquals: 'DateEquals',
  NotIpAddress: 'IpAddress',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
};

export interface OperatorBehaviour {
  comparison: ValueComparison;
  negated: boolean;
}

/** The behaviour of a base operator from the catalog; undefined for Null, which tests presence only. */
export function operatorBehaviour(operator: ConditionOperatorInfo): OperatorBehaviour | undefined {
  const positive = NEGATED[operator.name];
  const comparison = COMPARISONS[positive ?? operator.name];
  return comparison ? { comparison, negated: positive !== undefined } : undefined;
}
