import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The package version, read from the manifest above this file. The walk up works both from the bundle
 * (dist/cli.js) and from the compiled sources (out/core/cli/version.js).
 */
export function packageVersion(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (fs.existsSync(candidate)) {
      const manifest = JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'kms-studio' && manifest.version) return manifest.version;
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
