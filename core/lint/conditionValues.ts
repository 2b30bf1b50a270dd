import { isIPv4, isIPv6 } from 'node:net';
import type { OperatorType } from '../catalog';

/**
 * Whether a condition value can be read by an operator of a given type (IAM User Guide, condition operators).
 * A value that cannot be read never equals a request value, so the condition quietly never matches (or, for a
 * negated operator, always does). These readers say which values are readable; they follow the evaluator's
 * reading, so what the linter accepts the simulator can compare.
 */

// Digits, then an optional fraction, written so that no run of digits can be split two ways (no backtracking).
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isNumeric(text: string): boolean {
  return NUMBER.test(text.trim());
}

/** ISO 8601 (a date, or a date and time) or epoch seconds; the calendar fields must exist (no 2024-02-30). */
export function isDate(text: string): boolean {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) return true;
  const m = ISO_8601.exec(t);
  if (!m) return false;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60
  );
}

export function isBoolean(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === 'false';
}

/** An IPv4 or IPv6 address, or a CIDR block whose prefix fits the address family (RFC 4632 notation). */
export function isIpRange(text: string): boolean {
  const t = text.trim();
  const slash = t.indexOf('/');
  const address = slash < 0 ? t : t.slice(0, slash);
  const family = isIPv4(address) ? 4 : isIPv6(address) && !address.includes('%') ? 6 : 0;
  if (family === 0) return false;
  if (slash < 0) return true;
  const prefix = t.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

export function isBase64(text: string): boolean {
  const t = text.trim();
  return BASE64.test(t) && t.length % 4 !== 1;
}

/**
 * An ARN pattern: six colon-separated parts (wildcards allowed), or `*` alone. The ARN operators compare part by
 * part, so a value of fewer parts matches nothing.
 */
export function isArnPattern(text: string): boolean {
  if (/^\*+$/.test(text)) return true;
  let colons = 0;
  for (let i = 0; i < text.length && colons < 5; i++) if (text.charCodeAt(i) === 58) colons++;
  return colons >= 5;
}

/** The reader for each operator type; String and Existence have their own rules (any text; true or false). */
export function readsValue(type: OperatorType, text: string): boolean {
  switch (type) {
    case 'Numeric':
      return isNumeric(text);
    case 'Date':
      return isDate(text);
    case 'Boolean':
    case 'Existence':
      return isBoolean(text);
    case 'IP':
      return isIpRange(text);
    case 'Binary':
      return isBase64(text);
    case 'ARN':
      return isArnPattern(text);
    case 'String':
      return true;
  }
}

/** Whether policy variables (`${aws:username}`) are substituted in values of this operator type. */
export function takesPolicyVariables(type: OperatorType): boolean {
  return type === 'String' || type === 'ARN';
}
