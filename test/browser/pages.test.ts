import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserHarness, describeInBrowser, startBrowserHarness } from '../support/browser';
import { json } from '../support/http';
import { type TestRuntime, testRuntime } from '../support/runtime';

// Every public page, in Chinese and in English, as a browser shows it: standards mode, the page's
// own fonts, no console error, the favicon and description, Chinese punctuation in Chinese text,
// and axe at zero violations. A new page joins by adding a visit to `visits`.

interface Visit {
  name: string;
  /** The HTTP status of the document the visit ends on. */
  status: number;
  open(page: Page, locale: Locale): Promise<unknown>;
}
type Locale = 'zh' | 'en';
const CONTEXT = { zh: { locale: 'zh-CN' }, en: { locale: 'en-US' } } as const;

let rt: TestRuntime;
let harness: BrowserHarness;
/** Per locale: a case awaiting its survey (answered by the "thanks" visit), and its tracking link. */
const surveys: Record<Locale, string> = { zh: '', en: '' };
let tracking = '';
let filed = '';
/** A survey for the phone test, and a case escalated after two failed surveys (still open). */
let phoneSurvey = '';
let escalated = { id: '', tracking: '' };

const unit = 'power-supply';
async function act(method: string, path: string, as: string | undefined, body?: unknown) {
  const response = await rt.api(method, path, { ...(as ? { as } : {}), ...(body ? { body } : {}) });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  await rt.settle();
  return response;
}
async function assigned(title: string) {
  const filing = await rt.file({ title });
  await act('POST', `/api/v1/office/cases/${filing.id}/triage`, 'office', {
    level: 'department',
    unitId: unit,
  });
  return filing;
}
async function resolve(id: string, resolution: string) {
  await act('POST', `/api/v1/unit/cases/${id}/accept`, unit, {});
  await act('POST', `/api/v1/unit/cases/${id}/resolve`, unit, { resolution });
}
/** The path of the newest survey link of a case (from the office's outbox). */
async function surveyPath(id: string): Promise<string> {
  const outbox = await json(await rt.api('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' }));
  const link = outbox.items.find((n: { kind: string }) => n.kind === 'survey').link as string;
  return new URL(link).pathname;
}
const path = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Sends the page's form as a person does, and returns once the page it leads to has loaded. */
async function submit(page: Page): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', (frame) => frame === page.mainFrame());
  await page.locator('main form button[type=submit]').click();
  await navigated;
  await page.waitForLoadState('load');
}

const visits: Visit[] = [
  { name: 'filing form', status: 200, open: (page) => page.goto('/') },
  {
    name: 'filing form refused (empty)',
    status: 422,
    open: async (page) => {
      await page.goto('/');
      await submit(page);
    },
  },
  { name: 'filing confirmation', status: 200, open: (page) => page.goto(filed) },
  { name: 'tracking page', status: 200, open: (page) => page.goto(tracking) },
  { name: 'tracking look-up', status: 200, open: (page) => page.goto('/track') },
  {
    name: 'tracking look-up, not a link',
    status: 400,
    open: async (page) => {
      await page.goto('/track');
      await page.locator('#link').fill('我的诉求');
      await submit(page);
    },
  },
  {
    name: 'tracking look-up, no such case',
    status: 404,
    open: (page) => page.goto('/track/YL-2026-999999?k=nothing-here'),
  },
  { name: 'survey', status: 200, open: (page, locale) => page.goto(surveys[locale]) },
  {
    name: 'survey refused (empty)',
    status: 422,
    open: async (page, locale) => {
      await page.goto(surveys[locale]);
      await submit(page);
    },
  },
  {
    name: 'survey thanks',
    status: 200,
    open: async (page, locale) => {
      await page.goto(surveys[locale]);
      await page.locator('input[name=solved][value=yes]').check();
      await page.locator('input[name=satisfaction][value=satisfied]').check();
      await submit(page);
    },
  },
  { name: 'survey answered already', status: 404, open: (page, locale) => page.goto(surveys[locale]) },
  { name: 'API documentation', status: 200, open: (page) => page.goto('/docs') },
  { name: 'page not found', status: 404, open: (page) => page.goto('/no-such-page') },
];

