import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/embedded/manual-clock';
import { type BrowserHarness, startBrowserHarness } from '../support/browser';
import { storeSurveyedCase } from '../support/closed-case';

// The satisfaction survey as an enterprise without JavaScript answers it: a plain HTML form POST.
let harness: BrowserHarness;
const pages: Page[] = [];
beforeAll(async () => {
  harness = await startBrowserHarness();
});
afterEach(async () => {
  for (const page of pages.splice(0)) await page.context().close();
});
afterAll(() => harness?.close());

let surveys = 0;

/** A resolved case with its survey open now (the runtime reads the real clock), as the workflow leaves it. */
async function resolvedWithSurvey() {
  const services = { ...harness.runtime.services, clock: new ManualClock(new Date()) };
  const record = await storeSurveyedCase(services, new Date().toISOString(), `回访表单 ${++surveys}`);
  return { id: record.id, token: record.survey!.token };
}

async function openWithoutJavaScript(path: string): Promise<Page> {
  const page = await harness.newPage({ javaScriptEnabled: false, locale: 'zh-CN' });
  pages.push(page);
  await page.goto(path);
  return page;
}

/** Presses the button and answers the POST the browser sent, once its answer is the page shown. */
async function submit(page: Page, button: string) {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  const response = await posted;
  await page.waitForLoadState('domcontentloaded');
  return response;
}

describe('the survey page without JavaScript', () => {
  it('sends the answer as a form and closes the case satisfied', async () => {
    // Prepare
    const { id, token } = await resolvedWithSurvey();
    const page = await openWithoutJavaScript(`/survey/${token}`);

    // Act
    await page.getByLabel('已解决', { exact: true }).check();
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel(/意见|建议|comment/i).fill('办得很快');
    const response = await submit(page, '提交评价');

    // Assess
    expect(response.status()).toBe(200);
    expect(response.request().headers()['content-type']).toBe('application/x-www-form-urlencoded');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('感谢您的评价');
    const record = await harness.runtime.services.cases.get(id);
    expect(record).toMatchObject({ status: 'closed', rating: 'satisfied' });
    expect(record?.survey?.answer).toMatchObject({
      solved: 'yes',
      satisfaction: 'satisfied',
      comment: '办得很快',
    });
  });

  it('sends a negative answer as a form: the case goes back to its unit (回头看), never counted as satisfied', async () => {
    const { id, token } = await resolvedWithSurvey();
    const page = await openWithoutJavaScript(`/survey/${token}`);

    await page.getByLabel('未解决', { exact: true }).check();
    await page.getByLabel('不满意', { exact: true }).check();
    const response = await submit(page, '提交评价');

    expect(response.status()).toBe(200);
    expect(await page.textContent('main')).toContain('重新交办');
    const record = await harness.runtime.services.cases.get(id);
    expect(record).toMatchObject({ status: 'assigned', reopenCount: 1, flags: { reopened: true } });
    expect(record?.rating).toBeUndefined();
  });
});
