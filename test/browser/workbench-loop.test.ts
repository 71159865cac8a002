import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser } from '../support/browser';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import {
  expectAccessible,
  navigating,
  screenshot,
  startWorkbenchHarness,
  type WorkbenchHarness,
} from '../support/workbench-browser';

const IMAGES = resolve(import.meta.dirname, '../../docs/images');
/** A browser walk with axe on every page: slow on two shared cores. */
const WALK_TIMEOUT = 120_000;

let harness: WorkbenchHarness;
beforeAll(async () => {
  harness = await startWorkbenchHarness();
});
afterAll(() => harness?.close());

describeInBrowser('the closed loop through the workbenches', () => {
  it(
    'office triages from the queue, the unit accepts and resolves, the office case page shows it all with names',
    async () => {
      // Prepare
      const { runtime } = harness;
      const filed = await runtime.file({ title: '新厂房用电增容迟迟未批' });
      // Two more in the queue, as on any morning (they show in the README's picture).
      await runtime.file({
        title: '技术工人招聘困难',
        category: 'labour',
        enterprise: {
          ...validFiling().enterprise,
          name: '鄢陵县花木科技有限公司',
          creditCode: creditCodeOf(1),
        },
        description: '企业扩产需要三十名熟练技工，本地招聘两个月仅到岗五人，希望人社部门协助对接。',
      });
      await runtime.file({
        title: '流动资金贷款续贷审批慢',
        category: 'finance',
        enterprise: {
          ...validFiling().enterprise,
          name: '许昌鑫源食品有限公司',
          creditCode: creditCodeOf(2),
          township: 'malan',
        },
        description: '企业一笔五百万元流动资金贷款下月到期，续贷材料已提交银行三周仍未审批。',
      });
      const { page: office } = await harness.signIn({ role: 'office', label: '李明' });
      await expectAccessible(office);
      const row = office.locator(`tr[data-case-no="${filed.caseNo}"]`);
      expect(await row.textContent()).toContain('国网鄢陵县供电公司');
      expect(await row.textContent()).toContain('依据：问题类别「水电气暖」的分办规则');
      expect(await row.textContent()).toMatch(/剩余 \d+ (小时|天)/);
      await screenshot(office, resolve(IMAGES, 'office-triage-queue.png'));

      // Act: the office confirms the suggestion in one click.
      await navigating(office, () => row.getByRole('button', { name: /确认交办/ }).click());
      await runtime.settle();

      // Assess
      expect(await office.getByRole('status').textContent()).toContain(`${filed.caseNo} 已交办`);
      expect(await office.locator(`tr[data-case-no="${filed.caseNo}"]`).count()).toBe(0);

      // Act: the unit's clerk finds it, accepts and resolves it.
      const { page: unit } = await harness.signIn({ role: 'unit', unitId: 'power-supply', label: '赵强' });
      await expectAccessible(unit);
      await navigating(unit, () => unit.getByRole('link', { name: filed.caseNo }).click());
      await expectAccessible(unit);
      await navigating(unit, () => unit.getByRole('button', { name: '受理', exact: true }).click());
      await runtime.settle();
      expect(await unit.getByRole('status').textContent()).toContain('已受理');
      await unit.getByLabel('办结答复（企业可见）').fill('已现场勘查，增容方案已批复，下周送电。');
      await navigating(unit, () => unit.getByRole('button', { name: '办结', exact: true }).click());
      await runtime.settle();
      expect(await unit.getByTestId('status').textContent()).toBe('已办结，待评价');

      // Assess: the office's case page has the whole history, each act under the person's name.
      await navigating(office, () => office.goto(`/office/cases/${filed.id}`));
      await expectAccessible(office);
      const history = office.getByTestId('history');
      const lines = await history.locator('li').allTextContents();
      expect(lines.some((l) => l.includes('提交诉求') && l.includes('企业'))).toBe(true);
      expect(lines.some((l) => l.includes('交办承办单位') && l.includes('活动办 李明'))).toBe(true);
      expect(lines.some((l) => l.includes('承办单位受理') && l.includes('赵强（国网鄢陵县供电公司）'))).toBe(
        true,
      );
      expect(lines.some((l) => l.includes('办结答复') && l.includes('赵强'))).toBe(true);
      expect(await office.getByTestId('contact-mobile').textContent()).toBe('13812345678');
      expect(await office.getByTestId('resolution').textContent()).toContain('下周送电');
      await screenshot(office, resolve(IMAGES, 'office-case-page.png'));
    },
    WALK_TIMEOUT,
  );
});
