import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXPORT_PAGE_SIZE, LEDGER_COLUMNS } from '../../shared/app/exports';
import { fileCase } from '../../shared/app/file-case';
import { workflowTasks } from '../../shared/app/workflow-tasks';
import { DEFAULT_TOWNSHIPS } from '../../shared/config/catalog';
import type { CaseRecord } from '../../shared/domain/case';
import { FIGURE_DEFINITIONS } from '../../shared/domain/statistics';
import type { App } from '../../shared/http/app';
import { playStory, SCENARIOS } from '../support/campaign';
import { creditCodeOf } from '../support/enterprises';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The ledger and its figures as files, read back: the CSV parsed here, the XLSX opened with exceljs.
let services: TestServices;
let app: App;
const ids: string[] = [];
const FILED = 2 * EXPORT_PAGE_SIZE + 34; // three pages of cases

beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  // Cases in every story, and a crowd filed and left in triage, all in November 2026.
  for (const [i, scenario] of SCENARIOS.entries()) {
    const at = new Date(Date.parse('2026-11-02T01:00:00Z') + i * 3600_000).toISOString();
    ids.push(
      (await playStory(services, scenario, { n: i, at, township: 'anling', category: 'utilities' })).id,
    );
  }
  const hostile = await playStory(services, 'inTriage', {
    n: 99,
    at: '2026-11-03T01:00:00Z',
    township: 'malan',
    category: 'finance',
    name: '=HYPERLINK("http://x","点我")有限公司',
    title: '标题里有"引号"，还有逗号',
    description: '第一行\n第二行',
  });
  ids.push(hostile.id);
  for (let n = ids.length; n < FILED; n++) {
    services.clock.set(new Date(Date.parse('2026-11-10T01:00:00Z') + n * 60_000));
    const { record } = await fileCase(services, {
      filing: {
        enterprise: { name: `鄢陵县第${n}家企业有限公司`, creditCode: creditCodeOf(n), township: 'boliang' },
        contact: { name: '李强', mobile: `139${String(n).padStart(8, '0')}` },
        category: 'labour',
        title: `招工难 ${n}`,
        description: '企业扩产缺少熟练技工，希望协调招聘。',
      },
      defaultChannel: 'web',
      actor: { kind: 'enterprise' },
    });
    await workflowTasks.beginTriage(services, { task: 'beginTriage', caseId: record.id });
    ids.push(record.id);
  }
  services.clock.set('2026-12-01T02:00:00Z');
}, 300_000);
afterAll(() => services.store.close());

const get = (path: string) =>
  app.request(path, { headers: { Authorization: `Bearer ${services.officeKey}` } });

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

async function stored(): Promise<Map<string, CaseRecord>> {
  const records = new Map<string, CaseRecord>();
  for (const id of ids) {
    const record = (await services.cases.get(id))!;
    records.set(record.caseNo, record);
  }
  return records;
}

const chinaTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
const column = (header: string) => LEDGER_COLUMNS.findIndex((c) => c.header === header);

