/** China Standard Time is UTC+8 all year (no daylight saving), so a fixed offset is exact. */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar date in China of an instant, as YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The calendar year in China of an instant: a case filed at 23:30 UTC on 31 December belongs to the next year. */
export function chinaYear(at: Date): number {
  return new Date(at.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
}

/** The instant a China calendar date starts. */
export function chinaMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`));
}

/** An instant as a person in China reads it, to the minute: 2026-11-27 18:47. */
export function chinaDateTime(at: Date | string): string {
  return new Date(new Date(at).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
