import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fileCase } from '../../shared/app/file-case';
import { workflowTasks } from '../../shared/app/workflow-tasks';
import type { App } from '../../shared/http/app';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The ledger (问题台账) on the app alone, over cases filed across a year boundary (China time).
let services: TestServices;
let app: App;

interface Filed {
  id: string;
  caseNo: string;
  at: string;
  township: string;
  category: string;
  name: string;
  creditCode: string;
}
const filed: Filed[] = [];

const plan = [
  // at (UTC)                 township   category     enterprise
  ['2026-11-27T02:00:00.000Z', 'anling', 'utilities', '鄢陵县鼎恒纺织有限公司'],
  ['2026-12-01T03:00:00.000Z', 'malan', 'finance', '许昌花木园艺有限公司'],
  ['2026-12-15T08:00:00.000Z', 'anling', 'land', '鄢陵县宏达机械制造厂'],
  ['2026-12-31T15:30:00.000Z', 'boliang', 'utilities', '河南绿源食品有限公司'], // 2026-12-31 23:30 in China
  ['2026-12-31T16:30:00.000Z', 'malan', 'labour', '鄢陵县金穗农业科技有限公司'], // 2027-01-01 00:30 in China
  ['2027-01-04T02:00:00.000Z', 'anling', 'finance', '鄢陵县鼎恒纺织有限公司'],
  ['2027-01-05T02:00:00.000Z', 'dama', 'approvals', '许昌瑞丰新材料有限公司'],
] as const;

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  for (const [i, [at, township, category, name]] of plan.entries()) {
    services.clock.set(at);
    const creditCode = name === '鄢陵县鼎恒纺织有限公司' ? creditCodeOf(1) : creditCodeOf(100 + i);
    const { record } = await fileCase(services, {
      filing: { ...validFiling(), enterprise: { name, creditCode, township }, category, title: `问题 ${i}` },
      defaultChannel: 'api',
      actor: { kind: 'enterprise' },
    });
    await workflowTasks.beginTriage(services, { task: 'beginTriage', caseId: record.id });
    filed.push({ id: record.id, caseNo: record.caseNo, at, township, category, name, creditCode });
  }
  // Two of them assigned: one to a department, one to a task force, and one of those flagged overdue.
  services.clock.set('2027-01-06T02:00:00Z');
  await triage(filed[1]!.id, { level: 'department', unitId: 'finance-office' });
  await triage(filed[5]!.id, { level: 'task_force', unitId: 'tf-finance' });
  const late = (await services.cases.get(filed[5]!.id))!;
  await services.cases.save({ ...late, flags: { ...late.flags, overdue: true } });
});
afterAll(() => services.store.close());

