import type { BoardFilter, BoardId } from '../../../app/boards';
import type { Label } from '../../../config/catalog';
import type { ZhuqiConfig } from '../../../config/config';
import type { CaseRecord } from '../../../domain/case';
import { LEVELS } from '../../../domain/case-state';
import { chinaDateTime } from '../../../domain/china-time';
import type { Unit } from '../../../store/access-repository';
import { statusText } from '../../i18n';
import { Flags } from '../workbench/case-parts';
import { Csrf, Due, type Frame, WorkbenchPage } from '../workbench/frame';
import type { Names } from '../workbench/words';
import { LEVEL, RATING } from '../workbench/words';

export const BOARD_NAMES: Record<BoardId, Label> = {
  in_progress: { zh: '在办', en: 'In progress' },
  due_soon: { zh: '临期（黄牌）', en: 'Due soon (yellow)' },
  overdue: { zh: '超期（红牌）', en: 'Overdue (red)' },
  escalated: { zh: '已升级督办', en: 'Escalated' },
  reopened: { zh: '回头看', en: 'Reopened' },
  awaiting_survey: { zh: '待回访', en: 'Awaiting survey' },
  not_rated: { zh: '未评价', en: 'Not rated' },
};

const T = {
  zh: {
    title: '看板',
    filters: '筛选',
    unit: '承办单位',
    township: '乡镇',
    category: '类别',
    level: '办理层级',
    any: '全部',
    apply: '筛选',
    clear: '清除筛选',
    search: '查找案件',
    searchLabel: '编号、企业名称或统一社会信用代码',
    searchSubmit: '查找',
    byUnit: '各单位在办',
    count: '件数',
    overdue: '其中超期',
    caseNo: '编号',
    problem: '问题',
    status: '状态',
    next: '下一个期限',
    contact: '联系人',
    phoneSurvey: '电话回访',
    phoneSurveyPending: '待电话回访（请打开案件）',
    solved: '是否解决',
    solvedOptions: { yes: '已解决', partly: '部分解决', no: '未解决' },
    satisfaction: '是否满意',
    satisfactionOptions: { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' },
    comment: '企业意见（选填）',
    record: '记录回访结果',
    rating: '评价',
    total: (n: number) => `共 ${n} 件`,
    empty: '没有符合条件的案件。',
    more: '下一页',
    first: '回到第一页',
    results: (q: string) => `“${q}”的查找结果`,
  },
  en: {
    title: 'Boards',
    filters: 'Filters',
    unit: 'Unit',
    township: 'Township',
    category: 'Category',
    level: 'Level',
    any: 'All',
    apply: 'Filter',
    clear: 'Clear filters',
    search: 'Find a case',
    searchLabel: 'Case number, enterprise name or credit code',
    searchSubmit: 'Find',
    byUnit: 'In progress by unit',
    count: 'Cases',
    overdue: 'Overdue',
    caseNo: 'Case',
    problem: 'Problem',
    status: 'Status',
    next: 'Next deadline',
    contact: 'Contact',
    phoneSurvey: 'Phone survey',
    phoneSurveyPending: 'To call (open the case)',
    solved: 'Solved?',
    solvedOptions: { yes: 'Yes', partly: 'Partly', no: 'No' },
    satisfaction: 'Satisfied?',
    satisfactionOptions: {
      satisfied: 'Satisfied',
      basically_satisfied: 'Basically satisfied',
      dissatisfied: 'Not satisfied',
    },
    comment: 'What the enterprise said (optional)',
    record: 'Record the answer',
    rating: 'Rating',
    total: (n: number) => `${n} case(s)`,
    empty: 'No case matches.',
    more: 'Next page',
    first: 'Back to the first page',
    results: (q: string) => `Cases matching “${q}”`,
  },
} as const;

/** The query string of a filter (and a board's cursor), for links and the pager. */
export function filterQuery(filter: BoardFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (filter.unitId) params.set('unit', filter.unitId);
  if (filter.township) params.set('township', filter.township);
  if (filter.category) params.set('category', filter.category);
  if (filter.level) params.set('level', filter.level);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function FilterForm(props: {
  frame: Frame;
  action: string;
  filter: BoardFilter;
  config: ZhuqiConfig;
  units: Unit[];
}) {
  const { frame, filter } = props;
  const t = T[frame.locale];
  const select = (
    id: string,
    name: string,
    label: string,
    options: { id: string; text: string }[],
    value?: string,
  ) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        <option value="">{t.any}</option>
        {options.map((o) => (
          <option value={o.id} selected={o.id === value}>
            {o.text}
          </option>
        ))}
      </select>
    </div>
  );
  const l = frame.locale;
  return (
    <form method="get" action={props.action} class="card" aria-labelledby="filters-title">
      <h2 id="filters-title">{t.filters}</h2>
      <div class="inline">
        {select(
          'f-unit',
          'unit',
          t.unit,
          props.units.map((u) => ({ id: u.id, text: u[l] })),
          filter.unitId,
        )}
        {select(
          'f-township',
          'township',
          t.township,
          props.config.townships.map((x) => ({ id: x.id, text: x[l] })),
          filter.township,
        )}
        {select(
          'f-category',
          'category',
          t.category,
          props.config.categories.map((x) => ({ id: x.id, text: x[l] })),
          filter.category,
        )}
        {select(
          'f-level',
          'level',
          t.level,
          LEVELS.map((x) => ({ id: x, text: LEVEL[x][l] })),
          filter.level,
        )}
        <button type="submit">{t.apply}</button>
      </div>
      <p>
        <a href={props.action}>{t.clear}</a>
      </p>
    </form>
  );
}

function SearchForm(props: { frame: Frame; q?: string | undefined }) {
  const t = T[props.frame.locale];
  return (
    <form method="get" action="/office/search" class="inline">
      <div class="field">
        <label for="q">{t.searchLabel}</label>
        <input id="q" name="q" value={props.q ?? ''} maxlength={100} />
      </div>
      <button type="submit">{t.searchSubmit}</button>
    </form>
  );
}

/** 看板: every board with its count under the filters, the units' load, and the search. */
export function BoardsPage(props: {
  frame: Frame;
  config: ZhuqiConfig;
  units: Unit[];
  names: Names;
  filter: BoardFilter;
  counts: Record<BoardId, number>;
  byUnit: { unitId: string; count: number; overdue: number }[];
}) {
  const { frame, names } = props;
  const t = T[frame.locale];
  const query = filterQuery(props.filter);
  return (
    <WorkbenchPage frame={frame} title={t.title} current="/office/boards">
      <h1>{t.title}</h1>
      <h2>{t.search}</h2>
      <SearchForm frame={frame} />
      <FilterForm
        frame={frame}
        action="/office/boards"
        filter={props.filter}
        config={props.config}
        units={props.units}
      />
      <ul class="counts" data-testid="board-counts">
        {(Object.keys(BOARD_NAMES) as BoardId[]).map((board) => (
          <li>
            <a href={`/office/boards/${board}${query}`} data-board={board}>
              {BOARD_NAMES[board][frame.locale]} <strong>{props.counts[board]}</strong>
            </a>
          </li>
        ))}
      </ul>
      <h2 id="by-unit">{t.byUnit}</h2>
      {props.byUnit.length === 0 ? (
        <p class="muted">{t.empty}</p>
      ) : (
        <table class="list" aria-labelledby="by-unit">
          <thead>
            <tr>
              <th scope="col">{t.unit}</th>
              <th scope="col">{t.count}</th>
              <th scope="col">{t.overdue}</th>
            </tr>
          </thead>
          <tbody>
            {props.byUnit.map((row) => (
              <tr>
                <td data-label={t.unit}>
                  <a
                    href={`/office/boards/in_progress${filterQuery({ ...props.filter, unitId: row.unitId })}`}
                  >
                    {names.unit(row.unitId)}
                  </a>
                </td>
                <td data-label={t.count}>{row.count}</td>
                <td data-label={t.overdue}>{row.overdue ? <span class="red">{row.overdue}</span> : 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </WorkbenchPage>
  );
}

/** One board (or the search's results): a paged list of cases with what the office needs to act. */
export function BoardPage(props: {
  frame: Frame;
  config: ZhuqiConfig;
  units: Unit[];
  names: Names;
  board?: BoardId;
  q?: string;
  filter: BoardFilter;
  total?: number;
  cases: CaseRecord[];
  next?: string | undefined;
  paged: boolean;
}) {
  const { frame, names, board } = props;
  const t = T[frame.locale];
  const title = board ? BOARD_NAMES[board][frame.locale] : t.results(props.q ?? '');
  const path = board ? `/office/boards/${board}` : '/office/search';
  const survey = board === 'awaiting_survey';
  return (
    <WorkbenchPage frame={frame} title={title} current="/office/boards">
      <h1>{title}</h1>
      {board ? (
        <FilterForm
          frame={frame}
          action={path}
          filter={props.filter}
          config={props.config}
          units={props.units}
        />
      ) : (
        <SearchForm frame={frame} q={props.q} />
      )}
      {props.total !== undefined ? <p data-testid="board-total">{t.total(props.total)}</p> : null}
      {props.cases.length === 0 ? (
        <p>{t.empty}</p>
      ) : (
        <table class="list" data-testid="board">
          <thead>
            <tr>
              <th scope="col">{t.caseNo}</th>
              <th scope="col">{t.problem}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.unit}</th>
              {survey ? <th scope="col">{t.contact}</th> : <th scope="col">{t.next}</th>}
              {survey ? <th scope="col">{t.phoneSurvey}</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.cases.map((record) => {
              const next = record.clocks
                .filter((c) => !c.metAt)
                .sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
              return (
                <tr data-case-no={record.caseNo}>
                  <td data-label={t.caseNo}>
                    <a href={`/office/cases/${record.id}`}>{record.caseNo}</a>
                    <br />
                    <span class="muted">{chinaDateTime(record.createdAt)}</span>
                  </td>
                  <td data-label={t.problem}>
                    <strong>{record.title}</strong>
                    <br />
                    {record.enterprise.name} · {names.township(record.enterprise.township)} ·{' '}
                    {names.category(record.category)}
                  </td>
                  <td data-label={t.status}>
                    {statusText(record.status, frame.locale)}{' '}
                    <Flags flags={record.flags} locale={frame.locale} />
                    {record.rating ? (
                      <>
                        <br />
                        {t.rating}: {RATING[record.rating]?.[frame.locale]}
                      </>
                    ) : null}
                  </td>
                  <td data-label={t.unit}>{record.unitId ? names.unit(record.unitId) : '—'}</td>
                  {survey ? (
                    <td data-label={t.contact}>
                      {record.contact.name}{' '}
                      <a href={`tel:${record.contact.mobile}`}>{record.contact.mobile}</a>
                    </td>
                  ) : (
                    <td data-label={t.next}>
                      {next ? <Due at={next.dueAt} now={frame.now} locale={frame.locale} /> : '—'}
                    </td>
                  )}
                  {survey ? (
                    <td data-label={t.phoneSurvey} data-testid="phone-survey">
                      {/* 电话回访: the answer the enterprise gives on the phone, with the same rules as the link. */}
                      <form
                        method="post"
                        action={`/office/cases/${record.id}/phone-survey`}
                        class="phone-survey"
                      >
                        <Csrf token={frame.csrf} />
                        <input type="hidden" name="back" value="awaiting_survey" />
                        <label for={`solved-${record.id}`}>{t.solved}</label>
                        <select id={`solved-${record.id}`} name="solved" required>
                          {(['yes', 'partly', 'no'] as const).map((v) => (
                            <option value={v}>{t.solvedOptions[v]}</option>
                          ))}
                        </select>
                        <label for={`satisfaction-${record.id}`}>{t.satisfaction}</label>
                        <select id={`satisfaction-${record.id}`} name="satisfaction" required>
                          {(['satisfied', 'basically_satisfied', 'dissatisfied'] as const).map((v) => (
                            <option value={v}>{t.satisfactionOptions[v]}</option>
                          ))}
                        </select>
                        <label for={`comment-${record.id}`}>{t.comment}</label>
                        <input id={`comment-${record.id}`} name="comment" maxlength={500} />
                        <button type="submit">{t.record}</button>
                      </form>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <div class="pager">
        {props.paged ? (
          <a href={`${path}${filterQuery(props.filter, props.q ? { q: props.q } : {})}`}>{t.first}</a>
        ) : null}
        {props.next ? (
          <a
            href={`${path}${filterQuery(props.filter, { ...(props.q ? { q: props.q } : {}), cursor: props.next })}`}
            rel="next"
          >
            {t.more}
          </a>
        ) : null}
      </div>
    </WorkbenchPage>
  );
}
