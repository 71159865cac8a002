/**
 * The working-day calendar (工作日历) the "13710" deadlines count in: the State Council's official
 * holidays and make-up working days (调休上班), bundled with `chinese-days`, plus an overlay from
 * configuration for years the bundled data does not know yet.
 */
import official from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

/** Days off and make-up working days as YYYY-MM-DD, from configuration. */
export interface CalendarOverlay {
  holidays: string[];
  workdays: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The day number (days since 1970-01-01) of a YYYY-MM-DD date; rejects malformed or impossible dates. */
function dayNumber(date: string): number {
  const ms = ISO_DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March, so a round trip is the only reliable validity check.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  }
  return ms / DAY_MS;
}

const yearOf = (date: string): number => Number(date.slice(0, 4));

const OFFICIAL_HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(official.holidays));
const OFFICIAL_WORKDAYS: ReadonlySet<string> = new Set(Object.keys(official.workdays));
const OFFICIAL_YEARS = [...OFFICIAL_HOLIDAYS, ...OFFICIAL_WORKDAYS].map(yearOf);
const OFFICIAL_FROM = Math.min(...OFFICIAL_YEARS);
const OFFICIAL_THROUGH = Math.max(...OFFICIAL_YEARS);

/** Working days in China: official schedule where known, Monday to Friday where not. */
export class WorkCalendar {
  /** First year of the bundled data. */
  readonly knownFrom: number = OFFICIAL_FROM;
  /**
   * Last year through which the official schedule is known without a gap: the bundled data, extended by
   * the years the overlay covers right after it.
   */
  readonly knownThrough: number;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly overlayYears: ReadonlySet<number>;

  constructor(overlay: CalendarOverlay = { holidays: [], workdays: [] }) {
    for (const date of [...overlay.holidays, ...overlay.workdays]) dayNumber(date);
    this.holidays = new Set(overlay.holidays);
    this.workdays = new Set(overlay.workdays);
    const clash = overlay.workdays.find((date) => this.holidays.has(date));
    if (clash) throw new RangeError(`calendar overlay lists ${clash} both as a holiday and as a workday`);
    // Every published schedule has a day off (元旦 at least); make-up days alone do not make a year known.
    this.overlayYears = new Set(overlay.holidays.map(yearOf));
    let through = OFFICIAL_THROUGH;
    while (this.overlayYears.has(through + 1)) through += 1;
    this.knownThrough = through;
  }

  /** Whether the official schedule of this date's year is known (so isWorkday's answer is authoritative). */
  isKnown(date: string): boolean {
    dayNumber(date);
    const year = yearOf(date);
    return (year >= OFFICIAL_FROM && year <= OFFICIAL_THROUGH) || this.overlayYears.has(year);
  }

  /** Overlay first, then the bundled official data, else Monday–Friday. */
  isWorkday(date: string): boolean {
    const day = dayNumber(date);
    if (this.holidays.has(date)) return false;
    if (this.workdays.has(date)) return true;
    if (OFFICIAL_HOLIDAYS.has(date)) return false;
    if (OFFICIAL_WORKDAYS.has(date)) return true;
    // Day 0, 1970-01-01, was a Thursday: weekday 4 where Sunday is 0.
    const weekday = (((day + 4) % 7) + 7) % 7;
    return weekday !== 0 && weekday !== 6;
  }
}
