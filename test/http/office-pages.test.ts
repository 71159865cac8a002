import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../shared/app/secrets';
import type { App } from '../../shared/http/app';
import { fileIntoTriage } from '../support/filed-cases';
import { validFiling } from '../support/fixtures';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';
import { signedIn, type WorkbenchUser } from '../support/workbench';

// The office workbench's pages other than triage, through app.request() on a real store.
let services: TestServices;
let app: App;
let office: WorkbenchUser;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  office = await signedIn(app, services, { role: 'office', label: '李明' });
});
afterAll(() => services.store.close());

const caseInTriage = (filing: Record<string, unknown> = {}) => fileIntoTriage(services, filing);

const html = async (response: Response) => {
  expect(response.status).toBe(200);
  return response.text();
};

describe('boards', () => {
  it('count and list the cases held by units, narrowed by unit and township', async () => {
    const a = await caseInTriage();
    const b = await caseInTriage({ enterprise: { ...validFiling().enterprise, township: 'malan' } });
    const c = await caseInTriage();
    await office.post(`/office/cases/${a.id}/triage`, { level: 'department', unitId: 'power-supply' });
    await office.post(`/office/cases/${b.id}/triage`, { level: 'department', unitId: 'power-supply' });
    await office.post(`/office/cases/${c.id}/triage`, { level: 'department', unitId: 'hrss' });

    const all = await html(await office.get('/office/boards/in_progress'));
    const byUnit = await html(await office.get('/office/boards/in_progress?unit=power-supply'));
    const byTownship = await html(
      await office.get('/office/boards/in_progress?unit=power-supply&township=malan'),
    );
    const index = await html(await office.get('/office/boards'));

    for (const record of [a, b, c]) expect(all).toContain(record.caseNo);
    expect(byUnit).toContain(a.caseNo);
    expect(byUnit).toContain(b.caseNo);
    expect(byUnit).not.toContain(c.caseNo);
    expect(byTownship).toContain(b.caseNo);
    expect(byTownship).not.toContain(a.caseNo);
    expect(byTownship).toContain('共 1 件');
    expect(index).toMatch(/data-board="in_progress">在办 <strong>3<\/strong>/);
  });

  it('find a case by its number, the enterprise name or the credit code', async () => {
    const record = await caseInTriage({
      enterprise: { ...validFiling().enterprise, name: '许昌市找得到机械厂' },
    });
    for (const q of [record.caseNo, '找得到', record.enterprise.creditCode]) {
      expect(await html(await office.get(`/office/search?q=${encodeURIComponent(q)}`))).toContain(
        record.caseNo,
      );
    }
    expect(
      await html(await office.get('/office/search?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E5%AE%B6')),
    ).not.toContain(record.caseNo);
  });

  it('an unknown board is a 404', async () => {
    expect((await office.get('/office/boards/nope', { Accept: 'text/html' })).status).toBe(404);
  });
});

describe('units and people', () => {
  it('issues a key shown once, lists it by the person’s name, and revokes it', async () => {
    const issued = await office.post('/office/units/hrss/keys', { label: '钱芳' });
    const page = await issued.text();
    const key = /data-testid="issued-key">([^<]+)</.exec(page)?.[1];
    expect(issued.status).toBe(201);
    expect(key).toMatch(/^zq_unit_/);
    const listed = await html(await office.get('/office/units/hrss'));
    expect(listed).toContain('data-key-label="钱芳"');
    expect(listed).not.toContain(key!);

    const revoked = await office.post(`/office/units/hrss/keys/${sha256(key!)}/revoke`);
    expect(revoked.status).toBe(200);
    expect((await services.access.findApiKey(sha256(key!)))?.revokedAt).toBeDefined();
    // A key of another owner cannot be revoked through this unit.
    const other = await office.post(
      `/office/units/power-supply/keys/${sha256(office.key)}/revoke`,
      {},
      {
        headers: { Accept: 'text/html' },
      },
    );
    expect(other.status).toBe(404);
    expect((await services.access.findApiKey(sha256(office.key)))?.revokedAt).toBeUndefined();
  });

  it('adds a unit, refuses a taken id, sets a webhook with a secret shown once, and deactivates the unit', async () => {
    const created = await office.post('/office/units', {
      id: 'tax',
      kind: 'department',
      zh: '县税务局',
      en: 'Tax Bureau',
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('Location')).toBe('/office/units/tax');
    const taken = await office.post(
      '/office/units',
      { id: 'tax', kind: 'department', zh: '县税务局', en: 'Tax Bureau' },
      { headers: { Accept: 'text/html' } },
    );
    expect(taken.status).toBe(422);

    const webhook = await office.post('/office/units/tax', { webhookUrl: 'https://tax.example.gov.cn/hook' });
    const secret = /data-testid="webhook-secret">([^<]+)</.exec(await webhook.text())?.[1];
    expect(secret?.length).toBeGreaterThan(20);
    expect((await services.access.getUnit('tax'))?.webhookSecret).toBe(secret);

    await office.post('/office/units/tax', { active: 'false' });
    expect((await services.access.getUnit('tax'))?.active).toBe(false);
  });

  it('adds a cadre, assigns enterprises by a checked credit code, and takes one away', async () => {
    const created = await office.post('/office/cadres', { name: '孙干部', mobile: '13900001111' });
    const path = created.headers.get('Location')!;
    const cadreId = path.split('/').at(-1)!;
    const wrong = await office.post(
      `${path}/enterprises`,
      { creditCode: '91350100M000100Y44' },
      {
        headers: { Accept: 'text/html' },
      },
    );
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('校验位');
    await office.post(`${path}/enterprises`, { creditCode: '91350100m000100y43', name: '鼎恒纺织' });
    expect((await services.access.getCadre(cadreId))?.enterprises).toEqual([
      { creditCode: '91350100M000100Y43', name: '鼎恒纺织' },
    ]);
    await office.post(`${path}/enterprises/remove`, { creditCode: '91350100M000100Y43' });
    expect((await services.access.getCadre(cadreId))?.enterprises).toEqual([]);
  });
});

describe('notices and follow-ups', () => {
  it('retries a failed notice by queueing it again, and refuses to resend a delivered one', async () => {
    const message = {
      id: 'case-x:assignment:test',
      kind: 'assignment' as const,
      caseId: 'aaaaaaaaaaaaaaaaaaaa',
      caseNo: 'YL-2026-009999',
      recipient: { kind: 'unit' as const, unitId: 'hrss' },
      issuedAt: services.clock.now().toISOString(),
      subject: '交办单',
      body: '测试',
    };
    await services.outbox.record(message, message.issuedAt);
    await services.outbox.markOutcome(message.id, {
      status: 'failed',
      at: message.issuedAt,
      error: 'webhook answered 503',
    });
    const page = await html(await office.get('/office/notices'));
    expect(page).toContain('webhook answered 503');

    const sent = services.notices.sent.length;
    const retried = await office.post('/office/notices/retry', { id: message.id });
    expect(retried.status).toBe(303);
    expect(services.notices.sent.slice(sent)).toEqual([message]);

    await services.outbox.markOutcome(message.id, { status: 'delivered', at: message.issuedAt });
    const again = await office.post(
      '/office/notices/retry',
      { id: message.id },
      { headers: { Accept: 'text/html' } },
    );
    expect(again.status).toBe(409);
    expect(services.notices.sent.length).toBe(sent + 1);
  });

  it('shows the month’s follow-up sample', async () => {
    const page = await html(await office.get('/office/follow-ups?month=2026-10'));
    expect(page).toContain('2026-10');
  });
});
