import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../support/browser';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';
import { PROBLEM_TEXTS } from '../support/problem-texts';
import {
  expectAccessible,
  navigating,
  screenshot,
  startWorkbenchHarness,
  type WorkbenchHarness,
} from '../support/workbench-browser';

// The office's figures in a browser: the dashboard (统计) with its filters and downloads, the
// printable weekly report (周报) and the common problems (共性问题), axe on every page.
const IMAGES = resolve(import.meta.dirname, '../../docs/images');
const SHOTS =
  process.env.ZHUQI_SCREENSHOTS && process.env.ZHUQI_SCREENSHOTS !== '1'
    ? process.env.ZHUQI_SCREENSHOTS
    : '/tmp';
/** A browser walk with axe on every page: slow on two shared cores. */
const WALK_TIMEOUT = 180_000;

let harness: WorkbenchHarness;
/** The cases of the power-capacity common problem, awaiting triage. */
const power: string[] = [];

async function act(method: string, path: string, as: string | undefined, body?: unknown) {
  const response = await harness.runtime.api(method, path, {
    ...(as ? { as } : {}),
    ...(body ? { body } : {}),
  });
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  await harness.runtime.settle();
  return response;
}

const enterprise = (n: number, township = 'anling') => ({
  ...validFiling().enterprise,
  name: `鄢陵县第${n}企业有限公司`,
  creditCode: creditCodeOf(n),
  township,
});

beforeAll(async () => {
  harness = await startWorkbenchHarness();
  const { runtime } = harness;
  // Two cases resolved and rated by the power company, one in Malan left with the labour bureau.
  for (const [n, satisfaction] of [
    [1, 'satisfied'],
    [2, 'dissatisfied'],
  ] as const) {
    const filed = await runtime.file({
      enterprise: enterprise(n),
      title: `厂区道路积水 ${n}`,
      description: '雨后厂区门前道路积水严重，货车进出困难，请协调疏通排水管网。',
    });
    await act('POST', `/api/v1/office/cases/${filed.id}/triage`, 'office', {
      level: 'department',
      unitId: 'power-supply',
    });
    await act('POST', `/api/v1/unit/cases/${filed.id}/accept`, 'power-supply', {});
    await act('POST', `/api/v1/unit/cases/${filed.id}/resolve`, 'power-supply', { resolution: '已协调解决' });
    const outbox = await json(await act('GET', `/api/v1/office/outbox?caseId=${filed.id}`, 'office'));
    const link = outbox.items.find((i: { kind: string }) => i.kind === 'survey').link as string;
    await act('POST', new URL(link).pathname, undefined, {
      solved: satisfaction === 'satisfied' ? 'yes' : 'no',
      satisfaction,
    });
  }
  const labour = await runtime.file({
    enterprise: enterprise(3, 'malan'),
    category: 'labour',
    title: '招工难',
    description: '企业扩产急需熟练电焊工，多次招聘效果不好。',
  });
  await act('POST', `/api/v1/office/cases/${labour.id}/triage`, 'office', {
    level: 'department',
    unitId: 'hrss',
  });
  // Three enterprises describe the same power-capacity problem.
  for (const [i, key] of (['powerCapacity1', 'powerCapacity2', 'powerCapacity3'] as const).entries()) {
    const { category, title, description } = PROBLEM_TEXTS[key];
    power.push((await runtime.file({ enterprise: enterprise(10 + i), category, title, description })).id);
  }
}, WALK_TIMEOUT);
afterAll(() => harness?.close());

/** Clicks a link that downloads a file, and returns the file's bytes. */
async function download(page: Page, testid: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync((await file.path())!);
}

const text = async (page: Page, testid: string) => (await page.getByTestId(testid).textContent())?.trim();

describeInBrowser('the dashboard (统计)', () => {
  it(
    'shows the figures of the API, changes with a filter, and downloads the filtered ledger as XLSX and CSV',
    async () => {
      // Prepare
      const { page } = await harness.signIn({ role: 'office', label: '李明' });
      const stats = await json(await act('GET', '/api/v1/office/stats?period=2026-11', 'office'));

      // Act
      await navigating(page, () => page.getByRole('link', { name: '统计' }).click());
      await expectAccessible(page);
      await page.getByLabel('统计期间', { exact: true }).selectOption('2026-11');
      await navigating(page, () => page.getByRole('button', { name: '查看' }).click());
      const all = {
        filed: await text(page, 'counts-filed'),
        response: await text(page, 'rate-responseRate'),
        satisfaction: await text(page, 'rate-satisfactionRate'),
      };
      await screenshot(page, resolve(IMAGES, 'office-figures.png'), { maxHeight: 1500 });
      await page.getByLabel('乡镇', { exact: true }).selectOption({ label: '马栏镇' });
      await navigating(page, () => page.getByRole('button', { name: '查看' }).click());
      await expectAccessible(page);
      const malan = await text(page, 'counts-filed');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await download(page, 'download-xlsx')) as never);
      const csv = (await download(page, 'download-ledger-csv')).toString('utf8');

      // Assess
      expect(all).toEqual({
        filed: String(stats.totals.filed),
        response: `${(stats.totals.responseRate * 100).toFixed(1)}%`,
        satisfaction: `${(stats.totals.satisfactionRate * 100).toFixed(1)}%`,
      });
      expect(all.filed).toBe('6');
      expect(all.satisfaction).toBe('50.0%');
      expect(malan).toBe('1');
      expect(await page.getByTestId('chart-rates').getAttribute('role')).toBe('img');
      const ledger = workbook.getWorksheet('问题台账')!;
      expect(ledger.rowCount).toBe(2);
      expect(ledger.getRow(2).getCell(5).value).toBe('鄢陵县第3企业有限公司');
      expect(ledger.getRow(2).getCell(12).value).toBe('138****5678');
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain('鄢陵县第3企业有限公司');
      expect(lines[1]).toContain('138****5678');
    },
    WALK_TIMEOUT,
  );
});

