import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpJob, listFollowUps, sampleFollowUps } from '../../shared/app/follow-up';
import type { Services } from '../../shared/app/services';
import type { CaseRecord } from '../../shared/domain/case';
import type { App } from '../../shared/http/app';
import type { CaseRepository } from '../../shared/store/case-repository';
import { storeClosedCase } from '../support/closed-case';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// 回头看: the monthly sampling of closed cases, the office's list of a month's sample and the
// recording of each revisit's result. Closed cases are built by driving filed cases through the
// domain rules at chosen instants (test/support/closed-case.ts).
let services: TestServices;
let app: App;
let unitKey: string;
let n = 0;

/** 2026-12-05 10:00 in China: October and November are over, December is not. */
const NOW = '2026-12-05T02:00:00Z';

/** A case closed satisfied at `closeAt` (UTC). */
async function caseClosedAt(closeAt: string): Promise<string> {
  n += 1;
  return (await storeClosedCase(services, closeAt, `回头看测试问题 ${n}`)).id;
}

async function stored(id: string): Promise<CaseRecord> {
  const record = await services.cases.get(id);
  if (!record) throw new Error(`no case ${id}`);
  return record;
}

async function call(
  method: string,
  path: string,
  { as = 'office', body }: { as?: 'office' | 'unit' | 'nobody'; body?: unknown } = {},
): Promise<Response> {
  const key = as === 'office' ? services.officeKey : as === 'unit' ? unitKey : undefined;
  const response = await app.request(path, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status).toBeLessThan(500);
  return response;
}

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  const problem = await json(response);
  expect(problem).toMatchObject({ type: `urn:zhuqi:problem:${type}`, status });
  return problem;
}

const sample = (body: unknown) => call('POST', '/api/v1/office/follow-ups', { body });
const record = (id: string, body: unknown) => call('POST', `/api/v1/office/cases/${id}/follow-up`, { body });

const october: string[] = [];
const september: string[] = [];
let firstOfNovember: string;

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  unitKey = await services.unitKey('power-supply');
  // October in China: from 00:30 on 1 October (still 30 September in UTC) to 23:30 on 31 October.
  october.push(await caseClosedAt('2026-09-30T16:30:00Z'));
  for (let day = 1; day <= 23; day++) {
    october.push(await caseClosedAt(`2026-10-${String(day).padStart(2, '0')}T06:00:00Z`));
  }
  october.push(await caseClosedAt('2026-10-31T15:30:00Z'));
  // 23:30 on 30 September in China, and 00:30 on 1 November (still 31 October in UTC).
  september.push(await caseClosedAt('2026-09-30T15:30:00Z'));
  firstOfNovember = await caseClosedAt('2026-10-31T16:30:00Z');
  services.clock.set(NOW);
});
afterAll(() => services.store.close());

