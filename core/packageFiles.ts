import * as fs from 'node:fs';
import * as path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The folder of the kms-studio package (where package.json, schemas/ and syntaxes/ are). Found by walking up
 * from this file, which works from the bundles (dist/*.js), from compiled sources (out/core/...) and from an
 * installed .vsix alike.
 */
export function packageRoot(start: string = __dirname): string {
  if (cachedRoot && start === __dirname) return cachedRoot;
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string };
      if (manifest.name === 'kms-studio') {
        if (start === __dirname) cachedRoot = dir;
        return dir;
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`kms-studio's package.json was not found above ${start}`);
  }
}

/** Reads and parses a JSON file shipped with the package, such as `schemas/kms-scenarios.schema.json`. */
export function readPackageJson<T = unknown>(relative: string): T {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), relative), 'utf8')) as T;
}
