// `npm run test:vscode`: runs the extension-host suites (test/vscode/*.suite.ts) in desktop VS Code through
// @vscode/test-electron, with examples/ as the workspace and the extension loaded from source.
//
// VSCODE_EXECUTABLE names the VS Code binary to use. Without it @vscode/test-electron downloads VS Code
// into .vscode-test/, which needs access to update.code.visualstudio.com; where that is not possible the
// code-server test (out/test/e2e/code-server.test.js) runs the same suites in a real VS Code instead.
//
// A plain script rather than a *.test.ts file, so the node:test runner does not pick it up.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';
import { repoRoot } from '../support/paths';

const examplesDir = path.join(repoRoot, 'examples');
const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');

function fail(message: string): number {
  process.stderr.write(`\n${message}\n`);
  return 1;
}

async function vscodeExecutable(): Promise<string | undefined> {
  const given = process.env.VSCODE_EXECUTABLE;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`VSCODE_EXECUTABLE=${given} does not exist`);
    return given;
  }
  try {
    return await downloadAndUnzipVSCode({ cachePath: path.join(repoRoot, '.vscode-test') });
  } catch (error) {
    fail(
      [
        `Could not download VS Code: ${error instanceof Error ? error.message : String(error)}`,
        'Set VSCODE_EXECUTABLE to a VS Code binary (for example /usr/share/code/code), or run the same suites',
        'in code-server with: node --test out/test/e2e/code-server.test.js',
      ].join('\n'),
    );
    return undefined;
  }
}

async function main(): Promise<number> {
  if (!fs.existsSync(extensionTestsPath)) return fail(`${extensionTestsPath} is missing: run \`npm run build\` first`);
  const executable = await vscodeExecutable();
  if (!executable) return 1;

  // A scratch profile keeps the run independent of the user's VS Code settings and extensions.
  fs.mkdirSync(path.join(repoRoot, '.cache'), { recursive: true });
  const profile = fs.mkdtempSync(path.join(repoRoot, '.cache', 'electron-'));
  fs.mkdirSync(path.join(profile, 'user-data', 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(profile, 'user-data', 'User', 'settings.json'),
    `${JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none' }, null, 2)}\n`,
  );
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [
        examplesDir,
        '--disable-extensions',
        `--user-data-dir=${path.join(profile, 'user-data')}`,
        `--extensions-dir=${path.join(profile, 'extensions')}`,
      ],
    });
    return 0;
  } catch (error) {
    if (error instanceof TestRunFailedError) return fail(`The extension-host tests failed: ${error.message}`);
    return fail(`Could not run VS Code at ${executable}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = fail(error instanceof Error ? (error.stack ?? error.message) : String(error));
  },
);
