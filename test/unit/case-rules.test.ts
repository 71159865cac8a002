import { describe, expect, it } from 'vitest';
import { publicView } from '../../shared/app/track-case';
import { parseConfig } from '../../shared/config/config';
import { WorkCalendar } from '../../shared/domain/calendar';
import type { Actor, CaseRecord } from '../../shared/domain/case';
import {
  acceptCase,
  closeNotRated,
  decideTriage,
  openSurvey,
  type RuleContext,
  RuleViolationError,
  reportProgress,
  resolveCase,
  restartWorkflow,
  startTriage,
  supervise,
  workflowRound,
} from '../../shared/domain/case-rules';
import { NOT_RATED } from '../../shared/domain/survey-outcome';
import { validFiling } from '../support/fixtures';

// The case rules as pure functions: a case built by the rules themselves, moved by a clock the test sets.
const config = parseConfig({});
const calendar = new WorkCalendar(config.calendar);
const MONDAY = '2026-11-23T02:00:00.000Z'; // 10:00 in China
const SYSTEM: Actor = { kind: 'system' };
const UNIT: Actor = { kind: 'unit', id: 'power-supply' };
const OFFICE: Actor = { kind: 'office', id: 'zq_office_ab' };

const ctx = (at: string | Date, actor: Actor = SYSTEM): RuleContext => ({
  now: new Date(at),
  actor,
  policy: config.deadlines,
  calendar,
  escalationUnitId: config.escalationUnitId,
});

function filed(at = MONDAY): CaseRecord {
  const filing = validFiling();
  return {
    id: 'abcdefghijklmnopqrst',
    caseNo: 'YL-2026-000001',
    trackingKey: 'tracking-key',
    fingerprint: 'fingerprint',
    status: 'submitted',
    flags: { overdue: false, escalated: false, reopened: false },
    ...filing,
    channel: 'web',
    reopenCount: 0,
    clocks: [],
    notices: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, actor: { kind: 'enterprise' }, action: 'file', to: 'submitted', public: true }],
  };
}

const triaged = () => startTriage(filed(), config.categories, ctx(MONDAY));
const assigned = () =>
  decideTriage(
    triaged(),
    { level: 'department', unitId: 'power-supply', note: '内部：先电话沟通' },
    ctx(MONDAY, OFFICE),
  );
const resolvedWithSurvey = () => {
  const resolved = resolveCase(acceptCase(assigned(), ctx(MONDAY, UNIT)), '已协调送电', ctx(MONDAY, UNIT));
  return openSurvey(resolved, 'survey-token', ctx(MONDAY)).record;
};

describe('supervision of the triage clock (研判)', () => {
  it('warns and flags the office for a case it leaves in triage, and escalates to the leader', () => {
    const record = triaged();
    const triage = record.clocks.find((c) => c.id === 'triage')!;

    const yellow = supervise(record, ctx(triage.warnAt));
    const red = supervise(yellow.record, ctx(triage.dueAt));
    const escalated = supervise(red.record, ctx(triage.escalateAt));

    expect(yellow.notices.map((n) => [n.kind, n.recipient])).toEqual([['warning', { kind: 'office' }]]);
    expect(red.notices.map((n) => [n.kind, n.recipient])).toEqual([['overdue', { kind: 'office' }]]);
    expect(red.record.flags.overdue).toBe(true);
    expect(escalated.notices.map((n) => [n.kind, n.recipient])).toEqual([
      ['escalation', { kind: 'unit', unitId: 'leader' }],
    ]);
    expect(escalated.record.flags.escalated).toBe(true);
    // Each grade once: looking again at the same instant issues nothing.
    expect(supervise(escalated.record, ctx(triage.escalateAt)).notices).toEqual([]);
  });

  it('issues nothing before the warning instant', () => {
    const record = triaged();
    const triage = record.clocks.find((c) => c.id === 'triage')!;

    const early = supervise(record, ctx(new Date(Date.parse(triage.warnAt) - 1)));

    expect(early.notices).toEqual([]);
    expect(early.record).toBe(record);
    expect(early.nextCheckAt?.toISOString()).toBe(triage.warnAt);
  });
});

