import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitAnswer, workflowTasks } from '../../shared/app/workflow-tasks';
import type { CaseRecord } from '../../shared/domain/case';
import type { App } from '../../shared/http/app';
import type { CallbackState } from '../../shared/workflow/definition';
import { fileIntoTriage } from '../support/filed-cases';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The office's and the units' API on the app alone: no workflow runs, the RecordingWorkflow
// records the wakes, and the test plays the workflow's part (triage, callback tokens) itself.
let services: TestServices;
let app: App;
const unitKeys = new Map<string, string>();
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  for (const unitId of ['power-supply', 'hrss']) unitKeys.set(unitId, await services.unitKey(unitId));
});
afterAll(() => services.store.close());

interface CallOptions {
  /** `office`, a unit id, or nobody. */
  as?: string;
  body?: unknown;
  /** Sent as it is, with this Content-Type (for bodies that are not valid JSON). */
  raw?: { type: string; text: string };
}

/** Every request of this file: no answer may be a 500. */
async function call(method: string, path: string, { as, body, raw }: CallOptions = {}): Promise<Response> {
  const key = as === 'office' ? services.officeKey : as ? unitKeys.get(as) : undefined;
  const response = await app.request(path, {
    method,
    headers: {
      ...(key ? { Authorization: `Bearer ${key}` } : {}),
      ...(raw
        ? { 'Content-Type': raw.type }
        : body !== undefined
          ? { 'Content-Type': 'application/json' }
          : {}),
    },
    ...(raw ? { body: raw.text } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  expect(response.status).toBeLessThan(500);
  return response;
}

const triage = (id: string, body: unknown) =>
  call('POST', `/api/v1/office/cases/${id}/triage`, { as: 'office', body });
const answer = (id: string, unitId: string, action: string, body: unknown = {}) =>
  call('POST', `/api/v1/unit/cases/${id}/${action}`, { as: unitId, body });

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  const problem = await json(response);
  expect(problem).toMatchObject({ type: `urn:zhuqi:problem:${type}`, status, title: expect.any(String) });
  return problem;
}

async function stored(id: string): Promise<CaseRecord> {
  const record = await services.cases.get(id);
  if (!record) throw new Error(`no case ${id}`);
  return record;
}

/** Parks the case at a callback state as the workflow would, with a token the test can recognise. */
async function park(id: string, state: CallbackState): Promise<string> {
  const token = `${state}-${id}-${(await stored(id)).version}`;
  // The wait lasts until the case's next checkpoint, as the state before the callback says.
  const { waitSeconds } = await workflowTasks.supervise(services, { task: 'supervise', caseId: id });
  await awaitAnswer(services, { task: 'awaitAnswer', caseId: id, state, token, waitSeconds });
  return token;
}

const wakesOf = (token: string) => services.workflow.woken.filter((w) => w.token === token);

/** A filed case taken into triage, waiting for the office. */
async function caseInTriage(): Promise<{ id: string; token: string }> {
  const record = await fileIntoTriage(services, {}, 'api');
  return { id: record.id, token: await park(record.id, 'AwaitTriage') };
}

/** A case assigned to a department by the office's triage route, waiting for the unit. */
async function assignedTo(unitId: string): Promise<{ id: string; token: string }> {
  const { id } = await caseInTriage();
  expect((await triage(id, { level: 'department', unitId })).status).toBe(200);
  return { id, token: await park(id, 'AwaitUnit') };
}

const idsOf = async (response: Response) => (await json(response)).items.map((c: { id: string }) => c.id);

describe('office queues and triage', () => {
  it('lists a case awaiting triage, and moves it to the assigned queue on triage', async () => {
    // Prepare
    const { id, token } = await caseInTriage();

    // Act
    const queued = await call('GET', '/api/v1/office/cases?status=triage', { as: 'office' });
    const assigned = await triage(id, { level: 'department', unitId: 'power-supply', note: '供电问题' });

    // Assess
    expect(queued.status).toBe(200);
    expect(await idsOf(queued)).toContain(id);
    expect(assigned.status).toBe(200);
    expect(await json(assigned)).toMatchObject({
      id,
      status: 'assigned',
      level: 'department',
      unitId: 'power-supply',
    });
    expect(
      await idsOf(await call('GET', '/api/v1/office/cases?status=triage', { as: 'office' })),
    ).not.toContain(id);
    expect(
      await idsOf(await call('GET', '/api/v1/office/cases?status=assigned', { as: 'office' })),
    ).toContain(id);
    expect(wakesOf(token)).toEqual([
      {
        token,
        state: {
          caseId: id,
          status: 'assigned',
          waitSeconds: expect.any(Number),
          wakeAt: expect.any(String),
        },
      },
    ]);
  });

  it.each([
    ['an unknown level', { level: 'mayor', unitId: 'power-supply' }, 'level'],
    ['a level of the wrong type', { level: 3, unitId: 'power-supply' }, 'level'],
    ['no level', { unitId: 'power-supply' }, 'level'],
    ['a malformed unit id', { level: 'department', unitId: 'Power Supply' }, 'unitId'],
  ])('refuses triage with %s: 422 naming the field, the case untouched', async (_name, body, field) => {
    // Prepare
    const { id } = await caseInTriage();
    const before = await stored(id);

    // Act
    const response = await triage(id, body);

    // Assess
    const problem = await expectProblem(response, 422, 'validation');
    expect(problem.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await stored(id)).toEqual(before);
  });

  it('triage of an unknown case is 404; a second triage of the same case is 409', async () => {
    const { id } = await caseInTriage();
    await expectProblem(
      await triage('nosuchcase', { level: 'department', unitId: 'hrss' }),
      404,
      'not-found',
    );
    expect((await triage(id, { level: 'department', unitId: 'hrss' })).status).toBe(200);
    await expectProblem(
      await triage(id, { level: 'department', unitId: 'power-supply' }),
      409,
      'invalid-state',
    );
    expect((await stored(id)).unitId).toBe('hrss');
  });
});

describe('a unit sees only its own cases', () => {
  it('lists and shows its own cases; another unit’s case is 404 (never 403) and not listed', async () => {
    // Prepare
    const mine = await assignedTo('power-supply');
    const theirs = await assignedTo('hrss');

    // Act
    const list = await call('GET', '/api/v1/unit/cases', { as: 'power-supply' });
    const own = await call('GET', `/api/v1/unit/cases/${mine.id}`, { as: 'power-supply' });
    const other = await call('GET', `/api/v1/unit/cases/${theirs.id}`, { as: 'power-supply' });
    const unknown = await call('GET', '/api/v1/unit/cases/nosuchcase', { as: 'power-supply' });
    const otherList = await call('GET', '/api/v1/unit/cases', { as: 'hrss' });

    // Assess
    expect(list.status).toBe(200);
    const listed = await idsOf(list);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(theirs.id);
    expect(own.status).toBe(200);
    expect(await json(own)).toMatchObject({ id: mine.id, unitId: 'power-supply', status: 'assigned' });
    const notFound = await expectProblem(other, 404, 'not-found');
    const notExisting = await expectProblem(unknown, 404, 'not-found');
    expect(Object.keys(notFound).sort()).toEqual(Object.keys(notExisting).sort());
    const otherIds = await idsOf(otherList);
    expect(otherIds).toContain(theirs.id);
    expect(otherIds).not.toContain(mine.id);
  });

  it('cannot answer another unit’s case: 404, and the case is untouched', async () => {
    const theirs = await assignedTo('hrss');
    const before = await stored(theirs.id);
    for (const [action, body] of [
      ['accept', {}],
      ['return', { reason: '不是我们的' }],
    ] as const) {
      await expectProblem(await answer(theirs.id, 'power-supply', action, body), 404, 'not-found');
    }
    expect(await stored(theirs.id)).toEqual(before);
    expect(wakesOf(theirs.token)).toEqual([]);
  });

  it('pages with the cursor it is given; a forged cursor is 422, never another unit’s page', async () => {
    // Prepare
    unitKeys.set('finance-office', await services.unitKey('finance-office'));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      services.clock.advance(1000);
      ids.push((await assignedTo('finance-office')).id);
    }
    for (let i = 0; i < 2; i++) {
      await assignedTo('hrss');
      await caseInTriage();
    }
    const forge = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const hrssPage = await json(await call('GET', '/api/v1/unit/cases?limit=1', { as: 'hrss' }));
    const triagePage = await json(
      await call('GET', '/api/v1/office/cases?status=triage&limit=1', { as: 'office' }),
    );
    expect(hrssPage.cursor).toEqual(expect.any(String));
    expect(triagePage.cursor).toEqual(expect.any(String));

    // Act
    const first = await json(await call('GET', '/api/v1/unit/cases?limit=2', { as: 'finance-office' }));
    const second = await json(
      await call('GET', `/api/v1/unit/cases?limit=2&cursor=${first.cursor}`, { as: 'finance-office' }),
    );
    const forged = [
      forge({}),
      forge({ pk: 'x' }),
      forge(['CASE#a']),
      'not-base64-json',
      hrssPage.cursor,
      triagePage.cursor,
    ];
    const refused = [];
    for (const cursor of forged) {
      refused.push(await call('GET', `/api/v1/unit/cases?cursor=${cursor}`, { as: 'finance-office' }));
    }
    const wrongQueue = await call('GET', `/api/v1/office/cases?status=assigned&cursor=${triagePage.cursor}`, {
      as: 'office',
    });

    // Assess
    expect(first.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(second.items.map((c: { id: string }) => c.id)).toEqual(ids.slice(2));
    expect(second.cursor).toBeUndefined();
    for (const response of [...refused, wrongQueue]) {
      const problem = await expectProblem(response, 422, 'validation');
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'cursor', code: 'invalid' })]);
    }
  });

  it('answers a page that is exactly full without a cursor: there is no next page', async () => {
    unitKeys.set('transport', await services.unitKey('transport'));
    for (let i = 0; i < 2; i++) await assignedTo('transport');
    const page = await json(await call('GET', '/api/v1/unit/cases?limit=2', { as: 'transport' }));
    expect(page.items).toHaveLength(2);
    expect(page.cursor).toBeUndefined();
  });

  it.each([
    ['0', 'too_small', { min: 1 }],
    ['201', 'too_big', { max: 200 }],
    ['-3', 'too_small', { min: 1 }],
  ])('refuses limit=%s with 422 %s naming query.limit', async (limit, code, params) => {
    for (const [path, as] of [
      ['/api/v1/unit/cases', 'power-supply'],
      ['/api/v1/office/cases', 'office'],
      ['/api/v1/office/outbox', 'office'],
    ] as const) {
      const problem = await expectProblem(
        await call('GET', `${path}?limit=${limit}`, { as }),
        422,
        'validation',
      );
      expect(problem.errors).toEqual([{ field: 'query.limit', code, message: expect.any(String), params }]);
    }
  });

  it('loses sight of a case it returned', async () => {
    const { id } = await assignedTo('power-supply');
    expect((await answer(id, 'power-supply', 'return', { reason: '属于用地问题' })).status).toBe(200);
    expect(await idsOf(await call('GET', '/api/v1/unit/cases', { as: 'power-supply' }))).not.toContain(id);
    await expectProblem(
      await call('GET', `/api/v1/unit/cases/${id}`, { as: 'power-supply' }),
      404,
      'not-found',
    );
  });
});

