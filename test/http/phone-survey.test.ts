import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiKey } from '../../shared/app/access';
import { fileCase } from '../../shared/app/file-case';
import type { CaseRecord } from '../../shared/domain/case';
import type { App } from '../../shared/http/app';
import { storeSurveyedCase } from '../support/closed-case';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestRuntime, testRuntime } from '../support/runtime';
import { type TestServices, testServices } from '../support/services';

// 电话回访: the office records the enterprise's answer given on the phone. The same rules as the
// one-time link, checked on the embedded runtime (the workflow runs), then the race and the
// refusals on the app alone.

const CALLER = '李娜';

describe('a phone answer on the running platform', () => {
  let rt: TestRuntime;
  let callerKey: string;
  let n = 0;
  beforeAll(async () => {
    rt = await testRuntime();
    callerKey = (await issueApiKey(rt.services, { role: 'office', label: CALLER })).key;
  });
  afterAll(() => rt.close());

  async function resolved(): Promise<string> {
    n += 1;
    const { id } = await rt.file({ title: `电话回访测试问题 ${n}` });
    await act('POST', `/api/v1/office/cases/${id}/triage`, 'office', {
      level: 'department',
      unitId: 'power-supply',
    });
    await resolveAgain(id);
    return id;
  }

  async function resolveAgain(id: string) {
    expect((await act('POST', `/api/v1/unit/cases/${id}/accept`, 'power-supply', {})).status).toBe(200);
    const resolution = { resolution: '已协调供电所送电' };
    expect((await act('POST', `/api/v1/unit/cases/${id}/resolve`, 'power-supply', resolution)).status).toBe(
      200,
    );
    expect((await rt.get(id)).survey).toMatchObject({ round: (await rt.get(id)).reopenCount });
  }

  async function act(method: string, path: string, as: string | undefined, body: unknown) {
    const response = await rt.api(method, path, { ...(as ? { as } : {}), body });
    await rt.settle();
    return response;
  }

  async function byPhone(id: string, body: unknown): Promise<Response> {
    const response = await fetch(`${rt.url}/api/v1/office/cases/${id}/survey`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${callerKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    await rt.settle();
    return response;
  }

  async function online(id: string, body: unknown): Promise<Response> {
    const { survey } = await rt.get(id);
    return act('POST', `/survey/${survey!.token}`, undefined, body);
  }

  /** What an answer did to a case, whichever way it came. */
  const effect = (r: CaseRecord) => ({
    status: r.status,
    rating: r.rating,
    unitId: r.unitId,
    reopenCount: r.reopenCount,
    flags: r.flags,
    clocks: r.clocks.map((c) => c.id),
    waitingFor: r.wait?.state,
    notices: r.notices.map((x) => ({ kind: x.kind, recipient: x.recipient })),
    lastAction: r.history.at(-1)?.action,
  });

  it.each([
    ['solved and satisfied', { solved: 'yes', satisfaction: 'satisfied' }],
    ['partly solved', { solved: 'partly', satisfaction: 'basically_satisfied' }],
    ['dissatisfied', { solved: 'yes', satisfaction: 'dissatisfied', comment: '态度不好' }],
  ])('does to the case exactly what the same answer by the link does: %s', async (_name, answer) => {
    // Prepare
    const viaLink = await resolved();
    const viaPhone = await resolved();

    // Act
    const linkResponse = await online(viaLink, answer);
    const phoneResponse = await byPhone(viaPhone, answer);

    // Assess
    expect(linkResponse.status).toBe(200);
    expect(phoneResponse.status).toBe(200);
    const [linked, phoned] = [await rt.get(viaLink), await rt.get(viaPhone)];
    expect(effect(phoned)).toEqual(effect(linked));
    expect(phoned.survey?.answer).toEqual({ ...answer, channel: 'phone', recordedBy: CALLER });
    expect(linked.survey?.answer).toEqual({ ...answer, channel: 'online' });
    const surveyEntry = phoned.history.find((h) => h.action === 'survey');
    expect(surveyEntry).toMatchObject({
      actor: { kind: 'office' },
      data: { channel: 'phone', recordedBy: CALLER, solved: answer.solved },
    });
    const body = await json(phoneResponse);
    expect(body).toMatchObject({ id: viaPhone, status: phoned.status });
    expect(body.survey.answer).toMatchObject({ channel: 'phone', recordedBy: CALLER });
  });

  it('reopens on the first failure and escalates on the second, like the link (one answer per round)', async () => {
    // Prepare
    const id = await resolved();

    // Act
    const first = await byPhone(id, { solved: 'no', satisfaction: 'dissatisfied' });
    const again = await byPhone(id, { solved: 'yes', satisfaction: 'satisfied' });
    const reopened = await rt.get(id);
    await resolveAgain(id);
    const second = await byPhone(id, { solved: 'no', satisfaction: 'dissatisfied' });

    // Assess
    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
    expect(reopened).toMatchObject({
      status: 'assigned',
      unitId: 'power-supply',
      reopenCount: 1,
      flags: { reopened: true, escalated: false },
    });
    expect(second.status).toBe(200);
    const record = await rt.get(id);
    expect(record).toMatchObject({ status: 'assigned', reopenCount: 2, flags: { escalated: true } });
    expect(record.notices.filter((x) => x.kind === 'escalation').map((x) => x.recipient)).toEqual([
      { kind: 'unit', unitId: 'leader' },
    ]);
  });

  it('makes the one-time link useless once answered by phone, and the other way round', async () => {
    // Prepare
    const phoneFirst = await resolved();
    const linkFirst = await resolved();
    const satisfied = { solved: 'yes', satisfaction: 'satisfied' };

    // Act
    const phoned = await byPhone(phoneFirst, satisfied);
    const linkAfterPhone = await online(phoneFirst, { solved: 'no', satisfaction: 'dissatisfied' });
    const linked = await online(linkFirst, satisfied);
    const phoneAfterLink = await byPhone(linkFirst, { solved: 'no', satisfaction: 'dissatisfied' });

    // Assess
    expect([phoned.status, linkAfterPhone.status]).toEqual([200, 404]);
    expect([linked.status, phoneAfterLink.status]).toEqual([200, 409]);
    expect((await json(phoneAfterLink)).detail).toMatch(/already been answered/);
    for (const id of [phoneFirst, linkFirst])
      expect(await rt.get(id)).toMatchObject({ status: 'closed', rating: 'satisfied' });
  });

  it('refuses an answer once the survey window has passed: the case closes as not rated', async () => {
    // Prepare
    const id = await resolved();
    const { survey } = await rt.get(id);

    // Act
    await rt.advanceTo(new Date(Date.parse(survey!.expiresAt) + 1000));
    const late = await byPhone(id, { solved: 'yes', satisfaction: 'satisfied' });

    // Assess
    expect(late.status).toBe(409);
    expect(await rt.get(id)).toMatchObject({ status: 'closed', rating: 'not_rated' });
  });
});

describe('the phone answer route on the app', () => {
  let services: TestServices;
  let app: App;
  let unitKey: string;
  let n = 0;
  beforeAll(async () => {
    services = await testServices();
    app = await contractApp(services);
    unitKey = await services.unitKey('power-supply');
  });
  afterAll(() => services.store.close());

  const surveyed = () => {
    n += 1;
    return storeSurveyedCase(services, '2026-11-27T02:00:00Z', `电话回访路由测试 ${n}`);
  };

  const post = (path: string, body: unknown, key?: string, type = 'application/json') =>
    app.request(path, {
      method: 'POST',
      headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'Content-Type': type },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const satisfied = { solved: 'yes', satisfaction: 'satisfied' };

  it('lets one of a phone answer and an online answer arriving together win; the other gets 409', async () => {
    // Prepare: each write waits until both answers have read the case, so they truly race.
    const record = await surveyed();
    const realSave = services.cases.save.bind(services.cases);
    let waiting: (() => void) | undefined;
    let saves = 0;
    services.cases.save = async (next) => {
      saves += 1;
      if (saves <= 2) {
        if (waiting) waiting();
        else await new Promise<void>((resolve) => (waiting = resolve));
      }
      return realSave(next);
    };

    // Act
    const [phone, link] = await Promise.all([
      post(`/api/v1/office/cases/${record.id}/survey`, satisfied, services.officeKey),
      post(`/survey/${record.survey!.token}`, { solved: 'no', satisfaction: 'dissatisfied' }),
    ]).finally(() => {
      services.cases.save = realSave;
    });

    // Assess
    expect([phone.status, link.status].sort()).toEqual([200, 409]);
    const loser = phone.status === 409 ? phone : link;
    expect(loser.headers.get('Content-Type')).toBe('application/problem+json');
    expect((await json(loser)).type).toBe('urn:zhuqi:problem:conflict');
    const stored = (await services.cases.get(record.id))!;
    expect(stored.survey?.answer?.channel).toBe(phone.status === 200 ? 'phone' : 'online');
    expect(stored.status).toBe(phone.status === 200 ? 'closed' : 'assigned');
    expect(stored.history.filter((h) => h.action === 'survey')).toHaveLength(1);
  });

  it('refuses a unit key with 403 and no key with 401, and records nothing', async () => {
    // Prepare
    const record = await surveyed();

    // Act
    const asUnit = await post(`/api/v1/office/cases/${record.id}/survey`, satisfied, unitKey);
    const anonymous = await post(`/api/v1/office/cases/${record.id}/survey`, satisfied);

    // Assess
    expect(asUnit.status).toBe(403);
    expect((await json(asUnit)).type).toBe('urn:zhuqi:problem:forbidden');
    expect(anonymous.status).toBe(401);
    const stored = (await services.cases.get(record.id))!;
    expect(stored.status).toBe('resolved');
    expect(stored.survey?.answeredAt).toBeUndefined();
  });

  it.each([
    ['an unknown answer', { solved: 'maybe', satisfaction: 'satisfied' }, 'solved'],
    ['a missing satisfaction', { solved: 'yes' }, 'satisfaction'],
    ['an unknown field', { ...satisfied, channel: 'online' }, 'channel'],
    ['a comment too long', { ...satisfied, comment: '长'.repeat(501) }, 'comment'],
  ])('refuses %s with 422 naming the field', async (_name, body, field) => {
    // Prepare
    const record = await surveyed();

    // Act
    const response = await post(`/api/v1/office/cases/${record.id}/survey`, body, services.officeKey);

    // Assess
    expect(response.status).toBe(422);
    const problem = await json(response);
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await services.cases.get(record.id))!.survey?.answeredAt).toBeUndefined();
  });

  it('answers 404 for an unknown case, 409 for a case not resolved, 415 for a form', async () => {
    // Prepare
    const record = await surveyed();
    const { record: open } = await fileCase(
      { ...services, intake: { send: async () => {} } },
      {
        filing: { ...validFiling(), title: '尚未办结的问题' },
        defaultChannel: 'api',
        actor: { kind: 'enterprise' },
      },
    );

    // Act
    const unknown = await post('/api/v1/office/cases/no-such-case/survey', satisfied, services.officeKey);
    const notResolved = await post(`/api/v1/office/cases/${open.id}/survey`, satisfied, services.officeKey);
    const form = await post(
      `/api/v1/office/cases/${record.id}/survey`,
      'solved=yes&satisfaction=satisfied',
      services.officeKey,
      'application/x-www-form-urlencoded',
    );

    // Assess
    expect(unknown.status).toBe(404);
    expect(notResolved.status).toBe(409);
    expect((await json(notResolved)).detail).toMatch(/no survey is open/);
    expect(form.status).toBe(415);
  });
});
