import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { parseConfig } from '../../shared/config/config';
import { consoleLogger } from '../../shared/embedded/console-logger';
import { type Runtime, startRuntime } from '../../shared/embedded/runtime';

/** Debian's chromium package; `npx playwright install` cannot download browsers on these machines. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless Debian chromium with nothing that phones home or needs a GPU. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
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
 * pointed at it: what a browser test needs to drive the real pages over real HTTP.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const runtime = await startRuntime({
    config: parseConfig({}),
    port: 0,
    dataDir: undefined,
    logger: consoleLogger({ silent: true }),
  });
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
