import { raw } from 'hono/html';
import type { FiguresReport } from '../../../app/statistics';
import type { ZhuqiConfig } from '../../../config/config';
import { LEVELS, type Level } from '../../../domain/case-state';
import { chinaDate } from '../../../domain/china-time';
import {
  COUNT_NAMES,
  type Counts,
  type Dimension,
  FIGURE_DEFINITIONS,
  type FigureName,
  type Figures,
  RATE_NAMES,
} from '../../../domain/statistics';
import type { Unit } from '../../../store/access-repository';
import type { Locale } from '../../i18n';
import { Csrf, Flash, type Frame, WorkbenchPage } from '../workbench/frame';
import { LEVEL } from '../workbench/words';
import { type Bar, BarChart, CHART_STYLE } from './bar-chart';

/** What the dashboard was asked: the figures' filter as the page's form names it, and the breakdown shown. */
export interface FiguresPageQuery {
  period?: string | undefined;
  filedFrom?: string | undefined;
  filedTo?: string | undefined;
  unitId?: string | undefined;
  township?: string | undefined;
  category?: string | undefined;
  level?: Level | undefined;
  by: Dimension;
}

const BREAKDOWNS: Record<Dimension, { zh: string; en: string }> = {
  unit: { zh: '承办单位', en: 'Unit' },
  township: { zh: '乡镇', en: 'Township' },
  category: { zh: '问题类别', en: 'Category' },
  level: { zh: '办理层级', en: 'Level' },
  month: { zh: '受理月份', en: 'Month filed' },
};

