import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { type TestRuntime, testRuntime } from '../support/runtime';

// The enterprise's side of the survey in a real browser: the tracking link invites, the
// one-time link takes the answer, the tracking page shows the outcome (or "not rated").
// ZHUQI_SCREENSHOTS=<dir> also saves the tracking page at phone and desktop widths.

let rt: TestRuntime;
let browser: Browser;
const pages: Page[] = [];
let n = 0;

beforeAll(async () => {
  rt = await testRuntime();
  browser = await launchChromium();
});
afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
});
afterAll(async () => {
  await browser?.close();
  await rt?.close();
});

async function open(locale = 'zh-CN', width = 1280): Promise<Page> {
  const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
  const page = await context.newPage();
  pages.push(page);
  return page;
}

/** A case filed, assigned, accepted and resolved through the API; the workflow has opened its survey. */
async function resolvedCase(): Promise<{ id: string; trackingUrl: string }> {
  n += 1;
  const filed = await rt.file({ title: `新厂房用电增容迟迟未批（${n}）` });
  const steps: [string, string, unknown][] = [
    [`/api/v1/office/cases/${filed.id}/triage`, 'office', { level: 'department', unitId: 'power-supply' }],
    [`/api/v1/unit/cases/${filed.id}/accept`, 'power-supply', {}],
    [`/api/v1/unit/cases/${filed.id}/resolve`, 'power-supply', { resolution: '增容已批复，已送电' }],
  ];
  for (const [path, as, body] of steps) {
    expect((await rt.api('POST', path, { as, body })).status).toBe(200);
    await rt.settle();
  }
  return filed;
}

/** Runs an action that loads another page, and returns once that page is the one being read. */
async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await action();
  await committed;
  await page.waitForLoadState('domcontentloaded');
}

async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target).join(' ')}`)).toEqual([]);
}

async function screenshot(page: Page, name: string) {
  const dir = process.env.ZHUQI_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: resolve(dir, `${name}.png`), fullPage: true });
}

describe('the survey on the tracking page', () => {
  it('invites, takes the answer by the one-time link, then shows the outcome on the tracking page', async () => {
    // Prepare
    const { trackingUrl } = await resolvedCase();
    const page = await open();
    await page.goto(trackingUrl);
    const invitation = page.getByRole('region', { name: '满意度评价' });
    expect(await page.getByTestId('status').textContent()).toBe('已办结，待评价');
    expect(await invitation.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await expectAccessible(page);
    await screenshot(page, 'tracking-invitation-zh-1280');

    // Act
    await navigating(page, () => invitation.getByRole('link', { name: '去评价' }).click());
    const surveyPath = new URL(page.url()).pathname;
    await page.getByLabel('已解决').check();
    await page.getByLabel('满意', { exact: true }).check();
    await navigating(page, () => page.getByRole('button', { name: '提交评价' }).click());
    await rt.settle();
    await navigating(page, () => page.getByRole('link', { name: '查看办理进度' }).click());

    // Assess
    expect(surveyPath).toMatch(/^\/survey\/[A-Za-z0-9_-]{16,}$/);
    expect(new URL(page.url()).pathname).toBe(new URL(trackingUrl).pathname);
    expect(await page.getByTestId('status').textContent()).toBe('已销号');
    const outcome = page.getByRole('region', { name: '满意度评价' });
    expect(await outcome.getByTestId('survey-outcome').textContent()).toMatch(/已解决.*满意.*网上评价/);
    expect(await outcome.getByRole('link').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'tracking-outcome-zh-1280');
    // The one-time link is spent: opening it again says so.
    const again = await page.goto(new URL(surveyPath, trackingUrl).href);
    expect(again?.status()).toBe(404);
  });

  it('shows "not rated" when the survey window passes unanswered', async () => {
    // Prepare
    const { id, trackingUrl } = await resolvedCase();
    const { survey } = await rt.get(id);

    // Act
    await rt.advanceTo(new Date(Date.parse(survey!.expiresAt) + 1000));
    const page = await open('en-US');
    await page.goto(trackingUrl);

    // Assess
    expect(await page.getByTestId('status').textContent()).toBe('Closed');
    const outcome = page.getByRole('region', { name: 'Satisfaction survey' });
    expect(await outcome.getByTestId('survey-outcome').textContent()).toMatch(/^Not rated/);
    expect(await outcome.getByRole('link').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'tracking-not-rated-en-1280');
  });

  let shared: Promise<{ trackingUrl: string }> | undefined;
  it.each([
    ['zh-CN', 390],
    ['en-US', 390],
    ['zh-CN', 1280],
    ['en-US', 1280],
  ])('fits the invitation on a %s screen %ipx wide without sideways scrolling', async (locale, width) => {
    // Prepare: one resolved case for every width and language
    shared ??= resolvedCase();
    const { trackingUrl } = await shared;
    const page = await open(locale, width);

    // Act
    await page.goto(trackingUrl);

    // Assess
    const button = page.getByTestId('survey-link');
    expect(await button.isVisible()).toBe(true);
    const box = (await button.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
    await expectAccessible(page);
    await screenshot(page, `tracking-invitation-${locale.slice(0, 2)}-${width}`);
  });
});
