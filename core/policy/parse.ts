import { createScanner, parse, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
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
  // Plain JSON parses the same under either option, and has no errors to report.
  const plain = parsePlainJsonTree(text, MAX_DEPTH);
  if (plain) return { text, root: plain, syntaxErrors: [] };
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

/**
 * The tree jsonc-parser's parseTree builds, built directly for text that is plain strict JSON: no comments, no
 * trailing commas, no error of any kind, nesting within `maxDepth`. jsonc-parser's visitor (a callback per token,
 * a path copy per property) and the separate nesting scan cost about five times what one pass does on a 32 KB
 * policy, and the server parses on every change. Anything this pass does not recognise as plain JSON returns
 * undefined, and the caller parses with jsonc-parser, which then also reports the errors. On plain JSON the two
 * build the same nodes: same types, offsets, lengths, values, colon offsets and parents (test/core/policy).
 */
export function parsePlainJsonTree(text: string, maxDepth: number): Node | undefined {
  return plainTree(text, maxDepth);
}

/** jsonc-parser's Node, writable while it is built. */
interface Building {
  type: Node['type'];
  value?: unknown;
  offset: number;
  length: number;
  colonOffset?: number;
  parent?: Building;
  children?: Building[];
}

function plainTree(text: string, maxDepth: number): Node | undefined {
  const n = text.length;
  let pos = 0;

  const skipWhitespace = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  };

  /** A string token at `pos` (an opening quote); its value, or undefined when it is not a plain JSON string. */
  const scanString = (): string | undefined => {
    const start = pos + 1;
    let i = start;
    let escaped = false;
    for (;;) {
      if (i >= n) return undefined;
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92) {
        escaped = true;
        i += 2;
        continue;
      }
      if (c < 0x20) return undefined;
      i++;
    }
    pos = i + 1;
    return escaped ? unescape(text, start, i) : text.slice(start, i);
  };

  /** The end of a JSON number starting at `pos`, or -1; jsonc-parser takes the same characters as one token. */
  const scanNumber = (): number => {
    let i = pos;
    if (text.charCodeAt(i) === 45) i++;
    const first = text.charCodeAt(i);
    if (first === 48) i++;
    else if (first >= 49 && first <= 57) {
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    } else return -1;
    if (text.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(text.charCodeAt(i))) return -1;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 69 || e === 101) {
      i++;
      const sign = text.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(text.charCodeAt(i))) return -1;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    return i;
  };

  /** After a scalar: only whitespace, a separator, a closing bracket or the end may follow. */
  const delimited = (at: number): boolean => {
    if (at >= n) return true;
    const c = text.charCodeAt(at);
    return c === 32 || c === 10 || c === 13 || c === 9 || c === 44 || c === 125 || c === 93;
  };

  const parseValue = (parent: Building | undefined, depth: number): Building | undefined => {
    const offset = pos;
    const c = text.charCodeAt(pos);
    if (c === 123) {
      if (depth >= maxDepth) return undefined;
      const node: Building = parent ? { type: 'object', offset, length: -1, parent, children: [] } : { type: 'object', offset, length: -1, children: [] };
      const children = node.children!;
      pos++;
      skipWhitespace();
      if (text.charCodeAt(pos) !== 125) {
        for (;;) {
          if (text.charCodeAt(pos) !== 34) return undefined;
          const keyOffset = pos;
          const name = scanString();
          if (name === undefined) return undefined;
          const property: Building = { type: 'property', offset: keyOffset, length: -1, parent: node, children: [], colonOffset: -1 };
          property.children!.push({ type: 'string', value: name, offset: keyOffset, length: pos - keyOffset, parent: property });
          skipWhitespace();
          if (text.charCodeAt(pos) !== 58) return undefined;
          property.colonOffset = pos;
          pos++;
          skipWhitespace();
          const value = parseValue(property, depth + 1);
          if (!value) return undefined;
          property.children!.push(value);
          property.length = value.offset + value.length - keyOffset;
          children.push(property);
          skipWhitespace();
          const next = text.charCodeAt(pos);
          if (next === 44) {
            pos++;
            skipWhitespace();
            continue;
          }
          if (next === 125) break;
          return undefined;
        }
      }
      pos++;
      node.length = pos - offset;
      return node;
    }
    if (c === 91) {
      if (depth >= maxDepth) return undefined;
      const node: Building = parent ? { type: 'array', offset, length: -1, parent, children: [] } : { type: 'array', offset, length: -1, children: [] };
      const children = node.children!;
      pos++;
      skipWhitespace();
      if (text.charCodeAt(pos) !== 93) {
        for (;;) {
          const value = parseValue(node, depth + 1);
          if (!value) return undefined;
          children.push(value);
          skipWhitespace();
          const next = text.charCodeAt(pos);
          if (next === 44) {
            pos++;
            skipWhitespace();
            continue;
          }
          if (next === 93) break;
          return undefined;
        }
      }
      pos++;
      node.length = pos - offset;
      return node;
    }
    let value: string | number | boolean | null;
    let type: Node['type'];
    if (c === 34) {
      const s = scanString();
      if (s === undefined) return undefined;
      value = s;
      type = 'string';
    } else if (c === 116 && text.startsWith('true', pos) && delimited(pos + 4)) {
      pos += 4;
      value = true;
      type = 'boolean';
    } else if (c === 102 && text.startsWith('false', pos) && delimited(pos + 5)) {
      pos += 5;
      value = false;
      type = 'boolean';
    } else if (c === 110 && text.startsWith('null', pos) && delimited(pos + 4)) {
      pos += 4;
      value = null;
      type = 'null';
    } else {
      const end = scanNumber();
      if (end < 0 || !delimited(end)) return undefined;
      value = Number(text.slice(pos, end));
      type = 'number';
      pos = end;
    }
    return parent ? { type, offset, length: pos - offset, parent, value } : { type, offset, length: pos - offset, value };
  };

  skipWhitespace();
  if (pos >= n) return undefined;
  const root = parseValue(undefined, 0);
  if (!root) return undefined;
  skipWhitespace();
  return pos === n ? (root as Node) : undefined;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The value of a JSON string with escapes, between `start` and the closing quote; undefined for a bad escape. */
