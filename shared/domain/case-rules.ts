/**
 * What each step of the campaign's closed loop does to a case: pure functions from a case (and
 * what happened) to the next case and the notices it calls for. The application layer reads the
 * case, applies one rule, and stores the result with one conditional write.
 */
import type { Category } from '../config/catalog';
import type { DeadlinePolicy } from '../config/config';
import type { WorkCalendar } from './calendar';
import type {
  Actor,
  CaseClock,
  CaseRecord,
  ClockId,
  HistoryEntry,
  NoticeKind,
  NoticeRecord,
  Recipient,
} from './case';
import {
  CASE_ACTIONS,
  type CaseAction,
  canApply,
  isTerminal,
  type Level,
  WITH_UNIT_STATUSES,
} from './case-state';
import {
  addDuration,
  extendSchedule,
  GRADES,
  type Grade,
  gradeAt,
  nextChange,
  type StageSchedule,
  stageSchedule,
  subtractDuration,
} from './deadlines';
import { isMajor, suggestTriage } from './routing';
import { NOT_RATED, type SurveyAnswer, type SurveyChannel, surveyOutcome } from './survey-outcome';

/** What every rule needs to know besides the case. */
export interface RuleContext {
  now: Date;
  actor: Actor;
  policy: DeadlinePolicy;
  calendar: WorkCalendar;
  /** `ZHUQI_DAY_SECONDS`: one day of every deadline lasts this many seconds. */
  daySeconds?: number;
  /** The unit escalations go to (the supervising leader). */
  escalationUnitId: string;
}

/** A rule refused because the case is not in a state that allows it; the message says why. */
export class RuleViolationError extends Error {
  override name = 'RuleViolationError';
}

const NOTICE_OF_GRADE: Record<Exclude<Grade, 'none'>, NoticeKind> = {
  yellow: 'warning',
  red: 'overdue',
  escalated: 'escalation',
};

/** The result of a rule: the case to store and the notices to send once it is stored. */
export interface RuleResult {
  record: CaseRecord;
  notices: NoticeRecord[];
}

function scaleOf(record: CaseRecord, ctx: RuleContext) {
  return { anchor: new Date(record.createdAt), ...(ctx.daySeconds ? { daySeconds: ctx.daySeconds } : {}) };
}

function startClock(
  id: ClockId,
  from: Date,
  amount: number,
  record: CaseRecord,
  ctx: RuleContext,
): CaseClock {
  return clockFrom(id, from, stageSchedule(from, amount, ctx.policy, ctx.calendar, scaleOf(record, ctx)));
}

function clockFrom(id: ClockId, from: Date, schedule: StageSchedule): CaseClock {
  return {
    id,
    startedAt: from.toISOString(),
    warnAt: schedule.warnAt.toISOString(),
    dueAt: schedule.dueAt.toISOString(),
    escalateAt: schedule.escalateAt.toISOString(),
    beyondCalendar: schedule.beyondCalendar,
    grade: 'none',
  };
}

function scheduleOf(clock: CaseClock) {
  return {
    warnAt: new Date(clock.warnAt),
    dueAt: new Date(clock.dueAt),
    escalateAt: new Date(clock.escalateAt),
    beyondCalendar: clock.beyondCalendar,
  };
}

function entry(
  ctx: RuleContext,
  action: string,
  options: Omit<HistoryEntry, 'at' | 'actor' | 'action' | 'public'> & { public?: boolean } = {},
): HistoryEntry {
  return { at: ctx.now.toISOString(), actor: ctx.actor, action, public: options.public ?? true, ...options };
}

/** Moves a case by one of the actions of the state table, recording it in the history, or refuses with the reason. */
function move(
  record: CaseRecord,
  action: CaseAction,
  ctx: RuleContext,
  details: Pick<HistoryEntry, 'note' | 'data'> & { public?: boolean } = {},
): CaseRecord {
  const to = CASE_ACTIONS[action].to;
  if (!canApply(action, record.status)) {
    throw new RuleViolationError(
      `a case that is ${record.status.replace('_', ' ')} cannot be ${describeAction(action)}`,
    );
  }
  return {
    ...record,
    status: to,
    updatedAt: ctx.now.toISOString(),
    history: [...record.history, entry(ctx, action, { from: record.status, to, ...details })],
  };
}