describe('unit answers', () => {
  const INVALID: [string, unknown, string][] = [
    ['return', {}, 'reason'],
    ['return', { reason: '' }, 'reason'],
    ['return', { reason: '   ' }, 'reason'],
    ['return', { reason: 42 }, 'reason'],
    ['return', { reason: 'x'.repeat(1001) }, 'reason'],
    ['progress', { note: '' }, 'note'],
    ['progress', { note: null }, 'note'],
    ['progress', { note: ['已勘查'] }, 'note'],
    ['extension', { days: 0, reason: '等待批复' }, 'days'],
    ['extension', { days: 91, reason: '等待批复' }, 'days'],
    ['extension', { days: 1.5, reason: '等待批复' }, 'days'],
    ['extension', { days: '3', reason: '等待批复' }, 'days'],
    ['extension', { reason: '等待批复' }, 'days'],
    ['extension', { days: 3, reason: '' }, 'reason'],
    ['extension', { days: 3 }, 'reason'],
    ['resolve', { resolution: '' }, 'resolution'],
    ['resolve', { resolution: 7 }, 'resolution'],
    ['resolve', {}, 'resolution'],
  ];

  it.each(INVALID)('/%s with %j is 422 naming %s, and changes nothing', async (action, body, field) => {
    // Prepare
    const { id, token } = await assignedTo('power-supply');
    const before = await stored(id);

    // Act
    const response = await answer(id, 'power-supply', action, body);

    // Assess
    const problem = await expectProblem(response, 422, 'validation');
    expect(problem.errors).toContainEqual(expect.objectContaining({ field }));
    expect(await stored(id)).toEqual(before);
    expect(wakesOf(token)).toEqual([]);
  });

  const ACTIONS = ['accept', 'return', 'progress', 'extension', 'resolve'];

  it.each(ACTIONS)('/%s with a body that is not JSON is 415; with malformed JSON 400', async (action) => {
    // Prepare
    const { id } = await assignedTo('power-supply');
    const before = await stored(id);

    // Act
    const plain = await call('POST', `/api/v1/unit/cases/${id}/${action}`, {
      as: 'power-supply',
      raw: { type: 'text/plain', text: 'reason=misrouted' },
    });
    const form = await call('POST', `/api/v1/unit/cases/${id}/${action}`, {
      as: 'power-supply',
      raw: { type: 'application/x-www-form-urlencoded', text: 'reason=misrouted' },
    });
    const malformed = await call('POST', `/api/v1/unit/cases/${id}/${action}`, {
      as: 'power-supply',
      raw: { type: 'application/json', text: '{"reason": ' },
    });

    // Assess
    expect((await expectProblem(plain, 415, 'unsupported-media-type')).detail).toMatch(/application\/json/);
    await expectProblem(form, 415, 'unsupported-media-type');
    expect((await expectProblem(malformed, 400, 'bad-request')).detail).toMatch(/JSON/);
    expect(await stored(id)).toEqual(before);
  });

  it.each([
    ['progress before accepting', [], 'progress', { note: '未受理先反馈' }],
    ['resolving before accepting', [], 'resolve', { resolution: '跳过受理' }],
    ['accepting twice', [['accept', {}]], 'accept', {}],
    ['returning an accepted case', [['accept', {}]], 'return', { reason: '太晚了' }],
    [
      'a second pending extension',
      [['extension', { days: 2, reason: '等待批复' }]],
      'extension',
      { days: 3, reason: '再申请' },
    ],
    [
      'resolving twice',
      [
        ['accept', {}],
        ['resolve', { resolution: '已办结' }],
      ],
      'resolve',
      { resolution: '再办结' },
    ],
  ] as [string, [string, unknown][], string, unknown][])(
    'refuses %s with 409 and a problem document',
    async (_name, before, action, body) => {
      // Prepare
      const { id } = await assignedTo('power-supply');
      for (const [step, stepBody] of before)
        expect((await answer(id, 'power-supply', step, stepBody)).status).toBe(200);
      const prior = await stored(id);

      // Act
      const response = await answer(id, 'power-supply', action, body);

      // Assess
      const problem = await expectProblem(response, 409, 'invalid-state');
      expect(problem.detail).toEqual(expect.any(String));
      expect(await stored(id)).toEqual(prior);
    },
  );

  it('an answer to an unknown case is 404', async () => {
    await expectProblem(await answer('nosuchcase', 'power-supply', 'accept'), 404, 'not-found');
  });

  it('an allowed answer moves the case and records it; the wait stays armed while its checkpoint is still right', async () => {
    // Prepare
    const { id, token } = await assignedTo('power-supply');
    const armed = (await stored(id)).wait;

    // Act
    const accepted = await answer(id, 'power-supply', 'accept');

    // Assess: accepting starts no new deadline, so the workflow's wait stays as it was, unwoken.
    expect(accepted.status).toBe(200);
    expect(await json(accepted)).toMatchObject({ id, status: 'accepted' });
    const record = await stored(id);
    expect(record.history.at(-1)).toMatchObject({
      action: 'accept',
      actor: { kind: 'unit', id: 'power-supply' },
    });
    expect(record.wait).toEqual(armed);
    expect(wakesOf(token)).toEqual([]);
  });

  it('an answer that ends what the workflow waits for wakes it once, with the next wait, and takes its token off the case', async () => {
    // Prepare
    const { id, token } = await assignedTo('power-supply');
    expect((await answer(id, 'power-supply', 'accept')).status).toBe(200);

    // Act
    const resolved = await answer(id, 'power-supply', 'resolve', { resolution: '已协调送电' });

    // Assess: the survey window (7 days by default) is the length of the next wait.
    expect(resolved.status).toBe(200);
    const record = await stored(id);
    expect(record.wait).toBeUndefined();
    expect(wakesOf(token)).toEqual([
      {
        token,
        state: {
          caseId: id,
          status: 'resolved',
          waitSeconds: expect.any(Number),
          wakeAt: expect.any(String),
        },
      },
    ]);
    expect(wakesOf(token)[0]!.state.waitSeconds).toBeGreaterThan(86_400);
  });

  it.each([
    ['accept', 'accept', [], {}, 0],
    ['resolve', 'resolve', [['accept', {}]], { resolution: '已协调送电' }, 1],
    ['extension', 'requestExtension', [['accept', {}]], { days: 3, reason: '等待上级批复' }, 0],
  ] as [string, string, [string, unknown][], unknown, number][])(
    'two concurrent /%s answers: exactly one 200, one 409, one history entry, never two wakes',
    async (action, historyAction, before, body, wakes) => {
      for (let round = 0; round < 3; round++) {
        // Prepare
        const { id } = await assignedTo('power-supply');
        for (const [step, stepBody] of before)
          expect((await answer(id, 'power-supply', step, stepBody)).status).toBe(200);
        const token = await park(id, 'AwaitUnit');

        // Act
        const responses = await Promise.all([
          answer(id, 'power-supply', action, body),
          answer(id, 'power-supply', action, body),
        ]);

        // Assess
        expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
        const loser = responses.find((r) => r.status === 409)!;
        expect(loser.headers.get('Content-Type')).toBe('application/problem+json');
        // A true race loses at the conditional write (conflict); a late one at the rule (invalid-state).
        expect((await json(loser)).type).toMatch(/^urn:zhuqi:problem:(conflict|invalid-state)$/);
        const record = await stored(id);
        expect(record.history.filter((h) => h.action === historyAction)).toHaveLength(1);
        expect(wakesOf(token)).toHaveLength(wakes);
      }
    },
  );
});