function unescape(text: string, start: number, end: number): string | undefined {
  let out = '';
  let from = start;
  let i = start;
  while (i < end) {
    if (text.charCodeAt(i) !== 92) {
      i++;
      continue;
    }
    out += text.slice(from, i);
    const e = text.charCodeAt(i + 1);
    i += 2;
    switch (e) {
      case 34: out += '"'; break;
      case 92: out += '\\'; break;
      case 47: out += '/'; break;
      case 98: out += '\b'; break;
      case 102: out += '\f'; break;
      case 110: out += '\n'; break;
      case 114: out += '\r'; break;
      case 116: out += '\t'; break;
      case 117: {
        if (i + 4 > end) return undefined;
        let code = 0;
        for (let k = 0; k < 4; k++) {
          const h = text.charCodeAt(i + k);
          const digit = h >= 48 && h <= 57 ? h - 48 : h >= 65 && h <= 70 ? h - 55 : h >= 97 && h <= 102 ? h - 87 : -1;
          if (digit < 0) return undefined;
          code = code * 16 + digit;
        }
        out += String.fromCharCode(code);
        i += 4;
        break;
      }
      default:
        return undefined;
    }
    from = i;
  }
  return out + text.slice(from, end);
}

/**
 * Where strict JSON text fails to parse, as `not valid JSON at line L, column C: <ParseErrorCode>` (1-based), for
 * messages about files and command-line input: JSON.parse's own message has no position on every Node version.
 */
export function strictJsonProblem(text: string): string {
  const errors: ParseError[] = [];
  try {
    parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch (error) {
    // jsonc-parser descends recursively: text nested deeper than the stack allows cannot be placed, only refused.
    if (error instanceof RangeError) return 'not valid JSON (nested too deeply to say where it goes wrong)';
    throw error;
  }
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const before = text.slice(0, first.offset).split('\n');
  return `not valid JSON at line ${before.length}, column ${before[before.length - 1]!.length + 1}: ${printParseErrorCode(first.error)}`;
}
