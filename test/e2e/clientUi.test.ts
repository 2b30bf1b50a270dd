// What people do most with the KMS client, in a real VS Code workbench (code-server in headless Chromium), each
// scenario saving a screenshot to test-results/:
//   1. open a key policy with a mistake from the key explorer, see it underlined and in the Problems panel,
//      apply the quick fix;
//   2. hover a denied case in a scenario file and read the explanation;
//   3. create a key from the palette, see it in the key explorer, encrypt a selection and decrypt it back;
//   4. disable the key in the explorer, try to decrypt, read the DisabledException;
//   5. edit the key policy to lock yourself out and see the save refused;
//   6. have a call denied and read the explanation beside the key policy.
// The store is prepared by this process (as the CLI would) with the root key both sides get from
// KMS_STUDIO_ROOT_KEY, and the extension is pointed at it with the kmsStudio.store.location setting.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { AuditRecorder, FileAuditLog } from '../../core/kms/audit/auditLog';
import { SandboxClock } from '../../core/kms/clock';
import { Kms, rootCaller, validateKeyRecord, type KeyRecord } from '../../core/kms/service';
import { FolderStore } from '../../core/kms/store';
import { E2E_TIMEOUT_MS, examplesDir, launchBrowser, prepare, repoRoot, resultsDir, skipOrFail } from './harness';
import { activeEditor, animationsDone, answer, clearNotifications, openFile, runCommand, screenshot, toast, treeRow, uiFailure } from './workbench';
import { POLICY_WITH_WILDCARD_CONDITION } from '../support/policies';

/** How long one UI step may take once the workbench is up; the first step waits for it to start. */
const STEP_TIMEOUT_MS = 30_000;
const FAILURE_SCREENSHOT = 'ui-client-failure.png';

const VIEW = 'Keys';

/** A store holding alias/payments, whose policy has the mistake, made as the CLI would make it. */
async function prepareStore(dir: string, rootKey: string): Promise<void> {
  const store = FolderStore.open<KeyRecord>(dir, new Uint8Array(Buffer.from(rootKey, 'base64')), { validateKeyRecord });
  const clock = new SandboxClock(store);
  const log = new FileAuditLog(store.auditDir);
  const kms = new Kms({ store, clock, audit: new AuditRecorder(log, clock), defaultRegion: 'us-east-1' });
  const created = await kms.createKey({ Policy: POLICY_WITH_WILDCARD_CONDITION, Description: 'payments data' }, rootCaller());
  await kms.createAlias({ AliasName: 'alias/payments', TargetKeyId: created.KeyMetadata.KeyId }, rootCaller());
  log.dispose();
}

function addUserSettings(scratchDir: string, settings: Record<string, unknown>): void {
  const file = path.join(scratchDir, 'user-data', 'User', 'settings.json');
  const current = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(file, `${JSON.stringify({ ...current, ...settings }, null, 2)}\n`);
}

/** Opens the KMS Studio view container from its activity bar entry (once the extension's views are registered). */
async function showKeys(page: Page): Promise<void> {
  const list = page.locator(`.monaco-list[aria-label="${VIEW}"]`);
  if (await list.isVisible()) return;
  await page.getByRole('tab', { name: /^KMS Studio/ }).click();
  await list.waitFor();
}

/** Runs an inline action of a tree row (the icons shown on hover), by its title. */
async function inlineAction(row: Locator, title: string): Promise<void> {
  await row.hover();
  await row.locator(`.actions .action-label[aria-label="${title}"]`).click();
}

/** Hides the panel (Problems, Output) so editors and tree views get the room to render their rows. */
async function hidePanel(page: Page): Promise<void> {
  if (await page.locator('.part.panel').isVisible()) await runCommand(page, 'View: Hide Panel');
  await page.locator('.part.panel').waitFor({ state: 'hidden' });
}