describe('CSV export', () => {
  it('is UTF-8 with a byte-order mark, every case a row equal to its source, phones masked', async () => {
    // Act
    const response = await get('/api/v1/office/export?format=csv&filedFrom=2026-11-01&filedTo=2026-11-30');
    const bytes = new Uint8Array(await response.arrayBuffer());

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toMatch(
      /^attachment; filename="zhuqi-ledger-2026-12-01\.csv"$/,
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes.slice(3)));
    expect(header).toEqual(LEDGER_COLUMNS.map((c) => c.header));
    const records = await stored();
    expect(rows).toHaveLength(FILED);
    expect(new Set(rows.map((r) => r[0])).size).toBe(FILED);
    for (const row of rows) {
      const record = records.get(row[0]!)!;
      expect(record, row[0]).toBeDefined();
      expect(row[column('提交时间')]).toBe(chinaTime(record.createdAt));
      expect(row[column('统一社会信用代码')]).toBe(record.enterprise.creditCode);
      expect(row[column('所属乡镇')]).toBe(
        DEFAULT_TOWNSHIPS.find((t) => t.id === record.enterprise.township)!.zh,
      );
      expect(row[column('问题标题')]).toBe(record.title);
      expect(row[column('问题描述')]).toBe(record.description);
      expect(row[column('联系电话')]).toBe(
        `${record.contact.mobile.slice(0, 3)}****${record.contact.mobile.slice(7)}`,
      );
      const name = row[column('企业名称')]!;
      expect(name).toBe(
        record.enterprise.name.startsWith('=') ? `'${record.enterprise.name}` : record.enterprise.name,
      );
      expect(row[column('企业评价')]).toBe(
        record.rating === 'not_rated'
          ? '未评价'
          : (({ satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const)[
              record.survey?.answer?.satisfaction ?? ('' as 'satisfied')
            ] ?? ''),
      );
    }
    expect(rows.some((r) => r[column('企业评价')] === '未评价')).toBe(true);
    expect(rows.some((r) => r[column('问题描述')] === '第一行\n第二行')).toBe(true);
  });

  it('gives the full numbers only when asked, and records that export in the audit log', async () => {
    const response = await get('/api/v1/office/export?format=csv&contacts=full&township=boliang');
    const [, ...rows] = parseCsv((await response.text()).replace(/^\uFEFF/, ''));
    const records = await stored();
    expect(rows.length).toBeGreaterThan(EXPORT_PAGE_SIZE);
    for (const row of rows) expect(row[column('联系电话')]).toBe(records.get(row[0]!)!.contact.mobile);

    const audit = await json(await get('/api/v1/office/audit?month=2026-12'));
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'export:full_contacts',
        by: expect.stringMatching(/^zq_office_/),
        at: '2026-12-01T02:00:00.000Z',
        details: { format: 'csv', table: 'ledger', filter: { township: 'boliang' } },
      }),
    ]);
    const masked = await get('/api/v1/office/export?format=csv&township=boliang');
    expect(await masked.text()).not.toMatch(/139\d{8}/);
    expect((await json(await get('/api/v1/office/audit?month=2026-12'))).items).toHaveLength(1);
  });

  it('exports the figures and the ranking equal to the figures API', async () => {
    const query = 'filedFrom=2026-11-01&filedTo=2026-11-30';
    const figures = await json(await get(`/api/v1/office/stats?${query}`));
    const [header, ...rows] = parseCsv(
      (await (await get(`/api/v1/office/export?${query}&table=figures`)).text()).replace(/^\uFEFF/, ''),
    );
    const names = Object.keys(figures.totals);
    expect(header).toEqual(['维度', '分组', ...names.map((n) => FIGURE_DEFINITIONS[n as 'filed'].zh)]);
    const expectRow = (row: string[], values: Record<string, number | null>) => {
      for (const [i, name] of names.entries()) {
        const cell = row[i + 2]!;
        const value = values[name]!;
        if (value === null) expect(cell, name).toBe('');
        else if (name.endsWith('Rate'))
          expect(Number(cell.replace('%', '')) / 100, name).toBeCloseTo(value, 4);
        else expect(Number(cell), name).toBeCloseTo(value, 2);
      }
    };
    expect(rows[0]!.slice(0, 2)).toEqual(['合计', '全部']);
    expectRow(rows[0]!, figures.totals);
    const byUnit = rows.filter((r) => r[0] === '承办单位');
    expect(byUnit.map((r) => r[1])).toEqual(
      figures.breakdowns.unit.map((g: { label: { zh: string } }) => g.label.zh),
    );
    for (const [i, group] of figures.breakdowns.unit.entries()) expectRow(byUnit[i]!, group.figures);
    expect(rows).toHaveLength(1 + Object.values(figures.breakdowns).flat().length);

    const [, ...ranking] = parseCsv(
      (await (await get(`/api/v1/office/export?${query}&table=ranking`)).text()).replace(/^\uFEFF/, ''),
    );
    expect(ranking.map((r) => [Number(r[0]), r[1], Number(r[3]), Number(r[4])])).toEqual(
      figures.ranking.map(
        (r: { rank: number; label: { zh: string }; resolved: number; resolvedOnTime: number }) => [
          r.rank,
          r.label.zh,
          r.resolved,
          r.resolvedOnTime,
        ],
      ),
    );
  });

  it('streams: the first rows leave before the last page is read', async () => {
    const search = vi.spyOn(services.cases, 'search');
    try {
      // app.fetch, not the contract's app.request: the contract check would read the whole body first.
      const response = await app.fetch(
        new Request('http://zhuqi.test/api/v1/office/export?format=csv', {
          headers: { Authorization: `Bearer ${services.officeKey}` },
        }),
      );
      const reader = response.body!.getReader();
      let text = '';
      while (parseCsv(text).length < 2) {
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
      }
      expect(search).toHaveBeenCalledTimes(1);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(parseCsv(text)).toHaveLength(FILED + 1);
      expect(search.mock.calls.length).toBeGreaterThanOrEqual(Math.ceil(FILED / EXPORT_PAGE_SIZE));
    } finally {
      search.mockRestore();
    }
  });

  it('refuses an unknown format, table or contacts value with 422', async () => {
    for (const query of [
      'format=pdf',
      'table=everything',
      'contacts=some',
      'period=2026-11&filedFrom=2026-11-01',
    ]) {
      expect((await get(`/api/v1/office/export?${query}`)).status, query).toBe(422);
    }
  });
});

