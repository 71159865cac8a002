import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../support/browser';
import { validFiling } from '../support/fixtures';
import {
  expectAccessible,
  navigating,
  screenshot,
  startWorkbenchHarness,
  type WorkbenchHarness,
} from '../support/workbench-browser';

/** A browser walk with axe on every page: slow on two shared cores. */
const WALK_TIMEOUT = 120_000;
const SHOTS =
  process.env.ZHUQI_SCREENSHOTS && process.env.ZHUQI_SCREENSHOTS !== '1'
    ? process.env.ZHUQI_SCREENSHOTS
    : '/tmp';

let harness: WorkbenchHarness;
beforeAll(async () => {
  harness = await startWorkbenchHarness();
});
afterAll(() => harness?.close());

/** Files a case and assigns it through the API, as the office would have done earlier. */
async function assigned(unitId: string, overrides: Record<string, unknown> = {}) {
  const { runtime } = harness;
  const filed = await runtime.file(overrides);
  const response = await runtime.api('POST', `/api/v1/office/cases/${filed.id}/triage`, {
    as: 'office',
    body: { level: 'department', unitId },
  });
  expect(response.status).toBe(200);
  await runtime.settle();
  return filed;
}

describeInBrowser('office boards', () => {
  it(
    'filters the in-progress board by unit and township, and finds a case by credit code',
    async () => {
      // Prepare
      const a = await assigned('power-supply', { title: '供电问题甲' });
      const b = await assigned('power-supply', {
        title: '供电问题乙',
        enterprise: {
          ...validFiling().enterprise,
          township: 'malan',
          name: '马栏镇某食品厂',
          creditCode: '91411024MA44F7X71K',
        },
      });
      const c = await assigned('hrss', { title: '用工问题丙' });
      const { page } = await harness.signIn({ role: 'office', label: '李明' });

      // Act
      await navigating(page, () => page.getByRole('link', { name: '看板' }).click());
      await expectAccessible(page);
      await navigating(page, () => page.locator('a[data-board="in_progress"]').click());
      await page.getByLabel('承办单位').selectOption({ label: '国网鄢陵县供电公司' });
      await navigating(page, () => page.getByRole('button', { name: '筛选' }).click());
      const byUnit = await page
        .getByTestId('board')
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-no')));
      await page.getByLabel('乡镇').selectOption({ label: '马栏镇' });
      await navigating(page, () => page.getByRole('button', { name: '筛选' }).click());
      await expectAccessible(page);
      const byTownship = await page
        .getByTestId('board')
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-no')));
      const total = await page.getByTestId('board-total').textContent();
      await page.goto('/office/boards');
      await page.getByLabel('编号、企业名称或统一社会信用代码').fill('91411024MA44F7X71K');
      await navigating(page, () => page.getByRole('button', { name: '查找' }).click());
      await expectAccessible(page);

      // Assess
      expect(byUnit.sort()).toEqual([a.caseNo, b.caseNo].sort());
      expect(byUnit).not.toContain(c.caseNo);
      expect(byTownship).toEqual([b.caseNo]);
      expect(total).toBe('共 1 件');
      expect(await page.getByTestId('board').locator('tbody tr').count()).toBe(1);
      expect(await page.getByRole('link', { name: b.caseNo }).count()).toBe(1);
    },
    WALK_TIMEOUT,
  );
});

describeInBrowser('keys and sessions', () => {
  it(
    'the office issues a key to a clerk, who signs in; once revoked, the clerk’s next request ends the session',
    async () => {
      // Prepare
      const { page: office } = await harness.signIn({ role: 'office', label: '李明' });
      await navigating(office, () => office.getByRole('link', { name: '单位与人员' }).click());
      await expectAccessible(office);
      await navigating(office, () => office.getByRole('link', { name: '县人力资源和社会保障局' }).click());
      await office.getByLabel('持有人姓名').fill('钱芳');
      await navigating(office, () => office.getByRole('button', { name: '发放密钥' }).click());
      await expectAccessible(office);
      const key = (await office.getByTestId('issued-key').textContent())!.trim();

      const clerk = await harness.open();
      await clerk.goto('/unit');
      expect(new URL(clerk.url()).pathname).toBe('/unit/sign-in');
      await expectAccessible(clerk);
      await clerk.getByLabel('个人密钥').fill(key);
      await navigating(clerk, () => clerk.getByRole('button', { name: '登录' }).click());
      expect(new URL(clerk.url()).pathname).toBe('/unit');
      expect(await clerk.getByTestId('signed-in-as').textContent()).toBe('钱芳');

      // Act
      await office.goto('/office/units/hrss');
      await navigating(office, () => office.getByRole('button', { name: '撤销 钱芳 的密钥' }).click());
      await navigating(clerk, () => clerk.reload());

      // Assess
      expect(await office.getByRole('status').first().textContent()).toContain('密钥已撤销');
      expect(new URL(clerk.url()).pathname).toBe('/unit/sign-in');
      await clerk.getByLabel('个人密钥').fill(key);
      await navigating(clerk, () => clerk.getByRole('button', { name: '登录' }).click());
      expect(await clerk.getByRole('alert').textContent()).toContain('密钥不正确或已被撤销');
    },
    WALK_TIMEOUT,
  );

  it(
    'signs out: the page says so, and the workbench asks for the key again',
    async () => {
      const { page } = await harness.signIn({ role: 'office', label: '周敏' });
      await navigating(page, () => page.getByRole('button', { name: '退出登录' }).click());
      await expectAccessible(page);
      expect(await page.getByRole('status').textContent()).toContain('已退出登录');
      await page.goto('/office');
      expect(new URL(page.url()).pathname).toBe('/office/sign-in');
      expect((await page.context().cookies()).filter((c) => c.name === 'zq_session')).toEqual([]);
    },
    WALK_TIMEOUT,
  );
});

