import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { type BrowserHarness, describeInBrowser, startBrowserHarness } from '../support/browser';
import { validFiling } from '../support/fixtures';

const SCREENSHOT = resolve(import.meta.dirname, '../../docs/images/filing-form.png');
const CASE_NO = /^YL-\d{4}-\d{6}$/;
/** The form's audience reads Simplified Chinese; a browser set to en-US is answered in English. */
const CHINESE = { locale: 'zh-CN' } as const;

let harness: BrowserHarness;
const pages: Page[] = [];

beforeAll(async () => {
  harness = await startBrowserHarness();
});
afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
});
afterAll(() => harness?.close());

async function open(options: Parameters<BrowserHarness['newPage']>[0] = CHINESE): Promise<Page> {
  const page = await harness.newPage(options);
  pages.push(page);
  return page;
}

/** Fills the Chinese form as a person would, by the visible labels, with the fixture's filing. */
async function fillInChinese(page: Page, changes: { creditCode?: string } = {}): Promise<void> {
  const filing = validFiling();
  await page.getByLabel('企业名称').fill(filing.enterprise.name);
  // The hint is part of the label, so the accessible name only starts with the label text.
  await page.getByLabel('统一社会信用代码').fill(changes.creditCode ?? filing.enterprise.creditCode);
  await page.getByLabel('所在乡镇').selectOption({ label: '安陵镇' });
  await page.getByLabel('姓名', { exact: true }).fill(filing.contact.name);
  await page.getByLabel('手机号码').fill(filing.contact.mobile);
  await page.getByLabel('问题类别').selectOption({ label: '水电气暖' });
  await page.getByLabel('问题标题').fill(filing.title);
  await page.getByLabel('详细描述').fill(filing.description);
}

/** Runs an action that loads another page, and returns once that page is the one being read. */
async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  const committed = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await action();
  await committed;
  await page.waitForLoadState('domcontentloaded');
}

/** Presses the submit button and answers the status of the POST /cases it sends. */
async function submit(page: Page, button: string): Promise<number> {
  const response = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/cases',
  );
  await navigating(page, () => page.getByRole('button', { name: button }).click());
  return (await response).status();
}

