import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';
import { issueApiKey } from '../../shared/app/access';
import type { KeyOwner } from '../../shared/store/access-repository';
import { launchChromium } from './browser';
import { type TestRuntime, testRuntime } from './runtime';

/** The embedded runtime on a manual clock, and a headless chromium pointed at it. */
export interface WorkbenchHarness {
  runtime: TestRuntime;
  browser: Browser;
  /** A fresh page in its own context (own cookies), Chinese unless told otherwise. */
  open(options?: BrowserContextOptions): Promise<Page>;
  /** Issues a key to a person and signs them in through the sign-in page. */
  signIn(
    owner: KeyOwner & { label: string },
    options?: BrowserContextOptions,
  ): Promise<{ page: Page; key: string }>;
  close(): Promise<void>;
}

export async function startWorkbenchHarness(): Promise<WorkbenchHarness> {
  const runtime = await testRuntime();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await runtime.close();
    throw error;
  }
  const pages: Page[] = [];
  const open = async (options: BrowserContextOptions = {}) => {
    const context = await browser.newContext({ baseURL: runtime.url, locale: 'zh-CN', ...options });
    const page = await context.newPage();
    pages.push(page);
    return page;
  };
  return {
    runtime,
    browser,
    open,
    async signIn(owner, options) {
      const { key } = await issueApiKey(runtime.services, owner);
      const page = await open(options);
      await page.goto(`/${owner.role}/sign-in`);
      await page.locator('#key').fill(key);
      await navigating(page, () => page.locator('form button[type=submit]').click());
      expect(new URL(page.url()).pathname, await page.content()).toBe(`/${owner.role}`);
      return { page, key };
    },
    async close() {
      for (const page of pages) await page.context().close();
      await browser.close();
      await runtime.close();
    },
  };
}

/** Runs an action that loads another page, and returns once that page is the one being read. */
export async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await action();
  await committed;
  await page.waitForLoadState('domcontentloaded');
}

/** axe with the WCAG 2.0 A/AA and 2.1 AA rules: the page must have no violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  const found = results.violations.map(
    (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(found, `axe on ${page.url()}`).toEqual([]);
}

/**
 * Saves a full-page screenshot when ZHUQI_SCREENSHOTS names a directory (or is 1: the README's
 * images); `maxHeight` keeps only the top of a long page.
 */
export async function screenshot(
  page: Page,
  path: string,
  options: { maxHeight?: number } = {},
): Promise<void> {
  const height = await page.evaluate<number>('document.documentElement.scrollHeight');
  const width = page.viewportSize()?.width ?? 1280;
  const clip =
    options.maxHeight && height > options.maxHeight
      ? { x: 0, y: 0, width, height: options.maxHeight }
      : undefined;
  const shot = await page.screenshot({ fullPage: true, ...(clip ? { clip } : {}) });
  expect(shot.subarray(1, 4).toString()).toBe('PNG');
  if (process.env.ZHUQI_SCREENSHOTS) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, shot);
  }
}
