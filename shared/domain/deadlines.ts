/**
 * The "13710" deadlines and the supervision around them (黄牌 yellow warning, 红牌 red when overdue,
 * escalation to the supervising leader), as absolute instants computed from the working-day calendar.
 */
import type { DeadlinePolicy } from '../config/config';
import type { WorkCalendar } from './calendar';
import { chinaDate, chinaMidnight } from './china-time';

export type DurationUnit = 'workday' | 'day';

/**
 * Time scaling for demos and tests: with daySeconds = N one "day" lasts N real seconds, measured from
 * `anchor` (the case's filing time). Without daySeconds, real days.
 */
export interface TimeScale {
  anchor: Date;
  daySeconds?: number;
}

export interface Deadline {
  at: Date;
  /** Counting went through a year whose official schedule is unknown: weekdays were assumed there. */
  beyondCalendar: boolean;
}

export interface StageSchedule {
  warnAt: Date;
  dueAt: Date;
  escalateAt: Date;
  beyondCalendar: boolean;
}

/** Supervision grades, in the order a late clock reaches them. */
export const GRADES = ['none', 'yellow', 'red', 'escalated'] as const;
export type Grade = (typeof GRADES)[number];

const DAY_MS = 86_400_000;

/** The date `days` calendar days after (or before, when negative) a YYYY-MM-DD date. */
function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The instant a China calendar date ends (24:00), which is the next date's midnight. */
const endOf = (date: string): number => chinaMidnight(shiftDate(date, 1)).getTime();

/** Durations are whole days: a configured 1.5 days means "by the end of the second day". */
function wholeDays(amount: number): number {
  if (!Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`a duration must be a finite number of days ≥ 0, got ${amount}`);
  }
  return Math.ceil(amount);
}

interface DayCount {
  date: string;
  beyondCalendar: boolean;
}

/**
 * The amount-th counted day after (step 1) or before (step −1) `date`, which itself does not count. Only
 * working days count with unit 'workday'; with 'day' the calendar is irrelevant, so never "beyond" it.
 */
function countDays(
  date: string,
  amount: number,
  step: 1 | -1,
  unit: DurationUnit,
  calendar: WorkCalendar,
): DayCount {
  const days = wholeDays(amount);
  if (unit === 'day') return { date: shiftDate(date, step * days), beyondCalendar: false };
  let current = date;
  let beyondCalendar = !calendar.isKnown(current) && days === 0;
  for (let counted = 0; counted < days; ) {
    current = shiftDate(current, step);
    if (!calendar.isKnown(current)) beyondCalendar = true;
    if (calendar.isWorkday(current)) counted += 1;
  }
  return { date: current, beyondCalendar };
}

/**
 * Maps between real and virtual time. Calendar rules are applied on the virtual timeline, where a day
 * is a real day; with `daySeconds` the virtual timeline runs 86400 / daySeconds times faster than the
 * real one from the anchor on, so a whole 13710 cycle can be watched in minutes.
 */
function timeline(scale: TimeScale) {
  const { daySeconds } = scale;
  if (daySeconds === undefined) {
    return { toVirtual: (real: number) => real, toReal: (virtual: number) => virtual };
  }
  if (!Number.isFinite(daySeconds) || daySeconds <= 0) {
    throw new RangeError(`daySeconds must be a positive number, got ${daySeconds}`);
  }
  const anchor = scale.anchor.getTime();
  const speed = 86_400 / daySeconds;
  return {
    toVirtual: (real: number) => anchor + (real - anchor) * speed,
    // Real instants are whole milliseconds; the rounding is far below anything a person can notice.
    toReal: (virtual: number) => Math.round(anchor + (virtual - anchor) / speed),
  };
}

/** End (24:00 China time) of the amount-th working day (or calendar day) after the date of `from`. */
export function addDuration(
  from: Date,
  amount: number,
  unit: DurationUnit,
  calendar: WorkCalendar,
  scale: TimeScale,
): Deadline {
  const { toVirtual, toReal } = timeline(scale);
  const end = countDays(chinaDate(new Date(toVirtual(from.getTime()))), amount, 1, unit, calendar);
  return { at: new Date(toReal(endOf(end.date))), beyondCalendar: end.beyondCalendar };
}

