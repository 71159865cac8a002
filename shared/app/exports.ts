/**
 * The ledger and the figures as files (台账导出): CSV in UTF-8 with a byte-order mark, so that Excel
 * opens Chinese correctly, and XLSX with one sheet per table. Both stream: the cases are read page
 * by page and written as they come; only each case's small facts are kept, for the figures.
 */
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { type Label, LEVEL_LABELS, STATUS_LABELS } from '../config/catalog';
import { type CaseRecord, maskMobile } from '../domain/case';
import { CHINA_OFFSET_MS, chinaDate, chinaDateTime } from '../domain/china-time';
import {
  type CaseFacts,
  COUNT_NAMES,
  caseFacts,
  DIMENSIONS,
  type Dimension,
  FIGURE_DEFINITIONS,
  type FigureName,
  type Figures,
  RATE_NAMES,
} from '../domain/statistics';
import { type LedgerFilter, ledgerQuery } from './case-list';
import type { Services } from './services';
import { loadExcel } from './spreadsheets';
import {
  dimensionLabels,
  type FiguresFilter,
  type FiguresReport,
  filingDatesOf,
  reportOf,
} from './statistics';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** What a CSV holds (one table per file); an XLSX holds every table, one sheet each. */
export const EXPORT_TABLES = ['ledger', 'figures', 'ranking'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export interface ExportRequest {
  filter: LedgerFilter & Pick<FiguresFilter, 'period'>;
  format: ExportFormat;
  table?: ExportTable;
  /** The full contact list (unmasked mobile numbers): recorded in the audit log. */
  fullContacts?: boolean;
  /** Who asks (the office key's prefix). */
  by: string;
}

export interface ExportFile {
  filename: string;
  contentType: string;
  body: ReadableStream<Uint8Array>;
}

type Cell = string | number | Date | undefined;

interface Column {
  header: string;
  width: number;
  /** `date` cells are instants, written as China time; `percent` cells are fractions. */
  kind?: 'date' | 'percent' | 'number';
  value: (row: LedgerRow) => Cell;
}

interface LedgerRow {
  record: CaseRecord;
  facts: CaseFacts;
  labels: Record<Dimension, Map<string, Label>>;
  fullContacts: boolean;
}

const yesNo = (value: boolean | undefined) => (value === undefined ? undefined : value ? '是' : '否');
const labelOf = (row: LedgerRow, dimension: Dimension, key: string | undefined) =>
  key === undefined ? undefined : (row.labels[dimension].get(key)?.zh ?? key);
const RATING = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
} as const;

/** The ledger's columns (问题台账), Chinese headers as the office reads them. */
export const LEDGER_COLUMNS: Column[] = [
  { header: '案件编号', width: 18, value: (r) => r.record.caseNo },
  { header: '提交时间', width: 18, kind: 'date', value: (r) => r.record.createdAt },
  { header: '状态', width: 10, value: (r) => STATUS_LABELS[r.record.status].zh },
  {
    header: '标记',
    width: 14,
    value: (r) =>
      [
        r.record.flags.overdue && '超期',
        r.record.flags.escalated && '已升级',
        r.record.flags.reopened && '回头看',
      ]
        .filter(Boolean)
        .join('、') || undefined,
  },
  { header: '企业名称', width: 30, value: (r) => r.record.enterprise.name },
  { header: '统一社会信用代码', width: 22, value: (r) => r.record.enterprise.creditCode },
  { header: '所属乡镇', width: 12, value: (r) => labelOf(r, 'township', r.record.enterprise.township) },
  { header: '问题类别', width: 12, value: (r) => labelOf(r, 'category', r.record.category) },
  { header: '问题标题', width: 30, value: (r) => r.record.title },
  { header: '问题描述', width: 50, value: (r) => r.record.description },
  { header: '联系人', width: 10, value: (r) => r.record.contact.name },
  {
    header: '联系电话',
    width: 14,
    value: (r) => (r.fullContacts ? r.record.contact.mobile : maskMobile(r.record.contact.mobile)),
  },
  {
    header: '办理层级',
    width: 12,
    value: (r) => (r.record.level ? LEVEL_LABELS[r.record.level].zh : undefined),
  },
  { header: '承办单位', width: 24, value: (r) => labelOf(r, 'unit', r.record.unitId) },
  { header: '办结时间', width: 18, kind: 'date', value: (r) => r.facts.resolvedAt },
  {
    header: '按时办结',
    width: 10,
    value: (r) => (r.facts.resolved ? yesNo(r.facts.resolvedOnTime) : undefined),
  },
  { header: '办理工作日', width: 12, kind: 'number', value: (r) => r.facts.workdaysToResolve },
  { header: '销号时间', width: 18, kind: 'date', value: (r) => r.facts.closedAt },
  {
    header: '企业评价',
    width: 10,
    value: (r) => (r.facts.notRated ? '未评价' : r.facts.satisfaction && RATING[r.facts.satisfaction]),
  },
  { header: '是否解决', width: 10, value: (r) => yesNo(r.facts.solved) },
  { header: '办理结果', width: 40, value: (r) => r.record.resolution },
];