function describeAction(action: CaseAction): string {
  const words: Record<CaseAction, string> = {
    startTriage: 'taken into triage',
    assign: 'assigned',
    solveOnSpot: 'solved on the spot',
    returnCase: 'returned',
    accept: 'accepted',
    reportProgress: 'given a progress report (accept it first)',
    resolve: 'resolved (accept it first)',
    reopen: 'reopened',
    reopenForTriage: 'reopened',
    close: 'closed',
  };
  return words[action];
}

/** The unit's deadlines of one assignment round: progress (3) and resolution (7, or 30 for major levels). */
function unitClocks(record: CaseRecord, level: Level, ctx: RuleContext): CaseClock[] {
  const resolveDays = isMajor(level) ? ctx.policy.resolveMajor : ctx.policy.resolveOrdinary;
  return [
    startClock('progress', ctx.now, ctx.policy.progress, record, ctx),
    startClock('resolve', ctx.now, resolveDays, record, ctx),
  ];
}

/** 研判: the workflow takes the filed case into triage with the routing rule's suggestion and the 1-day clock. */
export function startTriage(record: CaseRecord, categories: Category[], ctx: RuleContext): CaseRecord {
  const moved = move(record, 'startTriage', ctx);
  return {
    ...moved,
    suggestion: suggestTriage(categories, record.category),
    clocks: [startClock('triage', ctx.now, ctx.policy.assign, record, ctx)],
  };
}

export interface TriageDecision {
  level: Level;
  unitId?: string;
  note?: string;
  /** The common problem (共性问题) decided as one, when the office acts on a confirmed group. */
  commonProblem?: string;
}

/**
 * 交办 or 现场解决: the office's triage decision. Solved on the spot resolves the case at once (the
 * survey follows); any other level hands it to the unit with fresh 13710 clocks.
 */
export function decideTriage(record: CaseRecord, decision: TriageDecision, ctx: RuleContext): CaseRecord {
  // The deadline the decision met or missed, kept in the history for the figures (clocks are replaced).
  const dueAt = dueOf(record, 'triage');
  const extra = {
    ...(dueAt ? { dueAt } : {}),
    ...(decision.commonProblem ? { commonProblem: decision.commonProblem } : {}),
  };
  if (decision.level === 'on_spot') {
    if (!decision.note) throw new RuleViolationError('say how the problem was solved on the spot (note)');
    const { unitId, returnBy, ...moved } = move(record, 'solveOnSpot', ctx, {
      note: decision.note,
      ...(Object.keys(extra).length ? { data: extra } : {}),
    });
    return {
      ...moved,
      level: 'on_spot',
      resolution: decision.note,
      clocks: [],
      flags: { ...moved.flags, overdue: false },
    };
  }
  if (!decision.unitId) {
    throw new RuleViolationError(`a ${decision.level} case needs the unit it is assigned to (unitId)`);
  }
  const moved = move(record, 'assign', ctx, {
    data: { level: decision.level, unitId: decision.unitId, ...extra },
  });
  const returnBy = addDuration(
    ctx.now,
    ctx.policy.returnWindow,
    ctx.policy.unit,
    ctx.calendar,
    scaleOf(record, ctx),
  );
  return {
    ...moved,
    history: decision.note
      ? [...moved.history, entry(ctx, 'triageNote', { note: decision.note, public: false })]
      : moved.history,
    level: decision.level,
    unitId: decision.unitId,
    clocks: unitClocks(record, decision.level, ctx),
    returnBy: returnBy.at.toISOString(),
    flags: { ...moved.flags, overdue: false },
  };
}

/** 受理: the unit accepts the assignment. */
export function acceptCase(record: CaseRecord, ctx: RuleContext): CaseRecord {
  // Accepting is due within the return window (1 working day): the figures read it from here.
  return move(record, 'accept', ctx, record.returnBy ? { data: { dueAt: record.returnBy } } : {});
}

/** The due time of a running clock, if the case has one. */
function dueOf(record: CaseRecord, id: ClockId): string | undefined {
  return record.clocks.find((c) => c.id === id && !c.metAt)?.dueAt;
}

/** Whether the assigned unit may still return the case as misrouted: within the window after assignment. */
export function returnWindowOpen(record: Pick<CaseRecord, 'returnBy'>, now: Date): boolean {
  return record.returnBy !== undefined && now.getTime() <= Date.parse(record.returnBy);
}