/**
 * End of the amount-th working (or calendar) day before the date of `to` — used for the yellow warning.
 * A `to` at exactly 24:00 (as every deadline is) belongs to the day it ends, so that subtracting what
 * addDuration added leads back to the end of the starting day.
 */
export function subtractDuration(
  to: Date,
  amount: number,
  unit: DurationUnit,
  calendar: WorkCalendar,
  scale: TimeScale,
): Deadline {
  const { toVirtual, toReal } = timeline(scale);
  // The date of the last real millisecond before `to`: robust to the rounding of scaled instants too.
  const day = chinaDate(new Date(toVirtual(to.getTime() - 1)));
  const start = countDays(day, amount, -1, unit, calendar);
  return { at: new Date(toReal(endOf(start.date))), beyondCalendar: start.beyondCalendar };
}

/**
 * The supervision schedule of one stage that starts at `from` and lasts `amount` units: yellow warning
 * `policy.warnBefore` units before the deadline (never earlier than halfway between from and the
 * deadline), red at the deadline, escalation `policy.escalateAfter` units after it.
 */
export function stageSchedule(
  from: Date,
  amount: number,
  policy: DeadlinePolicy,
  calendar: WorkCalendar,
  scale: TimeScale,
): StageSchedule {
  // Everything is counted in days on the virtual timeline and mapped back once, so that the rounding of
  // one scaled instant never shifts the day another is counted from.
  const { toVirtual } = timeline(scale);
  const start = toVirtual(from.getTime());
  const due = countDays(chinaDate(new Date(start)), amount, 1, policy.unit, calendar);
  return scheduleAround(start, due, policy, calendar, scale);
}

/**
 * The schedule of a stage whose deadline is extended by `amount` units at `at` (an extension the
 * office granted): the new deadline counts on from the old one, and the warning and escalation
 * follow it, the warning again no earlier than halfway from `at` to the new deadline.
 */
export function extendSchedule(
  schedule: StageSchedule,
  at: Date,
  amount: number,
  policy: DeadlinePolicy,
  calendar: WorkCalendar,
  scale: TimeScale,
): StageSchedule {
  const { toVirtual } = timeline(scale);
  // The old deadline is the end of its day: count from that day, not from the next one it touches.
  const oldDay = chinaDate(new Date(toVirtual(schedule.dueAt.getTime() - 1)));
  const due = countDays(oldDay, amount, 1, policy.unit, calendar);
  const extended = scheduleAround(toVirtual(at.getTime()), due, policy, calendar, scale);
  return { ...extended, beyondCalendar: extended.beyondCalendar || schedule.beyondCalendar };
}

/** Warning, deadline and escalation around a deadline day, from a stage start on the virtual timeline. */
function scheduleAround(
  start: number,
  due: DayCount,
  policy: DeadlinePolicy,
  calendar: WorkCalendar,
  scale: TimeScale,
): StageSchedule {
  const { toReal } = timeline(scale);
  const warn = countDays(due.date, policy.warnBefore, -1, policy.unit, calendar);
  const escalate = countDays(due.date, policy.escalateAfter, 1, policy.unit, calendar);
  const dueAt = endOf(due.date);
  // A short stage (a 1-day assignment) would otherwise be yellow from its very start.
  const warnAt = Math.max(endOf(warn.date), start + (dueAt - start) / 2);
  return {
    warnAt: new Date(toReal(warnAt)),
    dueAt: new Date(toReal(dueAt)),
    escalateAt: new Date(toReal(endOf(escalate.date))),
    beyondCalendar: due.beyondCalendar || warn.beyondCalendar || escalate.beyondCalendar,
  };
}

/** The supervision grade a stage has reached at `now`; each boundary instant belongs to the later grade. */
export function gradeAt(schedule: StageSchedule, now: Date): Grade {
  const t = now.getTime();
  if (t >= schedule.escalateAt.getTime()) return 'escalated';
  if (t >= schedule.dueAt.getTime()) return 'red';
  if (t >= schedule.warnAt.getTime()) return 'yellow';
  return 'none';
}

/** The next instant after `now` at which the grade changes, or undefined after escalation. */
export function nextChange(schedule: StageSchedule, now: Date): Date | undefined {
  const t = now.getTime();
  const next = [schedule.warnAt, schedule.dueAt, schedule.escalateAt].find((at) => at.getTime() > t);
  return next && new Date(next.getTime());
}
