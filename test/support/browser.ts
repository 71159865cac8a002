import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { type Runtime, startRuntime } from '../../shared/embedded/runtime';
import { findChromium } from './find-chromium';

/** The Chromium the browser tests drive (CHROME_PATH, the system's, or Playwright's own). */
export const CHROMIUM = findChromium();

/**
 * `describe` for tests that need a browser. Without one they are skipped (browser-setup.ts has
 * printed the one line saying how to get one), except in CI, where that setup fails the run.
 */
export const describeInBrowser = describe.skipIf('missing' in CHROMIUM && process.env.CI !== 'true');

/** Headless Chromium with nothing that phones home or needs a GPU. */
export function launchChromium(): Promise<Browser> {
  if ('missing' in CHROMIUM) throw new Error(CHROMIUM.missing);
  return chromium.launch({
    executablePath: CHROMIUM.path,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface BrowserHarness {
  runtime: Runtime;
  browser: Browser;
  /** A fresh page in its own context (own cookies), addressed relative to the runtime's URL. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
}

/**
 * The embedded runtime in this process (in memory, a free port, silent) and a headless browser
 * pointed at it: what a browser test needs to drive the real pages over real HTTP. A test that
 * needs its own runtime (a manual clock, say) passes it; closing the harness closes it too.
 */
export async function startBrowserHarness(options: { runtime?: Runtime } = {}): Promise<BrowserHarness> {
  const runtime =
    options.runtime ??
    (await startRuntime({
      config: parseConfig({}),
      port: 0,
      dataDir: undefined,
      logger: consoleLogger({ silent: true }),
    }));
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await runtime.close();
    throw error;
  }
  return {
    runtime,
    browser,
    newPage: async (options = {}) => {
      const context = await browser.newContext({ baseURL: runtime.url, ...options });
      return context.newPage();
    },
    close: async () => {
      await browser.close();
      await runtime.close();
    },
  };
}
