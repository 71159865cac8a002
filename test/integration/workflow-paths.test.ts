import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../shared/domain/case';
import { workflowDefinition } from '../../shared/workflow/definition';
import { json } from '../support/http';
import { type TestRuntime, testRuntime } from '../support/runtime';

// Every path of the workflow definition, driven through the HTTP API on the embedded runtime,
// with the workflow's timers on a manual clock (no test waits for a real deadline).
// Each path runs on a fresh runtime whose clock starts on Monday 23 November 2026, 10:00 China time.
let rt: TestRuntime;
let n = 0;
const entered = new Set<string>();
const failures: string[] = [];
beforeEach(async () => {
  rt = await testRuntime();
});
afterEach(async () => {
  for (const state of rt.trace.entered) entered.add(state);
  failures.push(...rt.trace.failures);
  await rt.close();
});

async function fileCase(overrides: Record<string, unknown> = {}) {
  n += 1;
  const filed = await rt.file({ title: `路径测试问题 ${n}`, ...overrides });
  return filed.id;
}

async function act(method: string, path: string, as: string | undefined, body?: unknown) {
  const response = await rt.api(method, path, {
    ...(as ? { as } : {}),
    ...(body !== undefined ? { body } : {}),
  });
  await rt.settle();
  return response;
}

const triage = (id: string, body: unknown) =>
  act('POST', `/api/v1/office/cases/${id}/triage`, 'office', body);
const answer = (id: string, unitId: string, action: string, body: unknown = {}) =>
  act('POST', `/api/v1/unit/cases/${id}/${action}`, unitId, body);

async function assigned(unitId = 'power-supply', overrides: Record<string, unknown> = {}) {
  const id = await fileCase(overrides);
  expect((await triage(id, { level: 'department', unitId })).status).toBe(200);
  return id;
}

async function resolved(unitId = 'power-supply') {
  const id = await assigned(unitId);
  expect((await answer(id, unitId, 'accept')).status).toBe(200);
  expect((await answer(id, unitId, 'resolve', { resolution: '已办结' })).status).toBe(200);
  return id;
}

async function surveyLink(id: string): Promise<string> {
  const outbox = await json(await rt.api('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' }));
  const invitations = outbox.items.filter((n: { kind: string }) => n.kind === 'survey');
  return new URL(invitations[0].link).pathname; // newest first
}

const survey = async (id: string, body: unknown) => act('POST', await surveyLink(id), undefined, body);
const clock = (record: CaseRecord, id: 'triage' | 'progress' | 'resolve') =>
  record.clocks.find((c) => c.id === id)!;

