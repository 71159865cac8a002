/**
 * 周报: what happened in one week (China time), for the office's weekly meeting. Pure: the cases
 * that could have been touched in the week (open now, or closed since it began) come in.
 */
import type { CaseRecord } from './case';
import { NOT_RATED, type SurveyAnswer } from './survey-outcome';

export interface WeekEvent {
  caseId: string;
  caseNo: string;
  enterpriseName: string;
  unitId?: string;
  at: string;
}

export interface WeeklyDigest {
  closed: (WeekEvent & { rating?: string })[];
  closedOnSpot: (WeekEvent & { resolution?: string })[];
  escalations: WeekEvent[];
  /** Per unit: red notices (督办单) issued in the week, and cases overdue now. */
  overdueByUnit: { unitId: string; redNotices: number; overdueNow: number }[];
  satisfaction: {
    satisfied: number;
    basicallySatisfied: number;
    dissatisfied: number;
    notRated: number;
    /** (满意 + 基本满意) ÷ answers in the week; null without answers. */
    rate: number | null;
  };
}

const OFFICE = '-';

/** The week's events among the cases given; `from` included, `before` excluded (ISO instants). */
export function weeklyDigest(records: readonly CaseRecord[], from: string, before: string): WeeklyDigest {
  const inWeek = (at: string) => at >= from && at < before;
  const event = (record: CaseRecord, at: string): WeekEvent => ({
    caseId: record.id,
    caseNo: record.caseNo,
    enterpriseName: record.enterprise.name,
    ...(record.unitId ? { unitId: record.unitId } : {}),
    at,
  });
  const digest: WeeklyDigest = {
    closed: [],
    closedOnSpot: [],
    escalations: [],
    overdueByUnit: [],
    satisfaction: { satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, notRated: 0, rate: null },
  };
  const overdue = new Map<string, { redNotices: number; overdueNow: number }>();
  const unitRow = (unitId: string) => {
    const row = overdue.get(unitId) ?? { redNotices: 0, overdueNow: 0 };
    overdue.set(unitId, row);
    return row;
  };
  for (const record of records) {
    if (record.status !== 'closed' && record.flags.overdue) unitRow(record.unitId ?? OFFICE).overdueNow += 1;
    for (const h of record.history) {
      if (!inWeek(h.at)) continue;
      if (h.action === 'close') {
        digest.closed.push({ ...event(record, h.at), ...(record.rating ? { rating: record.rating } : {}) });
        if (record.rating === NOT_RATED) digest.satisfaction.notRated += 1;
      } else if (h.action === 'solveOnSpot') {
        digest.closedOnSpot.push({ ...event(record, h.at), ...(h.note ? { resolution: h.note } : {}) });
      } else if (h.action === 'escalate') {
        digest.escalations.push(event(record, h.at));
      } else if (h.action === 'supervise:red') {
        // The triage clock is the office's own; a unit's clocks are the unit's.
        unitRow(h.data?.clock === 'triage' ? OFFICE : (record.unitId ?? OFFICE)).redNotices += 1;
      } else if (h.action === 'survey') {
        const satisfaction = h.data?.satisfaction as SurveyAnswer['satisfaction'] | undefined;
        if (satisfaction === 'satisfied') digest.satisfaction.satisfied += 1;
        else if (satisfaction === 'basically_satisfied') digest.satisfaction.basicallySatisfied += 1;
        else if (satisfaction === 'dissatisfied') digest.satisfaction.dissatisfied += 1;
      }
    }
  }
  const s = digest.satisfaction;
  const answers = s.satisfied + s.basicallySatisfied + s.dissatisfied;
  s.rate = answers ? (s.satisfied + s.basicallySatisfied) / answers : null;
  digest.overdueByUnit = [...overdue.entries()]
    .map(([unitId, row]) => ({ unitId, ...row }))
    .sort(
      (a, b) =>
        b.overdueNow + b.redNotices - (a.overdueNow + a.redNotices) || a.unitId.localeCompare(b.unitId),
    );
  for (const list of [digest.closed, digest.closedOnSpot, digest.escalations])
    list.sort((a, b) => a.at.localeCompare(b.at));
  return digest;
}