/**
 * 退回: a unit returns a misrouted case with a reason, within the return window; it goes back to
 * triage with a new 1-day clock for the office, whose next decision is final.
 */
export function returnCase(record: CaseRecord, reason: string, ctx: RuleContext): CaseRecord {
  if (!returnWindowOpen(record, ctx.now)) {
    throw new RuleViolationError(
      record.returnBy
        ? `the return window closed at ${record.returnBy}; ask the office directly`
        : 'a reopened case cannot be returned',
    );
  }
  // The reason is for the office; the enterprise sees only that triage starts again.
  const moved = move(record, 'returnCase', ctx, {
    note: reason,
    public: false,
    data: { unitId: record.unitId },
  });
  const { unitId, level, returnBy, extension, ...rest } = moved;
  return {
    ...rest,
    clocks: [startClock('triage', ctx.now, ctx.policy.assign, record, ctx)],
    flags: { ...rest.flags, overdue: false },
  };
}

function meet(clocks: CaseClock[], ids: ClockId[], now: Date): CaseClock[] {
  return clocks.map((c) => (ids.includes(c.id) && !c.metAt ? { ...c, metAt: now.toISOString() } : c));
}

function overdueOf(clocks: CaseClock[]): boolean {
  return clocks.some((c) => !c.metAt && (c.grade === 'red' || c.grade === 'escalated'));
}

/** 反馈进展: the unit reports progress; this meets the 3-day clock. */
export function reportProgress(record: CaseRecord, note: string, ctx: RuleContext): CaseRecord {
  const moved = move(record, 'reportProgress', ctx, { note });
  const clocks = meet(moved.clocks, ['progress'], ctx.now);
  return { ...moved, clocks, flags: { ...moved.flags, overdue: overdueOf(clocks) } };
}

/** 办结: the unit resolves the case; the enterprise is surveyed next. */
export function resolveCase(record: CaseRecord, resolution: string, ctx: RuleContext): CaseRecord {
  const dueAt = dueOf(record, 'resolve');
  const moved = move(record, 'resolve', ctx, { note: resolution, ...(dueAt ? { data: { dueAt } } : {}) });
  const { extension, ...rest } = moved;
  const pending =
    extension?.status === 'pending'
      ? { ...extension, status: 'refused' as const, note: 'resolved' }
      : extension;
  return {
    ...rest,
    ...(pending ? { extension: pending } : {}),
    resolution,
    clocks: meet(moved.clocks, ['progress', 'resolve'], ctx.now),
    flags: { ...moved.flags, overdue: false },
  };
}

/** 申请延期: asked for at least `extensionNotice` before the resolution deadline; the office decides. */
export function requestExtension(
  record: CaseRecord,
  days: number,
  reason: string,
  ctx: RuleContext,
): CaseRecord {
  if (!WITH_UNIT_STATUSES.includes(record.status)) {
    throw new RuleViolationError(`a case that is ${record.status.replace('_', ' ')} cannot be extended`);
  }
  if (record.extension?.status === 'pending')
    throw new RuleViolationError('an extension request is already waiting for the office');
  const resolve = record.clocks.find((c) => c.id === 'resolve' && !c.metAt);
  if (!resolve) throw new RuleViolationError('the case has no running resolution deadline');
  const latest = subtractDuration(
    new Date(resolve.dueAt),
    ctx.policy.extensionNotice,
    ctx.policy.unit,
    ctx.calendar,
    scaleOf(record, ctx),
  ).at;
  if (ctx.now.getTime() > latest.getTime()) {
    throw new RuleViolationError(
      `an extension must be asked for by ${latest.toISOString()} (${ctx.policy.extensionNotice} ${ctx.policy.unit}(s) before the deadline ${resolve.dueAt})`,
    );
  }
  return {
    ...record,
    extension: { requestedAt: ctx.now.toISOString(), days, reason, status: 'pending' },
    updatedAt: ctx.now.toISOString(),
    history: [
      ...record.history,
      entry(ctx, 'requestExtension', { note: reason, public: false, data: { days } }),
    ],
  };
}

/**
 * The office grants or refuses a pending extension. A grant moves the resolution deadline by the
 * days asked (or the days the office sets) and restarts its supervision from the new deadline.
 */
