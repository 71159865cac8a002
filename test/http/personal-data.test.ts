import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../shared/app/file-case';
import { ruleContext } from '../../shared/app/rules';
import { resolveCase, startTriage } from '../../shared/domain/case-rules';
import type { App } from '../../shared/http/app';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// PIPL, minimum necessary: the full mobile number only to the office and to the unit working on
// the case, on the case's own view, each such view of a unit recorded; masked everywhere else.
let services: TestServices;
let app: App;
const keys: Record<string, string> = {};
const MOBILE = validFiling().contact.mobile;
const MASKED = '138****5678';
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  keys.office = services.officeKey;
  keys['power-supply'] = await services.unitKey('power-supply');
  keys.hrss = await services.unitKey('hrss');
});
afterAll(() => services.store.close());

let n = 0;
/** A case triaged by the office's API to power-supply (so an office act is in its history). */
async function assignedCase(): Promise<string> {
  n++;
  const { record } = await fileCase(services, {
    filing: { ...validFiling(), title: `个人信息测试${n}` },
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
  });
  await services.cases.save(
    startTriage(record, services.config.categories, ruleContext(services, { kind: 'system' })),
  );
  const triaged = await call('POST', `/api/v1/office/cases/${record.id}/triage`, 'office', {
    level: 'department',
    unitId: 'power-supply',
  });
  expect(triaged.status).toBe(200);
  return record.id;
}

const call = (method: string, path: string, as: string, body?: unknown) =>
  app.request(path, {
    method,
    headers: {
      Authorization: `Bearer ${keys[as]}`,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });

const contactViews = async (id: string) =>
  (await json(await call('GET', `/api/v1/office/cases/${id}`, 'office'))).history.filter(
    (h: { action: string }) => h.action === 'viewContact',
  );

describe('personal data', () => {
  it('gives the working unit the full number on the case view, and records each view in the audit history', async () => {
    // Prepare
    const id = await assignedCase();

    // Act
    const first = await json(await call('GET', `/api/v1/unit/cases/${id}`, 'power-supply'));
    services.clock.set(new Date(services.clock.now().getTime() + 60_000));
    await call('GET', `/api/v1/unit/cases/${id}`, 'power-supply');

    // Assess
    expect(first.contact.mobile).toBe(MOBILE);
    const views = await contactViews(id);
    expect(views).toHaveLength(2);
    expect(views[0]).toMatchObject({ actor: { kind: 'unit', id: 'power-supply' }, public: false });
    expect(views[1].at > views[0].at).toBe(true);
  });

  it('masks the number in the answers to a unit’s acts, and once the unit no longer works on the case', async () => {
    // Prepare
    const id = await assignedCase();

    // Act
    const accepted = await call('POST', `/api/v1/unit/cases/${id}/accept`, 'power-supply', {});
    const record = (await services.cases.get(id))!;
    await services.cases.save(
      resolveCase(record, '已解决', ruleContext(services, { kind: 'unit', id: 'power-supply' })),
    );
    const resolved = await call('GET', `/api/v1/unit/cases/${id}`, 'power-supply');

    // Assess
    expect(accepted.status).toBe(200);
    const acceptedText = await accepted.text();
    expect(acceptedText).not.toContain(MOBILE);
    expect(JSON.parse(acceptedText).contact.mobile).toBe(MASKED);
    expect((await json(resolved)).contact.mobile).toBe(MASKED);
    expect(await contactViews(id)).toEqual([]);
    expect((await services.cases.get(id))!.contact.mobile).toBe(MOBILE); // masking is a view, not a write
  });

  it('the unit list, the office list and the outbox carry no full number', async () => {
    // Prepare
    const id = await assignedCase();
    await services.outbox.record(
      {
        id: `survey-${id}`,
        kind: 'survey',
        caseId: id,
        caseNo: 'YL-2026-000001',
        recipient: { kind: 'enterprise', mobile: MOBILE },
        issuedAt: services.clock.now().toISOString(),
        subject: '满意度回访',
        body: '请评价',
      },
      services.clock.now().toISOString(),
    );

    // Act
    const answers = await Promise.all([
      call('GET', '/api/v1/unit/cases', 'power-supply'),
      call('GET', '/api/v1/office/cases?status=assigned', 'office'),
      call('GET', `/api/v1/office/outbox?caseId=${id}`, 'office'),
    ]);

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(await answer.text()).not.toContain(MOBILE);
    }
    expect(
      (await json(await call('GET', `/api/v1/office/outbox?caseId=${id}`, 'office'))).items[0].recipient,
    ).toEqual({
      kind: 'enterprise',
      mobile: MASKED,
    });
  });

  it('names the office and units in the history a unit reads, never a key prefix', async () => {
    // Prepare
    const id = await assignedCase();
    const officePrefix = keys.office!.slice(0, 12);

    // Act
    const office = await (await call('GET', `/api/v1/office/cases/${id}`, 'office')).text();
    const unit = await json(await call('GET', `/api/v1/unit/cases/${id}`, 'power-supply'));

    // Assess: the office's own view keeps the key's prefix as the actor; the unit's does not.
    expect(office).toContain(officePrefix);
    expect(JSON.stringify(unit)).not.toContain(officePrefix);
    const assign = unit.history.find((h: { action: string }) => h.action === 'assign');
    expect(assign.actor).toEqual({ kind: 'office', name: services.config.officeName.zh });
  });

  it('answers another unit exactly as for a case that does not exist', async () => {
    // Prepare
    const id = await assignedCase();
    const missing = 'aaaaaaaaaaaaaaaaaaaa';

    // Act
    const pairs = await Promise.all(
      [
        ['GET', ''],
        ['POST', '/accept'],
        ['POST', '/progress'],
      ].map(async ([method, action]) => {
        const body = method === 'POST' ? (action === '/accept' ? {} : { note: '进展' }) : undefined;
        const other = await call(method!, `/api/v1/unit/cases/${id}${action}`, 'hrss', body);
        const none = await call(method!, `/api/v1/unit/cases/${missing}${action}`, 'hrss', body);
        return [other, none] as const;
      }),
    );

    // Assess
    for (const [other, none] of pairs) {
      expect(other.status).toBe(404);
      expect(none.status).toBe(404);
      const [a, b] = [await json(other), await json(none)];
      expect(a.detail.replace(id, 'ID')).toBe(b.detail.replace(missing, 'ID'));
      expect({ ...a, detail: '' }).toEqual({ ...b, detail: '' });
    }
  });
});