async function triage(id: string, body: unknown) {
  const response = await app.request(`/api/v1/office/cases/${id}/triage`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${services.officeKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

async function list(query: string): Promise<Response> {
  const response = await app.request(`/api/v1/office/cases?${query}`, {
    headers: { Authorization: `Bearer ${services.officeKey}` },
  });
  expect(response.status).toBeLessThan(500);
  return response;
}

/** Every page of a query, following the cursor; the ids in order. */
async function allIds(query: string, limit?: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await json(
      await list(`${query}${limit ? `&limit=${limit}` : ''}${cursor ? `&cursor=${cursor}` : ''}`),
    );
    ids.push(...page.items.map((c: { id: string }) => c.id));
    cursor = page.cursor;
    if (!cursor) return ids;
  }
  throw new Error('more than 50 pages');
}

const ids = (pick: (f: Filed, i: number) => boolean) => filed.filter(pick).map((f) => f.id);

describe('GET /api/v1/office/cases (the ledger)', () => {
  it('lists every case by filing time across years, newest first on request', async () => {
    expect(await allIds('')).toEqual(ids(() => true));
    expect(await allIds('order=desc')).toEqual(ids(() => true).reverse());
  });

  it('pages with the cursor, losing and repeating nothing, across the year partitions', async () => {
    expect(await allIds('', 2)).toEqual(ids(() => true));
    expect(await allIds('order=desc', 3)).toEqual(ids(() => true).reverse());
    expect(await allIds('township=anling', 1)).toEqual(ids((f) => f.township === 'anling'));
    const first = await json(await list('limit=2'));
    expect(first.items).toHaveLength(2);
    expect(first.cursor).toEqual(expect.any(String));
  });

  it('hands out no cursor on the last page, even when it is exactly full or a filter ends it early', async () => {
    for (const query of [
      '',
      'order=desc',
      'township=anling',
      'status=assigned',
      'filedTo=2026-12-31',
      'unitId=finance-office',
      'level=department&status=assigned',
      'category=utilities',
    ]) {
      const every = await allIds(query);
      expect(every.length, query).toBeGreaterThan(0);
      const full = await json(await list(`${query}&limit=${every.length}`));
      expect(
        full.items.map((c: { id: string }) => c.id),
        query,
      ).toEqual(every);
      expect(full.cursor, `${query}: the page holds every match`).toBeUndefined();
      if (every.length > 1) {
        const last = await json(await list(`${query}&limit=${every.length - 1}`));
        expect(last.cursor, `${query}: one match remains`).toEqual(expect.any(String));
        const rest = await json(await list(`${query}&limit=${every.length - 1}&cursor=${last.cursor}`));
        expect(rest.items.map((c: { id: string }) => c.id)).toEqual(every.slice(-1));
        expect(rest.cursor).toBeUndefined();
      }
    }
  });

  it('filters by status, open, flag, unit, township, category and level', async () => {
    expect(await allIds('status=assigned')).toEqual([filed[1]!.id, filed[5]!.id]);
    expect(await allIds('status=triage')).toEqual(ids((_, i) => i !== 1 && i !== 5));
    expect(await allIds('status=open')).toHaveLength(filed.length);
    expect(await allIds('status=closed')).toEqual([]);
    expect(await allIds('flag=overdue')).toEqual([filed[5]!.id]);
    expect(await allIds('status=open&flag=overdue')).toEqual([filed[5]!.id]);
    expect(await allIds('unitId=finance-office')).toEqual([filed[1]!.id]);
    expect(await allIds('unitId=tf-finance&status=assigned')).toEqual([filed[5]!.id]);
    expect(await allIds('township=malan')).toEqual(ids((f) => f.township === 'malan'));
    expect(await allIds('category=utilities')).toEqual(ids((f) => f.category === 'utilities'));
    expect(await allIds('category=finance&township=anling')).toEqual([filed[5]!.id]);
    expect(await allIds('level=task_force')).toEqual([filed[5]!.id]);
    expect(await allIds('level=department&status=assigned')).toEqual([filed[1]!.id]);
  });

  it('filters by the China dates of filing: a case filed at 00:30 on 1 January in China is of the new year', async () => {
    expect(await allIds('filedTo=2026-12-31')).toEqual(ids((_, i) => i <= 3));
    expect(await allIds('filedFrom=2027-01-01')).toEqual(ids((_, i) => i >= 4));
    expect(await allIds('filedFrom=2026-12-01&filedTo=2026-12-31')).toEqual(ids((_, i) => i >= 1 && i <= 3));
    expect(await allIds('filedFrom=2026-12-31&filedTo=2027-01-01')).toEqual([filed[3]!.id, filed[4]!.id]);
    expect(await allIds('filedFrom=2026-12-31&filedTo=2026-12-31&status=triage')).toEqual([filed[3]!.id]);
    expect(await allIds('filedFrom=2027-01-04&unitId=tf-finance')).toEqual([filed[5]!.id]);
  });

  it("searches the enterprise's name, its credit code and the case number", async () => {
    expect(await allIds('q=鼎恒')).toEqual(ids((f) => f.name.includes('鼎恒')));
    expect(await allIds(`q=${encodeURIComponent(' 鼎恒纺织 ')}&filedFrom=2027-01-01`)).toEqual([
      filed[5]!.id,
    ]);
    expect(await allIds(`q=${creditCodeOf(1).toLowerCase()}`)).toEqual(
      ids((f) => f.creditCode === creditCodeOf(1)),
    );
    expect(await allIds(`q=${filed[6]!.caseNo}`)).toEqual([filed[6]!.id]);
    expect(await allIds(`q=${filed[6]!.caseNo}&status=closed`)).toEqual([]);
    expect(await allIds(`q=${filed[2]!.caseNo.slice(-6)}`)).toContain(filed[2]!.id);
    expect(await allIds('q=不存在的企业')).toEqual([]);
  });

  it('reads with Query only, never a Scan', async () => {
    const send = vi.spyOn(services.store.db, 'send');
    try {
      for (const query of ['', 'q=鼎恒', 'township=malan&limit=1', 'flag=escalated', 'status=open&q=许昌']) {
        await allIds(query);
      }
      const commands = send.mock.calls.map(([command]) => command.constructor.name);
      expect(commands).not.toContain(ScanCommand.name);
      expect(commands).toContain(QueryCommand.name);
    } finally {
      send.mockRestore();
    }
  });

  it('refuses bad filters and cursors of another query with 422, never 500', async () => {
    const first = await json(await list('limit=1'));
    const byStatus = await json(await list('status=triage&limit=1'));
    for (const query of [
      'filedFrom=2026-13-01',
      'filedFrom=2026-02-30',
      'filedFrom=2027-01-02&filedTo=2027-01-01',
      'status=lost',
      'flag=late',
      'level=mayor',
      'order=sideways',
      `q=${'长'.repeat(101)}`,
      `cursor=${first.cursor}&status=triage`,
      `cursor=${byStatus.cursor}&status=assigned`,
      `cursor=${byStatus.cursor}`,
      'cursor=bm90LWEtY3Vyc29y',
      `cursor=${Buffer.from(JSON.stringify({ s: 9 })).toString('base64url')}`,
    ]) {
      const response = await list(query);
      expect(response.status, query).toBe(422);
    }
  });
});