beforeAll(async () => {
  rt = await testRuntime();
  harness = await startBrowserHarness({ runtime: rt });
  const open = await assigned('新厂房用电增容迟迟未批');
  tracking = path(open.trackingUrl);
  const url = new URL(open.trackingUrl);
  filed = `/filed/${open.caseNo}?k=${url.searchParams.get('k')}`;
  for (const locale of ['zh', 'en'] as const) {
    const { id } = await assigned(`待评价的问题 ${locale}`);
    await resolve(id, '已协调供电公司完成增容');
    surveys[locale] = await surveyPath(id);
  }
  const phone = await assigned('待评价的问题 phone');
  await resolve(phone.id, '已办结');
  phoneSurvey = await surveyPath(phone.id);
  const twice = await assigned('两次评价不满意的问题');
  for (const round of [1, 2]) {
    await resolve(twice.id, `第 ${round} 次答复`);
    await act('POST', await surveyPath(twice.id), undefined, { solved: 'no', satisfaction: 'dissatisfied' });
  }
  escalated = { id: twice.id, tracking: path(twice.trackingUrl) };
});
afterAll(() => harness?.close());

/** The fonts the browser really drew a node's text with (not the CSS list it was asked for). */
async function renderedFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument');
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts.map((f) => f.familyName);
}

/** Latin letters or digits next to an ASCII punctuation mark next to a Chinese character. */
const ASCII_IN_CHINESE = /[\u4e00-\u9fff\u3002\uff0c][:?!;,()]|[:?!;,(][\u4e00-\u9fff]/;

describeInBrowser('every public page in a browser', () => {
  for (const locale of ['zh', 'en'] as const) {
    for (const visit of visits) {
      it(`${visit.name} (${locale}): standards mode, own fonts, no console error, axe clean`, async () => {
        // Prepare
        const context = await harness.browser.newContext({ baseURL: rt.url, ...CONTEXT[locale] });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
        });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('requestfailed', (request) => {
          // A request the browser itself drops when it leaves the page (the icon, say) is no error.
          if (request.failure()?.errorText !== 'net::ERR_ABORTED') errors.push(`failed: ${request.url()}`);
        });
        let status = 0; // of the last document (not redirect) the page was given
        page.on('response', (response) => {
          const request = response.request();
          if (
            request.isNavigationRequest() &&
            request.frame() === page.mainFrame() &&
            response.status() < 300
          )
            status = response.status();
          if (request.isNavigationRequest() && response.status() >= 400) status = response.status();
          if (!request.isNavigationRequest() && response.status() >= 400)
            errors.push(`${response.status()}: ${response.url()}`);
        });

        // Act
        await visit.open(page, locale);
        const axe = await new AxeBuilder({ page }).analyze();
        const mode = await page.evaluate<string>('document.compatMode');
        const lang = await page.evaluate<string>('document.documentElement.lang');
        const bodyFont = await page.evaluate<string>('getComputedStyle(document.body).fontFamily');
        const latin = locale === 'zh' ? 'header a[hreflang=en]' : 'h1';
        const fonts = await renderedFonts(page, latin);
        const description = await page.locator('meta[name=description]').getAttribute('content');
        const icon = await page.locator('link[rel=icon]').getAttribute('href');
        const iconResponse = await context.request.get(icon ?? '/missing-icon');
        // Chinese text of the page, without what is marked as English (the language switch, the API contract).
        const chinese = await page.evaluate<string>(
          `(() => { const b = document.body.cloneNode(true); b.querySelectorAll('[lang]:not([lang^=zh])').forEach((e) => e.remove()); return b.textContent; })()`,
        );
        await context.close();

        // Assess
        expect(status).toBe(visit.status);
        expect(mode).toBe('CSS1Compat');
        expect(lang).toBe(locale === 'zh' ? 'zh-CN' : 'en');
        expect(bodyFont).toMatch(/^system-ui,/);
        expect(fonts.length).toBeGreaterThan(0);
        for (const font of fonts) expect(font).not.toMatch(/times|tinos|georgia|\bserif\b/i);
        // Chromium reports a document answered 4xx as a failed resource load; nothing else may appear.
        const expected = `the server responded with a status of ${visit.status}`;
        expect(errors.filter((e) => visit.status < 400 || !e.includes(expected))).toEqual([]);
        expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
        expect(description?.length).toBeGreaterThan(30);
        expect(iconResponse.status()).toBe(200);
        expect(iconResponse.headers()['content-type']).toMatch(/^image\/svg\+xml/);
        if (locale === 'zh') expect(chinese).not.toMatch(ASCII_IN_CHINESE);
      });
    }
  }
});

