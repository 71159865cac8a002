import { afterEach, describe, expect, it } from 'vitest';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';
import { poll, processHarness } from '../support/process';

// The embedded runtime killed with SIGKILL while cases wait in every phase, then started again on
// the same data directory: every case continues, nothing is done twice. The runtime runs in its own
// process with time scaling (ZHUQI_DAY_SECONDS), the product's own way to watch deadlines pass.
const harness = processHarness();
afterEach(() => harness.cleanUp());

const OFFICE_KEY = 'zq_office_crash-test-key-0123456789';
const DAY_SECONDS = '2';

function client(url: string) {
  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(key ? { Authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status, `${method} ${path}`).toBeLessThan(500);
    return response;
  };
  return {
    call,
    office: async (path: string) => json(await call('GET', path, OFFICE_KEY)),
    file: async (title: string) =>
      json(await call('POST', '/api/v1/cases', undefined, { ...validFiling(), title })),
    caseOf: async (id: string) => json(await call('GET', `/api/v1/office/cases/${id}`, OFFICE_KEY)),
    outbox: async (id: string) =>
      (await json(await call('GET', `/api/v1/office/outbox?caseId=${id}`, OFFICE_KEY))).items,
  };
}

type Client = ReturnType<typeof client>;

/** Waits until the case's workflow is parked at the given wait (its token stored on the case). */
const parkedAt = (api: Client, id: string, state: string, status?: string) =>
  poll(`case ${id} to wait at ${state}`, async () => {
    const record = await api.caseOf(id);
    return record.waitingFor === state && (!status || record.status === status) ? record : undefined;
  });

