import type { Actor, CaseRecord, FollowUpResult } from '../domain/case';
import {
  chinaMonth,
  closedInMonth,
  MONTH_PATTERN,
  markSampled,
  pickSample,
  previousMonth,
  recordFollowUp,
} from '../domain/follow-up';
import { actorOf, type Caller } from './access';
import { changeCase } from './case-actions';
import { CaseConflictError, ValidationError } from './errors';
import { loadCase } from './rules';
import type { Services } from './services';

export { previousMonth };

const SYSTEM: Actor = { kind: 'system' };

function requireMonth(month: string): void {
  if (!MONTH_PATTERN.test(month)) {
    throw new ValidationError([{ field: 'month', code: 'invalid', message: 'is not a month as YYYY-MM' }]);
  }
}

/**
 * 回头看抽查: samples the cases closed in `month` (China time) for the office's follow-up check.
 * 1. Refuse a month that has not ended: its sample would miss the cases still to close in it.
 * 2. Read the month's closed cases from the `closed` status partition.
 * 3. Pick the sample at random and claim the month with it; a month claimed already keeps its sample.
 * 4. Mark each case of the month's sample that is not marked yet, with one conditional write.
 * Returns the ids of the month's sampled cases, oldest first.
 */
export async function sampleFollowUps(
  services: Services,
  month: string,
  random: () => number = Math.random,
  actor: Actor = SYSTEM,
): Promise<string[]> {
  requireMonth(month);
  if (month >= chinaMonth(services.clock.now())) {
    throw new ValidationError([
      {
        field: 'month',
        code: 'not_ended',
        message: `${month} has not ended yet (China time); sample it once it is over`,
      },
    ]);
  }
  const closed = (await services.cases.everyByStatus('closed')).filter((r) => closedInMonth(r) === month);

  // The month is claimed with its picks before any case is marked, so that two runs at once (a
  // duplicate schedule, an office's POST) sample once, and a run cut short is completed by the next.
  const { sampleRate, minimum } = services.config.followUp;
  const picks = pickSample(closed, sampleRate, minimum, random).map((r) => r.id);
  const claimed = new Set(
    picks.length
      ? await services.cases.claimFollowUpSample(month, picks, services.clock.now().toISOString())
      : [],
  );
  const chosen = closed.filter((r) => claimed.has(r.id));
  for (const record of chosen) {
    if (record.followUp?.month !== month) await markCase(services, record, month, actor);
  }
  if (chosen.length > 0) {
    services.logger.info('sampled closed cases for the follow-up check', {
      month,
      closed: closed.length,
      sampled: chosen.length,
    });
  }
  return chosen.map((r) => r.id);
}

/** One conditional write; a lost race reads the case again and marks that, unless it is marked already. */
async function markCase(services: Services, read: CaseRecord, month: string, actor: Actor): Promise<void> {
  let record = read;
  for (let attempt = 0; ; attempt++) {
    try {
      await services.cases.save(markSampled(record, month, { now: services.clock.now(), actor }));
      return;
    } catch (error) {
      if (!(error instanceof CaseConflictError) || attempt >= 5) throw error;
      record = await loadCase(services, record.id);
      if (record.followUp?.month === month) return;
    }
  }
}

/** The cases sampled for the follow-up check of `month`, oldest first. */
export async function listFollowUps(services: Services, month: string): Promise<CaseRecord[]> {
  requireMonth(month);
  return (await services.cases.everyByStatus('closed')).filter((r) => r.followUp?.month === month);
}

/** The office records what the revisit of a sampled case found; once per case. */
export function recordFollowUpResult(
  services: Services,
  caseId: string,
  outcome: { result: FollowUpResult; note?: string },
  by: Caller,
): Promise<CaseRecord> {
  return changeCase(services, caseId, actorOf(by), (record, ctx) => recordFollowUp(record, outcome, ctx));
}

/**
 * The embedded runtime's monthly job, run on start and every hour: once a month has ended, it
 * samples it (when it closed any case and none is sampled yet), then rests until the next month.
 */
export function followUpJob(
  services: Services,
  random: () => number = Math.random,
): () => Promise<{ month: string; caseIds: string[] } | undefined> {
  let done: string | undefined;
  return async () => {
    const month = previousMonth(services.clock.now());
    if (month === done) return undefined;
    const caseIds = await sampleFollowUps(services, month, random);
    done = month;
    return { month, caseIds };
  };
}