describeInBrowser('what a person meets on the pages', () => {
  async function open(options: Parameters<BrowserHarness['newPage']>[0] = CONTEXT.zh): Promise<Page> {
    return harness.newPage(options);
  }
  const focused = (page: Page) => page.evaluate<string>('document.activeElement?.id ?? ""');

  it('moves the focus to the error summary of a refused filing, without JavaScript', async () => {
    // Prepare
    const page = await open({ ...CONTEXT.zh, javaScriptEnabled: false });
    await page.goto('/');

    // Act
    await submit(page);

    // Assess
    expect(await focused(page)).toBe('error-summary');
    expect(await page.locator('#error-summary').getAttribute('role')).toBe('alert');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.getAttribute("href")')).toBe(
      '#f-enterprise-name',
    );
    await page.context().close();
  });

  it('gives the survey large answers on a phone, and answers an empty submit in the page', async () => {
    // Prepare
    const page = await open({
      ...CONTEXT.zh,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(phoneSurvey);
    const radios = [];
    for (const radio of await page.locator('input[type=radio]').all()) {
      const input = await radio.boundingBox();
      const label = await radio.locator('xpath=..').boundingBox();
      radios.push({ input, label });
    }
    const posts: number[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST') posts.push(r.status());
    });

    // Act
    await submit(page);

    // Assess
    expect(radios).toHaveLength(6);
    for (const { input, label } of radios) {
      // WCAG 2.5.8 asks 24 px at least; the whole label row is the target, as tall as a finger.
      expect(input?.width).toBeGreaterThanOrEqual(24);
      expect(input?.height).toBeGreaterThanOrEqual(24);
      expect(label?.height).toBeGreaterThanOrEqual(44);
      expect((label?.x ?? 0) + (label?.width ?? 0)).toBeLessThanOrEqual(390);
    }
    expect(posts).toEqual([422]); // the page answered, not the browser's own bubble
    expect(await focused(page)).toBe('error-summary');
    expect(await page.locator('#f-solved-error').textContent()).toBe('此项必填');
    expect(await page.locator('#f-satisfaction-error').textContent()).toBe('此项必填');
    expect(
      await page.locator('#error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href'))),
    ).toEqual(['#f-solved', '#f-satisfaction']);
    await page.context().close();
  });

  it('shows escalation as current while the case is open, and only in the history once it is closed', async () => {
    // Prepare
    const page = await open();
    await page.goto(escalated.tracking);
    const whileOpen = await page.locator('.flag').allTextContents();

    // Act
    await resolve(escalated.id, '第 3 次答复');
    await act('POST', await surveyPath(escalated.id), undefined, {
      solved: 'yes',
      satisfaction: 'satisfied',
    });
    await page.reload();

    // Assess
    expect(whileOpen).toContain('已升级督办');
    expect(await page.getByTestId('status').textContent()).toBe('已销号');
    expect(await page.locator('.flag').count()).toBe(0);
    expect(await page.locator('ol.timeline li strong').allTextContents()).toContain('回头看：重新办理');
    await page.context().close();
  });

  it('finds a case from its whole tracking link pasted into the look-up, with or without its scheme', async () => {
    const full = new URL(tracking, rt.url).href;
    for (const pasted of [full, `  ${full.replace(/^http:\/\//, '')}  `]) {
      // Prepare
      const page = await open();
      await page.goto('/track');

      // Act
      await page.getByLabel('查询链接').fill(pasted);
      await submit(page);

      // Assess
      expect(path(page.url())).toBe(tracking);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('办理进度');
      await page.context().close();
    }
  });

  it('says in the page when the text pasted is no tracking link, and keeps it', async () => {
    // Prepare
    const page = await open();
    await page.goto('/track');

    // Act
    await page.getByLabel('查询链接').fill('YL-2026-000001');
    await submit(page);

    // Assess
    expect(await focused(page)).toBe('error-summary');
    expect(await page.getByRole('alert').getByRole('heading').textContent()).toBe('这不是查询链接');
    expect(await page.getByLabel('查询链接').inputValue()).toBe('YL-2026-000001');
    expect(await page.getByLabel('查询链接').getAttribute('aria-invalid')).toBe('true');
    // A case number alone goes where the number belongs, next to the field for the code.
    expect(await page.getByLabel('诉求编号').inputValue()).toBe('YL-2026-000001');
    expect(await page.getByLabel('查询码').isVisible()).toBe(true);
    await page.context().close();
  });
});
