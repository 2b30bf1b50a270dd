// What the UI scenarios do in the VS Code workbench (code-server in Chromium), with the selectors that held
// there: the command palette, quick picks, tree rows, hovers, notifications and screenshots.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { resultsDir, tail, type Browser } from './harness';

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(resultsDir, { recursive: true });
  await page.screenshot({ path: path.join(resultsDir, name) });
}

/**
 * The error a failed UI step rethrows: its message, with a picture of the state the workbench was in and the ends
 * of the page's console and (when given) the server's output, which make a UI failure diagnosable.
 */
export async function uiFailure(error: unknown, page: Page, browser: Browser, shot: string, serverOutput?: string): Promise<Error> {
  await screenshot(page, shot).catch(() => undefined);
  const message = error instanceof Error ? error.message : String(error);
  const server = serverOutput === undefined ? '' : `\n--- code-server output ---\n${tail(serverOutput, 40)}`;
  return new Error(`${message}\n(screenshot: test-results/${shot})\n--- page console ---\n${tail(await browser.consoleText(), 60)}${server}`, { cause: error });
}

/** The quick input (palette, quick pick, input box) when it is visible. */
export function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget');
}

/** Runs a command from the command palette by its title (labels may end with a key binding: a prefix match). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`).first().click();
}

/**
 * Opens a file of the workspace by name through Quick Open. Rows of the explorer can move under the pointer while
 * it refreshes (another suite may add and remove files of the shared examples folder), a Quick Open result cannot.
 */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${name}"]`).first().click();
}

/**
 * Answers a step of a guided command: waits for the quick input titled `title` (a prefix), types `text` (a
 * filter for a quick pick, the value for an input box) and presses Enter.
 */
export async function answer(page: Page, title: string, text = ''): Promise<void> {
  const widget = quickInput(page);
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  const isQuickPick = await widget.locator('.quick-input-list .monaco-list-row').first().isVisible();
  await widget.locator('.quick-input-box input').fill(text);
  // A filtered quick pick has to show the match before Enter picks it; an input box takes the text as it is.
  if (isQuickPick && text) await widget.locator(`.quick-input-list .monaco-list-row[aria-label*="${text}"]`).first().waitFor();
  await page.keyboard.press('Enter');
  // Exactly this title: the next step's title may start with this one ("KMS: Switch Identity: principal ARN").
  await widget.locator('.quick-input-title', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).waitFor({ state: 'hidden' });
}

/**
 * Moves the mouse onto the middle of an element. A plain hover() is intercepted by the editor's text layer,
 * which lies over the squiggle, and the editor shows hovers for mouse moves anyway.
 */
export async function moveMouseOnto(page: Page, element: Locator): Promise<void> {
  const box = await element.boundingBox();
  assert.ok(box, 'the element has no bounding box');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
}

/**
 * Waits for the CSS animations of an element and its ancestors (such as a hover's fade-in) to finish, so a
 * screenshot shows it fully drawn. Infinite animations (the cursor's blink) never finish and are left out.
 */
export async function animationsDone(element: Locator): Promise<void> {
  await element.evaluate(async (node) => {
    interface Animated {
      getAnimations(): { finished: Promise<unknown>; effect: { getComputedTiming(): { endTime?: number | string } } | null }[];
      parentElement: Animated | null;
    }
    const running: ReturnType<Animated['getAnimations']> = [];
    for (let current: Animated | null = node as unknown as Animated; current; current = current.parentElement) {
      running.push(...current.getAnimations());
    }
    const finite = running.filter((a) => Number.isFinite(Number(a.effect?.getComputedTiming().endTime)));
    await Promise.all(finite.map((a) => a.finished));
  });
}

/** A notification toast whose message contains `text`, fully faded in. */
export async function toast(page: Page, text: string | RegExp): Promise<Locator> {
  const item = page.locator('.notifications-toasts .notification-toast', { has: page.locator('.notification-list-item-message', { hasText: text }) }).first();
  await item.waitFor();
  await page.locator('.notifications-toasts .notification-toast.notification-fade-in-done').first().waitFor();
  return item;
}

export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/** A row of the tree view named `view` whose label starts with `label`. */
export function treeRow(page: Page, view: string, label: string): Locator {
  return page.locator(`.monaco-list[aria-label="${view}"] .monaco-list-row`, { has: page.locator('.label-name', { hasText: label }) }).first();
}

/** The editor of the active editor group. */
export function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}