describeInBrowser('the weekly report (周报)', () => {
  it(
    'renders the week and prints without the navigation and the forms',
    async () => {
      // Prepare
      const { page } = await harness.signIn({ role: 'office', label: '李明' });

      // Act
      await navigating(page, () => page.getByRole('link', { name: '周报' }).click());
      await expectAccessible(page);
      const onScreen = await page.locator('nav.wb').isVisible();
      await page.emulateMedia({ media: 'print' });
      const printed = {
        nav: await page.locator('nav.wb').isVisible(),
        picker: await page.getByRole('button', { name: '查看' }).isVisible(),
        office: await page.locator('.print-only').isVisible(),
        summary: await page.getByTestId('weekly-summary-table').isVisible(),
      };
      await screenshot(page, `${SHOTS}/zhuqi-weekly-report-print.png`);
      await page.emulateMedia({ media: 'screen' });

      // Assess
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        '周报 2026-W48（2026-11-23 至 2026-11-29）',
      );
      expect(
        await page.locator('[data-item="filed"] td').textContent(),
        'every case was filed this week',
      ).toBe('6');
      expect(await page.locator('[data-item="satisfied"] td').textContent()).toBe('1');
      expect(await page.locator('[data-item="dissatisfied"] td').textContent()).toBe('1');
      expect(await page.getByTestId('weekly-common-table').textContent()).toContain('用电增容');
      expect(onScreen).toBe(true);
      expect(printed).toEqual({ nav: false, picker: false, office: true, summary: true });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await download(page, 'weekly-xlsx')) as never);
      expect(workbook.getWorksheet('概要')!.getRow(3).values).toEqual([undefined, '新增诉求', 6]);
    },
    WALK_TIMEOUT,
  );
});

describeInBrowser('common problems (共性问题)', () => {
  it(
    'shows why the cases match, confirms the group, and assigns all its cases in one action',
    async () => {
      // Prepare
      const { page } = await harness.signIn({ role: 'office', label: '李明' });
      await navigating(page, () => page.getByRole('link', { name: '共性问题' }).click());
      await expectAccessible(page);
      const suggestion = page.getByTestId('suggested-group').filter({ hasText: '用电增容' });
      const reason = await suggestion.getByTestId('reason').textContent();
      await screenshot(page, resolve(IMAGES, 'office-common-problems.png'), { maxHeight: 1500 });

      // Act
      await suggestion.getByLabel('备注（选填）').fill('统一协调供电公司办理增容');
      await navigating(page, () => suggestion.getByRole('button', { name: '确认为共性问题' }).click());
      await expectAccessible(page);
      const confirmedFlash = await page.getByRole('status').textContent();
      const group = page.getByTestId('confirmed-group').first();
      await group.getByLabel('办理层级').selectOption('department');
      await group.getByLabel('承办单位').selectOption({ label: '国网鄢陵县供电公司' });
      await navigating(page, () => group.getByRole('button', { name: '对本组全部待研判案件执行' }).click());
      await harness.runtime.settle();
      await expectAccessible(page);

      // Assess
      expect(reason).toMatch(/同一问题类别「水电气暖」，3 家企业；共同用语：用电增容/);
      expect(confirmedFlash).toBe('已确认为共性问题。');
      expect(await page.getByRole('status').textContent()).toBe('已处理 3 件。');
      for (const id of power) {
        const record = await harness.runtime.get(id);
        expect(record.status).toBe('assigned');
        expect(record.unitId).toBe('power-supply');
      }
      await page.goto(`/office/cases/${power[0]}`);
      expect(await page.getByTestId('history').textContent()).toContain('活动办 李明');
    },
    WALK_TIMEOUT,
  );
});

describeInBrowser('the figures pages at phone and desktop widths, in Chinese and English', () => {
  it(
    'fit 390 px without sideways scrolling and pass axe in both languages',
    async () => {
      for (const locale of ['zh-CN', 'en-US'] as const) {
        for (const width of [390, 1280]) {
          const options = { locale, viewport: { width, height: 900 } };
          const { page } = await harness.signIn({ role: 'office', label: '李明' }, options);
          for (const [name, path] of [
            ['figures', '/office/figures?period=2026-11'],
            ['weekly-report', '/office/weekly-report?week=2026-W48'],
            ['common-problems', '/office/common-problems'],
            ['figures-refused', '/office/figures?period=2026-11&filedFrom=2026-11-01'],
            ['weekly-report-refused', '/office/weekly-report?week=2026-W60'],
          ] as const) {
            await page.goto(path);
            const pageWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
            expect(pageWidth, `${path} at ${width}px`).toBeLessThanOrEqual(width);
            if (width === 390) await expectAccessible(page);
            await screenshot(page, `${SHOTS}/zhuqi-${name}-${locale}-${width}.png`);
          }
          await page.context().close();
        }
      }
    },
    4 * WALK_TIMEOUT,
  );
});
