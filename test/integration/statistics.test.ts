import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../shared/domain/calendar';
import type { CaseRecord } from '../../shared/domain/case';
import type { App } from '../../shared/http/app';
import { INTENTS, playStory, SCENARIOS, type StoryCase, seeded } from '../support/campaign';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The figures (三率) against a campaign of a few hundred cases played through the real use cases
// across four months and a year boundary, each figure recomputed here from the raw cases.
let services: TestServices;
let app: App;
const stories: StoryCase[] = [];
const CASES = 306; // 18 of each of the 17 stories
const calendar = new WorkCalendar();

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  const random = seeded(20261129);
  const townships = services.config.townships.map((t) => t.id);
  const categories = services.config.categories.map((c) => c.id);
  const from = Date.parse('2026-09-01T00:00:00+08:00');
  const to = Date.parse('2027-02-01T00:00:00+08:00');
  for (let n = 0; n < CASES; n++) {
    const at = new Date(from + Math.floor(random() * (to - from))).toISOString();
    const township = townships[Math.floor(random() * townships.length)]!;
    const category = categories[Math.floor(random() * categories.length)]!;
    stories.push(await playStory(services, SCENARIOS[n % SCENARIOS.length]!, { n, at, township, category }));
  }
}, 600_000);
afterAll(() => services.store.close());