describe('sampling a month (回头看抽查)', () => {
  it('samples 10% (rounded up) of the cases closed in the month, only those, and marks each', async () => {
    // Prepare
    const versions = new Map<string, number>();
    for (const id of [...october, ...september, firstOfNovember])
      versions.set(id, (await stored(id)).version);

    // Act
    const response = await sample({ month: '2026-10' });

    // Assess
    expect(response.status).toBe(200);
    const { month, caseIds } = await json(response);
    expect(month).toBe('2026-10');
    expect(caseIds).toHaveLength(3); // 25 cases closed in October: ceil(2.5)
    expect(new Set(caseIds).size).toBe(3);
    for (const id of caseIds) {
      expect(october).toContain(id);
      const marked = await stored(id);
      expect(marked.followUp).toEqual({ month: '2026-10', sampledAt: new Date(NOW).toISOString() });
      expect(marked.version).toBe(versions.get(id)! + 1);
      expect(marked.history.at(-1)).toMatchObject({
        action: 'followUpSampled',
        actor: { kind: 'office' },
        public: false,
        data: { month: '2026-10' },
      });
    }
    for (const id of [...october.filter((o) => !caseIds.includes(o)), ...september, firstOfNovember]) {
      const untouched = await stored(id);
      expect(untouched.followUp).toBeUndefined();
      expect(untouched.version).toBe(versions.get(id));
    }
  });

  it('is idempotent: a month sampled already answers its sample and samples nothing new', async () => {
    // Prepare
    const first = await json(await sample({ month: '2026-10' }));
    const before = await Promise.all(october.map(stored));

    // Act
    const again = await sample({ month: '2026-10' });
    const direct = await sampleFollowUps(services, '2026-10', () => 0);

    // Assess
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual(first);
    expect(direct).toEqual(first.caseIds);
    expect(await Promise.all(october.map(stored))).toEqual(before);
  });

  it('samples a month once when two runs race (a duplicate schedule and the office at the same time)', async () => {
    // Prepare: May, which nothing else samples, with twelve closed cases (a sample of two)
    const may: string[] = [];
    for (let day = 1; day <= 12; day++)
      may.push(await caseClosedAt(`2026-05-${String(day).padStart(2, '0')}T06:00:00Z`));
    services.clock.set(NOW);

    // Act: two runs that would pick different cases
    const [a, b] = await Promise.all([
      sampleFollowUps(services, '2026-05', () => 0),
      sampleFollowUps(services, '2026-05', () => 0.99),
    ]);

    // Assess: one sample, of the size the rate gives, marked once
    expect(a).toHaveLength(2);
    expect([...b].sort()).toEqual([...a].sort());
    const marked = (await Promise.all(may.map(stored))).filter((r) => r.followUp?.month === '2026-05');
    expect(marked.map((r) => r.id).sort()).toEqual([...a].sort());
  });

  it('completes a sample that a crash cut short: the claimed cases not yet marked are marked next time', async () => {
    // Prepare: November claimed with its pick, as a run that died before marking it would leave it
    await services.cases.claimFollowUpSample(
      '2026-11',
      [firstOfNovember],
      services.clock.now().toISOString(),
    );
    expect((await stored(firstOfNovember)).followUp).toBeUndefined();

    // Act
    const ids = await sampleFollowUps(services, '2026-11', () => 0.5);

    // Assess
    expect(ids).toEqual([firstOfNovember]);
    expect((await stored(firstOfNovember)).followUp?.month).toBe('2026-11');
  });

  it('counts a case closed at 00:30 on 1 November, China time, in November, not October', async () => {
    // Act
    const november = await json(await sample({ month: '2026-11' }));
    const octoberSample = await json(await sample({ month: '2026-10' }));

    // Assess: November closed one case, and the minimum is one
    expect(november).toEqual({ month: '2026-11', caseIds: [firstOfNovember] });
    expect(octoberSample.caseIds).not.toContain(firstOfNovember);
  });

  it('samples the month before this one (China time) when no month is given', async () => {
    // Act
    const response = await sample({});

    // Assess
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ month: '2026-11', caseIds: [firstOfNovember] });
  });

  it('refuses a month that has not ended, and anything that is not a month: 422 naming month', async () => {
    for (const month of ['2026-12', '2027-03', '2026-13', '2026-1', '202610', 202610, null]) {
      // Act
      const response = await sample({ month });

      // Assess
      const problem = await expectProblem(response, 422, 'validation');
      expect(problem.errors, String(month)).toContainEqual(expect.objectContaining({ field: 'month' }));
    }
    const notEnded = await expectProblem(await sample({ month: '2026-12' }), 422, 'validation');
    expect(notEnded.errors).toEqual([expect.objectContaining({ field: 'month', code: 'not_ended' })]);
  });

  it('samples nothing in a month without closed cases', async () => {
    expect(await json(await sample({ month: '2026-08' }))).toEqual({ month: '2026-08', caseIds: [] });
  });
});