describe('units', () => {
  const newUnit = { id: 'tax-bureau', kind: 'department', zh: '县税务局', en: 'County Tax Bureau' };

  it('adds a unit once; the id taken again, or malformed, is 422 naming id', async () => {
    // Act
    const created = await call('POST', '/api/v1/office/units', { as: 'office', body: newUnit });
    const again = await call('POST', '/api/v1/office/units', {
      as: 'office',
      body: { ...newUnit, zh: '重复' },
    });
    const malformed = await call('POST', '/api/v1/office/units', {
      as: 'office',
      body: { ...newUnit, id: 'Tax Bureau' },
    });
    const noKind = await call('POST', '/api/v1/office/units', {
      as: 'office',
      body: { id: 'no-kind', zh: '无类别', en: 'No kind' },
    });

    // Assess
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ ...newUnit, active: true, createdAt: expect.any(String) });
    const taken = await expectProblem(again, 422, 'validation');
    expect(taken.errors).toEqual([expect.objectContaining({ field: 'id', code: 'taken' })]);
    expect((await expectProblem(malformed, 422, 'validation')).errors).toContainEqual(
      expect.objectContaining({ field: 'id' }),
    );
    expect((await expectProblem(noKind, 422, 'validation')).errors).toContainEqual(
      expect.objectContaining({ field: 'kind' }),
    );
    const units = (await json(await call('GET', '/api/v1/office/units', { as: 'office' }))).items;
    expect(units.filter((u: { id: string }) => u.id === 'tax-bureau')).toEqual([
      expect.objectContaining({ zh: '县税务局' }),
    ]);
    expect(units.map((u: { id: string }) => u.id)).not.toContain('no-kind');
  });

  it('a new department can be assigned a case and sees it', async () => {
    // Prepare
    await call('POST', '/api/v1/office/units', {
      as: 'office',
      body: {
        id: 'market-bureau',
        kind: 'department',
        zh: '县市场监管局',
        en: 'County Market Regulation Bureau',
      },
    });
    unitKeys.set('market-bureau', await services.unitKey('market-bureau'));

    // Act
    const { id } = await assignedTo('market-bureau');

    // Assess
    expect(await idsOf(await call('GET', '/api/v1/unit/cases', { as: 'market-bureau' }))).toEqual([id]);
  });

  it('sets a webhook: the signing secret is in that answer only, never in the list', async () => {
    // Act
    const set = await call('PATCH', '/api/v1/office/units/hrss', {
      as: 'office',
      body: { webhookUrl: 'https://hooks.example.org/zhuqi' },
    });
    const renamed = await call('PATCH', '/api/v1/office/units/hrss', {
      as: 'office',
      body: { en: 'HRSS Bureau' },
    });
    const list = await call('GET', '/api/v1/office/units', { as: 'office' });

    // Assess
    expect(set.status).toBe(200);
    const { webhookSecret } = await json(set);
    expect(webhookSecret).toMatch(/^[\w-]{40,}$/);
    expect((await services.access.getUnit('hrss'))?.webhookSecret).toBe(webhookSecret);
    expect(renamed.status).toBe(200);
    const renamedBody = await json(renamed);
    expect(renamedBody).toMatchObject({ en: 'HRSS Bureau', webhookUrl: 'https://hooks.example.org/zhuqi' });
    expect(renamedBody).not.toHaveProperty('webhookSecret');
    expect((await services.access.getUnit('hrss'))?.webhookSecret).toBe(webhookSecret); // kept on rename
    const text = await list.text();
    expect(text).not.toContain(webhookSecret);
    expect(text).not.toContain('webhookSecret');
    expect(JSON.parse(text).items.find((u: { id: string }) => u.id === 'hrss')).toMatchObject({
      webhookUrl: 'https://hooks.example.org/zhuqi',
    });
  });

  it('a new webhook gets a new secret; null removes the webhook', async () => {
    const first = await json(
      await call('PATCH', '/api/v1/office/units/approvals', {
        as: 'office',
        body: { webhookUrl: 'https://a.example.org/' },
      }),
    );
    const second = await json(
      await call('PATCH', '/api/v1/office/units/approvals', {
        as: 'office',
        body: { webhookUrl: 'https://b.example.org/' },
      }),
    );
    expect(second.webhookSecret).not.toBe(first.webhookSecret);
    const removed = await call('PATCH', '/api/v1/office/units/approvals', {
      as: 'office',
      body: { webhookUrl: null },
    });
    expect(removed.status).toBe(200);
    expect(await json(removed)).not.toHaveProperty('webhookUrl');
    const unit = await services.access.getUnit('approvals');
    expect(unit?.webhookUrl).toBeUndefined();
    expect(unit?.webhookSecret).toBeUndefined();
  });

  it('refuses a webhook that is not http(s), and an unknown unit', async () => {
    const ftp = await call('PATCH', '/api/v1/office/units/industry', {
      as: 'office',
      body: { webhookUrl: 'ftp://x.org/' },
    });
    expect((await expectProblem(ftp, 422, 'validation')).errors).toContainEqual(
      expect.objectContaining({ field: 'webhookUrl' }),
    );
    expect((await services.access.getUnit('industry'))?.webhookUrl).toBeUndefined();
    await expectProblem(
      await call('PATCH', '/api/v1/office/units/nobody', { as: 'office', body: { en: 'Nobody' } }),
      404,
      'not-found',
    );
  });
});