const T = {
  zh: {
    title: '统计',
    heading: '三率与办理情况',
    intro: '统计本期提交的诉求（按提交日期，北京时间）截至目前的办理情况。每个比率旁写明其计算方法。',
    filters: '统计期间与筛选',
    period: '统计期间',
    periodHint: '选择月份、季度或年度；或选“自定日期”并填写下方起止日期。都不选则为今年至今。',
    custom: '自定日期（或今年至今）',
    months: '月份',
    quarters: '季度',
    years: '年度',
    from: '起始日期（含）',
    to: '截止日期（含）',
    unit: '承办单位',
    township: '乡镇',
    category: '问题类别',
    level: '办理层级',
    by: '分组统计',
    any: '全部',
    apply: '查看',
    clear: '清除筛选',
    shown: (from: string, to: string) => `统计期间：${from} 至 ${to}（按提交日期）`,
    downloads: '下载',
    downloadsHint: '按本页的期间和筛选导出。联系电话已隐去中间四位。',
    ledgerCsv: '问题台账 CSV',
    ledgerXlsx: '台账与统计 XLSX（每表一页）',
    figuresCsv: '统计指标 CSV',
    rankingCsv: '单位排名 CSV',
    full: '导出完整联系电话',
    fullHint: '仅在确需联系企业时使用。每次导出都会记入活动办的审计记录（谁、何时、导出了哪些）。',
    fullConfirm: '我需要完整联系电话，知悉此次导出将被记录',
    fullFormat: '格式',
    fullSubmit: '导出完整联系方式',
    rates: '三率',
    figure: '指标',
    value: '数值',
    basis: '计算',
    definition: '定义',
    ratesChart: '本期各项比率',
    ratesChartDesc: '答复率、按时办结率、办结率、满意率、解决率的条形图；数值见上表。',
    satisfaction: '企业评价',
    satisfactionNote: '回访期满企业未评价而销号的件数，单列于此，不计入满意率的分子和分母。',
    days: '办理用时（工作日）',
    counts: '各项件数',
    ranking: '单位排名',
    rankingIntro: '按按时办结率排序，相同时按满意率，再按答复件数；比率后为其分子与分母。',
    rank: '名次',
    onTime: '按时办结率',
    satisfactionRate: '满意率',
    rankingChart: '各单位按时办结率',
    rankingChartDesc: '各承办单位按时办结率的条形图，按名次排列；数值与件数见上表。',
    breakdown: (by: string) => `按${by}分组`,
    group: '分组',
    monthChart: '各月受理件数',
    monthChartDesc: '本期每个受理月份的诉求件数；数值见按受理月份分组的统计。',
    none: '—',
    noneHint: '“—”表示没有可计算的案件。',
    empty: '本期没有符合条件的诉求。',
    workdays: (d: number) => `${d.toFixed(1)} 个工作日`,
    fraction: (a: number, b: number) => `${a} ÷ ${b}`,
    unassigned: '未交办',
  },
  en: {
    title: 'Figures',
    heading: 'The three rates and how cases fare',
    intro:
      'The cases filed in the period (by the China date of filing), as they stand now. Each rate carries its definition.',
    filters: 'Period and filters',
    period: 'Period',
    periodHint:
      'Choose a month, quarter or year; or choose “Dates below” and fill in the dates. Neither: this year to date.',
    custom: 'Dates below (or this year to date)',
    months: 'Months',
    quarters: 'Quarters',
    years: 'Years',
    from: 'From (included)',
    to: 'To (included)',
    unit: 'Unit',
    township: 'Township',
    category: 'Category',
    level: 'Level',
    by: 'Break down by',
    any: 'All',
    apply: 'Show',
    clear: 'Clear filters',
    shown: (from: string, to: string) => `Period: ${from} to ${to} (by date of filing)`,
    downloads: 'Downloads',
    downloadsHint: "With this page's period and filters. Mobile numbers are masked.",
    ledgerCsv: 'Ledger CSV',
    ledgerXlsx: 'Ledger and figures XLSX (a sheet per table)',
    figuresCsv: 'Figures CSV',
    rankingCsv: 'Unit ranking CSV',
    full: 'Export the full contact numbers',
    fullHint:
      "Only when the enterprises must be called. Every such export is written to the office's audit log (who, when, what).",
    fullConfirm: 'I need the full numbers and know this export is recorded',
    fullFormat: 'Format',
    fullSubmit: 'Export with full contacts',
    rates: 'The rates',
    figure: 'Figure',
    value: 'Value',
    basis: 'From',
    definition: 'Definition',
    ratesChart: 'The rates of the period',
    ratesChartDesc:
      'Bar chart of the response, on-time, closure, satisfaction and solved rates; the table above has the numbers.',
    satisfaction: 'Ratings',
    satisfactionNote:
      'Cases closed without a rating when the survey window passed: shown on their own, in neither part of the satisfaction rate.',
    days: 'Time to resolve (working days)',
    counts: 'Counts',
    ranking: 'Unit ranking',
    rankingIntro:
      'By on-time rate, then satisfaction rate, then cases answered; each rate is followed by its numerator and denominator.',
    rank: 'Rank',
    onTime: 'On-time rate',
    satisfactionRate: 'Satisfaction rate',
    rankingChart: 'On-time rate by unit',
    rankingChartDesc:
      'Bar chart of each unit’s on-time rate, by rank; the table above has the numbers and counts.',
    breakdown: (by: string) => `By ${by.toLowerCase()}`,
    group: 'Group',
    monthChart: 'Cases filed per month',
    monthChartDesc: 'Cases filed in each month of the period; the breakdown by month has the numbers.',
    none: '—',
    noneHint: '“—”: no case to compute it from.',
    empty: 'No case was filed in the period under these filters.',
    workdays: (d: number) => `${d.toFixed(1)} working days`,
    fraction: (a: number, b: number) => `${a} ÷ ${b}`,
    unassigned: 'Not assigned',
  },
} as const;

/** A figure's name and definition in the page's language. */
export function figureName(name: FigureName, locale: Locale): string {
  return FIGURE_DEFINITIONS[name][locale];
}
export function figureDefinition(name: FigureName, locale: Locale): string {
  const d = FIGURE_DEFINITIONS[name];
  return locale === 'zh' ? d.zhDefinition : d.definition;
}