describeInBrowser('the filing form in a browser', () => {
  it('files a problem in Chinese, then follows its tracking link from the confirmation', async () => {
    // Prepare
    const page = await open();
    await page.goto('/');
    await fillInChinese(page);

    // Act
    const status = await submit(page, '提交');
    const caseNo = await page.getByTestId('case-no').textContent();
    const confirmation = await page.getByRole('heading', { level: 1 }).textContent();
    await navigating(page, () => page.getByTestId('tracking-link').click());

    // Assess
    expect(status).toBe(303);
    expect(confirmation).toBe('提交成功');
    expect(caseNo?.trim()).toMatch(CASE_NO);
    expect(new URL(page.url()).pathname).toBe(`/track/${caseNo?.trim()}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('办理进度');
    expect(await page.locator('.caseno').textContent()).toBe(caseNo?.trim());
    // The workflow takes a new case into triage at once, so the page may already say so.
    expect(['已提交', '研判中']).toContain(await page.getByTestId('status').textContent());
    expect(await page.locator('ol.timeline li strong').first().textContent()).toBe('提交诉求');
    expect(await page.getByText(validFiling().title).count()).toBe(1);
  });

  it('brings the form back with the error next to a credit code whose check character is wrong', async () => {
    // Prepare
    const page = await open();
    await page.goto('/');
    await fillInChinese(page, { creditCode: '91350100M000100Y44' });

    // Act
    const status = await submit(page, '提交');

    // Assess
    expect(status).toBe(422);
    const error = page.locator('#f-enterprise-creditCode-error');
    expect(await error.textContent()).toMatch(/校验位.*应为 3/);
    const input = page.getByLabel('统一社会信用代码');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain('f-enterprise-creditCode-error');
    expect(await input.inputValue()).toBe('91350100M000100Y44');
    const filing = validFiling();
    expect(await page.getByLabel('企业名称').inputValue()).toBe(filing.enterprise.name);
    expect(await page.getByLabel('所在乡镇').inputValue()).toBe(filing.enterprise.township);
    expect(await page.getByLabel('姓名', { exact: true }).inputValue()).toBe(filing.contact.name);
    expect(await page.getByLabel('手机号码').inputValue()).toBe(filing.contact.mobile);
    expect(await page.getByLabel('问题类别').inputValue()).toBe(filing.category);
    expect(await page.getByLabel('问题标题').inputValue()).toBe(filing.title);
    expect(await page.getByLabel('详细描述').inputValue()).toBe(filing.description);
    expect(await page.getByLabel('企业名称').getAttribute('aria-invalid')).toBeNull();
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('heading').textContent()).toContain('有 1 处需要修改');
    const link = summary.getByRole('link');
    expect(await link.textContent()).toContain('统一社会信用代码');
    expect(await link.getAttribute('href')).toBe('#f-enterprise-creditCode');
    await link.click();
    expect(await page.locator(':target').getAttribute('id')).toBe('f-enterprise-creditCode');
  });

  it('files the case once the credit code is corrected on the returned form', async () => {
    // Prepare
    const page = await open();
    await page.goto('/');
    await fillInChinese(page, { creditCode: '91350100M000100Y44' });
    expect(await submit(page, '提交')).toBe(422);

    // Act
    await page.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
    const status = await submit(page, '提交');

    // Assess
    expect(status).toBe(303);
    expect((await page.getByTestId('case-no').textContent())?.trim()).toMatch(CASE_NO);
  });

  it('answers the filing with a redirect, so that reloading the confirmation files nothing again', async () => {
    // Prepare
    const page = await open();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });
    await page.goto('/');
    await fillInChinese(page);
    expect(await submit(page, '提交')).toBe(303);
    const caseNo = (await page.getByTestId('case-no').textContent())?.trim();
    const confirmation = new URL(page.url());

    // Act
    await page.reload();

    // Assess
    expect(posts).toEqual(['/cases']);
    expect(confirmation.pathname).toBe(`/filed/${caseNo}`);
    expect(page.url()).toBe(confirmation.href);
    expect((await page.getByTestId('case-no').textContent())?.trim()).toBe(caseNo);
    // The confirmation's address is as secret as the tracking link: it carries the same key.
    const link = await page.getByTestId('tracking-link').getAttribute('href');
    expect(new URL(link ?? '').searchParams.get('k')).toBe(confirmation.searchParams.get('k'));
    const withoutKey = await page.goto(`/filed/${caseNo}`);
    expect(withoutKey?.status()).toBe(404);
    expect(await page.getByRole('alert').getByRole('heading').textContent()).toBe('没有找到这个诉求');
    expect(await page.getByTestId('case-no').count()).toBe(0);
  });

  it('switches to English and marks every required field of an empty form', async () => {
    // Prepare
    const page = await open();
    await page.goto('/');
    await navigating(page, () => page.getByRole('link', { name: 'English' }).click());
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Report a problem');

    // Act
    const status = await submit(page, 'Submit');

    // Assess
    expect(status).toBe(422);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const required = [
      ['Enterprise name', 'f-enterprise-name'],
      ['Unified social credit code', 'f-enterprise-creditCode'],
      ['Township', 'f-enterprise-township'],
      ['Name', 'f-contact-name'],
      ['Mobile number', 'f-contact-mobile'],
      ['Category', 'f-category'],
      ['Title', 'f-title'],
      ['Description', 'f-description'],
    ] as const;
    for (const [label, id] of required) {
      const field = page.getByLabel(label, { exact: label === 'Name' });
      expect(await field.getAttribute('id')).toBe(id);
      expect(await field.getAttribute('aria-invalid'), `${label} marked invalid`).toBe('true');
      expect(await page.locator(`#${id}-error`).textContent(), `error next to ${label}`).toMatch(/required/i);
    }
    const summary = page.getByRole('alert');
    expect(await summary.getByRole('heading').textContent()).toContain('8 fields need fixing');
    const links = await summary
      .getByRole('link')
      .evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
    expect(links).toEqual(required.map(([, id]) => `#${id}`));
    expect(await page.locator('#f-cadre-name-error').count()).toBe(0);
    expect(await page.getByLabel('Cadre name').getAttribute('aria-invalid')).toBeNull();
  });

  it('files one case when the same form is submitted twice', async () => {
    // Prepare
    const page = await open();
    await page.goto('/');
    await fillInChinese(page);
    const submissionId = await page.locator('input[name=submissionId]').inputValue();
    expect(await submit(page, '提交')).toBe(303);
    const first = await page.getByTestId('case-no').textContent();
    await navigating(page, () => page.goBack());
    expect(await page.locator('input[name=submissionId]').inputValue()).toBe(submissionId);

    // Act
    const status = await submit(page, '提交');
    const second = await page.getByTestId('case-no').textContent();

    // Assess
    expect(status).toBe(303);
    expect(second?.trim()).toMatch(CASE_NO);
    expect(second).toBe(first);
  });

  it('fits a phone screen without sideways scrolling, and a desktop one', async () => {
    // Prepare
    const phone = await open({
      ...CHINESE,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const desktop = await open({ ...CHINESE, viewport: { width: 1280, height: 900 } });
    for (const page of [phone, desktop]) {
      await page.goto('/');
      await fillInChinese(page);
      // The picture shows the form at rest, without the focus ring of the last field filled.
      await page.getByLabel('详细描述').blur();
    }

    // Act
    // The tests are type-checked without the DOM library, so the page is asked in plain expressions.
    const pageWidth = await phone.evaluate<number>('document.documentElement.scrollWidth');
    const controlEdges: number[] = [];
    for (const control of await phone.locator('input:visible, select, textarea, button').all()) {
      const box = await control.boundingBox();
      if (box) controlEdges.push(box.x + box.width);
    }
    const phoneShot = await phone.screenshot({ fullPage: true });
    const desktopShot = await desktop.screenshot({ fullPage: true });

    // Assess
    expect(pageWidth).toBeLessThanOrEqual(390);
    expect(controlEdges.length).toBeGreaterThanOrEqual(11);
    expect(Math.max(...controlEdges)).toBeLessThanOrEqual(390);
    for (const shot of [phoneShot, desktopShot]) expect(shot.subarray(1, 4).toString()).toBe('PNG');
    if (process.env.ZHUQI_SCREENSHOTS === '1') {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      writeFileSync(SCREENSHOT, desktopShot);
    }
  });
});
