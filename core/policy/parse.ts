import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import type { Finding } from '../lint/finding';

/**
 * The one parse of a policy document's text. Everything downstream (lint, authz explanations, hovers)
 * works from this tree so that offsets always refer to the text the user sees.
 */
export interface ParsedJson {
  text: string;
  /** The jsonc-parser tree; undefined only when the text holds no value at all. */
  root: Node | undefined;
  /** Syntax errors as findings with code JSON_SYNTAX_ERROR. */
  syntaxErrors: Finding[];
}

/**
 * jsonc-parser recurses once per nesting level, so pathological input ({{{{... 100k deep) would overflow the
 * stack. A policy nests a handful of levels; anything past this is refused before parsing.
 */
export const MAX_DEPTH = 256;

/** Returns the offset of the first bracket past MAX_DEPTH, scanning tokens (so brackets in strings don't count). */
function findExcessiveNesting(text: string): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_DEPTH) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol',
  InvalidNumberFormat: 'Invalid number format',
  PropertyNameExpected: 'Property name expected',
  ValueExpected: 'Value expected',
  ColonExpected: 'Colon expected',
  CommaExpected: 'Comma expected',
  CloseBraceExpected: 'Closing brace "}" expected',
  CloseBracketExpected: 'Closing bracket "]" expected',
  EndOfFileExpected: 'End of file expected',
  InvalidCommentToken: 'Comments are not allowed: AWS accepts only strict JSON in a policy',
  UnexpectedEndOfComment: 'Unexpected end of comment',
  UnexpectedEndOfString: 'Unexpected end of string',
  UnexpectedEndOfNumber: 'Unexpected end of number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character in string',
};

/**
 * Parses JSON text. Comments and trailing commas are accepted by the parser (users edit these files in
 * VS Code, which allows them in JSONC) but AWS accepts neither in a policy, so `strict` reports them.
 */
export function parseJson(text: string, options: { strict?: boolean } = {}): ParsedJson {
  const tooDeep = findExcessiveNesting(text);
  if (tooDeep !== undefined) {
    return {
      text,
      root: undefined,
      syntaxErrors: [
        {
          code: 'JSON_SYNTAX_ERROR',
          severity: 'ERROR',
          message: `Nesting deeper than ${MAX_DEPTH} levels: no policy nests like this, and it is not parsed further.`,
          offset: tooDeep,
          length: 1,
        },
      ],
    };
  }
  const errors: ParseError[] = [];
  const strict = options.strict ?? true;
  const root = parseTree(text, errors, {
    allowTrailingComma: !strict,
    disallowComments: strict,
    allowEmptyContent: false,
  });
  const syntaxErrors: Finding[] = [];
  let lastOffset = -1;
  for (const e of errors) {
    // The parser's recovery can report a second error at the same place ("property name expected", then
    // "value expected" for one trailing comma); the first says it.
    if (e.offset === lastOffset) continue;
    lastOffset = e.offset;
    const name = printParseErrorCode(e.error);
    const trailingComma = (name === 'PropertyNameExpected' || name === 'ValueExpected') && isAfterComma(text, e.offset);
    syntaxErrors.push({
      code: 'JSON_SYNTAX_ERROR',
      severity: 'ERROR',
      message: trailingComma
        ? 'Trailing comma: AWS accepts only strict JSON in a policy.'
        : `${MESSAGES[name] ?? name}.`,
      offset: e.offset,
      // A zero-length error (such as "value expected" at end of input) still needs a visible range.
      length: Math.max(e.length, 1),
    });
  }
  return { text, root, syntaxErrors };
}

/** True when the error sits on a closing bracket right after a comma (whitespace and newlines between). */
function isAfterComma(text: string, offset: number): boolean {
  const closing = text[offset];
  if (closing !== '}' && closing !== ']') return false;
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',';
}
