import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_WAIT_SECONDS } from '../../shared/workflow/definition';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';
import { poll, processHarness, REPO, type Zhuqi } from '../support/process';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// The embedded runtime killed with SIGKILL while cases wait in every phase, then started again on
// the same data directory: every case continues, nothing is done twice. The runtime runs in its own
// process on a clock it takes from the test (ZHUQI_TEST_CLOCK): it stands still until the test moves
// it, so no deadline depends on real time or on how loaded the machine is.
const harness = processHarness();
afterEach(() => harness.cleanUp());
let webhook: WebhookReceiver;
beforeAll(async () => {
  webhook = await startWebhookReceiver();
});
afterAll(() => webhook.close());

const OFFICE_KEY = 'zq_office_crash-test-key-0123456789';
const START = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in China
const AFTER_CRASH = '2026-11-23T02:01:00.000Z'; // the restart, a minute later
const DAY = 86_400_000;
const env = (clock: string, extra: Record<string, string> = {}) => ({
  ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY,
  ZHUQI_TEST_CLOCK: clock,
  ...extra,
});

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
    file: async (title: string) =>
      json(await call('POST', '/api/v1/cases', undefined, { ...validFiling(), title })),
    caseOf: async (id: string) => json(await call('GET', `/api/v1/office/cases/${id}`, OFFICE_KEY)),
    outbox: async (id: string) =>
      (await json(await call('GET', `/api/v1/office/outbox?caseId=${id}`, OFFICE_KEY))).items,
    unitKey: async (unitId: string) =>
      (
        await json(
          await call('POST', `/api/v1/office/units/${unitId}/keys`, OFFICE_KEY, { label: 'crash test' }),
        )
      ).key as string,
    /** Points the unit's notices at the test's webhook receiver, which counts every delivery. */
    useWebhook: (unitId: string) =>
      call('PATCH', `/api/v1/office/units/${unitId}`, OFFICE_KEY, { webhookUrl: webhook.url }),
  };
}

type Client = ReturnType<typeof client>;
type Notice = { id: string; kind: string; recipient: { kind: string }; clock?: string };

/** Waits until the case's workflow is parked at the given wait (its token stored on the case). */
const parkedAt = (api: Client, id: string, state: string, status?: string) =>
  poll(`case ${id} to wait at ${state}`, async () => {
    const record = await api.caseOf(id);
    return record.waitingFor === state && (!status || record.status === status) ? record : undefined;
  });

/** Waits until every notice to a unit in the case's outbox has reached the webhook. */
const delivered = (api: Client, id: string) =>
  poll(`the notices of ${id} to reach the webhook`, async () => {
    const notices: Notice[] = await api.outbox(id);
    return notices.filter((n) => n.recipient.kind === 'unit').every((n) => webhook.deliveries(n.id) > 0)
      ? notices
      : undefined;
  });

