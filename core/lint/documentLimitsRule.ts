import { defineRule, derived, POLICY_KINDS, type LintContext } from './lintRule';

const CODES = {
  KMS_KEY_POLICY_SIZE_EXCEEDED: { severity: 'ERROR', description: 'A key policy over 32,768 bytes (UTF-8, whitespace included).', kinds: ['keyPolicy'] },
  KMS_KEY_POLICY_INVALID_CHARACTER: { severity: 'ERROR', description: 'A character AWS KMS does not accept in a key policy (beyond printable ASCII and Latin-1).', kinds: ['keyPolicy'] },
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: { severity: 'WARNING', description: 'An identity policy over the 6,144-character managed policy quota (whitespace not counted).', kinds: ['identityPolicy'] },
} as const;

/** AWS KMS Developer Guide, key policy format: "Up to 32 kilobytes (32,768 bytes)". */
export const KEY_POLICY_MAX_BYTES = 32768;
/** IAM quotas: a managed policy is at most 6,144 characters, and IAM does not count whitespace. */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;
/** Findings of invalid characters per document; past this the first ones say enough. */
const MAX_CHARACTER_FINDINGS = 10;

/**
 * Characters AWS KMS accepts in a key policy (AWS KMS API Reference, CreateKey and PutKeyPolicy, Policy):
 * printable ASCII (U+0020 to U+007E), the printable characters of Latin-1 Supplement (U+00A0 to U+00FF), and
 * tab, line feed and carriage return. A byte order mark or a typographic quote pasted from a document is not.
 */
const INVALID_CHARACTER = /[^\t\n\r\x20-\x7E\xA0-\xFF]/gu;

const HAS_INVALID_CHARACTER = /[^\t\n\r\x20-\x7E\xA0-\xFF]/u;

/**
 * Whether the text has a character INVALID_CHARACTER matches. Almost never: each statement's answer is kept with
 * its text (an edit changes one statement), and only the text between statements is searched every time.
 */
function hasInvalidCharacter(ctx: LintContext): boolean {
  const text = ctx.text;
  let from = 0;
  for (const s of ctx.policy.statements) {
    if (s.offset < from) return HAS_INVALID_CHARACTER.test(text);
    if (HAS_INVALID_CHARACTER.test(text.slice(from, s.offset))) return true;
    const end = s.offset + s.length;
    if (derived(ctx, s, 'documentLimits.invalidCharacter', () => HAS_INVALID_CHARACTER.test(text.slice(s.offset, end)))) return true;
    from = end;
  }
  return HAS_INVALID_CHARACTER.test(text.slice(from));
}

/** How many whitespace characters sit between tokens (whitespace inside strings is part of a value). */
function whitespaceBetweenTokens(text: string): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) count++;
    else if (c === 34) inString = true;
  }
  return count;
}

/** Limits on the document as a whole: its size and, for key policies, its characters. */
export const documentLimitsRule = defineRule({
  id: 'documentLimits',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkDocument(ctx, report) {
    const start = { offset: ctx.root?.offset ?? 0, length: Math.min(1, ctx.text.length) };
    if (ctx.kind === 'keyPolicy') {
      const bytes = Buffer.byteLength(ctx.text, 'utf8');
      if (bytes > KEY_POLICY_MAX_BYTES) {
        // Whitespace between tokens is ASCII: one byte a character.
        const minified = bytes - whitespaceBetweenTokens(ctx.text);
        report(
          'KMS_KEY_POLICY_SIZE_EXCEEDED',
          start,
          `This key policy is ${bytes.toLocaleString('en-US')} bytes; AWS KMS accepts at most ${KEY_POLICY_MAX_BYTES.toLocaleString('en-US')} (32 KB), counting every byte of the document as sent, whitespace included${minified <= KEY_POLICY_MAX_BYTES ? ` (without whitespace it would be ${minified.toLocaleString('en-US')} bytes)` : ''}. Merge statements, or move permissions to IAM policies or grants.`,
        );
      }
      let found = 0;
      for (const match of hasInvalidCharacter(ctx) ? ctx.text.matchAll(INVALID_CHARACTER) : []) {
        if (found++ >= MAX_CHARACTER_FINDINGS) break;
        const code = match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        report(
          'KMS_KEY_POLICY_INVALID_CHARACTER',
          { offset: match.index, length: match[0].length },
          `AWS KMS accepts only printable ASCII and Latin-1 characters, tab, line feed and carriage return in a key policy; U+${code} is not one. Remove it or replace it (a typographic quote with ', for instance).`,
        );
      }
    } else {
      const length = ctx.text.length - whitespaceBetweenTokens(ctx.text);
      if (length > MANAGED_POLICY_MAX_CHARACTERS) {
        report(
          'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
          start,
          `This policy is ${length.toLocaleString('en-US')} characters without whitespace; an IAM managed policy may have at most ${MANAGED_POLICY_MAX_CHARACTERS.toLocaleString('en-US')}. Split it into several policies.`,
        );
      }
    }
  },
});
