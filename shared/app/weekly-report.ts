import type { CaseRecord } from '../domain/case';
import { chinaDate, chinaMidnight } from '../domain/china-time';
import { caseFacts, type Figures, figuresOf, isoWeekOf, type Period, periodOf } from '../domain/statistics';
import { type WeeklyDigest, weeklyDigest } from '../domain/weekly-report';
import { afterChinaDate } from './case-list';
import { type GroupView, listCommonProblems } from './common-problems';
import { ValidationError } from './errors';
import type { Services } from './services';
import { loadExcel } from './spreadsheets';
import { dimensionLabels } from './statistics';

export interface WeeklyReport extends WeeklyDigest {
  week: string;
  period: Period;
  /** The cases filed in the week, counted like the figures. */
  filed: Figures;
  /** Common problems with a case filed in the week: confirmed, then suggested. */
  commonProblems: GroupView[];
}

/**
 * 周报: the week's new cases, closures, cases closed on the spot, escalations, overdue cases by
 * unit, satisfaction and common problems.
 * 1. Resolve the ISO week (default: this week, China time).
 * 2. Read the week's filings (filing index), and every case the week could have touched: the open
 *    ones and those closed since the week began (closing index). Queries only.
 * 3. Count the week's events from each case's history.
 */
export async function weeklyReport(services: Services, week?: string): Promise<WeeklyReport> {
  const now = services.clock.now();
  const name = week ?? isoWeekOf(chinaDate(now));
  const period = /-W\d\d$/.test(name) ? periodOf(name) : undefined;
  if (!period) {
    throw new ValidationError([
      { field: 'week', code: 'invalid', message: 'is not an ISO week such as 2026-W48' },
    ]);
  }
  const from = chinaMidnight(period.from).toISOString();
  const before = afterChinaDate(period.to).toISOString();
  const touched = new Map<string, CaseRecord>();
  for await (const record of services.cases.searchAll({ status: 'open' })) touched.set(record.id, record);
  for await (const record of services.cases.closedSince(from, now)) touched.set(record.id, record);
  const filed: CaseRecord[] = [];
  for await (const record of services.cases.searchAll({ filedFrom: from, filedBefore: before }))
    filed.push(record);
  const problems = await listCommonProblems(services);
  const ofWeek = (g: GroupView) => g.cases.some((r) => r.createdAt >= from && r.createdAt < before);
  return {
    week: name,
    period,
    filed: figuresOf(filed.map((r) => caseFacts(r, services.calendar))),
    ...weeklyDigest([...touched.values()], from, before),
    commonProblems: [...problems.confirmed.filter(ofWeek), ...problems.suggested.filter(ofWeek)],
  };
}

/** The weekly report as a file to download: the workbook, named by its week. */
export async function weeklyReportFile(
  services: Services,
  report: WeeklyReport,
): Promise<{ filename: string; contentType: string; body: Uint8Array }> {
  return {
    filename: `zhuqi-weekly-${report.week}.xlsx`,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    body: new Uint8Array(await weeklyReportWorkbook(services, report)),
  };
}

/** The weekly report as an XLSX workbook, one sheet per table, for printing and filing. */
export async function weeklyReportWorkbook(services: Services, report: WeeklyReport): Promise<Buffer> {
  const labels = await dimensionLabels(services);
  const unit = (id?: string) => (id ? (labels.unit.get(id)?.zh ?? id) : '—');
  const time = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000);
  const Excel = await loadExcel();
  const workbook = new Excel.Workbook();
  const sheet = (
    name: string,
    columns: [string, number][],
    rows: unknown[][],
    dateColumns: number[] = [],
  ) => {
    const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map(([header, width]) => ({ header, width }));
    ws.getRow(1).font = { bold: true };
    for (const row of rows) ws.addRow(row);
    for (const c of dateColumns) ws.getColumn(c).numFmt = 'yyyy-mm-dd hh:mm';
  };
  const s = report.satisfaction;
  sheet(
    '概要',
    [
      ['项目', 24],
      ['数值', 14],
    ],
    [
      ['周次', `${report.week}（${report.period.from} 至 ${report.period.to}）`],
      ['新增诉求', report.filed.filed],
      ['其中现场解决', report.filed.onSpot],
      ['本周销号', report.closed.length],
      ['本周现场解决', report.closedOnSpot.length],
      ['本周升级督办', report.escalations.length],
      ['当前超期', report.overdueByUnit.reduce((n, r) => n + r.overdueNow, 0)],
      ['本周评价：满意', s.satisfied],
      ['本周评价：基本满意', s.basicallySatisfied],
      ['本周评价：不满意', s.dissatisfied],
      ['本周未评价销号', s.notRated],
      ['本周满意率', s.rate ?? '—'],
      ['共性问题', report.commonProblems.length],
    ],
  );
  const events = (list: { caseNo: string; enterpriseName: string; unitId?: string; at: string }[]) =>
    list.map((e) => [e.caseNo, e.enterpriseName, unit(e.unitId), time(e.at)]);
  const eventColumns: [string, number][] = [
    ['案件编号', 18],
    ['企业名称', 30],
    ['承办单位', 24],
    ['时间', 18],
  ];
  sheet('本周销号', eventColumns, events(report.closed), [4]);
  sheet('现场解决', eventColumns, events(report.closedOnSpot), [4]);
  sheet('升级督办', eventColumns, events(report.escalations), [4]);
  sheet(
    '超期按单位',
    [
      ['承办单位', 24],
      ['本周红牌督办', 14],
      ['当前超期', 12],
    ],
    report.overdueByUnit.map((r) => [
      r.unitId === '-' ? '县助企活动办（研判）' : unit(r.unitId),
      r.redNotices,
      r.overdueNow,
    ]),
  );
  sheet(
    '共性问题',
    [
      ['状态', 10],
      ['问题类别', 12],
      ['案件', 40],
      ['共同用语', 40],
    ],
    report.commonProblems.map((g) => [
      g.group ? '已确认' : '待确认',
      labels.category.get(g.category)?.zh ?? g.category,
      g.cases.map((r) => `${r.caseNo} ${r.enterprise.name}`).join('\n'),
      g.phrases.join('、'),
    ]),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
