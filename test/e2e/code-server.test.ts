// Runs the extension-host suites (test/vscode/*.suite.ts) inside a real VS Code: code-server serves the
// workbench, headless Chromium opens examples/ with the extension loaded from source and the suites as
// extensionTestsPath, and the workbench reports the result through window.codeAutomationExit.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { deadline, E2E_TIMEOUT_MS, examplesDir, launchBrowser, prepare, repoRoot, skipOrFail, tail } from './harness';

/** A log file the workbench hands over with the exit code (the extension host's log among them). */
interface AutomationLog {
  relativePath: string;
  contents: string;
}

/** The suites take about a minute; this bounds a hung extension host, inside the test's own timeout. */
const RUN_TIMEOUT_MS = 4 * 60_000;

test('extension-host suites pass in code-server', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const environment = await prepare();
  if ('skip' in environment) return skipOrFail(t, environment.skip);
  const { chromium, codeServer } = environment;

  const server = await codeServer.startCodeServer({ folder: examplesDir });
  try {
    const browser = await launchBrowser(chromium);
    // Copy Key ARN and the crypto commands use the clipboard, which the workbench reaches through the browser's.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
    let logs: AutomationLog[] = [];
    // The mocha report reaches the page console through the workbench; the server log has the rest.
    const report = async (): Promise<string> =>
      [
        '--- page console (extension host output) ---',
        tail(await browser.consoleText(), 150),
        '--- code-server output ---',
        tail(server.output(), 60),
        ...logs.filter((l) => /exthost/i.test(l.relativePath)).map((l) => `--- ${l.relativePath} ---\n${tail(l.contents, 60)}`),
      ].join('\n');
    try {
      const { page } = browser;
      let reportExit!: (code: number) => void;
      const exitCode = new Promise<number>((resolve) => {
        reportExit = resolve;
      });
      // The workbench calls window.codeAutomationExit(code, logs) when the extension host's test run ends.
      await page.exposeFunction('codeAutomationExit', (code: number, files?: AutomationLog[]) => {
        logs = Array.isArray(files) ? files : [];
        reportExit(code);
      });
      const crashed = new Promise<never>((_, reject) => {
        page.on('crash', () => reject(new Error('the workbench page crashed')));
        void server.exited.then(({ code, signal }) =>
          reject(new Error(`code-server exited (${signal ?? `exit code ${code}`}) during the run`)),
        );
      });
      // server.stop() below makes code-server exit too; that late rejection is not a failure of the run.
      crashed.catch(() => undefined);

      const timeout = deadline(RUN_TIMEOUT_MS, 'the extension-host tests to report an exit code');
      let code: number;
      try {
        await page.goto(
          codeServer.workbenchUrl({
            url: server.url,
            folder: examplesDir,
            extensionDevelopmentPath: repoRoot,
            extensionTestsPath: path.join(repoRoot, 'out', 'test', 'vscode', 'index.js'),
          }),
          { waitUntil: 'domcontentloaded' },
        );
        code = await Promise.race([exitCode, crashed, timeout.promise]);
      } catch (error) {
        throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await report()}`, { cause: error });
      } finally {
        timeout.cancel();
      }
      if (code !== 0) assert.fail(`the extension-host tests failed (exit code ${code}):\n${await report()}`);
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
});
