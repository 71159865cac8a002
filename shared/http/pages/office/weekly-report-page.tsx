import { raw } from 'hono/html';
import type { WeeklyReport } from '../../../app/weekly-report';
import { chinaDateTime } from '../../../domain/china-time';
import { isoWeekOf, periodOf } from '../../../domain/statistics';
import type { WeekEvent } from '../../../domain/weekly-report';
import { Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { RATING } from '../workbench/words';
import { percentText } from './figures-page';

const T = {
  zh: {
    title: '周报',
    heading: (week: string, from: string, to: string) => `周报 ${week}（${from} 至 ${to}）`,
    picker: '选择周次',
    week: '周次',
    weekHint: '按 ISO 周（周一至周日，北京时间），如 2026-W48',
    show: '查看',
    previous: '上一周',
    next: '下一周',
    xlsx: '下载本周周报 XLSX',
    print: '打印：使用浏览器的打印功能（Ctrl+P），导航和按钮不会打印。',
    summary: '概要',
    item: '项目',
    count: '数量',
    filed: '新增诉求',
    filedOnSpot: '其中现场解决',
    closed: '本周销号',
    closedOnSpot: '本周现场解决',
    escalations: '本周升级督办',
    redNotices: '本周红牌督办',
    overdueNow: '当前超期',
    satisfaction: '本周满意度',
    satisfied: '满意',
    basically: '基本满意',
    dissatisfied: '不满意',
    rate: '满意率',
    rateDefinition: '（满意 + 基本满意）÷ 本周收到的评价',
    notRated: '本周未评价销号',
    notRatedNote: '回访期满未评价而销号，单列，不计入满意率。',
    overdueByUnit: '超期情况（按单位）',
    unit: '承办单位',
    office: '县助企活动办（研判）',
    caseNo: '编号',
    enterprise: '企业',
    at: '时间',
    rating: '评价',
    resolution: '解决情况',
    commonProblems: '本周共性问题',
    status: '状态',
    confirmed: '已确认',
    suggested: '待确认',
    category: '问题类别',
    cases: '案件',
    phrases: '共同用语',
    manage: '到共性问题页处理',
    none: '无。',
    noRate: '—（本周没有评价）',
    printed: (office: string) => `${office} · 周报`,
  },
  en: {
    title: 'Weekly report',
    heading: (week: string, from: string, to: string) => `Weekly report ${week} (${from} to ${to})`,
    picker: 'Choose a week',
    week: 'Week',
    weekHint: 'An ISO week (Monday to Sunday, China time), such as 2026-W48',
    show: 'Show',
    previous: 'Previous week',
    next: 'Next week',
    xlsx: "Download the week's report as XLSX",
    print: "To print, use the browser's Print (Ctrl+P): navigation and buttons are left out.",
    summary: 'Summary',
    item: 'Item',
    count: 'Count',
    filed: 'New cases',
    filedOnSpot: 'of which solved on the spot',
    closed: 'Closed this week',
    closedOnSpot: 'Solved on the spot this week',
    escalations: 'Escalated this week',
    redNotices: 'Red notices this week',
    overdueNow: 'Overdue now',
    satisfaction: "The week's ratings",
    satisfied: 'Satisfied',
    basically: 'Basically satisfied',
    dissatisfied: 'Not satisfied',
    rate: 'Satisfaction rate',
    rateDefinition: '(satisfied + basically satisfied) ÷ ratings received this week',
    notRated: 'Closed without a rating this week',
    notRatedNote: 'The survey window passed unanswered: counted apart, never as satisfied.',
    overdueByUnit: 'Overdue, by unit',
    unit: 'Unit',
    office: 'Campaign office (triage)',
    caseNo: 'Case',
    enterprise: 'Enterprise',
    at: 'When',
    rating: 'Rating',
    resolution: 'How it was solved',
    commonProblems: "The week's common problems",
    status: 'Status',
    confirmed: 'Confirmed',
    suggested: 'Suggested',
    category: 'Category',
    cases: 'Cases',
    phrases: 'Shared phrases',
    manage: 'Handle them on the common problems page',
    none: 'None.',
    noRate: '— (no rating this week)',
    printed: (office: string) => `${office} · weekly report`,
  },
} as const;

const PRINT_STYLE = `
.print-only{display:none}
@media print{
  @page{size:A4;margin:15mm}
  header,footer,.skip,.no-print{display:none!important}
  body{background:#fff;font-size:11pt;color:#000}
  main{max-width:none;padding:0}
  .print-only{display:block;font-weight:600}
  .card{border:0;padding:0;margin:0 0 .75rem;break-inside:auto}
  h1{font-size:15pt;margin:.25rem 0 .5rem}h2{font-size:12pt;margin:.75rem 0 .25rem;break-after:avoid}
  table.list{border:1px solid #000}
  table.list th,table.list td{border:1px solid #777;padding:.15rem .35rem;background:#fff}
  tr{break-inside:avoid}
  a{color:#000;text-decoration:none}
}
`;

function Events(props: {
  id: string;
  events: (WeekEvent & { rating?: string; resolution?: string })[];
  names: Names;
  frame: Frame;
  extra?: 'rating' | 'resolution';
}) {
  const t = T[props.frame.locale];
  if (props.events.length === 0) return <p>{t.none}</p>;
  return (
    <table class="list" data-testid={props.id}>
      <thead>
        <tr>
          <th scope="col">{t.caseNo}</th>
          <th scope="col">{t.enterprise}</th>
          <th scope="col">{t.unit}</th>
          <th scope="col">{t.at}</th>
          {props.extra ? <th scope="col">{t[props.extra]}</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => (
          <tr data-case-no={e.caseNo}>
            <td data-label={t.caseNo}>
              <a href={`/office/cases/${e.caseId}`}>{e.caseNo}</a>
            </td>
            <td data-label={t.enterprise}>{e.enterpriseName}</td>
            <td data-label={t.unit}>{e.unitId ? props.names.unit(e.unitId) : '—'}</td>
            <td data-label={t.at}>
              <time datetime={e.at}>{chinaDateTime(e.at)}</time>
            </td>
            {props.extra === 'rating' ? (
              <td data-label={t.rating}>
                {e.rating ? (RATING[e.rating]?.[props.frame.locale] ?? e.rating) : '—'}
              </td>
            ) : props.extra === 'resolution' ? (
              <td data-label={t.resolution}>{e.resolution ?? '—'}</td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The weeks before and after an ISO week. */
function neighbours(week: string): { previous?: string; next?: string } {
  const period = periodOf(week);
  if (!period) return {};
  const day = (date: string, delta: number) =>
    new Date(Date.parse(`${date}T00:00:00Z`) + delta * 86_400_000).toISOString().slice(0, 10);
  return { previous: isoWeekOf(day(period.from, -7)), next: isoWeekOf(day(period.from, 7)) };
}

/** 周报: the week for the office's weekly meeting, printable, and the same as XLSX. */
export function WeeklyReportPage(props: {
  frame: Frame;
  names: Names;
  week?: string | undefined;
  report?: WeeklyReport | undefined;
  error?: string | undefined;
}) {
  const { frame, report, names } = props;
  const l = frame.locale;
  const t = T[l];
  const week = report?.week ?? props.week ?? '';
  const around = report ? neighbours(report.week) : {};
  const s = report?.satisfaction;
  return (
    <WorkbenchPage
      frame={frame}
      title={report ? `${t.title} ${report.week}` : t.title}
      current="/office/weekly-report"
    >
      <style>{raw(PRINT_STYLE)}</style>
      <p class="print-only">{t.printed(frame.office[l])}</p>
      <h1>{report ? t.heading(report.week, report.period.from, report.period.to) : t.title}</h1>
      <Flash error={props.error} />
      <form method="get" action="/office/weekly-report" class="card no-print" aria-labelledby="week-picker">
        <h2 id="week-picker">{t.picker}</h2>
        <div class="inline">
          <div class="field">
            <label for="week">{t.week}</label>
            <span class="hint" id="week-hint">
              {t.weekHint}
            </span>
            <input
              id="week"
              name="week"
              type="week"
              value={week}
              aria-describedby="week-hint"
              aria-invalid={props.error ? 'true' : undefined}
            />
          </div>
          <button type="submit">{t.show}</button>
        </div>
        {report ? (
          <p class="pager">
            {around.previous ? (
              <a href={`/office/weekly-report?week=${around.previous}`}>{t.previous}</a>
            ) : null}
            {around.next ? <a href={`/office/weekly-report?week=${around.next}`}>{t.next}</a> : null}
            <a href={`/office/weekly-report/xlsx?week=${report.week}`} download data-testid="weekly-xlsx">
              {t.xlsx}
            </a>
          </p>
        ) : null}
        <p class="hint">{t.print}</p>
      </form>
      {report && s ? (
        <>
          <div class="cols">
            <section class="card" aria-labelledby="weekly-summary">
              <h2 id="weekly-summary">{t.summary}</h2>
              <table class="list kv" data-testid="weekly-summary-table">
                <thead>
                  <tr>
                    <th scope="col">{t.item}</th>
                    <th scope="col">{t.count}</th>
                  </tr>
                </thead>
                <tbody>
                  {(
                    [
                      ['filed', report.filed.filed],
                      ['filedOnSpot', report.filed.onSpot],
                      ['closed', report.closed.length],
                      ['closedOnSpot', report.closedOnSpot.length],
                      ['escalations', report.escalations.length],
                      ['redNotices', report.overdueByUnit.reduce((n, r) => n + r.redNotices, 0)],
                      ['overdueNow', report.overdueByUnit.reduce((n, r) => n + r.overdueNow, 0)],
                    ] as const
                  ).map(([key, value]) => (
                    <tr data-item={key}>
                      <th scope="row">{t[key]}</th>
                      <td data-label={t.count}>{value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section class="card" aria-labelledby="weekly-satisfaction">
              <h2 id="weekly-satisfaction">{t.satisfaction}</h2>
              <table class="list kv" data-testid="weekly-satisfaction-table">
                <tbody>
                  <tr data-item="satisfied">
                    <th scope="row">{t.satisfied}</th>
                    <td data-label={t.count}>{s.satisfied}</td>
                  </tr>
                  <tr data-item="basicallySatisfied">
                    <th scope="row">{t.basically}</th>
                    <td data-label={t.count}>{s.basicallySatisfied}</td>
                  </tr>
                  <tr data-item="dissatisfied">
                    <th scope="row">{t.dissatisfied}</th>
                    <td data-label={t.count}>{s.dissatisfied}</td>
                  </tr>
                  <tr data-item="rate">
                    <th scope="row">{t.rate}</th>
                    <td data-label={t.rate}>
                      {s.rate === null ? t.noRate : percentText(s.rate)}{' '}
                      <span class="muted">{t.rateDefinition}</span>
                    </td>
                  </tr>
                  <tr data-item="notRated">
                    <th scope="row">{t.notRated}</th>
                    <td data-label={t.count}>
                      {s.notRated} <span class="muted">{t.notRatedNote}</span>
                    </td>
                  </tr>
                </tbody>
              </table>
            </section>
          </div>
          <section class="card" aria-labelledby="weekly-overdue">
            <h2 id="weekly-overdue">{t.overdueByUnit}</h2>
            {report.overdueByUnit.length === 0 ? (
              <p>{t.none}</p>
            ) : (
              <table class="list" data-testid="weekly-overdue-table">
                <thead>
                  <tr>
                    <th scope="col">{t.unit}</th>
                    <th scope="col">{t.redNotices}</th>
                    <th scope="col">{t.overdueNow}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.overdueByUnit.map((row) => (
                    <tr data-unit={row.unitId}>
                      <td data-label={t.unit}>{row.unitId === '-' ? t.office : names.unit(row.unitId)}</td>
                      <td data-label={t.redNotices}>{row.redNotices}</td>
                      <td data-label={t.overdueNow}>{row.overdueNow}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="card" aria-labelledby="weekly-escalations">
            <h2 id="weekly-escalations">{t.escalations}</h2>
            <Events id="weekly-escalations-table" events={report.escalations} names={names} frame={frame} />
          </section>
          <section class="card" aria-labelledby="weekly-closed">
            <h2 id="weekly-closed">{t.closed}</h2>
            <Events
              id="weekly-closed-table"
              events={report.closed}
              names={names}
              frame={frame}
              extra="rating"
            />
          </section>
          <section class="card" aria-labelledby="weekly-on-spot">
            <h2 id="weekly-on-spot">{t.closedOnSpot}</h2>
            <Events
              id="weekly-on-spot-table"
              events={report.closedOnSpot}
              names={names}
              frame={frame}
              extra="resolution"
            />
          </section>
          <section class="card" aria-labelledby="weekly-common">
            <h2 id="weekly-common">{t.commonProblems}</h2>
            {report.commonProblems.length === 0 ? (
              <p>{t.none}</p>
            ) : (
              <table class="list" data-testid="weekly-common-table">
                <thead>
                  <tr>
                    <th scope="col">{t.status}</th>
                    <th scope="col">{t.category}</th>
                    <th scope="col">{t.cases}</th>
                    <th scope="col">{t.phrases}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.commonProblems.map((g) => (
                    <tr>
                      <td data-label={t.status}>{g.group ? t.confirmed : t.suggested}</td>
                      <td data-label={t.category}>{names.category(g.category)}</td>
                      <td data-label={t.cases}>
                        {g.cases.map((r) => (
                          <>
                            <a href={`/office/cases/${r.id}`}>{r.caseNo}</a> {r.enterprise.name}
                            <br />
                          </>
                        ))}
                      </td>
                      <td data-label={t.phrases}>{g.phrases.slice(0, 6).join(l === 'zh' ? '、' : ', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <p class="no-print">
              <a href="/office/common-problems">{t.manage}</a>
            </p>
          </section>
        </>
      ) : null}
    </WorkbenchPage>
  );
}