describe("listing a month's sample", () => {
  it('lists the sampled cases of the month with their follow-up, and only those', async () => {
    // Prepare
    const { caseIds } = await json(await sample({ month: '2026-10' }));

    // Act
    const response = await call('GET', '/api/v1/office/follow-ups?month=2026-10');
    const september = await call('GET', '/api/v1/office/follow-ups?month=2026-09');

    // Assess
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.month).toBe('2026-10');
    expect(body.items.map((c: { id: string }) => c.id).sort()).toEqual([...caseIds].sort());
    for (const item of body.items) {
      expect(item).toMatchObject({
        caseNo: expect.stringMatching(/^YL-2026-\d{6}$/),
        status: 'closed',
        followUp: { month: '2026-10', sampledAt: expect.any(String) },
      });
      expect(item).not.toHaveProperty('trackingKey');
    }
    expect(await json(september)).toEqual({ month: '2026-09', items: [] });
  });

  it('lists the month before by default; a malformed month is 422', async () => {
    await sample({ month: '2026-11' });
    const byDefault = await json(await call('GET', '/api/v1/office/follow-ups'));
    expect(byDefault.month).toBe('2026-11');
    expect(byDefault.items.map((c: { id: string }) => c.id)).toEqual([firstOfNovember]);
    await expectProblem(await call('GET', '/api/v1/office/follow-ups?month=October'), 422, 'validation');
  });

  it('reads the closed partition page by page', async () => {
    // Prepare: the same store, with pages of three cases
    const statuses: string[] = [];
    const cursors: (string | undefined)[] = [];
    const paged: Services = {
      ...services,
      cases: Object.assign(Object.create(services.cases) as CaseRepository, {
        listByStatus: (status: 'closed', page: { cursor?: string } = {}) => {
          statuses.push(status);
          cursors.push(page.cursor);
          return services.cases.listByStatus(status, { ...page, limit: 3 });
        },
      }),
    };
    const whole = await listFollowUps(services, '2026-10');

    // Act
    const listed = await listFollowUps(paged, '2026-10');

    // Assess
    expect(listed.map((r) => r.id)).toEqual(whole.map((r) => r.id));
    expect(new Set(statuses)).toEqual(new Set(['closed']));
    expect(statuses.length).toBeGreaterThanOrEqual(9); // 27 closed cases at least, three a page
    expect(cursors[0]).toBeUndefined();
    expect(cursors.slice(1).every((c) => typeof c === 'string')).toBe(true);
  });
});

describe('recording the result of a revisit', () => {
  it('records the result on a sampled case once; a second time is 409 and changes nothing', async () => {
    // Prepare
    const { caseIds } = await json(await sample({ month: '2026-10' }));
    const id = caseIds[0] as string;
    services.clock.set('2026-12-07T03:00:00Z');

    // Act
    const recorded = await record(id, { result: 'confirmed', note: '回访企业，供电已稳定' });
    const after = await stored(id);
    const again = await record(id, { result: 'problem_found' });

    // Assess
    expect(recorded.status).toBe(200);
    const prefix = (await services.access.listApiKeys({ role: 'office' }))[0]?.prefix;
    expect((await json(recorded)).followUp).toEqual({
      month: '2026-10',
      sampledAt: new Date(NOW).toISOString(),
      result: 'confirmed',
      note: '回访企业，供电已稳定',
      recordedAt: '2026-12-07T03:00:00.000Z',
      by: prefix,
    });
    expect(after.status).toBe('closed');
    expect(after.history.at(-1)).toMatchObject({
      action: 'followUp',
      actor: { kind: 'office', id: prefix },
      note: '回访企业，供电已稳定',
      data: { month: '2026-10', result: 'confirmed' },
    });
    await expectProblem(again, 409, 'invalid-state');
    expect(await stored(id)).toEqual(after);
    const listed = await json(await call('GET', '/api/v1/office/follow-ups?month=2026-10'));
    expect(listed.items.find((c: { id: string }) => c.id === id).followUp).toMatchObject({
      result: 'confirmed',
    });
    services.clock.set(NOW);
  });

  it('refuses a case that was not sampled (409) and an unknown case (404)', async () => {
    // Prepare
    const { caseIds } = await json(await sample({ month: '2026-10' }));
    const unsampled = october.find((id) => !caseIds.includes(id))!;
    const before = await stored(unsampled);

    // Act
    const notSampled = await record(unsampled, { result: 'problem_found' });
    const unknown = await record('nosuchcase', { result: 'confirmed' });

    // Assess
    expect((await expectProblem(notSampled, 409, 'invalid-state')).detail).toMatch(/not sampled/);
    await expectProblem(unknown, 404, 'not-found');
    expect(await stored(unsampled)).toEqual(before);
  });

  it.each([
    ['no result', {}, 'result'],
    ['an unknown result', { result: 'ok' }, 'result'],
    ['a result of the wrong type', { result: 1 }, 'result'],
    ['an empty note', { result: 'confirmed', note: '  ' }, 'note'],
    ['a note too long', { result: 'confirmed', note: 'x'.repeat(2001) }, 'note'],
  ])('refuses %s: 422 naming the field, the case untouched', async (_name, body, field) => {
    // Prepare
    const { caseIds } = await json(await sample({ month: '2026-10' }));
    const id = caseIds.at(-1) as string;
    const before = await stored(id);

    // Act
    const response = await record(id, body);

    // Assess
    const problem = await expectProblem(response, 422, 'validation');
    expect(problem.errors).toContainEqual(expect.objectContaining({ field }));
    expect(await stored(id)).toEqual(before);
  });

  it('takes only JSON: 415 otherwise', async () => {
    const response = await app.request('/api/v1/office/cases/x/follow-up', {
      method: 'POST',
      headers: { Authorization: `Bearer ${services.officeKey}`, 'Content-Type': 'text/plain' },
      body: 'result=confirmed',
    });
    await expectProblem(response, 415, 'unsupported-media-type');
  });
});

