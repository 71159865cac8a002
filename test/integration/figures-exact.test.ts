import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerAsUnit, answerCaseSurvey, triageCase } from '../../shared/app/case-actions';
import { fileCase } from '../../shared/app/file-case';
import { rebuildFigures } from '../../shared/app/rebuild-figures';
import { awaitAnswer, workflowTasks } from '../../shared/app/workflow-tasks';
import { startLocalStore } from '../../shared/embedded/local-store';
import type { App } from '../../shared/http/app';
import { CaseRepository } from '../../shared/store/case-repository';
import { keys } from '../../shared/store/keys';
import { officeCaller, unitCaller } from '../support/callers';
import { playStory } from '../support/campaign';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { REPO } from '../support/process';
import { type TestServices, testServices } from '../support/services';

// The figures are read from the case items through an index that DynamoDB maintains with each
// item's one conditional write, so they cannot drift from the cases. These tests hold them to it
// under retries, duplicate deliveries and concurrent writes, and check the rebuild command.
let services: TestServices;
let app: App;

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

async function totals() {
  const response = await app.request('/api/v1/office/stats?filedFrom=2026-01-01&filedTo=2027-12-31', {
    headers: { Authorization: `Bearer ${services.officeKey}` },
  });
  expect(response.status).toBe(200);
  const report = await json(response);
  return report.totals;
}

async function expectNoDifference() {
  const report = await rebuildFigures(services);
  expect(report.stale).toEqual([]);
  expect(report.differences).toEqual([]);
  return report;
}