describe('XLSX export', () => {
  it('holds the ledger and the figures, one sheet each: Chinese headers, frozen header row, widths, dates as dates', async () => {
    // Act
    const response = await get('/api/v1/office/export?format=xlsx&filedFrom=2026-11-01&filedTo=2026-11-30');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['问题台账', '统计指标', '单位排名', '指标说明']);
    const ledger = workbook.getWorksheet('问题台账')!;
    expect(ledger.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((ledger.getRow(1).values as unknown[]).slice(1)).toEqual(LEDGER_COLUMNS.map((c) => c.header));
    expect(ledger.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(LEDGER_COLUMNS.map((_, i) => ledger.getColumn(i + 1).width)).toEqual(
      LEDGER_COLUMNS.map((c) => c.width),
    );
    expect(ledger.rowCount).toBe(FILED + 1);
    const records = await stored();
    for (let r = 2; r <= ledger.rowCount; r++) {
      const row = ledger.getRow(r);
      const record = records.get(String(row.getCell(1).value))!;
      const filedAt = row.getCell(column('提交时间') + 1).value;
      expect(filedAt).toBeInstanceOf(Date);
      expect((filedAt as Date).getTime()).toBe(Date.parse(record.createdAt) + 8 * 3600_000);
      expect(row.getCell(column('提交时间') + 1).numFmt).toBe('yyyy-mm-dd hh:mm');
      expect(row.getCell(column('企业名称') + 1).value).toBe(record.enterprise.name);
      expect(row.getCell(column('联系电话') + 1).value).toMatch(/^1\d\d\*\*\*\*\d{4}$/);
      expect(row.getCell(column('问题标题') + 1).value).toBe(record.title);
    }

    const figures = await json(await get('/api/v1/office/stats?filedFrom=2026-11-01&filedTo=2026-11-30'));
    const sheet = workbook.getWorksheet('统计指标')!;
    const names = Object.keys(figures.totals);
    const totals = sheet.getRow(2);
    expect(totals.getCell(1).value).toBe('合计');
    for (const [i, name] of names.entries()) {
      const value = figures.totals[name];
      expect(totals.getCell(i + 3).value ?? null, name).toEqual(value);
    }
    expect(sheet.rowCount).toBe(2 + Object.values(figures.breakdowns).flat().length);
    const ranking = workbook.getWorksheet('单位排名')!;
    expect(ranking.rowCount).toBe(1 + figures.ranking.length);
    expect(ranking.getRow(2).getCell(3).value ?? null).toEqual(figures.ranking[0].onTimeRate);
  });
});