describeInBrowser('the cadre channel', () => {
  it(
    'files for an assigned enterprise (channel visit, the cadre named) and is refused for one not assigned',
    async () => {
      // Prepare: the office adds a cadre, assigns one enterprise and issues the cadre a key.
      const { page: office } = await harness.signIn({ role: 'office', label: '李明' });
      await office.goto('/office/people');
      await office.getByLabel('姓名', { exact: true }).fill('孙干部');
      await navigating(office, () => office.locator('form[action="/office/cadres"] button').click());
      await office.getByLabel('统一社会信用代码').fill(validFiling().enterprise.creditCode);
      await office.getByLabel('企业名称（选填）').fill(validFiling().enterprise.name);
      await navigating(office, () => office.getByRole('button', { name: '分包给该干部' }).click());
      await office.getByLabel('持有人姓名').fill('孙干部');
      await navigating(office, () => office.getByRole('button', { name: '发放密钥' }).click());
      await expectAccessible(office);
      const key = (await office.getByTestId('issued-key').textContent())!.trim();

      const cadre = await harness.open();
      await cadre.goto('/cadre/sign-in');
      await cadre.getByLabel('个人密钥').fill(key);
      await navigating(cadre, () => cadre.getByRole('button', { name: '登录' }).click());
      await expectAccessible(cadre);

      // Act: file for the assigned enterprise.
      await navigating(cadre, () =>
        cadre.getByRole('link', { name: `为 ${validFiling().enterprise.name} 登记问题` }).click(),
      );
      await expectAccessible(cadre);
      await fillProblem(cadre);
      await navigating(cadre, () => cadre.getByRole('button', { name: '提交' }).click());
      await expectAccessible(cadre);
      const caseNo = (await cadre.getByTestId('case-no').textContent())!.trim();
      await harness.runtime.settle();

      // Act: try another enterprise by changing the credit code on the form.
      await cadre.goto(`/cadre/file?enterprise=${validFiling().enterprise.creditCode}`);
      await fillProblem(cadre);
      await cadre.getByLabel('统一社会信用代码').fill('91411024MA44F7X71K');
      const refused = cadre.waitForResponse((r) => r.request().method() === 'POST');
      await navigating(cadre, () => cadre.getByRole('button', { name: '提交' }).click());

      // Assess
      expect((await refused).status()).toBe(403);
      expect(await cadre.getByRole('alert').textContent()).toContain('没有分包给您');
      await expectAccessible(cadre);
      const record = (await harness.runtime.services.cases.getByCaseNo(caseNo))!;
      expect(record.channel).toBe('visit');
      expect(record.cadre?.name).toBe('孙干部');
      expect(record.history[0]?.actor).toMatchObject({ kind: 'cadre', name: '孙干部' });
      const cases = await harness.runtime.services.cases.everyByStatus('triage');
      expect(
        cases.filter((r) => r.enterprise.creditCode === '91411024MA44F7X71K' && r.channel === 'visit'),
      ).toEqual([]);
      await cadre.goto('/cadre');
      await navigating(cadre, () => cadre.getByRole('link', { name: caseNo }).click());
      await expectAccessible(cadre);
      expect(await cadre.getByTestId('history').textContent()).toContain('包联干部 孙干部');
    },
    WALK_TIMEOUT,
  );
});

async function fillProblem(page: Page) {
  const filing = validFiling();
  await page.getByLabel('所在乡镇').selectOption({ label: '安陵镇' });
  await page.getByLabel('姓名', { exact: true }).fill(filing.contact.name);
  await page.getByLabel('手机号码').fill(filing.contact.mobile);
  await page.getByLabel('问题类别').selectOption({ label: '水电气暖' });
  await page.getByLabel('问题标题').fill('走访发现：配电房改造审批慢');
  await page
    .getByLabel('详细描述')
    .fill('企业反映配电房改造审批已提交一个月，仍未有结果，影响新生产线调试。');
}

describeInBrowser('pages at phone and desktop widths, in Chinese and English', () => {
  it(
    'fit 390 px without sideways scrolling and pass axe in both languages',
    async () => {
      const filed = await assigned('power-supply', { title: '截图用问题' });
      const waiting = await harness.runtime.file({ title: '待研判的截图用问题' });
      for (const locale of ['zh-CN', 'en-US'] as const) {
        for (const width of [390, 1280]) {
          const options = { locale, viewport: { width, height: 900 } };
          const { page } = await harness.signIn({ role: 'office', label: '李明' }, options);
          for (const [name, path] of [
            ['triage', '/office'],
            ['case', `/office/cases/${filed.id}`],
            ['case-triage', `/office/cases/${waiting.id}`],
            ['boards', '/office/boards'],
            ['people', '/office/people'],
            ['notices', '/office/notices'],
            ['follow-ups', '/office/follow-ups'],
          ] as const) {
            await page.goto(path);
            const pageWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
            expect(pageWidth, `${path} at ${width}px`).toBeLessThanOrEqual(width);
            if (width === 390) await expectAccessible(page);
            await screenshot(page, `${SHOTS}/zhuqi-${name}-${locale}-${width}.png`);
          }
        }
      }
    },
    4 * WALK_TIMEOUT,
  );
});
