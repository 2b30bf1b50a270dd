// The user's view of a broken key policy in a real VS Code workbench (code-server in headless Chromium):
// open it from the explorer, see the squiggle, the row in the Problems panel and the hover. Screenshots go
// to test-results/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, examplesDir, launchBrowser, prepare, repoRoot, resultsDir, skipOrFail } from './harness';
import { animationsDone, moveMouseOnto, openFile, runCommand, screenshot, uiFailure } from './workbench';

const FILE = 'broken.keypolicy.json';
/** The start of the server's message for the missing comma in examples/broken.keypolicy.json. */
const MESSAGE = 'Comma expected';
const FAILURE_SCREENSHOT = 'ui-failure.png';
/** How long one UI step may take; the workbench is slow to start on a 2-core machine, not to react. */
const STEP_TIMEOUT_MS = 60_000;

test('a broken key policy shows a squiggle, a problem and a hover in VS Code', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const environment = await prepare();
  if ('skip' in environment) return skipOrFail(t, environment.skip);
  const { chromium, codeServer } = environment;
  fs.rmSync(path.join(resultsDir, FAILURE_SCREENSHOT), { force: true });

  const server = await codeServer.startCodeServer({ folder: examplesDir });
  try {
    const browser = await launchBrowser(chromium);
    const { page } = browser;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    try {
      await page.goto(
        codeServer.workbenchUrl({ url: server.url, folder: examplesDir, extensionDevelopmentPath: repoRoot }),
        { waitUntil: 'domcontentloaded' },
      );

      // Open the policy as a user would, once the explorer lists it.
      await page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${FILE}"]`).waitFor();
      await openFile(page, FILE);
      const editor = page.locator('.editor-instance .monaco-editor');
      await editor.locator('.view-lines', { hasText: '"Statement"' }).waitFor();

      // The language server's syntax error shows as a squiggle in the editor.
      const squiggle = editor.locator('.squiggly-error').first();
      await squiggle.waitFor();

      // ... and as a row of the Problems panel.
      await runCommand(page, 'Problems: Focus on Problems View');
      const problem = page.locator(`.markers-panel .monaco-list-row[aria-label*="${MESSAGE}"]`).first();
      await problem.waitFor();
      const label = (await problem.getAttribute('aria-label')) ?? '';
      assert.match(label, /kms-studio/, `the Problems row is not from kms-studio: ${label}`);
      await screenshot(page, 'ui-problems.png');

      // Hovering the squiggle shows the message with its source and code.
      await moveMouseOnto(page, squiggle);
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: MESSAGE });
      await hover.waitFor();
      await animationsDone(hover);
      const hoverText = await hover.innerText();
      assert.match(hoverText, /kms-studio/);
      assert.match(hoverText, /JSON_SYNTAX_ERROR/);
      await screenshot(page, 'ui-broken-policy.png');
    } catch (error) {
      throw await uiFailure(error, page, browser, FAILURE_SCREENSHOT, server.output());
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
  }
});
