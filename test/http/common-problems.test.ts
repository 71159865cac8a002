import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { playStory } from '../support/campaign';
import { contractApp, json } from '../support/http';
import { PROBLEM_TEXTS, type ProblemName } from '../support/problem-texts';
import { type TestServices, testServices } from '../support/services';

// 共性问题 through the office API: realistic filings of several enterprises, suggested, confirmed,
// split, and triaged in one action with each case keeping its own history and survey.
let services: TestServices;
let app: App;
const ids = {} as Record<ProblemName, string>;

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  for (const [n, name] of (Object.keys(PROBLEM_TEXTS) as ProblemName[]).entries()) {
    const { category, title, description } = PROBLEM_TEXTS[name];
    const at = new Date(Date.parse('2026-11-23T02:00:00Z') + n * 600_000).toISOString();
    ids[name] = (
      await playStory(services, 'inTriage', {
        n: 300 + n,
        at,
        township: 'anling',
        category,
        title,
        description,
      })
    ).id;
  }
  services.clock.set('2026-11-24T02:00:00Z');
}, 120_000);
afterAll(() => services.store.close());

const call = (method: string, path: string, body?: unknown) =>
  app.request(`/api/v1/office${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${services.officeKey}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

const idsOf = (group: { cases: { id: string }[] }) => group.cases.map((c) => c.id);

describe('common problems (共性问题)', () => {
  it('suggests near-duplicates from different enterprises with the reason, and not unrelated cases', async () => {
    const response = await call('GET', '/common-problems');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.confirmed).toEqual([]);
    expect(body.suggested.map(idsOf)).toEqual([
      [ids.powerCapacity1, ids.powerCapacity2, ids.powerCapacity3],
      [ids.outage1, ids.outage2],
      [ids.skilledWorkers1, ids.skilledWorkers2],
    ]);
    const [power] = body.suggested;
    expect(power).toMatchObject({ status: 'suggested', category: 'utilities' });
    expect(power.reason).toMatch(/^同一问题类别，3 家企业；共同用语：用电增容、.*；相似度 0\.\d\d–0\.\d\d$/);
    expect(power.matches).toHaveLength(2);
  });

  it('confirms part of a suggestion, splits a case off, and never suggests the split pair again', async () => {
    // Confirm the three power cases and the two outage cases.
    const power = await call('POST', '/common-problems', {
      caseIds: [ids.powerCapacity1, ids.powerCapacity2, ids.powerCapacity3],
      note: '用电增容审批慢，统一协调供电公司',
    });
    expect(power.status).toBe(201);
    const group = await json(power);
    expect(group).toMatchObject({ status: 'confirmed', id: expect.stringMatching(/^cp-/) });
    // A case of one group cannot join another; other categories and one enterprise alone are refused.
    expect(
      (await call('POST', '/common-problems', { caseIds: [ids.outage1, ids.skilledWorkers1] })).status,
    ).toBe(422);
    expect(
      (await call('POST', '/common-problems', { caseIds: [ids.powerCapacity1, ids.gasPrice] })).status,
    ).toBe(409);
    expect((await call('POST', '/common-problems', { caseIds: [ids.outage1] })).status).toBe(422);

    // Split one off: the group keeps two, and the split case is not suggested with them again.
    const split = await call('POST', `/common-problems/${group.id}/split`, { caseIds: [ids.powerCapacity3] });
    expect(split.status).toBe(200);
    expect(await json(split)).toEqual({
      id: group.id,
      status: 'confirmed',
      caseIds: [ids.powerCapacity1, ids.powerCapacity2],
    });
    const after = await json(await call('GET', '/common-problems'));
    expect(after.confirmed.map(idsOf)).toEqual([[ids.powerCapacity1, ids.powerCapacity2]]);
    expect(after.confirmed[0].reason).toContain('用电增容');
    expect(after.suggested.flatMap(idsOf)).not.toContain(ids.powerCapacity3);
    expect(after.suggested.flatMap(idsOf)).not.toContain(ids.powerCapacity1);
    expect(
      (await call('POST', `/common-problems/${group.id}/split`, { caseIds: [ids.outage1] })).status,
    ).toBe(422);
  });

  it('assigns a confirmed group in one action; each case gets its own history, clocks and, later, survey', async () => {
    // Prepare
    const confirmed = await json(
      await call('POST', '/common-problems', { caseIds: [ids.skilledWorkers1, ids.skilledWorkers2] }),
    );

    // Act
    const response = await call('POST', `/common-problems/${confirmed.id}/triage`, {
      level: 'department',
      unitId: 'hrss',
      note: '人社局统一组织专场招聘会',
    });
    const again = await call('POST', `/common-problems/${confirmed.id}/triage`, {
      level: 'department',
      unitId: 'hrss',
    });

    // Assess
    expect(response.status).toBe(200);
    expect((await json(response)).results).toEqual([
      expect.objectContaining({ caseId: ids.skilledWorkers1, outcome: 'assigned' }),
      expect.objectContaining({ caseId: ids.skilledWorkers2, outcome: 'assigned' }),
    ]);
    expect((await json(again)).results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'skipped',
      'skipped',
    ]);
    for (const id of [ids.skilledWorkers1, ids.skilledWorkers2]) {
      const record = (await services.cases.get(id))!;
      expect(record).toMatchObject({ status: 'assigned', unitId: 'hrss', level: 'department' });
      expect(record.clocks.map((c) => c.id)).toEqual(['progress', 'resolve']);
      expect(record.history.find((h) => h.action === 'assign')?.data).toMatchObject({
        commonProblem: confirmed.id,
      });
    }
    const bad = await call('POST', `/common-problems/${confirmed.id}/triage`, {
      level: 'department',
      unitId: 'tf-legal',
    });
    expect(bad.status).toBe(422);
  });

  it('answers a confirmed group on the spot: every case resolved, each surveyed on its own', async () => {
    const { suggested } = await json(await call('GET', '/common-problems'));
    const outage = suggested.find((g: { cases: { id: string }[] }) => idsOf(g).includes(ids.outage1));
    const confirmed = await json(await call('POST', '/common-problems', { caseIds: idsOf(outage) }));
    const response = await call('POST', `/common-problems/${confirmed.id}/triage`, {
      level: 'on_spot',
      note: '供电公司已更换老化线路，停电问题已解决',
    });
    expect((await json(response)).results.map((r: { outcome: string }) => r.outcome)).toEqual([
      'resolved',
      'resolved',
    ]);
    for (const id of [ids.outage1, ids.outage2]) {
      const record = (await services.cases.get(id))!;
      expect(record).toMatchObject({
        status: 'resolved',
        level: 'on_spot',
        resolution: '供电公司已更换老化线路，停电问题已解决',
      });
    }
    expect(
      (await call('POST', '/common-problems/cp-nosuchgroup/triage', { level: 'on_spot', note: 'x' })).status,
    ).toBe(404);
  });
});