export function decideExtension(
  record: CaseRecord,
  decision: { grant: boolean; days?: number; note?: string },
  ctx: RuleContext,
): RuleResult {
  const extension = record.extension;
  if (extension?.status !== 'pending')
    throw new RuleViolationError('there is no extension request waiting for a decision');
  const at = ctx.now.toISOString();
  const decided = {
    ...extension,
    status: decision.grant ? ('granted' as const) : ('refused' as const),
    decidedAt: at,
    ...(decision.note ? { note: decision.note } : {}),
  };
  const days = decision.days ?? extension.days;
  let clocks = record.clocks;
  if (decision.grant) {
    clocks = record.clocks.map((clock) => {
      if (clock.id !== 'resolve' || clock.metAt) return clock;
      const schedule = extendSchedule(
        scheduleOf(clock),
        ctx.now,
        days,
        ctx.policy,
        ctx.calendar,
        scaleOf(record, ctx),
      );
      // A new revision (startedAt) of the clock: its supervision starts over and its notices are new ones.
      return { ...clockFrom(clock.id, ctx.now, schedule), grade: 'none' as const };
    });
  }
  const unit: Recipient = record.unitId ? { kind: 'unit', unitId: record.unitId } : { kind: 'office' };
  const notice = noticeFor(record, 'extension_decision', unit, `extension@${extension.requestedAt}`, ctx);
  const decidedRecord: CaseRecord = {
    ...record,
    extension: decided,
    clocks,
    flags: { ...record.flags, overdue: overdueOf(clocks) },
    updatedAt: at,
    history: [
      ...record.history,
      entry(ctx, decision.grant ? 'extend' : 'refuseExtension', {
        public: decision.grant,
        ...(decision.note ? { note: decision.note } : {}),
        data: { days: decision.grant ? days : 0 },
      }),
    ],
  };
  const { record: withNotice, fresh } = recordNotices(decidedRecord, [notice]);
  return { record: withNotice, notices: fresh };
}

function noticeFor(
  record: CaseRecord,
  kind: NoticeKind,
  recipient: Recipient,
  key: string,
  ctx: RuleContext,
  clock?: ClockId,
): NoticeRecord {
  return {
    id: `${record.id}:${kind}:${key}`,
    kind,
    at: ctx.now.toISOString(),
    recipient,
    ...(clock ? { clock } : {}),
  };
}

/** Adds notices the case has not recorded yet (an id seen before is the same notice, issued once). */
function recordNotices(
  record: CaseRecord,
  notices: NoticeRecord[],
): { record: CaseRecord; fresh: NoticeRecord[] } {
  const known = new Set(record.notices.map((n) => n.id));
  const fresh = notices.filter((n) => !known.has(n.id));
  return { record: fresh.length ? { ...record, notices: [...record.notices, ...fresh] } : record, fresh };
}

/**
 * 督办: brings every running clock's grade up to date. Each grade passed issues its notice once —
 * yellow warning (黄牌) to whoever must act, red (红牌督办单) to them with the case marked overdue,
 * escalation to the supervising leader. Returns when to look again.
 */
export function supervise(record: CaseRecord, ctx: RuleContext): RuleResult & { nextCheckAt?: Date } {
  let next: Date | undefined;
  const notices: NoticeRecord[] = [];
  const history: HistoryEntry[] = [];
  const clocks = record.clocks.map((clock) => {
    if (clock.metAt) return clock;
    const schedule = scheduleOf(clock);
    const change = nextChange(schedule, ctx.now);
    if (change && (!next || change < next)) next = change;
    const reached = gradeAt(schedule, ctx.now);
    const from = GRADES.indexOf(clock.grade);
    const to = GRADES.indexOf(reached);
    if (to <= from) return clock;
    for (const grade of GRADES.slice(from + 1, to + 1) as Exclude<Grade, 'none'>[]) {
      const responsible: Recipient =
        clock.id === 'triage' || !record.unitId
          ? { kind: 'office' }
          : { kind: 'unit', unitId: record.unitId };
      const recipient: Recipient =
        grade === 'escalated' ? { kind: 'unit', unitId: ctx.escalationUnitId } : responsible;
      notices.push(
        noticeFor(
          record,
          NOTICE_OF_GRADE[grade],
          recipient,
          `${clock.id}@${clock.startedAt}:${grade}`,
          ctx,
          clock.id,
        ),
      );
      history.push(
        entry(ctx, grade === 'escalated' ? 'escalate' : `supervise:${grade}`, {
          public: grade === 'escalated',
          data: { clock: clock.id, dueAt: clock.dueAt },
        }),
      );
    }
    return { ...clock, grade: reached };
  });
  const changed = clocks.some((c, i) => c !== record.clocks[i]);
  if (!changed) return { record, notices: [], ...(next ? { nextCheckAt: next } : {}) };
  const escalated = clocks.some((c) => c.grade === 'escalated');
  const updated: CaseRecord = {
    ...record,
    clocks,
    flags: { ...record.flags, overdue: overdueOf(clocks), escalated: record.flags.escalated || escalated },
    updatedAt: ctx.now.toISOString(),
    history: [...record.history, ...history],
  };
  const { record: withNotices, fresh } = recordNotices(updated, notices);
  return { record: withNotices, notices: fresh, ...(next ? { nextCheckAt: next } : {}) };
}