const FIGURE_NAMES: FigureName[] = [...COUNT_NAMES, ...RATE_NAMES];
const DIMENSION_HEADERS: Record<Dimension | 'totals', string> = {
  totals: '合计',
  unit: '承办单位',
  township: '乡镇',
  category: '问题类别',
  level: '办理层级',
  month: '受理月份',
};
const isRate = (name: FigureName) => name.endsWith('Rate');

/** The figures as rows: the totals, then every value of every dimension. */
function figureRows(report: FiguresReport): { dimension: string; group: string; figures: Figures }[] {
  return [
    { dimension: DIMENSION_HEADERS.totals, group: '全部', figures: report.totals },
    ...DIMENSIONS.flatMap((dimension) =>
      report.breakdowns[dimension].map((g) => ({
        dimension: DIMENSION_HEADERS[dimension],
        group: g.label.zh,
        figures: g.figures,
      })),
    ),
  ];
}

const RANKING_COLUMNS = [
  ['排名', 'rank'],
  ['承办单位', 'label'],
  ['按时办结率', 'onTimeRate'],
  ['已答复', 'resolved'],
  ['按时办结', 'resolvedOnTime'],
  ['满意率', 'satisfactionRate'],
  ['参评', 'rated'],
  ['满意及基本满意', 'satisfiedOrBasically'],
] as const;

// ---- CSV ----

/** A CSV field: quoted when it must be; text that a spreadsheet would run as a formula is defused. */
export function csvField(value: Cell): string {
  if (value === undefined) return '';
  let text = value instanceof Date ? chinaDateTime(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const csvLine = (cells: Cell[]) => `${cells.map(csvField).join(',')}\r\n`;
/** A rate as a person reads it in a CSV: 85.71%. */
export const percent = (rate: number | null) => (rate === null ? '' : `${(rate * 100).toFixed(2)}%`);
const csvFigure = (name: FigureName, value: number | null) =>
  value === null ? '' : isRate(name) ? percent(value) : Number.isInteger(value) ? value : value.toFixed(2);

const encoder = new TextEncoder();
const BOM = '\uFEFF';

function csvCell(column: Column, row: LedgerRow): Cell {
  const value = column.value(row);
  return column.kind === 'date' && typeof value === 'string' ? new Date(value) : value;
}

// ---- XLSX ----

/** Excel has no time zones: an instant is written as the China wall-clock time it shows. */
const excelDate = (iso: string) => new Date(Date.parse(iso) + CHINA_OFFSET_MS);
const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } },
};

function sheetOf(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  name: string,
  columns: { header: string; width: number }[],
) {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).eachCell((cell) => {
    cell.style = HEADER_STYLE;
  });
  sheet.getRow(1).commit();
  return sheet;
}

// ---- the use case ----

/**
 * Exports the filtered ledger and its figures.
 * 1. Resolve the filter (a named period becomes filing dates).
 * 2. An export of full contact numbers is written to the audit log before any byte leaves.
 * 3. Stream the cases page by page into the file; the figures come from the same cases.
 */