/** A fraction as a percentage with one decimal, as every page of the figures shows rates: 85.7%. */
export function percentText(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A rate as the page shows it: a percentage, working days, or — when nothing is there to divide. */
export function rateText(name: FigureName, value: number | null, locale: Locale): string {
  const t = T[locale];
  if (value === null) return t.none;
  return name.endsWith('ToResolve') ? t.workdays(value) : percentText(value);
}

/** The numerator and denominator behind each rate (the means and medians have none). */
const BASIS: Partial<Record<FigureName, [(keyof Counts)[], keyof Counts]>> = {
  responseRate: [['resolved'], 'filed'],
  onTimeRate: [['resolvedOnTime'], 'resolved'],
  closureRate: [['closed'], 'filed'],
  satisfactionRate: [['satisfied', 'basicallySatisfied'], 'rated'],
  solvedRate: [['solved'], 'rated'],
};

function basisText(name: FigureName, figures: Figures, locale: Locale): string {
  const basis = BASIS[name];
  if (!basis) return '';
  const [top, bottom] = basis;
  return T[locale].fraction(
    top.reduce((n, k) => n + figures[k], 0),
    figures[bottom],
  );
}

/** The months, quarters and years the period picker offers: the last two years, newest first. */
export function periodChoices(now: Date): { months: string[]; quarters: string[]; years: string[] } {
  const today = chinaDate(now);
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const pad = (n: number) => String(n).padStart(2, '0');
  const months: string[] = [];
  for (let i = 0; i < 24; i++) {
    const index = year * 12 + month - 1 - i;
    months.push(`${Math.floor(index / 12)}-${pad((index % 12) + 1)}`);
  }
  const quarters: string[] = [];
  for (let i = 0; i < 8; i++) {
    const index = year * 4 + Math.ceil(month / 3) - 1 - i;
    quarters.push(`${Math.floor(index / 4)}-Q${(index % 4) + 1}`);
  }
  return { months, quarters, years: [String(year), String(year - 1), String(year - 2)] };
}

/** The page's filter as a query string, for the export links and the breakdown links. */
export function figuresQueryString(filter: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params.toString();
}

function Select(props: {
  id: string;
  name: string;
  label: string;
  any: string;
  value?: string | undefined;
  options: { id: string; text: string }[];
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.name}>
        <option value="">{props.any}</option>
        {props.options.map((o) => (
          <option value={o.id} selected={o.id === props.value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
}

const PAGE_STYLE = `${CHART_STYLE}
.figures-downloads{display:flex;flex-wrap:wrap;gap:.5rem 1rem;list-style:none;padding:0;margin:.5rem 0}
.figures-downloads a{display:inline-block;padding:.4rem .8rem;border:2px solid var(--brand);border-radius:.4rem;font-weight:600;text-decoration:none;color:var(--brand);background:#fff}
.definition{color:var(--muted);font-size:.9rem}
details.full{margin-top:1rem}details.full summary{cursor:pointer;font-weight:600;color:var(--brand)}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}.check input{width:1.25rem;height:1.25rem;flex:none;margin:.2rem 0 0}
`;

/** 统计: the figures of a period under the chosen filters, each rate with its definition; tables first, charts beside them. */
export function FiguresPage(props: {
  frame: Frame;
  config: ZhuqiConfig;
  units: Unit[];
  query: FiguresPageQuery;
  report?: FiguresReport | undefined;
  error?: string | undefined;
}) {
  const { frame, query, report } = props;
  const l = frame.locale;
  const t = T[l];
  const choices = periodChoices(frame.now);
  // A period typed into the address (an older month, an ISO week) is kept in the picker.
  const asked =
    query.period && ![...choices.months, ...choices.quarters, ...choices.years].includes(query.period)
      ? query.period
      : undefined;
  const filter = {
    unitId: query.unitId,
    township: query.township,
    category: query.category,
    level: query.level,
  };
  const exportQuery = report
    ? figuresQueryString({ ...filter, filedFrom: report.period.from, filedTo: report.period.to })
    : '';
  const exportHref = (format: string, table: string) =>
    `/office/figures/export?${figuresQueryString({ format, table })}${exportQuery ? `&${exportQuery}` : ''}`;
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/office/figures">
      <style>{raw(PAGE_STYLE)}</style>
      <h1>{t.heading}</h1>
      <Flash error={props.error} />
      <p>{t.intro}</p>
      <form method="get" action="/office/figures" class="card" aria-labelledby="figures-filters">
        <h2 id="figures-filters">{t.filters}</h2>
        <p class="hint" id="f-period-hint">
          {t.periodHint}
        </p>
        <div class="inline">
          <div class="field">
            <label for="f-period">{t.period}</label>
            <select id="f-period" name="period" aria-describedby="f-period-hint">
              <option value="">{t.custom}</option>
              {asked ? (
                <option value={asked} selected>
                  {asked}
                </option>
              ) : null}
              {(
                [
                  [t.months, choices.months],
                  [t.quarters, choices.quarters],
                  [t.years, choices.years],
                ] as const
              ).map(([label, list]) => (
                <optgroup label={label}>
                  {list.map((p) => (
                    <option value={p} selected={p === query.period}>
                      {p}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-from">{t.from}</label>
            <input id="f-from" name="filedFrom" type="date" value={query.filedFrom ?? ''} />
          </div>
          <div class="field">
            <label for="f-to">{t.to}</label>
            <input id="f-to" name="filedTo" type="date" value={query.filedTo ?? ''} />
          </div>
        </div>
        <div class="inline">
          <Select
            id="f-unit"
            name="unitId"
            label={t.unit}
            any={t.any}
            value={query.unitId}
            options={props.units.map((u) => ({ id: u.id, text: u[l] }))}
          />
          <Select
            id="f-township"
            name="township"
            label={t.township}
            any={t.any}
            value={query.township}
            options={props.config.townships.map((x) => ({ id: x.id, text: x[l] }))}
          />
          <Select
            id="f-category"
            name="category"
            label={t.category}
            any={t.any}
            value={query.category}
            options={props.config.categories.map((x) => ({ id: x.id, text: x[l] }))}
          />
          <Select
            id="f-level"
            name="level"
            label={t.level}
            any={t.any}
            value={query.level}
            options={LEVELS.map((x) => ({ id: x, text: LEVEL[x][l] }))}
          />
          <div class="field">
            <label for="f-by">{t.by}</label>
            <select id="f-by" name="by">
              {(Object.keys(BREAKDOWNS) as Dimension[]).map((d) => (
                <option value={d} selected={d === query.by}>
                  {BREAKDOWNS[d][l]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <button type="submit">{t.apply}</button>
        <p>
          <a href="/office/figures">{t.clear}</a>
        </p>
      </form>
      {report ? (
        <p data-testid="figures-period">
          <strong>{t.shown(report.period.from, report.period.to)}</strong>
        </p>
      ) : null}
      {report ? (
        <section class="card" aria-labelledby="figures-downloads">
          <h2 id="figures-downloads">{t.downloads}</h2>
          <p class="hint">{t.downloadsHint}</p>
          <ul class="figures-downloads">
            <li>
              <a href={exportHref('csv', 'ledger')} download data-testid="download-ledger-csv">
                {t.ledgerCsv}
              </a>
            </li>
            <li>
              <a href={exportHref('xlsx', 'ledger')} download data-testid="download-xlsx">
                {t.ledgerXlsx}
              </a>
            </li>
            <li>
              <a href={exportHref('csv', 'figures')} download data-testid="download-figures-csv">
                {t.figuresCsv}
              </a>
            </li>
            <li>
              <a href={exportHref('csv', 'ranking')} download data-testid="download-ranking-csv">
                {t.rankingCsv}
              </a>
            </li>
          </ul>
          <details class="full">
            <summary>{t.full}</summary>
            <p class="hint" id="full-hint">
              {t.fullHint}
            </p>
            <form method="post" action="/office/figures/export" aria-describedby="full-hint">
              <Csrf token={frame.csrf} />
              {Object.entries({ ...filter, filedFrom: report.period.from, filedTo: report.period.to }).map(
                ([name, value]) => (value ? <input type="hidden" name={name} value={value} /> : null),
              )}
              <input type="hidden" name="table" value="ledger" />
              <div class="field">
                <label for="full-format">{t.fullFormat}</label>
                <select id="full-format" name="format">
                  <option value="xlsx">XLSX</option>
                  <option value="csv">CSV</option>
                </select>
              </div>
              <label class="check" for="full-confirm">
                <input id="full-confirm" type="checkbox" name="contacts" value="full" required />
                <span>{t.fullConfirm}</span>
              </label>
              <button type="submit" class="secondary">
                {t.fullSubmit}
              </button>
            </form>
          </details>
        </section>
      ) : null}
      {report ? <Report frame={frame} report={report} query={query} /> : null}
    </WorkbenchPage>
  );
}

function Report(props: { frame: Frame; report: FiguresReport; query: FiguresPageQuery }) {
  const { frame, report, query } = props;
  const l = frame.locale;
  const t = T[l];
  const totals = report.totals;
  const rates = RATE_NAMES.filter((n) => !n.endsWith('ToResolve'));
  const rankingBars: Bar[] = report.ranking.map((r) => ({
    label: r.label[l],
    share: r.onTimeRate,
    text: r.onTimeRate === null ? t.none : percentText(r.onTimeRate),
  }));
  const months = report.breakdowns.month;
  const mostFiled = Math.max(1, ...months.map((g) => g.figures.filed));
  const groups = report.breakdowns[query.by];
  return (
    <>
      {totals.filed === 0 ? <p data-testid="figures-empty">{t.empty}</p> : null}
      <section class="card" aria-labelledby="rates-title">
        <h2 id="rates-title">{t.rates}</h2>
        <table class="list" data-testid="rates">
          <thead>
            <tr>
              <th scope="col">{t.figure}</th>
              <th scope="col" class="num">
                {t.value}
              </th>
              <th scope="col" class="num">
                {t.basis}
              </th>
              <th scope="col">{t.definition}</th>
            </tr>
          </thead>
          <tbody>
            {rates.map((name) => (
              <tr data-figure={name}>
                <th scope="row">{figureName(name, l)}</th>
                <td class="num" data-label={t.value} data-testid={`rate-${name}`}>
                  {rateText(name, totals[name], l)}
                </td>
                <td class="num" data-label={t.basis}>
                  {basisText(name, totals, l)}
                </td>
                <td class="definition" data-label={t.definition}>
                  {figureDefinition(name, l)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="hint">{t.noneHint}</p>
        <BarChart
          id="chart-rates"
          title={t.ratesChart}
          description={t.ratesChartDesc}
          bars={rates.map((name) => ({
            label: figureName(name, l),
            share: totals[name],
            text: rateText(name, totals[name], l),
          }))}
        />
      </section>
      <div class="cols">
        <section class="card" aria-labelledby="satisfaction-title">
          <h2 id="satisfaction-title">{t.satisfaction}</h2>
          <FigureTable
            names={['satisfied', 'basicallySatisfied', 'dissatisfied', 'rated', 'solved']}
            figures={totals}
            locale={l}
            testid="ratings"
          />
          <p data-testid="not-rated">
            <strong>
              {figureName('notRated', l)}
              {l === 'zh' ? '：' : ': '}
              {totals.notRated}
            </strong>{' '}
            — {t.satisfactionNote}
          </p>
        </section>
        <section class="card" aria-labelledby="days-title">
          <h2 id="days-title">{t.days}</h2>
          <table class="list kv" data-testid="workdays">
            <tbody>
              {(['meanWorkdaysToResolve', 'medianWorkdaysToResolve'] as const).map((name) => (
                <tr data-figure={name}>
                  <th scope="row">{figureName(name, l)}</th>
                  <td class="num" data-label={t.value} data-testid={`rate-${name}`}>
                    {rateText(name, totals[name], l)}
                  </td>
                  <td class="definition" data-label={t.definition}>
                    {figureDefinition(name, l)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section class="card" aria-labelledby="ranking-title">
        <h2 id="ranking-title">{t.ranking}</h2>
        <p class="hint">{t.rankingIntro}</p>
        {report.ranking.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          <>
            <table class="list" data-testid="ranking">
              <thead>
                <tr>
                  <th scope="col" class="num">
                    {t.rank}
                  </th>
                  <th scope="col">{t.unit}</th>
                  <th scope="col" class="num">
                    {t.onTime}
                  </th>
                  <th scope="col" class="num">
                    {t.satisfactionRate}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.ranking.map((r) => (
                  <tr data-unit={r.unitId}>
                    <td class="num" data-label={t.rank}>
                      {r.rank}
                    </td>
                    <td data-label={t.unit}>{r.label[l]}</td>
                    <td class="num" data-label={t.onTime}>
                      {r.onTimeRate === null ? t.none : percentText(r.onTimeRate)}{' '}
                      <span class="muted">({t.fraction(r.resolvedOnTime, r.resolved)})</span>
                    </td>
                    <td class="num" data-label={t.satisfactionRate}>
                      {r.satisfactionRate === null ? t.none : percentText(r.satisfactionRate)}{' '}
                      <span class="muted">({t.fraction(r.satisfiedOrBasically, r.rated)})</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <BarChart
              id="chart-ranking"
              title={t.rankingChart}
              description={t.rankingChartDesc}
              bars={rankingBars}
            />
          </>
        )}
      </section>
      <section class="card" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title">{t.breakdown(BREAKDOWNS[query.by][l])}</h2>
        {groups.length === 0 ? (
          <p>{t.empty}</p>
        ) : (
          <table class="list" data-testid="breakdown">
            <thead>
              <tr>
                <th scope="col">{t.group}</th>
                {(['filed', 'resolved', 'closed', 'overdue', 'notRated'] as const).map((n) => (
                  <th scope="col" class="num">
                    {figureName(n, l)}
                  </th>
                ))}
                {rates.map((n) => (
                  <th scope="col" class="num">
                    {figureName(n, l)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr data-group={g.key}>
                  <th scope="row">{g.label[l]}</th>
                  {(['filed', 'resolved', 'closed', 'overdue', 'notRated'] as const).map((n) => (
                    <td class="num" data-label={figureName(n, l)}>
                      {g.figures[n]}
                    </td>
                  ))}
                  {rates.map((n) => (
                    <td class="num" data-label={figureName(n, l)}>
                      {rateText(n, g.figures[n], l)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {months.length > 1 ? (
          <BarChart
            id="chart-months"
            title={t.monthChart}
            description={t.monthChartDesc}
            bars={months.map((g) => ({
              label: g.key,
              share: g.figures.filed / mostFiled,
              text: String(g.figures.filed),
            }))}
          />
        ) : null}
      </section>
      <section class="card" aria-labelledby="counts-title">
        <h2 id="counts-title">{t.counts}</h2>
        <FigureTable names={COUNT_NAMES} figures={totals} locale={l} testid="counts" />
      </section>
    </>
  );
}

/** Counts with their definitions. */
function FigureTable(props: {
  names: readonly FigureName[];
  figures: Figures;
  locale: Locale;
  testid: string;
}) {
  const t = T[props.locale];
  return (
    <table class="list" data-testid={props.testid}>
      <thead>
        <tr>
          <th scope="col">{t.figure}</th>
          <th scope="col" class="num">
            {t.value}
          </th>
          <th scope="col">{t.definition}</th>
        </tr>
      </thead>
      <tbody>
        {props.names.map((name) => (
          <tr data-figure={name}>
            <th scope="row">{figureName(name, props.locale)}</th>
            <td class="num" data-label={t.value} data-testid={`${props.testid}-${name}`}>
              {props.figures[name] ?? t.none}
            </td>
            <td class="definition" data-label={t.definition}>
              {figureDefinition(name, props.locale)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