describe('supervision of the resolve clock (办结)', () => {
  it('after progress is reported, grades only the resolve clock and tells the unit', () => {
    // Prepare: the unit accepts and reports progress, so only resolving remains due.
    const accepted = acceptCase(assigned(), ctx(MONDAY, UNIT));
    const progressed = reportProgress(accepted, '已现场勘查', ctx('2026-11-24T02:00:00Z', UNIT));
    const resolve = progressed.clocks.find((c) => c.id === 'resolve')!;
    expect(progressed.clocks.find((c) => c.id === 'progress')?.metAt).toBeDefined();

    // Act
    const yellow = supervise(progressed, ctx(resolve.warnAt));
    const red = supervise(yellow.record, ctx(resolve.dueAt));

    // Assess
    const unit = { kind: 'unit', unitId: 'power-supply' };
    expect(yellow.notices.map((n) => [n.kind, n.clock, n.recipient])).toEqual([['warning', 'resolve', unit]]);
    expect(red.notices.map((n) => [n.kind, n.clock, n.recipient])).toEqual([['overdue', 'resolve', unit]]);
    expect(red.record.flags.overdue).toBe(true);
    expect(red.record.clocks.find((c) => c.id === 'progress')?.grade).toBe('none');
  });

  it('stops once the case is resolved', () => {
    const accepted = acceptCase(assigned(), ctx(MONDAY, UNIT));
    const resolved = resolveCase(accepted, '已办结', ctx('2026-11-24T02:00:00Z', UNIT));

    const later = supervise(resolved, ctx('2027-01-31T02:00:00Z'));

    expect(later.notices).toEqual([]);
  });
});

describe('an unanswered survey', () => {
  it('closes the case as not rated once its window has passed — never as satisfied', () => {
    const record = resolvedWithSurvey();

    const closed = closeNotRated(record, ctx(record.survey!.expiresAt));

    expect(closed?.status).toBe('closed');
    expect(closed?.rating).toBe(NOT_RATED);
    expect(closed?.rating).not.toBe('satisfied');
    expect(closed?.survey?.answer).toBeUndefined();
  });

  it('keeps the case open while the window is still open', () => {
    const record = resolvedWithSurvey();

    expect(closeNotRated(record, ctx(new Date(Date.parse(record.survey!.expiresAt) - 1)))).toBeUndefined();
  });

  it('does not close a case whose survey was answered, or one not waiting for a survey', () => {
    const record = resolvedWithSurvey();
    const answered = { ...record, survey: { ...record.survey!, answeredAt: MONDAY } };

    expect(closeNotRated(answered, ctx('2027-06-01T00:00:00Z'))).toBeUndefined();
    expect(closeNotRated(assigned(), ctx('2027-06-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('private history', () => {
  it('stays off the enterprise’s view: triage notes, supervision grades and workflow restarts', () => {
    // Prepare: a private triage note, a private yellow warning, a private workflow restart.
    const record = assigned();
    const progress = record.clocks.find((c) => c.id === 'progress')!;
    const warned = supervise(record, ctx(progress.warnAt)).record;
    const restarted = restartWorkflow(warned, 'failed', ctx(progress.warnAt));
    const privateActions = restarted.history.filter((h) => !h.public).map((h) => h.action);
    expect(privateActions).toEqual(['triageNote', 'supervise:yellow', 'restartWorkflow']);

    // Act
    const view = publicView(restarted, config, { now: new Date(progress.warnAt) });

    // Assess
    expect(view.history.map((h) => h.action)).toEqual(['file', 'startTriage', 'assign']);
    expect(JSON.stringify(view)).not.toContain('内部：先电话沟通');
  });
});

describe('workflow restarts', () => {
  it('count rounds from 1 and refuse a closed case', () => {
    const record = triaged();
    const second = restartWorkflow(record, 'failed', ctx(MONDAY));
    const third = restartWorkflow(second, 'missing', ctx(MONDAY));

    expect([workflowRound(record), workflowRound(second), workflowRound(third)]).toEqual([1, 2, 3]);
    expect(third.status).toBe('triage');
    expect(third.history.at(-1)).toMatchObject({ data: { round: 3, previous: 'missing' }, public: false });
    const closed = closeNotRated(resolvedWithSurvey(), ctx('2027-06-01T00:00:00Z'))!;
    expect(() => restartWorkflow(closed, 'failed', ctx(MONDAY))).toThrow(RuleViolationError);
  });
});
