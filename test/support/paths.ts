import * as path from 'node:path';

/** The repository root, found from the compiled test's location (out/test/support/paths.js). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** A path under test/fixtures in the source tree (fixtures are not copied to out/). */
export function fixture(...parts: string[]): string {
  return path.join(repoRoot, 'test', 'fixtures', ...parts);
}