async function editorText(page: Page): Promise<string> {
  return (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

test('the KMS client in VS Code: explorer, palette, policies edited live', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const environment = await prepare();
  if ('skip' in environment) return skipOrFail(t, environment.skip);
  const { chromium, codeServer } = environment;
  for (const name of fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : []) {
    if (name.startsWith('ui-client-failure')) fs.rmSync(path.join(resultsDir, name), { force: true });
  }

  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-studio-ui-'));
  const rootKey = randomBytes(32).toString('base64');
  await prepareStore(storeDir, rootKey);
  const previousKey = process.env['KMS_STUDIO_ROOT_KEY'];
  process.env['KMS_STUDIO_ROOT_KEY'] = rootKey;
  const server = await codeServer.startCodeServer({ folder: examplesDir });
  if (previousKey === undefined) delete process.env['KMS_STUDIO_ROOT_KEY'];
  else process.env['KMS_STUDIO_ROOT_KEY'] = previousKey;
  try {
    addUserSettings(server.scratchDir, {
      'kmsStudio.store.location': storeDir,
      // Text the test types in is taken literally: no brackets closed or lines indented on its behalf.
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.autoIndent': 'none',
    });
    const browser = await launchBrowser(chromium);
    const { page } = browser;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const scenario = (name: string, steps: () => Promise<void>) =>
      t.test(name, async () => {
        try {
          await steps();
        } catch (error) {
          throw await uiFailure(error, page, browser, `ui-client-failure-${name.slice(0, 1)}.png`);
        }
      });
    try {
      await page.goto(codeServer.workbenchUrl({ url: server.url, folder: examplesDir, extensionDevelopmentPath: repoRoot }), { waitUntil: 'domcontentloaded' });
      await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="app.kms-scenarios.json"]').waitFor();

      await scenario('1. a key policy with a mistake: underlined, in Problems, fixed by the quick fix', async () => {
        await showKeys(page);
        await treeRow(page, VIEW, 'alias/payments').click();
        await treeRow(page, VIEW, 'Key policy').click();
        const editor = activeEditor(page);
        await editor.locator('.view-lines', { hasText: 'pay*' }).waitFor();
        const squiggle = editor.locator('.squiggly-warning').first();
        await squiggle.waitFor();
        await runCommand(page, 'Problems: Focus on Problems View');
        const problem = page.locator('.markers-panel .monaco-list-row[aria-label*="compares \\"pay*\\" literally"]').first();
        await problem.waitFor();
        assert.match((await problem.getAttribute('aria-label')) ?? '', /kms-studio/);
        // Double-clicking the problem puts the cursor on it in the editor; Ctrl+. opens the quick fixes there.
        await problem.dblclick();
        await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
        const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'StringLike' }).first();
        // The editor may take the key before its code actions are ready: ask again, a few times, until it shows.
        for (let attempt = 1; ; attempt++) {
          await page.keyboard.press('Control+.');
          try {
            await fix.waitFor({ timeout: 5_000 });
            break;
          } catch (error) {
            if (attempt === 3) throw error;
          }
        }
        await animationsDone(fix);
        await screenshot(page, 'ui-client-1-policy-quick-fix.png');
        // The fix is the menu's only (so focused) entry.
        await page.keyboard.press('Enter');
        await editor.locator('.view-lines', { hasText: 'StringLike' }).waitFor();
        await editor.locator('.squiggly-warning').waitFor({ state: 'detached' });
        await page.keyboard.press('Control+S');
        await page.locator('.tabs-container .tab.active:not(.dirty)').waitFor();
        await hidePanel(page);
      });

      await scenario('2. hovering a denied case of a scenario file explains the decision', async () => {
        await hidePanel(page);
        await runCommand(page, 'View: Show Explorer');
        await openFile(page, 'app.kms-scenarios.json');
        const editor = activeEditor(page);
        await editor.locator('.view-lines', { hasText: '"cases"' }).waitFor();
        // The second case (an implicitDeny) is below the fold: put the cursor in its name and ask for the hover
        // from the keyboard, which shows it wherever the mouse happens to be.
        await page.keyboard.press('Control+G');
        await page.locator('.quick-input-widget .quick-input-box input').fill(':33:20');
        await page.keyboard.press('Enter');
        const name = editor.locator('.view-line span', { hasText: "the App role cannot decrypt another application's data" }).first();
        await name.waitFor();
        await runCommand(page, 'Show or Focus Hover');
        const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'implicitDeny' });
        await hover.waitFor();
        await animationsDone(hover);
        assert.match(await hover.innerText(), /implicitDeny/);
        await screenshot(page, 'ui-client-2-denied-case-hover.png');
        await page.keyboard.press('Escape');
      });

      await scenario('3. create a key from the palette, see it in the explorer, encrypt and decrypt a selection', async () => {
        await clearNotifications(page);
        await showKeys(page);
        await runCommand(page, 'KMS: Create Key');
        await answer(page, 'KMS: Create Key (1/6)', 'SYMMETRIC_DEFAULT');
        await answer(page, 'KMS: Create Key (3/6)', 'AWS_KMS');
        await answer(page, 'KMS: Create Key (4/6)', 'Single-Region');
        await answer(page, 'KMS: Create Key (5/6)', 'UI demo');
        await answer(page, 'KMS: Create Key (6/6)', 'alias/ui-demo');
        await treeRow(page, VIEW, 'alias/ui-demo').waitFor();

        await runCommand(page, 'File: New Untitled Text File');
        await activeEditor(page).locator('.view-lines').waitFor();
        await activeEditor(page).click();
        await page.keyboard.insertText('hello from the UI');
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Encrypt Selection');
        await answer(page, 'KMS: Encrypt Selection: key', 'ui-demo');
        await answer(page, 'KMS: Encrypt with alias/ui-demo: encryption context', '');
        await activeEditor(page).locator('.view-lines', { hasNotText: 'hello' }).waitFor();
        const ciphertext = (await editorText(page)).trim();
        assert.match(ciphertext, /^[A-Za-z0-9+/]{40,}={0,2}$/, `the selection became base64 ciphertext: ${ciphertext}`);
        await screenshot(page, 'ui-client-3-encrypted.png');
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Decrypt Selection');
        await activeEditor(page).locator('.view-lines', { hasText: 'hello from the UI' }).waitFor();
        await screenshot(page, 'ui-client-3-decrypted.png');
      });

      await scenario('4. disable the key in the explorer, decrypt, read the DisabledException', async () => {
        await clearNotifications(page);
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Encrypt Selection');
        await answer(page, 'KMS: Encrypt Selection: key', 'ui-demo');
        await answer(page, 'KMS: Encrypt with alias/ui-demo: encryption context', '');
        await activeEditor(page).locator('.view-lines', { hasNotText: 'hello' }).waitFor();

        const row = treeRow(page, VIEW, 'alias/ui-demo');
        await inlineAction(row, 'Disable Key');
        await row.locator('.label-description', { hasText: 'Disabled' }).waitFor();

        await activeEditor(page).click();
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Decrypt Selection');
        const message = await toast(page, 'DisabledException');
        // Expanded, the toast shows the whole message: what went wrong and what to do.
        await message.hover();
        await message.locator('.codicon-notifications-expand').click();
        await message.locator('.notification-list-item.expanded').waitFor();
        assert.match(await message.innerText(), /Enable the key/);
        await screenshot(page, 'ui-client-4-disabled-exception.png');
      });

      await scenario('5. a key policy edited to lock yourself out is refused on save, the text kept', async () => {
        await clearNotifications(page);
        await inlineAction(treeRow(page, VIEW, 'alias/payments'), 'Open Key Policy');
        const editor = activeEditor(page);
        await editor.locator('.view-lines', { hasText: '"Effect"' }).waitFor();
        // Narrow the account's own statement from kms:* to kms:Encrypt: then no principal may call PutKeyPolicy.
        await page.keyboard.press('Control+G');
        await page.locator('.quick-input-widget .quick-input-box input').fill(':10');
        await page.keyboard.press('Enter');
        await editor.locator('.view-lines', { hasText: '"kms:*"' }).waitFor();
        await page.keyboard.press('End');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('ArrowLeft');
        await page.keyboard.press('Backspace');
        await page.keyboard.type('Encrypt');
        await editor.locator('.view-lines', { hasText: '"Action": "kms:Encrypt"' }).waitFor();
        // The linter sees the lockout before AWS KMS refuses it.
        await editor.locator('.squiggly-error').first().waitFor();
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+S');
        const refusal = await toast(page, /MalformedPolicyDocumentException/);
        assert.match(await refusal.innerText(), /will not allow you to update the key policy/);
        await page.locator('.tabs-container .tab.active.dirty').waitFor();
        assert.match(await editorText(page), /"Action": "kms:Encrypt"/);
        await screenshot(page, 'ui-client-5-lockout-refused.png');
      });

      await scenario('6. a denied call explained: the deciding statement highlighted beside the explanation', async () => {
        await clearNotifications(page);
        await runCommand(page, 'File: Revert File');
        await activeEditor(page).locator('.view-lines', { hasText: '"kms:*"' }).waitFor();
        await runCommand(page, 'File: New Untitled Text File');
        await activeEditor(page).click();
        await page.keyboard.insertText('salary 2024');
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Encrypt Selection');
        await answer(page, 'KMS: Encrypt Selection: key', 'payments');
        await answer(page, 'KMS: Encrypt with alias/payments: encryption context', '');
        await activeEditor(page).locator('.view-lines', { hasNotText: 'salary' }).waitFor();

        await runCommand(page, 'KMS: Switch Identity');
        await answer(page, 'KMS: Switch Identity', 'Another principal');
        await answer(page, 'KMS: Switch Identity: principal ARN', 'arn:aws:iam::111122223333:user/bob');
        await page.locator('.statusbar-item', { hasText: 'KMS: user/bob' }).waitFor();

        await activeEditor(page).click();
        await page.keyboard.press('Control+A');
        await runCommand(page, 'KMS: Decrypt Selection');
        const denied = await toast(page, 'Decrypt was denied (implicitDeny)');
        await denied.locator('.monaco-button', { hasText: 'Explain' }).click();
        const explanation = page.locator('.editor-instance .monaco-editor .view-lines', { hasText: '# kms:Decrypt: implicitDeny' });
        await explanation.waitFor();
        await page.locator('.editor-instance .monaco-editor .view-lines', { hasText: 'Enable IAM User Permissions' }).first().waitFor();
        await screenshot(page, 'ui-client-6-denial-explained.png');

        await runCommand(page, 'KMS: Switch Identity');
        await answer(page, 'KMS: Switch Identity', 'root');
        await page.locator('.statusbar-item', { hasText: 'KMS: root' }).waitFor();
      });
    } catch (error) {
      throw await uiFailure(error, page, browser, FAILURE_SCREENSHOT, server.output());
    } finally {
      await browser.close();
    }
  } finally {
    await server.stop();
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
});