describe('a crash (SIGKILL) in every phase', () => {
  it('resumes every case at its phase with its deadlines; no duplicate execution, notice or survey link', {
    timeout: 180_000,
  }, async () => {
    // Prepare: one case in each phase of the loop; the unit's notices go to the test's webhook.
    const dataDir = harness.newDataDir();
    const first = await harness.start(dataDir, env(START));
    let api = client(first.url);
    expect((await api.useWebhook('power-supply')).status).toBe(200);
    const unitKey = await api.unitKey('power-supply');
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
    // The survey link is queued right after the wait is stored: the notifier records it soon after.
    const surveyLinks = await poll(`the survey link of ${surveyed}`, async () => {
      const links = (await api.outbox(surveyed)).filter((n: Notice) => n.kind === 'survey');
      return links.length > 0 ? links : undefined;
    });
    expect(surveyLinks).toHaveLength(1);
    const justFiled = (await api.file('提交后立即崩溃')).id; // its intake may still be in flight
    const before = {
      notices: new Map<string, string[]>(),
      supervisedClocks: (await api.caseOf(supervised)).clocks,
    };
    for (const id of [inTriage, assigned, supervised, surveyed]) {
      before.notices.set(
        id,
        (await delivered(api, id)).map((n) => n.id),
      );
    }

    // Act: crash, and start again on the same data directory, a minute later.
    await harness.crash(first);
    const second = await harness.start(dataDir, env(AFTER_CRASH));
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

    // Deadlines keep running: moved to its warning instant, the untouched case gets its yellow
    // warning, from the clock set before the crash, and not a moment before.
    const progress = before.supervisedClocks.find((c: { id: string }) => c.id === 'progress');
    await second.advanceClock(new Date(Date.parse(progress.warnAt) - 60_000));
    expect((await api.outbox(supervised)).map((n: Notice) => n.kind)).toEqual(['assignment']);
    await second.advanceClock(progress.warnAt);
    const warning = (await api.outbox(supervised)).find((n: Notice) => n.kind === 'warning');
    expect(warning?.recipient).toEqual({ kind: 'unit', unitId: 'power-supply' });

    // Nothing was done twice: one execution per case (one triage start), one survey link, and each
    // notice to the unit reached its webhook exactly once, across the crash.
    for (const id of [inTriage, assigned, supervised, surveyed, justFiled]) {
      const record = await api.caseOf(id);
      expect(
        record.history.filter((h: { action: string }) => h.action === 'startTriage'),
        id,
      ).toHaveLength(1);
      const notices: Notice[] = await delivered(api, id);
      expect(notices.map((n) => n.id)).toEqual(expect.arrayContaining(before.notices.get(id) ?? []));
      for (const notice of notices.filter((n) => n.recipient.kind === 'unit')) {
        expect(webhook.deliveries(notice.id), `${id} ${notice.kind}`).toBe(1);
      }
    }
    expect((await api.outbox(surveyed)).filter((n: Notice) => n.kind === 'survey')).toHaveLength(1);
    expect((await api.outbox(assigned)).filter((n: Notice) => n.kind === 'assignment')).toHaveLength(1);
    // The figures count each case once, as it stands; stopped, the rebuild finds nothing to correct.
    const { totals } = await json(await api.call('GET', '/api/v1/office/stats', OFFICE_KEY));
    expect(totals).toMatchObject({ filed: 5, triaged: 4, accepted: 2, resolved: 1, closed: 1, satisfied: 1 });
    await harness.stop(second);
    const rebuild = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'infra/rebuild-figures.ts', '--data-dir', dataDir],
      { cwd: REPO },
    );
    expect(rebuild.stdout).toContain('5 cases walked; 0 stored with stale index keys.');
    expect(rebuild.stdout).toContain('Every figure equals its recomputation from the cases.');
  });

  it('does not fire a 30-working-day wait early after a restart', { timeout: 120_000 }, async () => {
    // Prepare: a case for a task force (30 working days to resolve) whose progress is reported, so that
    // only the resolve clock runs; the workflow's steps are traced.
    const dataDir = harness.newDataDir();
    const traced = (clock: string) => env(clock, { ZHUQI_TRACE_WORKFLOW: '1' });
    const first = await harness.start(dataDir, traced(START));
    let api = client(first.url);
    const unitKey = await api.unitKey('tf-factors');
    const { id } = await api.file('专班长周期问题');
    await parkedAt(api, id, 'AwaitTriage');
    await api.call('POST', `/api/v1/office/cases/${id}/triage`, OFFICE_KEY, {
      level: 'task_force',
      unitId: 'tf-factors',
    });
    await parkedAt(api, id, 'AwaitUnit', 'assigned');
    await api.call('POST', `/api/v1/unit/cases/${id}/accept`, unitKey, {});
    await api.call('POST', `/api/v1/unit/cases/${id}/progress`, unitKey, { note: '专班已组建' });
    // The progress report moved the next checkpoint later, so it did not wake the workflow: the wait
    // stays armed for the progress clock's warning, and times out there to find nothing due yet.
    const reported = await parkedAt(api, id, 'AwaitUnit', 'in_progress');
    const armedAt = Date.parse(reported.clocks.find((c: { id: string }) => c.id === 'progress').warnAt);

    // Act: crash; start again; move the restarted child's clock to a minute before the warning.
    await harness.crash(first);
    const second: Zhuqi = await harness.start(dataDir, traced(AFTER_CRASH));
    api = client(second.url);
    const record = await parkedAt(api, id, 'AwaitUnit', 'in_progress');
    const resolve = record.clocks.find((c: { id: string }) => c.id === 'resolve');
    const supervisions = () =>
      second
        .output()
        .split('\n')
        .filter((line) => line.trim() === `workflow ${id} StateEntered SuperviseUnit`).length;
    await second.advanceClock(new Date(Date.parse(resolve.warnAt) - 60_000));
    const early = await api.caseOf(id);

    // Assess: the wait woke only at the checkpoint it was armed for and then at its 20-day slices,
    // graded nothing, sent nothing before the warning…
    expect(Date.parse(resolve.dueAt) - Date.parse(START)).toBeGreaterThan(30 * DAY);
    expect(armedAt).toBeLessThan(Date.parse(resolve.warnAt));
    const slices = Math.ceil((Date.parse(resolve.warnAt) - armedAt) / (MAX_WAIT_SECONDS * 1000));
    expect(slices).toBeGreaterThanOrEqual(2);
    expect(supervisions()).toBe(slices);
    expect(early.clocks.find((c: { id: string }) => c.id === 'resolve').grade).toBe('none');
    expect((await api.outbox(id)).map((n: Notice) => n.kind)).toEqual(['assignment']);
    expect(early.flags).toEqual({ overdue: false, escalated: false, reopened: false });

    // …and fires at the warning instant itself.
    await second.advanceClock(resolve.warnAt);
    expect(supervisions()).toBe(slices + 1);
    const warned = await api.caseOf(id);
    expect(warned.clocks.find((c: { id: string }) => c.id === 'resolve').grade).toBe('yellow');
    expect(warned.notices.filter((n: Notice) => n.clock === 'resolve').map((n: Notice) => n.kind)).toEqual([
      'warning',
    ]);
    expect((await api.outbox(id)).map((n: Notice) => n.kind)).toEqual(['warning', 'assignment']); // newest first
  });
});
