// The entry point VS Code's extension host loads as `extensionTestsPath`: it runs every compiled
// `*.suite.js` file next to it with mocha inside the extension host, where the `vscode` API is real.
// Suites are named *.suite.ts (not *.test.ts) so the node:test runner never picks them up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    // The output goes to the extension host's stdout and the browser console, neither of which is a
    // terminal that understands colours.
    color: false,
    reporter: 'spec',
    timeout: 60_000,
  });
  const suites = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.suite.js'))
    .sort();
  if (suites.length === 0) return Promise.reject(new Error(`No *.suite.js files in ${__dirname}`));
  for (const name of suites) mocha.addFile(path.join(__dirname, name));

  return new Promise((resolve, reject) => {
    const failed: string[] = [];
    try {
      const runner = mocha.run((failures) => {
        if (failures > 0) {
          // The error is what the host reports when the test run fails, so it names the failed tests.
          const details = failed.map((f) => `  ${f}`).join('\n');
          reject(new Error(`${failures} extension-host test(s) failed:\n${details}`));
        } else {
          resolve();
        }
      });
      runner.on('fail', (test, error: unknown) => {
        failed.push(`${test.fullTitle()}: ${error instanceof Error ? error.message : String(error)}`);
      });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
