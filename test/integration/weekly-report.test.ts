import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { playStory, type Scenario } from '../support/campaign';
import { contractApp, json } from '../support/http';
import { PROBLEM_TEXTS } from '../support/problem-texts';
import { type TestServices, testServices } from '../support/services';

// 周报 of ISO week 2026-W48 (Monday 23 to Sunday 29 November, China time), over stories that
// start before the week and end in it, start in it, or end after it.
let services: TestServices;
let app: App;
const ids: Record<string, string> = {};

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  const story = async (key: string, scenario: Scenario, at: string, extra: Record<string, string> = {}) => {
    const category = extra.category ?? 'utilities';
    ids[key] = (
      await playStory(services, scenario, {
        n: Object.keys(ids).length + 1,
        at,
        township: 'anling',
        category,
        ...extra,
      })
    ).id;
  };
  await story('closedInWeek', 'satisfied', '2026-11-20T02:00:00Z'); // filed in W47, closed on 23 November
  await story('closedBefore', 'satisfied', '2026-11-10T02:00:00Z'); // all in W46
  await story('notRatedInWeek', 'surveyTimeout', '2026-10-25T02:00:00Z'); // closed unrated in W48
  await story('onSpot', 'onSpot', '2026-11-24T02:00:00Z');
  await story('overdue', 'openOverdue', '2026-11-02T02:00:00Z'); // its supervision runs on 27 November
  await story('reopened', 'reopened', '2026-11-23T01:00:00Z');
  const text = (name: 'outage1' | 'outage2') => ({ ...PROBLEM_TEXTS[name] });
  await story('outageA', 'inTriage', '2026-11-25T02:00:00Z', text('outage1'));
  await story('outageB', 'inTriage', '2026-11-26T02:00:00Z', text('outage2'));
  await story('nextWeek', 'inTriage', '2026-11-30T02:00:00Z');
  services.clock.set('2026-12-01T02:00:00Z');
}, 120_000);
afterAll(() => services.store.close());

const get = (path: string) =>
  app.request(path, { headers: { Authorization: `Bearer ${services.officeKey}` } });

describe('the weekly report (周报)', () => {
  it('counts the week: new cases, closures, on-the-spot closures, escalations, overdue by unit, satisfaction', async () => {
    const response = await get('/api/v1/office/weekly-report?week=2026-W48');
    expect(response.status).toBe(200);
    const report = await json(response);
    expect(report.period).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(report.filed.filed).toBe(4); // onSpot, reopened, outageA, outageB
    expect(report.filed.onSpot).toBe(1);
    const idsOf = (list: { caseId: string }[]) => list.map((e) => e.caseId).sort();
    expect(idsOf(report.closed)).toEqual([ids.closedInWeek, ids.notRatedInWeek, ids.onSpot].sort());
    expect(report.closed.find((e: { caseId: string }) => e.caseId === ids.notRatedInWeek).rating).toBe(
      'not_rated',
    );
    expect(idsOf(report.closedOnSpot)).toEqual([ids.onSpot]);
    expect(idsOf(report.escalations)).toEqual([ids.overdue]);
    expect(report.overdueByUnit).toEqual([{ unitId: 'power-supply', redNotices: 1, overdueNow: 1 }]);
    // closedInWeek and onSpot satisfied; reopened answered 基本满意 but unsolved in the week (its second survey comes later).
    expect(report.satisfaction).toEqual({
      satisfied: 2,
      basicallySatisfied: 1,
      dissatisfied: 0,
      notRated: 1,
      rate: 1,
    });
    expect(report.commonProblems.map((g: { cases: { id: string }[] }) => g.cases.map((c) => c.id))).toEqual([
      [ids.outageA, ids.outageB],
    ]);
  });

  it('is the same as an XLSX workbook, one sheet per table', async () => {
    const response = await get('/api/v1/office/weekly-report?week=2026-W48&format=xlsx');
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '概要',
      '本周销号',
      '现场解决',
      '升级督办',
      '超期按单位',
      '共性问题',
    ]);
    const summary = new Map(
      workbook
        .getWorksheet('概要')!
        .getSheetValues()
        .slice(2)
        .map((row) => [(row as unknown[])[1], (row as unknown[])[2]]),
    );
    expect(summary.get('新增诉求')).toBe(4);
    expect(summary.get('本周销号')).toBe(3);
    expect(summary.get('本周升级督办')).toBe(1);
    expect(summary.get('本周未评价销号')).toBe(1);
    expect(workbook.getWorksheet('本周销号')!.rowCount).toBe(4);
    expect(workbook.getWorksheet('本周销号')!.getRow(2).getCell(4).value).toBeInstanceOf(Date);
    expect(workbook.getWorksheet('超期按单位')!.getRow(2).values).toEqual([
      undefined,
      '国网鄢陵县供电公司',
      1,
      1,
    ]);
  });

  it('refuses what is not an ISO week', async () => {
    for (const week of ['2026-48', '2026-W54', '2027-W53']) {
      expect((await get(`/api/v1/office/weekly-report?week=${week}`)).status, week).toBe(422);
    }
  });
});
