import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignFigures } from '../../shared/app/statistics';
import { weeklyReport } from '../../shared/app/weekly-report';
import type { App } from '../../shared/http/app';
import { playStory, SCENARIOS, type StoryCase } from '../support/campaign';
import { contractApp } from '../support/http';
import { PROBLEM_TEXTS, type ProblemName } from '../support/problem-texts';
import { type TestServices, testServices } from '../support/services';
import { signedIn, type WorkbenchUser } from '../support/workbench';

// The office's figures on the workbench (统计, 周报, 共性问题) through app.request() on a real store:
// the figures the pages show are the use case's, the forms validate, and every change needs the
// session's CSRF token.
let services: TestServices;
let app: App;
let office: WorkbenchUser;
const stories: StoryCase[] = [];
const problems = {} as Record<ProblemName, string>;

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  // Every story once in Anling (utilities) in November, and a few in Malan (labour) in October.
  for (const [i, scenario] of SCENARIOS.entries()) {
    const at = new Date(Date.parse('2026-11-02T01:00:00Z') + i * 3600_000).toISOString();
    stories.push(
      await playStory(services, scenario, { n: i, at, township: 'anling', category: 'utilities' }),
    );
  }
  for (const [i, scenario] of (['satisfied', 'surveyTimeout', 'openOverdue'] as const).entries()) {
    const at = new Date(Date.parse('2026-10-05T01:00:00Z') + i * 3600_000).toISOString();
    stories.push(
      await playStory(services, scenario, { n: 50 + i, at, township: 'malan', category: 'labour' }),
    );
  }
  // Realistic texts awaiting triage in the week of 2026-11-23: the common problems.
  for (const [n, name] of (Object.keys(PROBLEM_TEXTS) as ProblemName[]).entries()) {
    const { category, title, description } = PROBLEM_TEXTS[name];
    const at = new Date(Date.parse('2026-11-23T02:00:00Z') + n * 600_000).toISOString();
    problems[name] = (
      await playStory(services, 'inTriage', {
        n: 300 + n,
        at,
        township: 'anling',
        category,
        title,
        description,
      })
    ).id;
  }
  services.clock.set('2026-11-27T02:00:00Z');
  office = await signedIn(app, services, { role: 'office', label: '李明' });
}, 240_000);
afterAll(() => services.store.close());