describe('workflow paths', () => {
  it('triage override: the office assigns another level and unit than suggested; major cases get 30 days', async () => {
    const id = await fileCase();
    expect((await rt.get(id)).suggestion).toEqual({ level: 'department', unitId: 'power-supply' });
    expect(
      (await triage(id, { level: 'task_force', unitId: 'tf-factors', note: '涉及用地和电力' })).status,
    ).toBe(200);
    const record = await rt.get(id);
    expect(record).toMatchObject({ status: 'assigned', level: 'task_force', unitId: 'tf-factors' });
    // Filed Monday 2026-11-23; 30 working days later is Friday 2027-01-01 — a holiday of a year the
    // bundled calendar does not know, so the deadline is flagged.
    expect(clock(record, 'resolve')).toMatchObject({
      dueAt: '2027-01-04T16:00:00.000Z',
      beyondCalendar: true,
    });
    expect(clock(record, 'progress').dueAt).toBe('2026-11-26T16:00:00.000Z');
    expect(record.wait?.state).toBe('AwaitUnit');
  });

  it('refuses a unit of the wrong level, and an unknown unit, with 422', async () => {
    const id = await fileCase();
    const wrongLevel = await triage(id, { level: 'task_force', unitId: 'power-supply' });
    expect(wrongLevel.status).toBe(422);
    expect((await json(wrongLevel)).errors[0]).toMatchObject({ field: 'unitId', code: 'level_mismatch' });
    expect((await triage(id, { level: 'department', unitId: 'nobody' })).status).toBe(422);
    expect((await rt.get(id)).status).toBe('triage');
  });

  it('on the spot: solved at triage, then surveyed and closed', async () => {
    const id = await fileCase();
    expect((await triage(id, { level: 'on_spot' })).status).toBe(422); // how it was solved must be said
    expect((await triage(id, { level: 'on_spot', note: '现场协调供电所当天送电' })).status).toBe(200);
    expect(await rt.get(id)).toMatchObject({
      status: 'resolved',
      level: 'on_spot',
      resolution: '现场协调供电所当天送电',
    });
    expect((await survey(id, { solved: 'yes', satisfaction: 'basically_satisfied' })).status).toBe(200);
    expect(await rt.get(id)).toMatchObject({ status: 'closed', rating: 'basically_satisfied' });
  });

  it('on the spot, not solved after all: no unit to go back to, so the office triages it again', async () => {
    const id = await fileCase();
    await triage(id, { level: 'on_spot', note: '电话指导处理' });
    expect((await survey(id, { solved: 'no', satisfaction: 'dissatisfied' })).status).toBe(200);
    const record = await rt.get(id);
    expect(record).toMatchObject({ status: 'triage', reopenCount: 1, flags: { reopened: true } });
    expect(record.wait?.state).toBe('AwaitTriage');
    expect(clock(record, 'triage').grade).toBe('none');
    expect((await triage(id, { level: 'department', unitId: 'power-supply' })).status).toBe(200);
    expect(await rt.get(id)).toMatchObject({ status: 'assigned', unitId: 'power-supply' });
  });

  it('return: the unit sends a misrouted case back within the window; the office reassigns it', async () => {
    const id = await assigned('power-supply');
    expect((await answer(id, 'power-supply', 'return', { reason: '属于用地问题，非供电职责' })).status).toBe(
      200,
    );
    let record = await rt.get(id);
    expect(record).toMatchObject({ status: 'triage', wait: { state: 'AwaitTriage' } });
    expect(record.unitId).toBeUndefined();
    expect((await rt.api('GET', `/api/v1/unit/cases/${id}`, { as: 'power-supply' })).status).toBe(404);
    expect((await triage(id, { level: 'department', unitId: 'natural-resources' })).status).toBe(200);
    record = await rt.get(id);
    expect(record).toMatchObject({ status: 'assigned', unitId: 'natural-resources' });
    expect(record.notices.filter((x) => x.kind === 'assignment').map((x) => x.recipient)).toEqual([
      { kind: 'unit', unitId: 'power-supply' },
      { kind: 'unit', unitId: 'natural-resources' },
    ]);
  });

  it('return after the window has closed is refused with 409', async () => {
    const id = await assigned('power-supply');
    await rt.advanceTo(new Date(Date.parse((await rt.get(id)).returnBy!) + 1000));
    const late = await answer(id, 'power-supply', 'return', { reason: '不是我们的' });
    expect(late.status).toBe(409);
    expect((await json(late)).detail).toMatch(/return window closed/);
  });

  it('progress: reporting progress meets the 3-day clock; a unit cannot resolve before accepting', async () => {
    const id = await assigned('power-supply');
    expect((await answer(id, 'power-supply', 'resolve', { resolution: '跳过受理' })).status).toBe(409);
    expect((await answer(id, 'power-supply', 'progress', { note: '未受理先反馈' })).status).toBe(409);
    expect((await answer(id, 'power-supply', 'accept')).status).toBe(200);
    expect((await answer(id, 'power-supply', 'progress', { note: '已现场勘查' })).status).toBe(200);
    const record = await rt.get(id);
    expect(record.status).toBe('in_progress');
    expect(clock(record, 'progress').metAt).toBeDefined();
    expect(clock(record, 'resolve').metAt).toBeUndefined();
    expect(record.history.at(-1)).toMatchObject({
      action: 'reportProgress',
      note: '已现场勘查',
      public: true,
    });
  });

  it('extension granted: the resolution deadline moves by the working days granted', async () => {
    const id = await assigned('power-supply');
    await answer(id, 'power-supply', 'accept');
    const before = clock(await rt.get(id), 'resolve').dueAt;
    expect(
      (await answer(id, 'power-supply', 'extension', { days: 3, reason: '需等待上级电网批复' })).status,
    ).toBe(200);
    expect((await answer(id, 'power-supply', 'extension', { days: 3, reason: '再来一次' })).status).toBe(409);
    const decided = await act('POST', `/api/v1/office/cases/${id}/extension-decision`, 'office', {
      decision: 'grant',
    });
    expect(decided.status).toBe(200);
    const record = await rt.get(id);
    expect(record.extension).toMatchObject({ status: 'granted', days: 3 });
    expect(before).toBe('2026-12-02T16:00:00.000Z'); // 7 working days after Monday 23 November
    expect(clock(record, 'resolve').dueAt).toBe('2026-12-07T16:00:00.000Z'); // three more working days
    expect(record.notices.map((x) => x.kind)).toContain('extension_decision');
  });

  it('extension refused: the deadline stays; asking too late is refused', async () => {
    const id = await assigned('power-supply');
    await answer(id, 'power-supply', 'accept');
    const before = clock(await rt.get(id), 'resolve').dueAt;
    await answer(id, 'power-supply', 'extension', { days: 5, reason: '材料不全' });
    expect(
      (await act('POST', `/api/v1/office/cases/${id}/extension-decision`, 'office', { decision: 'refuse' }))
        .status,
    ).toBe(200);
    const record = await rt.get(id);
    expect(record.extension?.status).toBe('refused');
    expect(clock(record, 'resolve').dueAt).toBe(before);
    expect(
      (await act('POST', `/api/v1/office/cases/${id}/extension-decision`, 'office', { decision: 'grant' }))
        .status,
    ).toBe(409);
    await rt.advanceTo('2026-12-02T00:00:00Z'); // the last working day: less than 1 day before the deadline
    expect((await answer(id, 'power-supply', 'extension', { days: 2, reason: '太晚了' })).status).toBe(409);
  });

  it('yellow → red → escalation: each grade issues its notice once, flags the case, and the leader hears of it', async () => {
    const id = await assigned('power-supply');
    const progress = clock(await rt.get(id), 'progress');
    await rt.advanceTo(progress.warnAt);
    let record = await rt.get(id);
    expect(clock(record, 'progress').grade).toBe('yellow');
    expect(record.flags.overdue).toBe(false);
    await rt.advanceTo(progress.dueAt);
    record = await rt.get(id);
    expect(clock(record, 'progress').grade).toBe('red');
    expect(record.flags.overdue).toBe(true);
    await rt.advanceTo(progress.escalateAt);
    record = await rt.get(id);
    expect(clock(record, 'progress').grade).toBe('escalated');
    expect(record.flags.escalated).toBe(true);
    const progressNotices = record.notices.filter((x) => x.clock === 'progress');
    expect(progressNotices.map((x) => [x.kind, x.recipient])).toEqual([
      ['warning', { kind: 'unit', unitId: 'power-supply' }],
      ['overdue', { kind: 'unit', unitId: 'power-supply' }],
      ['escalation', { kind: 'unit', unitId: 'leader' }],
    ]);
    const outbox = await json(await rt.api('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' }));
    const sent = outbox.items.filter((x: { id: string }) => progressNotices.some((p) => p.id === x.id));
    expect(sent).toHaveLength(3);
    expect(sent.find((x: { kind: string }) => x.kind === 'overdue').body).toMatch(/督办单|超过反馈进展期限/);
    const office = await json(await rt.api('GET', '/api/v1/office/cases?flag=escalated', { as: 'office' }));
    expect(office.items.map((c: { id: string }) => c.id)).toContain(id);
  });

  it('triage clock: a case left in triage warns the office, is overdue (?flag=overdue) and goes to the leader', async () => {
    const id = await fileCase();
    const triage = clock(await rt.get(id), 'triage');
    const overdueQueue = async () =>
      (await json(await rt.api('GET', '/api/v1/office/cases?flag=overdue', { as: 'office' }))).items.map(
        (c: { id: string }) => c.id,
      );

    await rt.advanceTo(triage.warnAt);
    expect((await rt.get(id)).notices.map((x) => [x.kind, x.recipient])).toEqual([
      ['warning', { kind: 'office' }],
    ]);
    expect(await overdueQueue()).not.toContain(id);
    await rt.advanceTo(triage.dueAt);
    const fresh = await fileCase(); // filed at the deadline of the first: not overdue
    expect((await rt.get(id)).flags.overdue).toBe(true);
    expect(await overdueQueue()).toContain(id);
    expect(await overdueQueue()).not.toContain(fresh);
    await rt.advanceTo(triage.escalateAt);
    const record = await rt.get(id);
    expect(record.notices.map((x) => [x.kind, x.recipient])).toEqual([
      ['warning', { kind: 'office' }],
      ['overdue', { kind: 'office' }],
      ['escalation', { kind: 'unit', unitId: 'leader' }],
    ]);
    expect(record.status).toBe('triage');
  });

  it('resolve clock: after progress is reported, the unit is warned, then overdue at its 7-day deadline', async () => {
    const id = await assigned('power-supply');
    await answer(id, 'power-supply', 'accept');
    await answer(id, 'power-supply', 'progress', { note: '已现场勘查' });
    const resolve = clock(await rt.get(id), 'resolve');

    await rt.advanceTo(resolve.warnAt);
    let record = await rt.get(id);
    expect(clock(record, 'resolve').grade).toBe('yellow');
    expect(clock(record, 'progress').grade).toBe('none');
    await rt.advanceTo(resolve.dueAt);
    record = await rt.get(id);
    expect(clock(record, 'resolve').grade).toBe('red');
    expect(record.flags.overdue).toBe(true);
    expect(record.notices.filter((x) => x.clock === 'resolve').map((x) => [x.kind, x.recipient])).toEqual([
      ['warning', { kind: 'unit', unitId: 'power-supply' }],
      ['overdue', { kind: 'unit', unitId: 'power-supply' }],
    ]);
  });

  it('reopen then close: a negative survey sends the case back to the same unit (回头看); the second round closes', async () => {
    const id = await resolved('power-supply');
    expect((await survey(id, { solved: 'partly', satisfaction: 'basically_satisfied' })).status).toBe(200);
    let record = await rt.get(id);
    expect(record).toMatchObject({
      status: 'assigned',
      unitId: 'power-supply',
      reopenCount: 1,
      flags: { reopened: true },
    });
    expect(record.notices.filter((x) => x.kind === 'assignment')).toHaveLength(2);
    await answer(id, 'power-supply', 'accept');
    await answer(id, 'power-supply', 'resolve', { resolution: '二次办理完成' });
    expect((await survey(id, { solved: 'yes', satisfaction: 'satisfied' })).status).toBe(200);
    record = await rt.get(id);
    expect(record).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('reopen twice → escalation: the second failed survey brings the supervising leader in', async () => {
    const id = await resolved('power-supply');
    await survey(id, { solved: 'no', satisfaction: 'dissatisfied' });
    await answer(id, 'power-supply', 'accept');
    await answer(id, 'power-supply', 'resolve', { resolution: '再次答复' });
    await survey(id, { solved: 'no', satisfaction: 'dissatisfied' });
    const record = await rt.get(id);
    expect(record).toMatchObject({
      status: 'assigned',
      reopenCount: 2,
      flags: { reopened: true, escalated: true },
    });
    expect(record.notices.filter((x) => x.kind === 'escalation').map((x) => x.recipient)).toEqual([
      { kind: 'unit', unitId: 'leader' },
    ]);
  });

  it('survey timeout → closed as not rated, never as satisfied', async () => {
    const id = await resolved('power-supply');
    const { survey: open } = await rt.get(id);
    await rt.advanceTo(new Date(Date.parse(open!.expiresAt) + 1000));
    const record = await rt.get(id);
    expect(record).toMatchObject({ status: 'closed', rating: 'not_rated' });
    expect(
      (await rt.api('POST', await surveyLink(id), { body: { solved: 'yes', satisfaction: 'satisfied' } }))
        .status,
    ).toBe(404);
  });

  it('the survey link works once', async () => {
    const id = await resolved('power-supply');
    const link = await surveyLink(id);
    expect((await act('POST', link, undefined, { solved: 'yes', satisfaction: 'satisfied' })).status).toBe(
      200,
    );
    expect((await act('POST', link, undefined, { solved: 'no', satisfaction: 'dissatisfied' })).status).toBe(
      404,
    );
    expect((await rt.get(id)).rating).toBe('satisfied');
  });

  it('entered every state of the definition, and no execution failed (runs last)', () => {
    expect(failures).toEqual([]);
    expect([...entered].sort()).toEqual(Object.keys(workflowDefinition().States).sort());
  });
});
