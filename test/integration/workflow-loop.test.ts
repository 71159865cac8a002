import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../support/http';
import { type TestRuntime, testRuntime } from '../support/runtime';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await testRuntime();
});
afterAll(() => rt.close());

describe('the closed loop on the embedded runtime', () => {
  it('takes a case from filing to a satisfied close', async () => {
    const { id } = await rt.file();
    let record = await rt.get(id);
    expect(record.status).toBe('triage');
    expect(record.suggestion).toEqual({ level: 'department', unitId: 'power-supply' });
    expect(record.wait?.state).toBe('AwaitTriage');

    const triaged = await rt.api('POST', `/api/v1/office/cases/${id}/triage`, {
      as: 'office',
      body: { level: 'department', unitId: 'power-supply' },
    });
    expect(triaged.status).toBe(200);
    await rt.settle();
    record = await rt.get(id);
    expect(record.status).toBe('assigned');
    expect(record.wait?.state).toBe('AwaitUnit');
    expect(record.notices.map((n) => n.kind)).toEqual(['assignment']);

    expect(
      (await rt.api('POST', `/api/v1/unit/cases/${id}/accept`, { as: 'power-supply', body: {} })).status,
    ).toBe(200);
    await rt.settle();
    expect(
      (
        await rt.api('POST', `/api/v1/unit/cases/${id}/progress`, {
          as: 'power-supply',
          body: { note: '已现场勘查' },
        })
      ).status,
    ).toBe(200);
    await rt.settle();
    expect(
      (
        await rt.api('POST', `/api/v1/unit/cases/${id}/resolve`, {
          as: 'power-supply',
          body: { resolution: '增容已批复' },
        })
      ).status,
    ).toBe(200);
    await rt.settle();
    record = await rt.get(id);
    expect(record.status).toBe('resolved');
    expect(record.wait?.state).toBe('AwaitSurvey');
    const outbox = await json(await rt.api('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' }));
    const invitation = outbox.items.find((n: { kind: string }) => n.kind === 'survey');
    expect(invitation.link).toMatch(/\/survey\/[\w-]+$/);

    const surveyed = await rt.api('POST', new URL(invitation.link).pathname, {
      body: { solved: 'yes', satisfaction: 'satisfied' },
    });
    expect(surveyed.status).toBe(200);
    await rt.settle();
    record = await rt.get(id);
    expect(record.status).toBe('closed');
    expect(record.rating).toBe('satisfied');
    expect(rt.engine.isRunning(id)).toBe(false);
  });
});