const page = async (path: string) => {
  const response = await office.get(path, { Accept: 'text/html' });
  return { status: response.status, html: await response.text() };
};
/** The text of the element with a data-testid, tags stripped. */
const cell = (html: string, testid: string) =>
  new RegExp(`data-testid="${testid}"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

describe('the dashboard (统计)', () => {
  it('shows the figures of the use case, each rate with its definition, not rated on its own', async () => {
    // Act
    const { status, html } = await page('/office/figures?period=2026-11');
    const expected = await campaignFigures(services, { period: '2026-11' });

    // Assess
    expect(status).toBe(200);
    expect(html).toContain('统计期间：2026-11-01 至 2026-11-30');
    for (const rate of [
      'responseRate',
      'onTimeRate',
      'closureRate',
      'satisfactionRate',
      'solvedRate',
    ] as const)
      expect(cell(html, `rate-${rate}`), rate).toBe(percent(expected.totals[rate]));
    expect(cell(html, 'counts-filed')).toBe(String(expected.totals.filed));
    expect(cell(html, 'counts-notRated')).toBe(String(expected.totals.notRated));
    expect(expected.totals.notRated).toBe(2); // surveyTimeout and onSpotTimeout
    expect(html).toContain('（满意 + 基本满意）÷ 参评；未评价的既不计入分子也不计入分母');
    expect(html).toContain('已答复 ÷ 受理诉求');
    expect(html).toMatch(
      /data-testid="not-rated"><strong>未评价：2<\/strong> — 回访期满企业未评价而销号的件数，单列于此，不计入满意率/,
    );
    expect(cell(html, 'rate-medianWorkdaysToResolve')).toBe(
      `${expected.totals.medianWorkdaysToResolve!.toFixed(1)} 个工作日`,
    );
    // The ranking with the counts behind each rate, and the charts as images with a title.
    for (const row of expected.ranking) {
      expect(html).toContain(`data-unit="${row.unitId}"`);
      expect(html).toContain(`(${row.resolvedOnTime} ÷ ${row.resolved})`);
    }
    expect(html).toMatch(
      /<svg class="chart" role="img"[^>]*aria-labelledby="chart-rates-title chart-rates-desc"/,
    );
    expect(html).toContain('<title id="chart-rates-title">本期各项比率</title>');
  });

  it('changes with the filters and the period, and breaks down by the dimension asked', async () => {
    const november = await page('/office/figures?period=2026-11');
    const malan = await page('/office/figures?period=2026-Q4&township=malan&by=month');
    const year = await page('/office/figures?period=2026&category=labour');
    const range = await page('/office/figures?filedFrom=2026-10-01&filedTo=2026-10-31');
    const older = await page('/office/figures?period=2020-03');

    expect(cell(november.html, 'counts-filed')).toBe(
      String(SCENARIOS.length + Object.keys(PROBLEM_TEXTS).length),
    );
    expect(cell(malan.html, 'counts-filed')).toBe('3');
    expect(malan.html).toContain('data-group="2026-10"');
    expect(malan.html).not.toContain('data-group="2026-11"');
    const labour = await campaignFigures(services, { period: '2026', category: 'labour' });
    expect(labour.totals.filed).toBeGreaterThan(3);
    expect(cell(year.html, 'counts-filed')).toBe(String(labour.totals.filed));
    expect(cell(range.html, 'counts-filed')).toBe('3');
    expect(range.html).toContain('统计期间：2026-10-01 至 2026-10-31');
    expect(older.html).toContain('<option value="2020-03" selected="">2020-03</option>');
    expect(cell(older.html, 'counts-filed')).toBe('0');
    // The downloads carry the page's period and filters.
    expect(malan.html).toContain(
      'href="/office/figures/export?format=csv&amp;table=ledger&amp;township=malan&amp;filedFrom=2026-10-01&amp;filedTo=2026-12-31"',
    );
  });

  it('answers an invalid period or range with 422 and says why, in the page', async () => {
    const invalid = await page('/office/figures?period=2026-13');
    const both = await page('/office/figures?period=2026-11&filedFrom=2026-11-01');
    const backwards = await page('/office/figures?filedFrom=2026-11-30&filedTo=2026-11-01');
    const english = await office.get('/office/figures?filedFrom=2026-11-30&filedTo=2026-11-01&lang=en', {
      Accept: 'text/html',
    });
    const program = await office.get('/office/figures?period=nope');

    expect(invalid.status).toBe(422);
    expect(invalid.html).toMatch(/role="alert"><p>填写有误（统计期间：/);
    expect(both.status).toBe(422);
    expect(both.html).toContain('统计期间和起止日期只能选一种');
    expect(backwards.status).toBe(422);
    expect(backwards.html).toContain('截止日期：截止日期早于起始日期');
    expect(backwards.html).toContain('value="2026-11-30"'); // the form as it was sent
    expect(english.status).toBe(422);
    expect(await english.text()).toContain(
      'Please correct the form (To: Ends before filedFrom (2026-11-30))',
    );
    expect(program.status).toBe(422);
    expect(program.headers.get('Content-Type')).toBe('application/problem+json');
  });

  it('needs a session', async () => {
    const response = await app.request('/office/figures?period=2026-11');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(
      '/office/sign-in?next=%2Foffice%2Ffigures%3Fperiod%3D2026-11',
    );
  });
});

describe('downloads from the dashboard', () => {
  it('gives the filtered ledger as CSV with masked phones, and the figures and ranking', async () => {
    const response = await office.get(
      '/office/figures/export?format=csv&table=ledger&township=malan&filedFrom=2026-10-01&filedTo=2026-12-31',
    );
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    const figures = await office.get('/office/figures/export?format=csv&table=figures&period=2026-11');

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="zhuqi-ledger-/);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines).toHaveLength(1 + 3);
    expect(lines.slice(1).every((l) => /,138\*\*\*\*\d{4},/.test(l))).toBe(true);
    expect(figures.status).toBe(200);
    const totals = (await figures.text()).split('\r\n')[1]!.split(',');
    const expected = await campaignFigures(services, { period: '2026-11' });
    expect(totals.slice(0, 3)).toEqual(['合计', '全部', String(expected.totals.filed)]);
  });

  it('gives an XLSX workbook with every table', async () => {
    const response = await office.get('/office/figures/export?format=xlsx&period=2026-10');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);

    expect(response.status).toBe(200);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['问题台账', '统计指标', '单位排名', '指标说明']);
    expect(workbook.getWorksheet('问题台账')!.rowCount).toBe(1 + 3);
  });

  it('refuses an unknown format or table with 422 and the reason', async () => {
    const response = await office.get('/office/figures/export?format=pdf', { Accept: 'text/html' });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('格式：请从列表中选择');
  });

  it('exports the full contacts only when the box is ticked on the form, and records it in the audit log', async () => {
    const month = '2026-11';
    const before = (await services.audit.list(month)).length;
    const unticked = await office.post(
      '/office/figures/export',
      { format: 'csv', table: 'ledger', township: 'malan' },
      { headers: { Accept: 'text/html' } },
    );
    const forged = await office.post(
      '/office/figures/export',
      { format: 'csv', table: 'ledger', contacts: 'full' },
      { csrf: 'not-the-token', headers: { Accept: 'text/html' } },
    );
    const afterRefusals = (await services.audit.list(month)).length;
    const full = await office.post('/office/figures/export', {
      format: 'csv',
      table: 'ledger',
      township: 'malan',
      filedFrom: '2026-10-01',
      filedTo: '2026-12-31',
      contacts: 'full',
    });
    const text = await full.text();
    const entries = await services.audit.list(month);

    expect(unticked.status).toBe(422);
    expect(await unticked.text()).toContain('完整联系电话的确认');
    expect(forged.status).toBe(403);
    expect(afterRefusals).toBe(before);
    expect(full.status).toBe(200);
    expect(text).toMatch(/,138\d{8},/);
    expect(entries).toHaveLength(before + 1);
    expect(entries[0]).toMatchObject({
      action: 'export:full_contacts',
      details: { format: 'csv', table: 'ledger', filter: { township: 'malan' } },
    });
  });
});

describe('the weekly report (周报)', () => {
  it('shows the week: new cases, closures, on-the-spot closures, overdue by unit, satisfaction, common problems', async () => {
    const { status, html } = await page('/office/weekly-report?week=2026-W48');
    const report = await weeklyReport(services, '2026-W48');

    expect(status).toBe(200);
    expect(html).toContain('周报 2026-W48（2026-11-23 至 2026-11-29）');
    expect(report.filed.filed).toBe(Object.keys(PROBLEM_TEXTS).length);
    const summary = [
      ['filed', report.filed.filed],
      ['closed', report.closed.length],
      ['escalations', report.escalations.length],
      ['overdueNow', report.overdueByUnit.reduce((n, r) => n + r.overdueNow, 0)],
    ] as const;
    for (const [item, value] of summary)
      expect(html, item).toMatch(
        new RegExp(`data-item="${item}"><th scope="row">[^<]+</th><td data-label="数量">${value}</td>`),
      );
    for (const event of [...report.closed, ...report.escalations]) expect(html).toContain(event.caseNo);
    expect(html).toContain('@media print');
    expect(html).toContain('href="/office/weekly-report?week=2026-W47"');
    expect(html).toContain('href="/office/weekly-report/xlsx?week=2026-W48"');
    expect(html).toContain('data-testid="weekly-common-table"');
    expect(html).toContain('用电增容');
  });

  it('downloads the same as XLSX, and refuses a week that is not one with 422', async () => {
    const xlsx = await office.get('/office/weekly-report/xlsx?week=2026-W48');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const invalid = await page('/office/weekly-report?week=2026-W60');

    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('Content-Disposition')).toBe('attachment; filename="zhuqi-weekly-2026-W48.xlsx"');
    expect(workbook.getWorksheet('概要')!.getRow(3).values).toEqual([
      undefined,
      '新增诉求',
      Object.keys(PROBLEM_TEXTS).length,
    ]);
    expect(invalid.status).toBe(422);
    expect(invalid.html).toContain('周次：填写有误');
  });
});

describe('common problems (共性问题)', () => {
  it('shows the suggestions with the reason, confirms one by its ticked cases, and acts on the group in one action', async () => {
    // Prepare
    const list = await page('/office/common-problems');
    const power = [problems.powerCapacity1, problems.powerCapacity2, problems.powerCapacity3];

    // Act: confirm, then assign every case of the group to the power company.
    const confirmed = await office.post(
      '/office/common-problems',
      { caseIds: power[0]!, note: '用电增容审批慢' },
      { headers: { Accept: 'text/html' } },
    );
    const response = await office.post('/office/common-problems', { caseIds: power, note: '用电增容审批慢' });
    const location = response.headers.get('Location') ?? '';
    const groupId = /#(cp-[a-z0-9]+)$/.exec(location)?.[1] ?? '';
    const after = await page('/office/common-problems?done=confirmed');
    const acted = await office.post(`/office/common-problems/${groupId}/triage`, {
      level: 'department',
      unitId: 'power-supply',
    });
    const done = await page(acted.headers.get('Location') ?? '');

    // Assess
    expect(list.status).toBe(200);
    expect(list.html).toMatch(/归组依据<\/strong>：同一问题类别「水电气暖」，3 家企业；共同用语：用电增容/);
    expect(confirmed.status).toBe(422); // one case is no common problem
    expect(await confirmed.text()).toContain('共性问题至少需要两件案件');
    expect(response.status).toBe(303);
    expect(location).toMatch(/^\/office\/common-problems\?done=confirmed#cp-/);
    expect(after.html).toContain('已确认为共性问题。');
    expect(after.html).toContain(`id="${groupId}"`);
    expect(acted.status).toBe(303);
    expect(done.html).toContain('已处理 3 件。');
    for (const id of power) {
      const record = (await services.cases.get(id))!;
      expect(record.status).toBe('assigned');
      expect(record.unitId).toBe('power-supply');
      expect(record.history.at(-1)).toMatchObject({
        action: 'assign',
        actor: { kind: 'office', name: '李明' },
      });
      expect(JSON.stringify(record.history.at(-1))).toContain(groupId);
    }
  });

  it('splits a case off a confirmed group; refuses a forged form and an on-the-spot answer without a note', async () => {
    // Prepare
    const response = await office.post('/office/common-problems', {
      caseIds: [problems.outage1, problems.outage2],
    });
    const groupId = /#(cp-[a-z0-9]+)$/.exec(response.headers.get('Location') ?? '')?.[1] ?? '';

    // Act
    const noNote = await office.post(
      `/office/common-problems/${groupId}/triage`,
      { level: 'on_spot' },
      { headers: { Accept: 'text/html' } },
    );
    const forged = await office.post(
      `/office/common-problems/${groupId}/split`,
      { caseIds: problems.outage2 },
      { csrf: null, headers: { Accept: 'text/html' } },
    );
    const untouched = (await services.commonProblems.list()).find((g) => g.id === groupId);
    const split = await office.post(`/office/common-problems/${groupId}/split`, {
      caseIds: problems.outage2,
    });
    const group = (await services.commonProblems.list()).find((g) => g.id === groupId);

    // Assess
    expect(noNote.status).toBe(422);
    expect(forged.status).toBe(403);
    expect(untouched?.caseIds).toHaveLength(2);
    expect((await services.cases.get(problems.outage1))!.status).toBe('triage');
    expect(split.status).toBe(303);
    expect(split.headers.get('Location')).toBe('/office/common-problems?done=dissolved');
    expect(group?.status).toBe('dissolved');
    expect((await page('/office/common-problems?done=dissolved')).html).toContain('该组不足两件，已解散');
  });
});
