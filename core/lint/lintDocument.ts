import { parseJson } from '../policy/parse';
import type { DocumentKind } from '../policy/documentKind';
import type { Finding } from './finding';

/**
 * Lints one document's text as the given kind. The single entry point the language server and the CLI
 * share, so a file gets the same findings in the editor and in CI.
 */
export function lintText(text: string, _kind: DocumentKind): Finding[] {
  const parsed = parseJson(text);
  return [...parsed.syntaxErrors];
}