describe('the figures stay exact', () => {
  it('under a filing sent twice and every workflow task delivered twice', async () => {
    // Prepare
    const before = await totals();
    const body = {
      ...validFiling(),
      enterprise: { ...validFiling().enterprise, creditCode: creditCodeOf(501) },
      title: '重复投递的诉求',
    };
    const post = () =>
      app.request('/api/v1/cases', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'twice-501' },
        body: JSON.stringify(body),
      });

    // Act: the same filing twice, each task twice (a retry, a duplicate SQS delivery).
    const first = await json(await post());
    const second = await json(await post());
    const id = first.id as string;
    const twice = async (task: keyof typeof workflowTasks | 'AwaitUnit' | 'AwaitSurvey') => {
      for (const token of ['first', 'again']) {
        if (task === 'AwaitUnit' || task === 'AwaitSurvey') {
          await awaitAnswer(services, {
            task: 'awaitAnswer',
            state: task,
            caseId: id,
            token,
            waitSeconds: 60,
          });
        } else await workflowTasks[task](services, { task, caseId: id });
      }
    };
    await twice('beginTriage');
    await triageCase(
      services,
      id,
      { level: 'department', unitId: 'power-supply' },
      officeCaller('zq_office_t'),
    );
    await twice('AwaitUnit');
    await answerAsUnit(services, id, unitCaller('power-supply'), 'accept', {});
    await answerAsUnit(services, id, unitCaller('power-supply'), 'resolve', { resolution: '已解决' });
    await twice('AwaitSurvey');
    await twice('supervise');
    services.clock.advance(30 * 86_400_000);
    await twice('closeNotRated');

    // Assess
    expect(second.id).toBe(id);
    const after = await totals();
    expect(after.filed - before.filed).toBe(1);
    expect(after.closed - before.closed).toBe(1);
    expect(after.notRated - before.notRated).toBe(1);
    expect(after.rated - before.rated).toBe(0);
    await expectNoDifference();
  });

  it('under concurrent, incompatible acts: only the act that was stored counts', async () => {
    // Prepare: ten cases waiting for their unit, ten waiting for the survey.
    const base = Date.parse('2026-11-23T02:00:00Z');
    const withUnit: string[] = [];
    const surveyed: string[] = [];
    for (let n = 0; n < 10; n++) {
      const at = new Date(base + n * 3600_000).toISOString();
      withUnit.push(
        (await playStory(services, 'withUnit', { n: 600 + n, at, township: 'malan', category: 'land' })).id,
      );
      const waiting = await playStory(services, 'awaitingSurvey', {
        n: 700 + n,
        at,
        township: 'malan',
        category: 'land',
      });
      surveyed.push(waiting.id);
    }
    const fresh: string[] = [];
    for (let n = 0; n < 10; n++) {
      fresh.push(
        (
          await playStory(services, 'inTriage', {
            n: 800 + n,
            at: new Date(base).toISOString(),
            township: 'malan',
            category: 'land',
          })
        ).id,
      );
    }
    const before = await totals();

    // Act: at once, two triage decisions on each fresh case, two survey answers on each surveyed one.
    const triages = await Promise.allSettled(
      fresh.flatMap((id) => [
        triageCase(
          services,
          id,
          { level: 'department', unitId: 'natural-resources' },
          officeCaller('zq_office_a'),
        ),
        triageCase(services, id, { level: 'on_spot', note: '现场答复' }, officeCaller('zq_office_b')),
      ]),
    );
    const answers = await Promise.allSettled(
      surveyed.flatMap((id) => [
        services.cases
          .get(id)
          .then((r) =>
            answerCaseSurvey(services, r!.survey!.token, { solved: 'yes', satisfaction: 'satisfied' }),
          ),
        services.cases
          .get(id)
          .then((r) =>
            answerCaseSurvey(services, r!.survey!.token, { solved: 'no', satisfaction: 'dissatisfied' }),
          ),
      ]),
    );

    // Assess: one of each pair stored, and the figures count exactly what was stored.
    const stored = async (ids: string[]) =>
      Promise.all(ids.map(async (id) => (await services.cases.get(id))!));
    expect(triages.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(answers.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    const triaged = await stored(fresh);
    const rated = await stored(surveyed);
    const onSpot = triaged.filter((r) => r.level === 'on_spot').length;
    const satisfied = rated.filter((r) => r.survey?.answer?.satisfaction === 'satisfied').length;
    const after = await totals();
    expect(after.triaged - before.triaged).toBe(10);
    expect(after.onSpot - before.onSpot).toBe(onSpot);
    expect(after.assigned - before.assigned).toBe(10 - onSpot);
    expect(after.rated - before.rated).toBe(10);
    expect(after.satisfied - before.satisfied).toBe(satisfied);
    expect(after.dissatisfied - before.dissatisfied).toBe(10 - satisfied);
    expect(after.reopened - before.reopened).toBe(10 - satisfied);
    await expectNoDifference();
    expect(withUnit).toHaveLength(10);
  });

  it('the rebuild reports a case stored with stale index keys and the figures it skews, and fixes it', async () => {
    // Prepare: a case as an earlier version stored it, without its filing-year keys.
    const story = await playStory(services, 'satisfied', {
      n: 900,
      at: '2026-12-01T02:00:00Z',
      township: 'dama',
      category: 'finance',
    });
    const record = (await services.cases.get(story.id))!;
    await services.store.db.send(
      new PutCommand({
        TableName: services.store.tableName,
        Item: {
          ...keys.case(record.id),
          ...keys.caseByStatus(record.status, record.createdAt, record.id),
          ...keys.caseByUnit(record.unitId!, record.createdAt, record.id),
          ...keys.caseByNumber(record.caseNo),
          entity: 'case',
          schemaVersion: 1,
          ...record,
        },
      }),
    );

    // Act
    const found = await rebuildFigures(services);
    const fixed = await rebuildFigures(services, { fix: true });

    // Assess
    expect(found.stale).toEqual([
      { id: record.id, caseNo: record.caseNo, keys: ['gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk'] },
    ]);
    expect(found.differences).toEqual(
      expect.arrayContaining([
        { group: 'totals', figure: 'filed', indexed: found.cases - 1, recomputed: found.cases },
        expect.objectContaining({ group: 'township=dama', figure: 'filed', recomputed: 1 }),
      ]),
    );
    expect(fixed.fixed).toBe(1);
    expect(fixed.differences).toEqual([]);
    await expectNoDifference();
    expect((await services.cases.get(record.id))!.version).toBe(record.version);
  });

  it('the rebuild command reports on the data directory of a stopped runtime', async () => {
    // Prepare: a data directory with two cases.
    const run = promisify(execFile);
    const dataDir = await mkdtemp(join(tmpdir(), 'zhuqi-rebuild-'));
    const store = await startLocalStore(dataDir);
    try {
      const deps = {
        config: services.config,
        clock: services.clock,
        cases: new CaseRepository(store.db, store.tableName),
        intake: { send: async () => {} },
      };
      for (const n of [1, 2]) {
        const filing = { ...validFiling(), title: `停机后重算 ${n}` };
        await fileCase(deps, { filing, defaultChannel: 'web', actor: { kind: 'enterprise' } });
      }
    } finally {
      await store.close();
    }
    const cli = (...args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'infra/rebuild-figures.ts', ...args], { cwd: REPO }).catch(
        (error: { code: number; stdout: string; stderr: string }) => error,
      );

    // Act
    const usage = await cli();
    const report = await cli('--data-dir', dataDir);

    // Assess
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('--data-dir') });
    expect(report.stdout).toContain('2 cases walked; 0 stored with stale index keys.');
    expect(report.stdout).toContain('Every figure equals its recomputation from the cases.');
    await rm(dataDir, { recursive: true, force: true });
  });
});
