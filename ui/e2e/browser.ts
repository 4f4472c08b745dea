// Launches Debian's Chromium through playwright-core and opens the built UI
// with the mock shell injected before any app code runs.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

// Under target/, so a test run leaves the tracked docs/screenshots as they were;
// scripts/update-screenshots.sh copies them into docs/ when the UI changed on purpose.
export const SCREENSHOTS = resolve(process.env.ZAPIS_SCREENSHOTS ?? resolve(process.cwd(), '../target/screenshots'));

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--lang=en-GB',
    ],
  });
}

export interface Opened {
  page: Page;
  /** Console errors and uncaught exceptions, CSP violations included. */
  problems: string[];
}

export async function openApp(
  browser: Browser,
  hash = '',
  options: { calls?: number; failStart?: string; team?: 'joined' | 'unreachable'; sentenceModel?: boolean } = {},
): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'Europe/Belgrade',
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  await context.addInitScript({ content: `window.__zapisOptions = ${JSON.stringify(options)};` });
  await context.addInitScript({ path: resolve(process.cwd(), 'e2e/.build/mock.js') });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${inject('baseUrl')}#${hash}`);
  return { page, problems };
}

export async function ipcCalls(page: Page, cmd: string): Promise<Record<string, unknown>[]> {
  return page.evaluate((name) => window.__zapis.calls(name), cmd);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Let transitions and the level-meter animation settle.
  await page.waitForTimeout(250);
  await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage });
}
