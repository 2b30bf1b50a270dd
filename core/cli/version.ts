import { readPackageJson } from '../packageFiles';

/** The version in the package manifest. */
export function packageVersion(): string {
  return readPackageJson<{ version: string }>('package.json').version;
}
