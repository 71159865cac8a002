import { findChromium } from './find-chromium';

/**
 * Before any test file: is there a Chromium for the browser tests? Without one they are skipped
 * with one line saying how to get one — except in CI (`CI=true`), where the run fails at once.
 */
export default function setup(): void {
  const search = findChromium();
  if (!('missing' in search)) return;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${search.missing}`);
  console.warn(`\nbrowser tests skipped: ${search.missing}\n`);
}