export async function exportLedger(services: Services, request: ExportRequest): Promise<ExportFile> {
  const now = services.clock.now();
  const filter: LedgerFilter = filingDatesOf(request.filter, now);
  const query = ledgerQuery(filter);
  const fullContacts = request.fullContacts ?? false;
  const table = request.table ?? 'ledger';
  if (fullContacts) {
    const id = `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    await services.audit.record(chinaDate(now).slice(0, 7), {
      id,
      at: now.toISOString(),
      by: request.by,
      action: 'export:full_contacts',
      details: { format: request.format, table: request.format === 'xlsx' ? 'all' : table, filter },
    });
  }
  const labels = await dimensionLabels(services);
  const stamp = chinaDate(now);
  const rows = async function* (): AsyncGenerator<LedgerRow> {
    for await (const record of services.cases.searchAll(query, { pageSize: EXPORT_PAGE_SIZE })) {
      yield { record, facts: caseFacts(record, services.calendar), labels, fullContacts };
    }
  };
  const periodOfFacts = {
    from: filter.filedFrom ?? '',
    to: filter.filedTo ?? stamp,
  };

  if (request.format === 'csv') {
    const source = rows();
    const facts: CaseFacts[] = [];
    let started = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!started) {
          started = true;
          const header =
            table === 'ledger'
              ? LEDGER_COLUMNS.map((c) => c.header)
              : table === 'figures'
                ? ['维度', '分组', ...FIGURE_NAMES.map((n) => FIGURE_DEFINITIONS[n].zh)]
                : RANKING_COLUMNS.map(([h]) => h);
          controller.enqueue(encoder.encode(BOM + csvLine(header)));
          return;
        }
        if (table === 'ledger') {
          // One page of cases per pull: the consumer's pace sets the reading.
          let lines = '';
          for (let i = 0; i < EXPORT_PAGE_SIZE; i++) {
            const next = await source.next();
            if (next.done) {
              if (lines) controller.enqueue(encoder.encode(lines));
              controller.close();
              return;
            }
            lines += csvLine(LEDGER_COLUMNS.map((c) => csvCell(c, next.value)));
          }
          controller.enqueue(encoder.encode(lines));
          return;
        }
        for await (const row of source) facts.push(row.facts);
        const report = await reportOf(services, periodOfFacts, facts);
        const lines =
          table === 'figures'
            ? figureRows(report).map((r) =>
                csvLine([r.dimension, r.group, ...FIGURE_NAMES.map((n) => csvFigure(n, r.figures[n]))]),
              )
            : report.ranking.map((r) =>
                csvLine([
                  r.rank,
                  r.label.zh,
                  percent(r.onTimeRate),
                  r.resolved,
                  r.resolvedOnTime,
                  percent(r.satisfactionRate),
                  r.rated,
                  r.satisfiedOrBasically,
                ]),
              );
        controller.enqueue(encoder.encode(lines.join('')));
        controller.close();
      },
      async cancel() {
        await source.return(undefined);
      },
    });
    return {
      filename: `zhuqi-${table}-${stamp}.csv`,
      contentType: 'text/csv; charset=utf-8',
      body,
    };
  }

  const Excel = await loadExcel();
  const output = new PassThrough();
  const workbook = new Excel.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
  });
  const write = async () => {
    const facts: CaseFacts[] = [];
    const ledgerSheet = sheetOf(workbook, '问题台账', LEDGER_COLUMNS);
    LEDGER_COLUMNS.forEach((column, i) => {
      if (column.kind === 'date') ledgerSheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd hh:mm';
    });
    let written = 0;
    for await (const row of rows()) {
      facts.push(row.facts);
      ledgerSheet
        .addRow(
          LEDGER_COLUMNS.map((column) => {
            const value = column.value(row);
            return column.kind === 'date' && typeof value === 'string' ? excelDate(value) : value;
          }),
        )
        .commit();
      // Let the reader catch up every page, so that a slow download does not pile the file up in memory.
      if (++written % EXPORT_PAGE_SIZE === 0 && output.writableNeedDrain) await once(output, 'drain');
    }
    ledgerSheet.commit();

    const report = await reportOf(services, periodOfFacts, facts);
    const figuresSheet = sheetOf(workbook, '统计指标', [
      { header: '维度', width: 12 },
      { header: '分组', width: 24 },
      ...FIGURE_NAMES.map((n) => ({ header: FIGURE_DEFINITIONS[n].zh, width: 12 })),
    ]);
    FIGURE_NAMES.forEach((name, i) => {
      if (isRate(name)) figuresSheet.getColumn(i + 3).numFmt = '0.00%';
      else if (name.endsWith('ToResolve')) figuresSheet.getColumn(i + 3).numFmt = '0.00';
    });
    for (const r of figureRows(report)) {
      figuresSheet
        .addRow([r.dimension, r.group, ...FIGURE_NAMES.map((n) => r.figures[n] ?? undefined)])
        .commit();
    }
    figuresSheet.commit();

    const rankingSheet = sheetOf(
      workbook,
      '单位排名',
      RANKING_COLUMNS.map(([header]) => ({ header, width: header === '承办单位' ? 24 : 12 })),
    );
    for (const column of [3, 6]) rankingSheet.getColumn(column).numFmt = '0.00%';
    for (const r of report.ranking) {
      rankingSheet
        .addRow(RANKING_COLUMNS.map(([, key]) => (key === 'label' ? r.label.zh : (r[key] ?? undefined))))
        .commit();
    }
    rankingSheet.commit();

    const definitions = sheetOf(workbook, '指标说明', [
      { header: '指标', width: 16 },
      { header: 'Figure', width: 28 },
      { header: '定义 (definition)', width: 90 },
    ]);
    for (const name of FIGURE_NAMES) {
      const d = FIGURE_DEFINITIONS[name];
      definitions.addRow([d.zh, d.en, d.definition]).commit();
    }
    definitions.addRow([]).commit();
    definitions.addRow(['导出时间', chinaDateTime(now), `filter: ${JSON.stringify(filter)}`]).commit();
    definitions.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => {
    services.logger.error('the export failed half-way', { error: String(error) });
    output.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return {
    filename: `zhuqi-ledger-${stamp}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: Readable.toWeb(output) as ReadableStream<Uint8Array>,
  };
}

/** Cases read per page of an export. */
export const EXPORT_PAGE_SIZE = 100;
