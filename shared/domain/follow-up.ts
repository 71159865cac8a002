/**
 * 回头看: each month the office revisits a random sample of the cases closed in the month before,
 * and records on each case what the revisit found. Pure: the time and the randomness come in.
 */
import type { Actor, CaseRecord, FollowUpResult, HistoryEntry } from './case';
import { RuleViolationError } from './case-rules';
import { CHINA_OFFSET_MS, chinaDate } from './china-time';

export const FOLLOW_UP_RESULTS = ['confirmed', 'problem_found'] as const satisfies readonly FollowUpResult[];

/** A month as YYYY-MM. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The calendar month in China of an instant, as YYYY-MM. */
export function chinaMonth(at: Date): string {
  return chinaDate(at).slice(0, 7);
}

/** The China month before the one `now` falls in: the month a run on the 1st samples. */
export function previousMonth(now: Date): string {
  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  const year = china.getUTCFullYear();
  const month = china.getUTCMonth(); // 0-based: this month's index is the previous month's number
  return month === 0 ? `${year - 1}-12` : `${year}-${String(month).padStart(2, '0')}`;
}

/** When the case was closed (its `close` history entry), if it is closed. */
export function closedAt(record: CaseRecord): Date | undefined {
  if (record.status !== 'closed') return undefined;
  const close = record.history.findLast((h) => h.action === 'close');
  return close ? new Date(close.at) : undefined;
}

/** The China month the case was closed in (销号), if it is closed. */
export function closedInMonth(record: CaseRecord): string | undefined {
  const at = closedAt(record);
  return at ? chinaMonth(at) : undefined;
}

/**
 * How many of `n` cases to sample: the rate of them rounded up, at least `minimum`, at most all.
 * The product is rounded to 9 places first, so that 0.1 × 30 samples 3 and not 4.
 */
export function sampleSize(n: number, rate: number, minimum: number): number {
  const share = Math.ceil(Number((rate * n).toFixed(9)));
  return Math.min(n, Math.max(minimum, share));
}

/**
 * A uniform random sample without replacement (a partial Fisher–Yates shuffle of a copy), of
 * `sampleSize(candidates.length, rate, minimum)` items. `random` returns numbers in [0, 1).
 */
export function pickSample<T>(
  candidates: readonly T[],
  rate: number,
  minimum: number,
  random: () => number,
): T[] {
  const pool = [...candidates];
  const size = sampleSize(pool.length, rate, minimum);
  for (let i = 0; i < size; i++) {
    const j = Math.min(pool.length - 1, i + Math.floor(random() * (pool.length - i)));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, size);
}

/** What recording a follow-up needs to know besides the case. */
export interface FollowUpContext {
  now: Date;
  actor: Actor;
}

function entry(ctx: FollowUpContext, action: string, data: Record<string, unknown>, note?: string) {
  return {
    at: ctx.now.toISOString(),
    actor: ctx.actor,
    action,
    public: false,
    data,
    ...(note ? { note } : {}),
  } satisfies HistoryEntry;
}

/** Marks a closed case as sampled for the follow-up check of the month it closed in. */
export function markSampled(record: CaseRecord, month: string, ctx: FollowUpContext): CaseRecord {
  if (closedInMonth(record) !== month)
    throw new RuleViolationError(`only a case closed in ${month} can be sampled for its follow-up check`);
  if (record.followUp)
    throw new RuleViolationError(
      `the case was already sampled for the follow-up check of ${record.followUp.month}`,
    );
  const at = ctx.now.toISOString();
  return {
    ...record,
    followUp: { month, sampledAt: at },
    updatedAt: at,
    history: [...record.history, entry(ctx, 'followUpSampled', { month })],
  };
}

/** 回头看 result: the office records what the revisit of a sampled case found, once. */
export function recordFollowUp(
  record: CaseRecord,
  outcome: { result: FollowUpResult; note?: string },
  ctx: FollowUpContext,
): CaseRecord {
  const followUp = record.followUp;
  if (!followUp) throw new RuleViolationError('the case was not sampled for a follow-up check');
  if (followUp.result) {
    throw new RuleViolationError(
      `the follow-up result of this case was already recorded at ${followUp.recordedAt ?? 'an earlier time'}`,
    );
  }
  const at = ctx.now.toISOString();
  return {
    ...record,
    followUp: {
      ...followUp,
      result: outcome.result,
      ...(outcome.note ? { note: outcome.note } : {}),
      recordedAt: at,
      ...(ctx.actor.id ? { by: ctx.actor.id } : {}),
    },
    updatedAt: at,
    history: [
      ...record.history,
      entry(ctx, 'followUp', { month: followUp.month, result: outcome.result }, outcome.note),
    ],
  };
}