/**
 * 交办单: the assignment notice of the current round to the unit; a reopened round is a 回头看
 * assignment, and from the second reopening on the supervising leader is told as well.
 */
export function assignmentNotices(record: CaseRecord, ctx: RuleContext): RuleResult {
  if (!record.unitId) return { record, notices: [] };
  // One notice per assignment: a unit, at the moment its clocks started (a reassignment is a new one).
  // The progress clock dates it: unlike the resolution clock, an extension never restarts it.
  const assignedAt = record.clocks.find((c) => c.id === 'progress')?.startedAt ?? record.updatedAt;
  const round = String(record.reopenCount);
  const notices = [
    noticeFor(
      record,
      'assignment',
      { kind: 'unit', unitId: record.unitId },
      `${record.unitId}@${assignedAt}#${round}`,
      ctx,
    ),
  ];
  if (record.reopenCount >= 2) {
    notices.push(
      noticeFor(record, 'escalation', { kind: 'unit', unitId: ctx.escalationUnitId }, `reopen${round}`, ctx),
    );
  }
  const { record: updated, fresh } = recordNotices(record, notices);
  return { record: updated, notices: fresh };
}

/** 受理回执: the filing confirmation to the enterprise with its tracking link, once per case. */
export function filingReceipt(record: CaseRecord, ctx: RuleContext): RuleResult {
  const notice = noticeFor(
    record,
    'filed',
    { kind: 'enterprise', mobile: record.contact.mobile },
    'receipt',
    ctx,
  );
  const { record: updated, fresh } = recordNotices(record, [notice]);
  return { record: updated, notices: fresh };
}

/** The survey round of a resolved case: one per resolution, numbered by how often it was reopened. */
export function surveyRound(record: CaseRecord): number {
  return record.reopenCount;
}

/** Opens the survey of the current round (idempotent: an open round is kept, with its link). */
export function openSurvey(record: CaseRecord, token: string, ctx: RuleContext): RuleResult {
  if (record.status !== 'resolved') throw new RuleViolationError('only a resolved case is surveyed');
  const round = surveyRound(record);
  let updated = record;
  if (record.survey?.round !== round) {
    const expiresAt = surveyEndsAt(record, ctx)!;
    updated = {
      ...record,
      survey: { round, token, sentAt: ctx.now.toISOString(), expiresAt: expiresAt.toISOString() },
      updatedAt: ctx.now.toISOString(),
    };
  }
  const notice = noticeFor(
    updated,
    'survey',
    { kind: 'enterprise', mobile: record.contact.mobile },
    `round${round}`,
    ctx,
  );
  const { record: withNotice, fresh } = recordNotices(updated, [notice]);
  return { record: withNotice, notices: fresh };
}

/**
 * When the survey of a resolved case ends: its link's expiry once this round is open, else the
 * survey window counted from the resolution — so the answer that resolves the case already knows
 * how long the workflow will wait for the survey it is about to open.
 */
export function surveyEndsAt(record: CaseRecord, ctx: RuleContext): Date | undefined {
  if (record.status !== 'resolved') return undefined;
  if (record.survey?.round === surveyRound(record)) return new Date(record.survey.expiresAt);
  const resolved = record.history.findLast((h) => h.to === 'resolved');
  const from = resolved ? new Date(resolved.at) : ctx.now;
  return addDuration(from, ctx.policy.surveyWindow, ctx.policy.unit, ctx.calendar, scaleOf(record, ctx)).at;
}

