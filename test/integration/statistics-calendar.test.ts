import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAsUnit, triageCase } from '../../shared/app/case-actions';
import { fileCase } from '../../shared/app/file-case';
import { workflowTasks } from '../../shared/app/workflow-tasks';
import type { App } from '../../shared/http/app';
import { officeCaller, unitCaller } from '../support/callers';
import { playStory } from '../support/campaign';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The figures at the edges of the calendar: a year boundary in China time, and the National Day
// holiday of 2026 (1–7 October off, Saturday 10 October a make-up working day).
let services: TestServices;
let app: App;
const ids: Record<string, string> = {};

/** A case filed at `filedAt`, assigned two hours later, accepted, and resolved at `resolvedAt`. */
async function resolvedCase(n: number, filedAt: string, resolvedAt: string): Promise<string> {
  services.clock.set(filedAt);
  const { record } = await fileCase(services, {
    filing: {
      ...validFiling(),
      enterprise: { ...validFiling().enterprise, creditCode: creditCodeOf(n), township: 'zhile' },
      title: `节假日前后的诉求 ${n}`,
    },
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
  });
  await workflowTasks.beginTriage(services, { task: 'beginTriage', caseId: record.id });
  services.clock.set(new Date(Date.parse(filedAt) + 2 * 3600_000));
  await triageCase(
    services,
    record.id,
    { level: 'department', unitId: 'power-supply' },
    officeCaller('zq_office_t'),
  );
  await answerAsUnit(services, record.id, unitCaller('power-supply'), 'accept', {});
  services.clock.set(resolvedAt);
  await answerAsUnit(services, record.id, unitCaller('power-supply'), 'resolve', { resolution: '已送电' });
  return record.id;
}

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  const story = (n: number, at: string) =>
    playStory(services, 'satisfied', { n, at, township: 'nanwu', category: 'utilities' });
  ids.lastMinuteOf2026 = (await story(1, '2026-12-31T15:59:00Z')).id; // 23:59 on 31 December in China
  ids.firstMinuteOf2027 = (await story(2, '2026-12-31T16:01:00Z')).id; // 00:01 on 1 January in China
  // Filed on Wednesday 30 September 2026, 10:00 in China; the 7 working days end on 15 October.
  ids.afterHoliday = await resolvedCase(3, '2026-09-30T02:00:00Z', '2026-10-09T02:00:00Z');
  ids.lateAfterHoliday = await resolvedCase(4, '2026-09-30T03:00:00Z', '2026-10-19T02:00:00Z');
});
afterAll(() => services.store.close());

async function figures(query: string) {
  const response = await app.request(`/api/v1/office/stats?${query}`, {
    headers: { Authorization: `Bearer ${services.officeKey}` },
  });
  expect(response.status).toBe(200);
  return json(response);
}

describe('the figures across a month and year boundary (China time)', () => {
  it('puts a case filed at 23:59 on 31 December in the old year and one at 00:01 on 1 January in the new', async () => {
    for (const period of ['2026-12', '2026-Q4', '2026']) {
      const report = await figures(`period=${period}&township=nanwu`);
      expect(report.totals.filed, period).toBe(1);
      expect(report.breakdowns.month.map((g: { key: string }) => g.key)).toEqual(['2026-12']);
    }
    for (const period of ['2027-01', '2027-Q1', '2027']) {
      const report = await figures(`period=${period}&township=nanwu`);
      expect(report.totals.filed, period).toBe(1);
      expect(report.breakdowns.month.map((g: { key: string }) => g.key)).toEqual(['2027-01']);
    }
    const week = await figures('period=2026-W53&township=nanwu');
    expect(week.period).toEqual({ from: '2026-12-28', to: '2027-01-03' });
    expect(week.totals.filed).toBe(2);
    const days = await figures('filedFrom=2026-12-31&filedTo=2027-01-01&township=nanwu');
    expect(
      days.breakdowns.month.map((g: { key: string; figures: { filed: number } }) => [g.key, g.figures.filed]),
    ).toEqual([
      ['2026-12', 1],
      ['2027-01', 1],
    ]);
  });
});

describe('the figures across a holiday', () => {
  it('counts working days to resolve by the official calendar, and the deadline with it', async () => {
    const report = await figures('filedFrom=2026-09-30&filedTo=2026-09-30&township=zhile');
    expect(report.totals).toMatchObject({ filed: 2, resolved: 2, resolvedOnTime: 1, onTimeRate: 0.5 });
    // 9 October: 8 and 9 October are the working days after the holiday (not 7 weekdays).
    // 19 October: 8, 9, 10 (make-up Saturday), 12–16 and 19 October: 9 working days, past the 7.
    expect(report.totals.meanWorkdaysToResolve).toBe((2 + 9) / 2);
    expect(report.totals.medianWorkdaysToResolve).toBe((2 + 9) / 2);
    const late = (await services.cases.get(ids.lateAfterHoliday!))!;
    expect(late.history.find((h) => h.action === 'resolve')?.data?.dueAt).toMatch(/^2026-10-15/);
  });
});
