import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { DocumentClassifier, kindFromContent, type DocumentKind } from '../policy/documentKind';

export interface InputFile {
  path: string;
  text: string;
  kind: DocumentKind | undefined;
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.cache']);

/**
 * Expands the paths given on the command line: files are taken as they are; folders are walked for files
 * the classifier recognises (the kmsStudio.files globs), skipping build and dependency folders.
 * Throws a plain Error naming the path when one cannot be read.
 */
export function collectFiles(paths: string[], cwd: string, classifier: DocumentClassifier): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(full);
      } else if (entry.isFile() && classifier.classify(full) !== undefined) {
        found.push(full);
      }
    }
  };
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      throw new Error(`${given}: no such file or folder`);
    }
    if (stat.isDirectory()) walk(full);
    else found.push(full);
  }
  return found;
}

/** Reads a file and decides its kind: forced, else by glob, else by content. */
export function readInput(file: string, classifier: DocumentClassifier, forced?: DocumentKind): InputFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const kind = forced ?? classifier.classify(file) ?? kindFromContent(parse(text));
  return { path: file, text, kind };
}