describe('the outbox', () => {
  it('is for the office only', async () => {
    // Act
    const office = await call('GET', '/api/v1/office/outbox', { as: 'office' });
    const unit = await call('GET', '/api/v1/office/outbox', { as: 'power-supply' });
    const nobody = await call('GET', '/api/v1/office/outbox');

    // Assess
    expect(office.status).toBe(200);
    expect(await json(office)).toEqual({ items: expect.any(Array) });
    await expectProblem(unit, 403, 'forbidden');
    await expectProblem(nobody, 401, 'unauthenticated');
  });

  it('lists the notices recorded for a case', async () => {
    // Prepare
    const { id } = await assignedTo('power-supply');
    const at = services.clock.now().toISOString();
    await services.outbox.record(
      {
        id: `notice-${id}`,
        kind: 'assignment',
        caseId: id,
        caseNo: (await stored(id)).caseNo,
        recipient: { kind: 'unit', unitId: 'power-supply' },
        issuedAt: at,
        subject: '交办单',
        body: '请办理',
      },
      at,
    );

    // Act
    const response = await call('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' });

    // Assess
    expect((await json(response)).items).toEqual([
      expect.objectContaining({ id: `notice-${id}`, caseId: id, status: 'pending', kind: 'assignment' }),
    ]);
  });
});
