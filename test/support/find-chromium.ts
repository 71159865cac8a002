import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** Where a browser test's Chromium was found, or the one line that says how to get one. */
export type ChromiumSearch = { path: string; from: string } | { missing: string };

export const NO_CHROMIUM =
  'no Chromium for the browser tests: install one (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium; anywhere: npx playwright-core install chromium) or set CHROME_PATH to a Chrome or Chromium executable';

/** The usual places of Chrome and Chromium on each system, most specific first. */
export function systemChromiumPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === 'darwin') {
    return [
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ];
  }
  if (platform === 'win32') {
    const roots = [env.LOCALAPPDATA, env.PROGRAMFILES, env['PROGRAMFILES(X86)']].filter(
      (root): root is string => Boolean(root),
    );
    return roots.flatMap((root) => [
      join(root, 'Chromium', 'Application', 'chrome.exe'),
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/opt/google/chrome/chrome',
  ];
}

/** The Chromium that `npx playwright-core install chromium` puts in Playwright's own cache. */
function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath();
  } catch {
    return undefined; // a platform Playwright has no build for
  }
}

/**
 * Finds a Chromium for the browser tests: `CHROME_PATH` when set (and it must exist), then the
 * system's usual places, then Playwright's own browsers.
 */
export function findChromium(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
  playwrightPath: () => string | undefined = playwrightChromium,
): ChromiumSearch {
  if (env.CHROME_PATH) {
    return exists(env.CHROME_PATH)
      ? { path: env.CHROME_PATH, from: 'CHROME_PATH' }
      : { missing: `CHROME_PATH=${env.CHROME_PATH} does not exist; ${NO_CHROMIUM}` };
  }
  const system = systemChromiumPaths(platform, env).find(exists);
  if (system) return { path: system, from: 'system' };
  const own = playwrightPath();
  if (own && exists(own)) return { path: own, from: 'playwright' };
  return { missing: NO_CHROMIUM };
}