async function figures(query: string) {
  const response = await app.request(`/api/v1/office/stats?${query}`, {
    headers: { Authorization: `Bearer ${services.officeKey}` },
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return json(response);
}

let raw: CaseRecord[] | undefined;
/** The stored cases, read one by one once the campaign is played (they do not change afterwards). */
async function rawCases(): Promise<CaseRecord[]> {
  if (!raw) {
    raw = [];
    for (const story of stories) raw.push((await services.cases.get(story.id))!);
  }
  return raw;
}

// ---- the recomputation: plain loops over the raw cases, written apart from the application ----

const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

function workdaysFromTo(fromIso: string, toIso: string): number {
  let n = 0;
  for (let d = Date.parse(`${chinaDay(fromIso)}T00:00:00Z`) + 86_400_000; ; d += 86_400_000) {
    const day = new Date(d).toISOString().slice(0, 10);
    if (day > chinaDay(toIso)) return n;
    if (calendar.isWorkday(day)) n++;
  }
}

function actOnTime(record: CaseRecord, actions: string[], which: 'first' | 'last'): boolean | undefined {
  const acts = record.history.filter((h) => actions.includes(h.action));
  const act = which === 'first' ? acts[0] : acts.at(-1);
  if (!act) return undefined;
  if (act.action === 'solveOnSpot' && actions.includes('resolve')) return true;
  return act.at <= (act.data?.dueAt as string);
}

function recompute(records: CaseRecord[]) {
  const n = (pick: (r: CaseRecord) => boolean) => records.filter(pick).length;
  const isAnswered = (r: CaseRecord) => r.status === 'resolved' || r.status === 'closed';
  const lastRound = (r: CaseRecord) => (r.rating === 'not_rated' ? undefined : r.survey?.answer);
  const filed = records.length;
  const resolved = n(isAnswered);
  const closed = n((r) => r.status === 'closed');
  const rated = n((r) => lastRound(r) !== undefined);
  const satisfied = n((r) => lastRound(r)?.satisfaction === 'satisfied');
  const basically = n((r) => lastRound(r)?.satisfaction === 'basically_satisfied');
  const solved = n((r) => lastRound(r)?.solved === 'yes');
  const resolvedOnTime = n((r) => isAnswered(r) && actOnTime(r, ['resolve', 'solveOnSpot'], 'last') === true);
  const days = records.filter(isAnswered).map((r) => {
    const resolution = r.history.filter((h) => h.action === 'resolve' || h.action === 'solveOnSpot').at(-1)!;
    return workdaysFromTo(r.createdAt, resolution.at);
  });
  const sorted = [...days].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return {
    filed,
    triaged: n((r) => r.history.some((h) => h.action === 'assign' || h.action === 'solveOnSpot')),
    triagedOnTime: n((r) => actOnTime(r, ['assign', 'solveOnSpot'], 'first') === true),
    assigned: n((r) => r.history.some((h) => h.action === 'assign')),
    accepted: n((r) => r.history.some((h) => h.action === 'accept')),
    acceptedOnTime: n((r) => actOnTime(r, ['accept'], 'first') === true),
    onSpot: n((r) => r.level === 'on_spot'),
    resolved,
    resolvedOnTime,
    closed,
    open: filed - closed,
    overdue: n((r) => r.status !== 'closed' && r.flags.overdue),
    escalated: n((r) => r.flags.escalated),
    reopened: n((r) => r.reopenCount > 0),
    extended: n((r) => r.extension?.status === 'granted'),
    rated,
    satisfied,
    basicallySatisfied: basically,
    dissatisfied: n((r) => lastRound(r)?.satisfaction === 'dissatisfied'),
    solved,
    notRated: n((r) => r.rating === 'not_rated'),
    responseRate: filed ? resolved / filed : null,
    onTimeRate: resolved ? resolvedOnTime / resolved : null,
    closureRate: filed ? closed / filed : null,
    satisfactionRate: rated ? (satisfied + basically) / rated : null,
    solvedRate: rated ? solved / rated : null,
    meanWorkdaysToResolve: days.length ? days.reduce((a, b) => a + b, 0) / days.length : null,
    medianWorkdaysToResolve: !sorted.length
      ? null
      : sorted.length % 2
        ? sorted[mid]!
        : (sorted[mid - 1]! + sorted[mid]!) / 2,
  };
}

function expectFigures(actual: Record<string, number | null>, records: CaseRecord[], where: string) {
  const expected = recompute(records);
  const { meanWorkdaysToResolve: mean, ...rest } = expected;
  const { meanWorkdaysToResolve: actualMean, ...actualRest } = actual;
  expect(actualRest, where).toEqual(rest);
  if (mean === null) expect(actualMean, where).toBeNull();
  else expect(actualMean, where).toBeCloseTo(mean, 9);
}

const chinaMonth = (iso: string) => chinaDay(iso).slice(0, 7);

function groupBy(records: CaseRecord[], key: (r: CaseRecord) => string): Map<string, CaseRecord[]> {
  const groups = new Map<string, CaseRecord[]>();
  for (const r of records) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return groups;
}

// Each test reads the whole campaign several times: generous bounds for a busy machine, not measurements.
describe('the figures over a campaign of a few hundred cases', { timeout: 180_000 }, () => {
  it('played every story as meant: the recomputation reads each act as on time or late as the story made it', async () => {
    const records = await rawCases();
    expect(records).toHaveLength(CASES);
    for (const [i, record] of records.entries()) {
      const intent = INTENTS[stories[i]!.scenario];
      const where = `${stories[i]!.scenario} ${record.caseNo}`;
      if (intent.triagedOnTime !== undefined)
        expect(actOnTime(record, ['assign', 'solveOnSpot'], 'first'), where).toBe(intent.triagedOnTime);
      if (intent.acceptedOnTime !== undefined)
        expect(actOnTime(record, ['accept'], 'first'), where).toBe(intent.acceptedOnTime);
      if (intent.resolvedOnTime !== undefined)
        expect(actOnTime(record, ['resolve', 'solveOnSpot'], 'last'), where).toBe(intent.resolvedOnTime);
    }
    const byScenario = (s: string) => records.filter((_, i) => stories[i]!.scenario === s);
    expect(byScenario('surveyTimeout').every((r) => r.status === 'closed' && r.rating === 'not_rated')).toBe(
      true,
    );
    expect(byScenario('reopenedTwice').every((r) => r.flags.escalated && r.status !== 'closed')).toBe(true);
    expect(byScenario('openOverdue').every((r) => r.flags.overdue)).toBe(true);
    expect(byScenario('extended').every((r) => r.extension?.status === 'granted')).toBe(true);
  });

  it('equals the recomputation for every month, quarter and year, in total and by every dimension', async () => {
    const records = await rawCases();
    for (const period of ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2026-Q4', '2026', '2027']) {
      const report = await figures(`period=${period}`);
      const inPeriod = records.filter((r) => {
        const day = chinaDay(r.createdAt);
        return day >= report.period.from && day <= report.period.to;
      });
      expect(inPeriod.length, period).toBeGreaterThan(0);
      expectFigures(report.totals, inPeriod, period);
      const dimensions: Record<string, (r: CaseRecord) => string> = {
        unit: (r) => r.unitId ?? '-',
        township: (r) => r.enterprise.township,
        category: (r) => r.category,
        level: (r) => r.level ?? '-',
        month: (r) => chinaMonth(r.createdAt),
      };
      for (const [dimension, key] of Object.entries(dimensions)) {
        const groups = groupBy(inPeriod, key);
        const reported = report.breakdowns[dimension] as { key: string; figures: Record<string, number> }[];
        expect(reported.map((g) => g.key).sort(), `${period} ${dimension}`).toEqual(
          [...groups.keys()].sort(),
        );
        for (const group of reported) {
          expectFigures(group.figures, groups.get(group.key)!, `${period} ${dimension}=${group.key}`);
        }
      }
    }
  });

  it('equals the recomputation under filters, and filters and period together', async () => {
    const records = await rawCases();
    const all = await figures('filedFrom=2026-01-01&filedTo=2027-12-31');
    expectFigures(all.totals, records, 'everything');
    const cases = [
      [
        'period=2026&unitId=power-supply',
        (r: CaseRecord) => r.createdAt < '2026-12-31T16:00' && r.unitId === 'power-supply',
      ],
      [
        'filedFrom=2026-10-01&filedTo=2026-12-31&township=anling',
        (r: CaseRecord) =>
          chinaDay(r.createdAt) >= '2026-10-01' &&
          chinaDay(r.createdAt) <= '2026-12-31' &&
          r.enterprise.township === 'anling',
      ],
      [
        'period=2027-01&level=task_force',
        (r: CaseRecord) => chinaMonth(r.createdAt) === '2027-01' && r.level === 'task_force',
      ],
      [
        'filedFrom=2026-09-01&filedTo=2027-01-31&status=closed&category=utilities',
        (r: CaseRecord) => r.status === 'closed' && r.category === 'utilities',
      ],
      ['filedFrom=2026-09-01&filedTo=2027-01-31&flag=escalated', (r: CaseRecord) => r.flags.escalated],
    ] as const;
    for (const [query, pick] of cases) {
      const report = await figures(query);
      expectFigures(report.totals, records.filter(pick), query);
    }
  });

  it('ranks the units by on-time rate, then satisfaction, with the counts behind each rate', async () => {
    const records = await rawCases();
    const report = await figures('filedFrom=2026-09-01&filedTo=2027-01-31');
    const units = groupBy(
      records.filter((r) => r.unitId),
      (r) => r.unitId!,
    );
    expect(report.ranking.map((r: { unitId: string }) => r.unitId).sort()).toEqual([...units.keys()].sort());
    for (const row of report.ranking) {
      const expected = recompute(units.get(row.unitId)!);
      expect(row).toMatchObject({
        resolved: expected.resolved,
        resolvedOnTime: expected.resolvedOnTime,
        onTimeRate: expected.onTimeRate,
        rated: expected.rated,
        satisfiedOrBasically: expected.satisfied + expected.basicallySatisfied,
        satisfactionRate: expected.satisfactionRate,
        label: { zh: expect.any(String), en: expect.any(String) },
      });
    }
    const key = (r: { onTimeRate: number | null; satisfactionRate: number | null }) => [
      r.onTimeRate ?? -1,
      r.satisfactionRate ?? -1,
    ];
    for (let i = 1; i < report.ranking.length; i++) {
      const [a1, a2] = key(report.ranking[i - 1]);
      const [b1, b2] = key(report.ranking[i]);
      expect(a1! > b1! || (a1 === b1 && a2! >= b2!)).toBe(true);
      expect(report.ranking[i].rank).toBeGreaterThanOrEqual(report.ranking[i - 1].rank);
    }
  });

  it('counts a survey that timed out as not rated, never as satisfied', async () => {
    const records = await rawCases();
    const timedOut = records.filter((_, i) =>
      ['surveyTimeout', 'onSpotTimeout'].includes(stories[i]!.scenario),
    );
    const report = await figures('filedFrom=2026-09-01&filedTo=2027-01-31');
    expect(report.totals.notRated).toBe(timedOut.length);
    expect(report.totals.rated).toBe(recompute(records).rated);
    expect(report.totals.rated + report.totals.notRated).toBeLessThanOrEqual(report.totals.filed);
    const onlyTimedOut = await figures('filedFrom=2026-09-01&filedTo=2027-01-31&status=closed');
    expect(
      onlyTimedOut.totals.satisfied + onlyTimedOut.totals.basicallySatisfied + onlyTimedOut.totals.notRated,
    ).toBe(onlyTimedOut.totals.closed);
  });

  it('refuses a bad period with 422', async () => {
    for (const query of [
      'period=2026-13',
      'period=2026-Q5',
      'period=2026-W54',
      'period=2026-11&filedFrom=2026-11-01',
    ]) {
      const response = await app.request(`/api/v1/office/stats?${query}`, {
        headers: { Authorization: `Bearer ${services.officeKey}` },
      });
      expect(response.status, query).toBe(422);
    }
  });
});
