import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCadre, setCadreEnterprise } from '../../shared/app/people';
import type { CaseRecord } from '../../shared/domain/case';
import type { App } from '../../shared/http/app';
import { creditCodeOf } from '../support/enterprises';
import { fileIntoTriage } from '../support/filed-cases';
import { validFiling } from '../support/fixtures';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';
import { signedIn, type WorkbenchUser } from '../support/workbench';

// The unit workbench's answers and the cadre channel, through app.request() on a real store.
let services: TestServices;
let app: App;
let office: WorkbenchUser;
let clerk: WorkbenchUser;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  office = await signedIn(app, services, { role: 'office', label: '李明' });
  clerk = await signedIn(app, services, { role: 'unit', unitId: 'power-supply', label: '赵强' });
});
afterAll(() => services.store.close());

async function assignedCase(): Promise<CaseRecord> {
  const record = await fileIntoTriage(services);
  await office.post(`/office/cases/${record.id}/triage`, { level: 'department', unitId: 'power-supply' });
  return (await services.cases.get(record.id))!;
}

const stored = async (id: string) => (await services.cases.get(id))!;
const asPage = { headers: { Accept: 'text/html' } };

describe('the unit workbench', () => {
  it('lists the unit’s cases by state and answers them: accept, progress, extension, resolve', async () => {
    const record = await assignedCase();
    expect(await (await clerk.get('/unit')).text()).toContain(record.caseNo);

    expect((await clerk.post(`/unit/cases/${record.id}/accept`)).status).toBe(303);
    expect((await clerk.post(`/unit/cases/${record.id}/progress`, { note: '已现场勘查' })).status).toBe(303);
    const extension = await clerk.post(`/unit/cases/${record.id}/extension`, {
      days: '3',
      reason: '等待批复',
    });
    expect(extension.status).toBe(303);
    expect((await stored(record.id)).extension).toMatchObject({ days: 3, status: 'pending' });
    expect((await clerk.post(`/unit/cases/${record.id}/resolve`, { resolution: '已送电' })).status).toBe(303);

    const after = await stored(record.id);
    expect(after.status).toBe('resolved');
    expect(after.history.filter((h) => h.actor.name === '赵强').map((h) => h.action)).toEqual([
      'accept',
      'reportProgress',
      'requestExtension',
      'resolve',
    ]);
  });

  it('refuses an empty resolution (422) and an answer the state does not allow (409), changing nothing', async () => {
    const record = await assignedCase();
    const empty = await clerk.post(`/unit/cases/${record.id}/resolve`, { resolution: '  ' }, asPage);
    const early = await clerk.post(`/unit/cases/${record.id}/resolve`, { resolution: '已送电' }, asPage);
    const asProgram = await clerk.post(`/unit/cases/${record.id}/resolve`, { resolution: '已送电' });

    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('办结答复');
    expect(early.status).toBe(409);
    expect(await early.text()).toContain('当前状态不允许这个操作');
    expect(asProgram.status).toBe(409);
    expect(asProgram.headers.get('Content-Type')).toBe('application/problem+json');
    expect(await stored(record.id)).toEqual(record);
  });

  it('returns a misrouted case to the office with the reason', async () => {
    const record = await assignedCase();
    const response = await clerk.post(`/unit/cases/${record.id}/return`, { reason: '属自然资源局职责' });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/unit');
    const after = await stored(record.id);
    expect(after.status).toBe('triage');
    expect(after.history.at(-1)).toMatchObject({ action: 'returnCase', note: '属自然资源局职责' });
    expect((await clerk.get(`/unit/cases/${record.id}`)).status).toBe(404);
  });
});

describe('the cadre channel', () => {
  it('files for an assigned enterprise as a visit by the cadre, and refuses one not assigned (403), filing nothing', async () => {
    const cadre = await createCadre(services, { name: '孙干部', mobile: '13900001111' });
    await setCadreEnterprise(services, cadre.id, { creditCode: validFiling().enterprise.creditCode }, true);
    const user = await signedIn(app, services, { role: 'cadre', cadreId: cadre.id, label: '孙干部' });
    const home = await (await user.get('/cadre')).text();
    expect(home).toContain(validFiling().enterprise.creditCode);

    const filing = validFiling();
    const fields = {
      'enterprise.name': filing.enterprise.name,
      'enterprise.creditCode': filing.enterprise.creditCode,
      'enterprise.township': filing.enterprise.township,
      'contact.name': filing.contact.name,
      'contact.mobile': filing.contact.mobile,
      category: filing.category,
      title: '走访发现的问题',
      description: filing.description,
      submissionId: 'cadre-submission-0001',
    };
    const filed = await user.post('/cadre/file', fields);
    const other = await user.post(
      '/cadre/file',
      { ...fields, 'enterprise.creditCode': creditCodeOf(7), submissionId: 'cadre-submission-0002' },
      asPage,
    );

    expect(filed.status).toBe(201);
    const caseNo = /data-testid="case-no">([^<]+)</.exec(await filed.text())?.[1]?.trim();
    const record = (await services.cases.getByCaseNo(caseNo!))!;
    expect(record).toMatchObject({ channel: 'visit', cadre: { name: '孙干部', mobile: '13900001111' } });
    expect(record.history[0]?.actor).toMatchObject({ kind: 'cadre', name: '孙干部' });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('没有分包给您');
    const filedFor = (await services.cases.everyByStatus('submitted')).map((r) => r.enterprise.creditCode);
    expect(filedFor).not.toContain(creditCodeOf(7));
    // The cadre follows the case; another enterprise's case is a 404 to them.
    expect((await user.get(`/cadre/cases/${record.id}`)).status).toBe(200);
    const foreign = await assignedCase();
    await services.cases.save({
      ...foreign,
      enterprise: { ...foreign.enterprise, creditCode: creditCodeOf(8) },
    });
    expect((await user.get(`/cadre/cases/${foreign.id}`, asPage.headers)).status).toBe(404);
  });

  it('a cadre with a form that has fields to fix gets it back with the public form’s messages', async () => {
    const cadre = await createCadre(services, { name: '钱干部' });
    await setCadreEnterprise(services, cadre.id, { creditCode: validFiling().enterprise.creditCode }, true);
    const user = await signedIn(app, services, { role: 'cadre', cadreId: cadre.id, label: '钱干部' });
    const response = await user.post(
      '/cadre/file',
      { 'enterprise.creditCode': '91350100M000100Y44', title: '缺字段' },
      asPage,
    );
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('校验位（第 18 位）不正确');
  });
});
