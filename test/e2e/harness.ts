// Shared pieces of the end-to-end tests that drive a real VS Code (code-server, see scripts/code-server.mjs)
// in headless Chromium. Each test file starts and stops its own code-server and browser.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import type { TestContext } from 'node:test';
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { repoRoot } from '../support/paths';

export { repoRoot };
export const examplesDir = path.join(repoRoot, 'examples');
export const resultsDir = path.join(repoRoot, 'test-results');
const cacheDir = path.join(repoRoot, '.cache');

/** Upper bound for a whole e2e test, including a first install of code-server (about 80 s cold). */
export const E2E_TIMEOUT_MS = 8 * 60_000;

/** The parts of scripts/code-server.mjs the tests use. */
export interface RunningCodeServer {
  url: string;
  port: number;
  /** Its scratch HOME, XDG, user-data (User/settings.json) and extensions folders. */
  scratchDir: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}
export interface CodeServerModule {
  ensureCodeServer(): Promise<string>;
  startCodeServer(options: { folder?: string; port?: number }): Promise<RunningCodeServer>;
  workbenchUrl(options: {
    url: string;
    folder?: string;
    extensionDevelopmentPath?: string;
    extensionTestsPath?: string;
  }): string;
}

/**
 * scripts/code-server.mjs is an ES module and this file compiles to CommonJS, so it is loaded with a
 * dynamic import() of its file URL (TypeScript keeps import() as is under module node16).
 */
export async function loadCodeServer(): Promise<CodeServerModule> {
  return (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'code-server.mjs')).href)) as CodeServerModule;
}

export interface Environment {
  chromium: string;
  codeServer: CodeServerModule;
}

/**
 * Checks what the e2e tests need: Chromium, playwright-core, code-server (installed on first use) and the
 * built extension. Returns a reason to skip when a machine prerequisite is missing; a missing build is a
 * failure, since `npm test` builds first.
 */
export async function prepare(): Promise<Environment | { skip: string }> {
  for (const built of ['dist/extension.js', 'dist/server.js', 'out/test/vscode/index.js']) {
    assert.ok(fs.existsSync(path.join(repoRoot, built)), `${built} is missing: run \`npm run build\` first`);
  }
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  try {
    fs.accessSync(chromium, fs.constants.X_OK);
  } catch {
    return {
      skip: `Chromium not found at ${chromium}: install the Debian package chromium (apt-get install chromium) or set CHROMIUM_PATH`,
    };
  }
  try {
    require.resolve('playwright-core');
  } catch {
    return { skip: 'playwright-core is not installed: run npm install' };
  }
  const codeServer = await loadCodeServer();
  try {
    await codeServer.ensureCodeServer();
  } catch (error) {
    return { skip: `code-server could not be installed: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { chromium, codeServer };
}

/**
 * Skips the test loudly, or fails it when KMS_STUDIO_E2E=required (CI machines that must run it).
 */
export function skipOrFail(t: TestContext, reason: string): void {
  if (process.env.KMS_STUDIO_E2E === 'required') {
    throw new Error(`KMS_STUDIO_E2E=required but the e2e test cannot run: ${reason}`);
  }
  process.stderr.write(`SKIPPED: ${t.name}: ${reason}\n`);
  t.skip(reason);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Everything the page logged so far, the extension host's console output included, one entry a line. */
  consoleText(): Promise<string>;
  close(): Promise<void>;
}

/** Chromium flags for a quiet, offline, headless run as root in a container. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium with a fresh profile under .cache/ that close() removes again. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(cacheDir, { recursive: true });
  const profile = fs.mkdtempSync(path.join(cacheDir, 'chromium-'));
  const home = path.join(profile, 'home');
  fs.mkdirSync(home);
  // Removed however the process ends; Playwright itself kills the browser on exit and on signals.
  const removeProfile = (): void => fs.rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
  process.once('exit', removeProfile);

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(path.join(profile, 'user-data'), {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      // Chromium writes into $HOME (its NSS database, crash reports) regardless of its profile directory.
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_CACHE_HOME: path.join(home, '.cache') },
      viewport: { width: 1400, height: 900 },
    });
  } catch (error) {
    removeProfile();
    process.removeListener('exit', removeProfile);
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const lines: Promise<string>[] = [];
  page.on('console', (message) => lines.push(formatConsoleMessage(message)));
  page.on('pageerror', (error) => lines.push(Promise.resolve(`[pageerror] ${error.stack ?? error.message}`)));
  return {
    context,
    page,
    consoleText: async () => (await Promise.all(lines)).join('\n'),
    async close() {
      await context.close().catch(() => undefined);
      removeProfile();
      process.removeListener('exit', removeProfile);
    },
  };
}

/**
 * A console message as text. The workbench logs the extension host's console calls with a styled level
 * prefix ('%c INFO', 'color: ...') followed by the original arguments, such as mocha's format strings, so
 * those arguments are formatted the way Node would have printed them.
 */
async function formatConsoleMessage(message: ConsoleMessage): Promise<string> {
  const values: unknown[] = await Promise.all(
    message.args().map((arg) => arg.jsonValue().catch(() => arg.toString())),
  );
  if (typeof values[0] === 'string' && values[0].startsWith('%c') && values.length >= 2) {
    const level = values[0].slice(2).trim();
    return `[${level || message.type()}] ${format(...values.slice(2))}`;
  }
  return `[${message.type()}] ${values.length > 0 ? format(...values) : message.text()}`;
}

/** The last `count` lines of a text, for assertion messages that stay readable. */
export function tail(text: string, count = 80): string {
  const lines = text.trimEnd().split('\n');
  return (lines.length > count ? [`... (${lines.length - count} earlier lines)`, ...lines.slice(-count)] : lines).join('\n');
}

/** Rejects after `ms` with a message saying what was being waited for. */
export function deadline(ms: number, what: string): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms / 1000} s waiting for ${what}`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}
