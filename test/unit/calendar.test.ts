import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../shared/domain/calendar';

/** Every date from `first` through `last`, as YYYY-MM-DD. */
function datesFrom(first: string, last: string): string[] {
  const dates: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) {
    dates.push(new Date(t).toISOString().slice(0, 10));
  }
  return dates;
}

describe('WorkCalendar with the bundled official data', () => {
  const calendar = new WorkCalendar();

  it('gives the National Day holiday 2026-10-01..07 off, weekdays included', () => {
    // Prepare
    const nationalDay = datesFrom('2026-10-01', '2026-10-07');

    // Act
    const workdays = nationalDay.filter((date) => calendar.isWorkday(date));

    // Assess
    expect(nationalDay).toHaveLength(7);
    expect(workdays).toEqual([]);
  });

  it('gives the Spring Festival holiday 2026-02-15..23 off', () => {
    // Act
    const workdays = datesFrom('2026-02-15', '2026-02-23').filter((date) => calendar.isWorkday(date));

    // Assess
    expect(workdays).toEqual([]);
  });

  it.each([
    ['2026-01-04', 'Sunday after New Year'],
    ['2026-02-14', 'Saturday before Spring Festival'],
    ['2026-02-28', 'Saturday after Spring Festival'],
    ['2026-05-09', 'Saturday after Labour Day'],
    ['2026-09-20', 'Sunday before National Day'],
    ['2026-10-10', 'Saturday after National Day'],
  ])('counts the make-up working day %s (%s) as a workday', (date) => {
    // Prepare
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();

    // Act
    const workday = calendar.isWorkday(date);

    // Assess
    expect([0, 6]).toContain(weekday);
    expect(workday).toBe(true);
  });

  it('treats ordinary weekdays and weekends as usual', () => {
    // Act
    const thursday = calendar.isWorkday('2026-10-08');
    const saturday = calendar.isWorkday('2026-10-17');
    const sunday = calendar.isWorkday('2026-10-11');

    // Assess
    expect([thursday, saturday, sunday]).toEqual([true, false, false]);
  });

  it('knows the years of the bundled data and no later one', () => {
    // Act
    const range = [calendar.knownFrom, calendar.knownThrough];

    // Assess
    expect(range).toEqual([2004, 2026]);
    expect(calendar.isKnown('2026-12-31')).toBe(true);
    expect(calendar.isKnown('2004-01-01')).toBe(true);
    expect(calendar.isKnown('2027-01-01')).toBe(false);
    expect(calendar.isKnown('2003-12-31')).toBe(false);
  });

  it('falls back to Monday–Friday in an unknown year', () => {
    // Act
    const newYear2027 = calendar.isWorkday('2027-01-01'); // a Friday
    const saturday = calendar.isWorkday('2027-01-09');

    // Assess
    expect(newYear2027).toBe(true);
    expect(saturday).toBe(false);
  });

  it('rejects a string that is not a calendar date', () => {
    // Act / Assess
    expect(() => calendar.isWorkday('2026-02-30')).toThrow(RangeError);
    expect(() => calendar.isKnown('20261001')).toThrow(RangeError);
  });
});

describe('WorkCalendar with an overlay from configuration', () => {
  it('makes 2027 known and honours its holidays and make-up working days', () => {
    // Prepare
    const overlay = { holidays: ['2027-01-01'], workdays: ['2027-01-09'] };

    // Act
    const calendar = new WorkCalendar(overlay);

    // Assess
    expect(calendar.knownThrough).toBe(2027);
    expect(calendar.isKnown('2027-06-30')).toBe(true);
    expect(calendar.isWorkday('2027-01-01')).toBe(false); // a Friday, configured off
    expect(calendar.isWorkday('2027-01-09')).toBe(true); // a Saturday, configured as make-up day
    expect(calendar.isWorkday('2027-01-04')).toBe(true); // an ordinary Monday
    expect(calendar.isWorkday('2027-01-10')).toBe(false); // an ordinary Sunday
  });

  it('leaves 2028 unknown and counts it on weekdays only', () => {
    // Prepare
    const calendar = new WorkCalendar({ holidays: ['2027-01-01'], workdays: [] });

    // Act
    const known = calendar.isKnown('2028-10-02');

    // Assess
    expect(known).toBe(false);
    expect(calendar.isWorkday('2028-10-02')).toBe(true); // a Monday, whatever National Day 2028 brings
    expect(calendar.isWorkday('2028-10-07')).toBe(false); // a Saturday
  });

  it('does not count a year as known from make-up working days alone', () => {
    // Act
    const calendar = new WorkCalendar({ holidays: [], workdays: ['2027-01-09'] });

    // Assess
    expect(calendar.isKnown('2027-01-09')).toBe(false);
    expect(calendar.knownThrough).toBe(2026);
    expect(calendar.isWorkday('2027-01-09')).toBe(true);
  });

  it('extends knownThrough only over years without a gap', () => {
    // Act
    const calendar = new WorkCalendar({ holidays: ['2028-01-01'], workdays: [] });

    // Assess
    expect(calendar.knownThrough).toBe(2026);
    expect(calendar.isKnown('2028-05-01')).toBe(true);
    expect(calendar.isKnown('2027-05-01')).toBe(false);
  });

  it('takes precedence over the bundled data', () => {
    // Prepare: a county-wide day off on a working Thursday, and a Sunday turned into a working day.
    const overlay = { holidays: ['2026-10-08'], workdays: ['2026-10-11'] };

    // Act
    const calendar = new WorkCalendar(overlay);

    // Assess
    expect(calendar.isWorkday('2026-10-08')).toBe(false);
    expect(calendar.isWorkday('2026-10-11')).toBe(true);
    expect(calendar.knownThrough).toBe(2026);
  });

  it('rejects malformed or contradictory overlays', () => {
    // Act / Assess
    expect(() => new WorkCalendar({ holidays: ['2027-1-1'], workdays: [] })).toThrow(RangeError);
    expect(() => new WorkCalendar({ holidays: ['2027-01-01'], workdays: ['2027-01-01'] })).toThrow(
      /both as a holiday and as a workday/,
    );
  });
});