/**
 * When the workflow must look at the case next: now, if a supervision grade is due and not yet
 * issued; otherwise the earliest of its clocks' next grades and the end of its survey window.
 */
export function nextCheckpoint(record: CaseRecord, ctx: RuleContext): Date | undefined {
  const supervised = supervise(record, ctx);
  if (supervised.record !== record) return ctx.now;
  const survey = surveyEndsAt(record, ctx);
  const next = supervised.nextCheckAt;
  if (!survey || !next) return survey ?? next;
  return new Date(Math.min(survey.getTime(), next.getTime()));
}

/**
 * Where the survey of a case stands at `now`: `open` while the current round's link may be
 * answered, `answered` once it was, `expired` when its window passed unanswered (the case is, or
 * is about to be, closed as not rated), `none` while no round of this resolution has been opened.
 */
export type SurveyState = 'none' | 'open' | 'answered' | 'expired';

export function surveyState(record: CaseRecord, now: Date): SurveyState {
  const survey = record.survey;
  if (!survey) return 'none';
  if (record.status === 'resolved' && survey.round !== surveyRound(record)) return 'none';
  if (survey.answeredAt) return 'answered';
  if (record.status === 'closed') return 'expired';
  if (record.status !== 'resolved') return 'none';
  return now.getTime() >= Date.parse(survey.expiresAt) ? 'expired' : 'open';
}

const SURVEY_REFUSALS: Record<Exclude<SurveyState, 'open'>, string> = {
  none: 'no survey is open for this case',
  answered: 'this survey has already been answered',
  expired: 'this survey link has expired',
};

/**
 * 满意度回访: the enterprise's answer, by its link or taken by the office on the phone (电话回访) —
 * the same rules either way. Solved and not dissatisfied closes the case with the rating;
 * otherwise it goes back to the same unit as 回头看, and a second failure is escalated.
 */
export function answerSurvey(
  record: CaseRecord,
  answer: SurveyAnswer & { comment?: string },
  ctx: RuleContext,
  via: { channel: SurveyChannel; recordedBy?: string } = { channel: 'online' },
): CaseRecord {
  const state = surveyState(record, ctx.now);
  if (state !== 'open') throw new RuleViolationError(SURVEY_REFUSALS[state]);
  const given = { ...answer, ...via };
  const answered = { ...record.survey!, answeredAt: ctx.now.toISOString(), answer: given };
  const outcome = surveyOutcome(answer, record.reopenCount);
  const rated = {
    ...record,
    survey: answered,
    history: [...record.history, entry(ctx, 'survey', { data: { ...given } })],
  };
  if (outcome.kind === 'close') return { ...move(rated, 'close', ctx), rating: outcome.rating, clocks: [] };
  const reopened = record.unitId ? move(rated, 'reopen', ctx) : move(rated, 'reopenForTriage', ctx);
  const clocks =
    record.unitId && record.level
      ? unitClocks(record, record.level, ctx)
      : [startClock('triage', ctx.now, ctx.policy.assign, record, ctx)];
  return {
    ...reopened,
    reopenCount: record.reopenCount + 1,
    clocks,
    flags: {
      ...reopened.flags,
      reopened: true,
      escalated: reopened.flags.escalated || outcome.kind === 'escalate',
    },
  };
}

/** The survey window passed without an answer: closed as "not rated", never as satisfied. */
export function closeNotRated(record: CaseRecord, ctx: RuleContext): CaseRecord | undefined {
  if (record.status !== 'resolved' || surveyState(record, ctx.now) !== 'expired') return undefined;
  return { ...move(record, 'close', ctx), rating: NOT_RATED };
}

/** The round of the case's workflow execution (1 until the first restart). */
export function workflowRound(record: CaseRecord): number {
  return record.workflowRound ?? 1;
}

/**
 * The case's execution ended without closing it (failed, timed out, gone): the next round takes
 * over at the case's phase. Recorded in the history for the office only.
 */
export function restartWorkflow(record: CaseRecord, previous: string, ctx: RuleContext): CaseRecord {
  if (isTerminal(record.status)) {
    throw new RuleViolationError(`a case that is ${record.status} has no workflow to restart`);
  }
  const round = workflowRound(record) + 1;
  return {
    ...record,
    workflowRound: round,
    updatedAt: ctx.now.toISOString(),
    history: [...record.history, entry(ctx, 'restartWorkflow', { public: false, data: { round, previous } })],
  };
}
