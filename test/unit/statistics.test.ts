import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../shared/domain/calendar';
import {
  type CaseFacts,
  figuresOf,
  isoWeekOf,
  periodOf,
  rankUnits,
  workdaysBetween,
} from '../../shared/domain/statistics';

const facts = (overrides: Partial<CaseFacts>): CaseFacts => ({
  id: 'x',
  caseNo: 'YL-2026-000001',
  filedAt: '2026-11-02T02:00:00.000Z',
  month: '2026-11',
  status: 'closed',
  township: 'anling',
  category: 'utilities',
  triaged: true,
  triagedOnTime: true,
  assigned: true,
  accepted: true,
  acceptedOnTime: true,
  onSpot: false,
  resolved: true,
  resolvedOnTime: true,
  closed: true,
  overdue: false,
  escalated: false,
  reopened: false,
  extended: false,
  notRated: false,
  ...overrides,
});

describe('periods', () => {
  it.each([
    ['2026', { from: '2026-01-01', to: '2026-12-31' }],
    ['2026-02', { from: '2026-02-01', to: '2026-02-28' }],
    ['2028-02', { from: '2028-02-01', to: '2028-02-29' }],
    ['2026-Q4', { from: '2026-10-01', to: '2026-12-31' }],
    ['2026-Q1', { from: '2026-01-01', to: '2026-03-31' }],
    ['2026-W01', { from: '2025-12-29', to: '2026-01-04' }],
    ['2026-W48', { from: '2026-11-23', to: '2026-11-29' }],
    ['2026-W53', { from: '2026-12-28', to: '2027-01-03' }],
  ])('%s is %o', (name, period) => {
    expect(periodOf(name)).toEqual(period);
  });

  it.each(['2027-W53', '2026-13', '2026-Q0', '26', '2026-W00', 'last week'])('%s is no period', (name) => {
    expect(periodOf(name)).toBeUndefined();
  });

  it('names the ISO week of a date, across a year boundary', () => {
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48');
  });
});

describe('working days to resolve', () => {
  const calendar = new WorkCalendar();
  it('counts the working days after the day of filing up to the day of resolution, China time', () => {
    const at = (iso: string) => new Date(iso);
    expect(workdaysBetween(at('2026-11-23T02:00:00Z'), at('2026-11-23T09:00:00Z'), calendar)).toBe(0);
    expect(workdaysBetween(at('2026-11-27T02:00:00Z'), at('2026-11-30T02:00:00Z'), calendar)).toBe(1);
    // 16:30 UTC on Sunday is 00:30 on Monday in China: a working day has passed.
    expect(workdaysBetween(at('2026-11-27T02:00:00Z'), at('2026-11-29T16:30:00Z'), calendar)).toBe(1);
    expect(workdaysBetween(at('2026-09-30T02:00:00Z'), at('2026-10-09T02:00:00Z'), calendar)).toBe(2);
  });
});

describe('figures', () => {
  it('has no rate where nothing is there to divide by', () => {
    expect(figuresOf([])).toMatchObject({
      filed: 0,
      responseRate: null,
      onTimeRate: null,
      satisfactionRate: null,
      meanWorkdaysToResolve: null,
      medianWorkdaysToResolve: null,
    });
  });

  it('keeps not rated out of the satisfaction rate, and counts 基本满意 as satisfied', () => {
    const figures = figuresOf([
      facts({ satisfaction: 'satisfied', solved: true, workdaysToResolve: 1 }),
      facts({ satisfaction: 'basically_satisfied', solved: true, workdaysToResolve: 4 }),
      facts({
        satisfaction: 'dissatisfied',
        solved: false,
        status: 'assigned',
        closed: false,
        resolved: false,
      }),
      facts({ notRated: true, workdaysToResolve: 10 }),
    ]);
    expect(figures).toMatchObject({
      filed: 4,
      rated: 3,
      notRated: 1,
      satisfactionRate: 2 / 3,
      solvedRate: 2 / 3,
      closureRate: 3 / 4,
      responseRate: 3 / 4,
      meanWorkdaysToResolve: 5,
      medianWorkdaysToResolve: 4,
    });
  });

  it('ranks units by on-time rate, then satisfaction; equal figures share a rank', () => {
    const ranking = rankUnits([
      facts({ unitId: 'a', resolvedOnTime: false, satisfaction: 'satisfied' }),
      facts({ unitId: 'b', satisfaction: 'dissatisfied' }),
      facts({ unitId: 'c', satisfaction: 'satisfied' }),
      facts({ unitId: 'd', satisfaction: 'satisfied' }),
      facts({ unitId: 'e', resolved: false, resolvedOnTime: false, closed: false }),
    ]);
    expect(ranking.map((r) => [r.unitId, r.rank])).toEqual([
      ['c', 1],
      ['d', 1],
      ['b', 3],
      ['a', 4],
      ['e', 5],
    ]);
    expect(ranking[0]).toMatchObject({ resolved: 1, resolvedOnTime: 1, rated: 1, satisfiedOrBasically: 1 });
  });
});