describe('who may', () => {
  it.each([
    ['POST', '/api/v1/office/follow-ups', { month: '2026-10' }],
    ['GET', '/api/v1/office/follow-ups?month=2026-10', undefined],
    ['POST', '/api/v1/office/cases/nosuchcase/follow-up', { result: 'confirmed' }],
  ])('%s %s is for the office only: 403 for a unit key, 401 without a key', async (method, path, body) => {
    await expectProblem(await call(method, path, { as: 'unit', body }), 403, 'forbidden');
    await expectProblem(await call(method, path, { as: 'nobody', body }), 401, 'unauthenticated');
  });
});

describe('the sampling job', () => {
  it('marks a case again after losing a race on it, keeping the other write', async () => {
    // Prepare: three cases closed in July; the first write of a mark meets another write first
    const july = [
      await caseClosedAt('2026-08-03T02:00:00Z'),
      await caseClosedAt('2026-08-10T02:00:00Z'),
      await caseClosedAt('2026-08-17T02:00:00Z'),
    ];
    services.clock.set(NOW);
    let raced = false;
    const racing: Services = {
      ...services,
      cases: Object.assign(Object.create(services.cases) as CaseRepository, {
        save: async (next: CaseRecord) => {
          if (!raced) {
            raced = true;
            const current = await stored(next.id);
            await services.cases.save({ ...current, resolution: '已协调送电（补记）' });
          }
          return services.cases.save(next);
        },
      }),
    };

    // Act
    const caseIds = await sampleFollowUps(racing, '2026-08', () => 0.5);

    // Assess
    expect(raced).toBe(true);
    expect(caseIds).toHaveLength(1);
    expect(july).toContain(caseIds[0]);
    const marked = await stored(caseIds[0]!);
    expect(marked.followUp).toEqual({ month: '2026-08', sampledAt: new Date(NOW).toISOString() });
    expect(marked.resolution).toBe('已协调送电（补记）');
    expect(marked.history.filter((h) => h.action === 'followUpSampled')).toHaveLength(1);
  });

  it('picks with the random it is given', async () => {
    // Prepare: ten cases closed in June
    const june: string[] = [];
    for (let day = 1; day <= 10; day++) june.push(await caseClosedAt(`2026-06-${day + 10}T02:00:00Z`));
    services.clock.set(NOW);

    // Act: a random that always answers 0.99 takes the last candidate of the partition order
    const caseIds = await sampleFollowUps(services, '2026-06', () => 0.99);

    // Assess
    expect(caseIds).toEqual([june.at(-1)]);
  });

  it('samples the month before once it has ended, then rests until the next month', async () => {
    // Prepare: two cases closed in December; the job first runs at 01:00 on 1 January, China time
    const december = [await caseClosedAt('2026-12-10T02:00:00Z'), await caseClosedAt('2026-12-31T15:00:00Z')];
    const job = followUpJob(services, () => 0);
    services.clock.set('2026-12-31T15:30:00Z'); // 23:30 on 31 December in China: November's turn

    // Act
    const stillNovember = await job();
    services.clock.set('2026-12-31T17:00:00Z');
    const first = await job();
    const second = await job();
    services.clock.set('2027-01-31T17:00:00Z');
    const january = await job();

    // Assess
    expect(stillNovember).toEqual({ month: '2026-11', caseIds: [firstOfNovember] });
    expect(first).toEqual({ month: '2026-12', caseIds: [december[0]] });
    expect(second).toBeUndefined();
    expect(january).toEqual({ month: '2027-01', caseIds: [] });
    expect((await stored(december[0]!)).followUp?.month).toBe('2026-12');
    expect((await stored(december[1]!)).followUp).toBeUndefined();
    services.clock.set(NOW);
  });
});