describe('a crash (SIGKILL) in every phase', () => {
  it('resumes every case at its phase with its deadlines; no duplicate execution, notice or survey link', {
    timeout: 180_000,
  }, async () => {
    // Prepare: one case in each phase of the loop.
    const dataDir = harness.newDataDir();
    const env = { ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY, ZHUQI_DAY_SECONDS: DAY_SECONDS };
    const first = await harness.start(dataDir, env);
    let api = client(first.url);
    const unitKey = (
      await json(
        await api.call('POST', '/api/v1/office/units/power-supply/keys', OFFICE_KEY, { label: 'crash test' }),
      )
    ).key;
    const triage = (id: string) =>
      api.call('POST', `/api/v1/office/cases/${id}/triage`, OFFICE_KEY, {
        level: 'department',
        unitId: 'power-supply',
      });
    const unit = (id: string, action: string, body: unknown = {}) =>
      api.call('POST', `/api/v1/unit/cases/${id}/${action}`, unitKey, body);

    const inTriage = (await api.file('研判阶段崩溃')).id;
    const assigned = (await api.file('交办阶段崩溃')).id;
    const supervised = (await api.file('督办计时中崩溃')).id;
    const surveyed = (await api.file('回访阶段崩溃')).id;
    await parkedAt(api, inTriage, 'AwaitTriage');
    for (const id of [assigned, supervised, surveyed]) {
      await parkedAt(api, id, 'AwaitTriage');
      expect((await triage(id)).status).toBe(200);
      await parkedAt(api, id, 'AwaitUnit', 'assigned');
    }
    expect((await unit(surveyed, 'accept')).status).toBe(200);
    expect((await unit(surveyed, 'resolve', { resolution: '已办结' })).status).toBe(200);
    await parkedAt(api, surveyed, 'AwaitSurvey');
    const surveyLinks = (await api.outbox(surveyed)).filter((n: { kind: string }) => n.kind === 'survey');
    expect(surveyLinks).toHaveLength(1);
    const justFiled = (await api.file('提交后立即崩溃')).id; // its intake may still be in flight
    const before = {
      notices: new Map<string, string[]>(),
      supervisedClocks: (await api.caseOf(supervised)).clocks,
    };
    for (const id of [inTriage, assigned, supervised, surveyed]) {
      before.notices.set(
        id,
        (await api.outbox(id)).map((n: { id: string }) => n.id),
      );
    }

    // Act: crash, and start again on the same data directory.
    await harness.crash(first);
    const second = await harness.start(dataDir, env);
    api = client(second.url);

    // Assess: every case is waiting where it was, with the deadlines it had.
    await parkedAt(api, inTriage, 'AwaitTriage', 'triage');
    await parkedAt(api, assigned, 'AwaitUnit', 'assigned');
    await parkedAt(api, surveyed, 'AwaitSurvey', 'resolved');
    await parkedAt(api, justFiled, 'AwaitTriage', 'triage');
    const resumed = await parkedAt(api, supervised, 'AwaitUnit', 'assigned');
    expect(resumed.clocks.map((c: { dueAt: string }) => c.dueAt)).toEqual(
      before.supervisedClocks.map((c: { dueAt: string }) => c.dueAt),
    );

    // …and continues: the office triages, the unit answers, the survey link sent before the crash works.
    expect((await triage(inTriage)).status).toBe(200);
    await parkedAt(api, inTriage, 'AwaitUnit', 'assigned');
    expect((await unit(assigned, 'accept')).status).toBe(200);
    await parkedAt(api, assigned, 'AwaitUnit', 'accepted');
    const answered = await api.call('POST', new URL(surveyLinks[0].link).pathname, undefined, {
      solved: 'yes',
      satisfaction: 'satisfied',
    });
    expect(answered.status).toBe(200);
    await poll('the surveyed case to close', async () =>
      (await api.caseOf(surveyed)).status === 'closed' ? true : undefined,
    );

    // Deadlines keep running: the untouched case gets its yellow warning, from the clock set before the crash.
    const warning = await poll(
      'the supervision warning of the untouched case',
      async () => (await api.outbox(supervised)).find((n: { kind: string }) => n.kind === 'warning'),
      90_000,
      250,
    );
    expect(warning.recipient).toEqual({ kind: 'unit', unitId: 'power-supply' });

    // Nothing was done twice: one execution per case (one triage start), each notice once, one survey link.
    for (const id of [inTriage, assigned, supervised, surveyed, justFiled]) {
      const record = await api.caseOf(id);
      expect(
        record.history.filter((h: { action: string }) => h.action === 'startTriage'),
        id,
      ).toHaveLength(1);
      const ids = (await api.outbox(id)).map((n: { id: string }) => n.id);
      expect(new Set(ids).size, id).toBe(ids.length);
      expect(ids).toEqual(expect.arrayContaining(before.notices.get(id) ?? []));
    }
    expect((await api.outbox(surveyed)).filter((n: { kind: string }) => n.kind === 'survey')).toHaveLength(1);
    expect(
      (await api.outbox(assigned)).filter((n: { kind: string }) => n.kind === 'assignment'),
    ).toHaveLength(1);
  });

  it('does not fire a 30-working-day wait early after a restart', { timeout: 90_000 }, async () => {
    // Prepare: real days, a case for a task force (30 working days to resolve).
    const dataDir = harness.newDataDir();
    const first = await harness.start(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY });
    let api = client(first.url);
    const { id } = await api.file('专班长周期问题');
    await parkedAt(api, id, 'AwaitTriage');
    await api.call('POST', `/api/v1/office/cases/${id}/triage`, OFFICE_KEY, {
      level: 'task_force',
      unitId: 'tf-factors',
    });
    await parkedAt(api, id, 'AwaitUnit');

    // Act
    await harness.crash(first);
    const second = await harness.start(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY });
    api = client(second.url);
    const record = await parkedAt(api, id, 'AwaitUnit', 'assigned');

    // Assess: the resumed wait is armed, nothing graded, only the assignment notice was ever sent.
    const resolve = record.clocks.find((c: { id: string }) => c.id === 'resolve');
    expect(Date.parse(resolve.dueAt) - Date.now()).toBeGreaterThan(30 * 86_400_000);
    expect(record.clocks.map((c: { grade: string }) => c.grade)).toEqual(['none', 'none']);
    expect((await api.outbox(id)).map((n: { kind: string }) => n.kind)).toEqual(['assignment']);
    expect(record.flags).toEqual({ overdue: false, escalated: false, reopened: false });
  });
});
