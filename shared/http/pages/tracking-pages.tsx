import type { PublicCaseView } from '../../app/track-case';
import type { Label } from '../../config/catalog';
import type { ZhuqiConfig } from '../../config/config';
import { chinaDateTime } from '../../domain/china-time';
import { actionText, type Locale, statusText } from '../i18n';
import { Layout } from './layout';
import { SurveyInvitation } from './survey-invitation';

const TEXT = {
  zh: {
    title: '办理进度',
    caseNo: '诉求编号',
    status: '当前状态',
    category: '问题类别',
    township: '所在乡镇',
    unit: '承办单位',
    filed: '提交时间',
    history: '办理记录',
    overdue: '已超期，督办中',
    escalated: '已升级督办',
    reopened: '回头看',
    lookup: '查询办理进度',
    lookupIntro: '请输入诉求编号和查询码（见提交成功页面上的查询链接中 k= 之后的部分）。',
    key: '查询码',
    find: '查询',
    notFound: '没有找到这个诉求',
    notFoundText: '诉求编号或查询链接不正确。请核对提交成功时保存的链接。',
  },
  en: {
    title: 'Case progress',
    caseNo: 'Case number',
    status: 'Status',
    category: 'Category',
    township: 'Township',
    unit: 'Handled by',
    filed: 'Filed',
    history: 'History',
    overdue: 'Overdue, under supervision',
    escalated: 'Escalated',
    reopened: 'Second look',
    lookup: 'Follow a case',
    lookupIntro:
      'Enter the case number and the tracking code (the part after k= in the tracking link you were given).',
    key: 'Tracking code',
    find: 'Find',
    notFound: 'No such case',
    notFoundText:
      'The case number or the tracking link is not right. Check the link you saved when you filed.',
  },
} as const;

/** The enterprise's view of its case (GET /track/{caseNo}?k=…). */
export function TrackingPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  view: PublicCaseView;
  unit?: Label;
  path: string;
}) {
  const { config, locale, view } = props;
  const t = TEXT[locale];
  const find = (list: readonly (Label & { id: string })[], id: string) =>
    list.find((x) => x.id === id)?.[locale] ?? id;
  return (
    <Layout locale={locale} title={`${t.title} ${view.caseNo}`} office={config.officeName} path={props.path}>
      <h1>{t.title}</h1>
      <div class="card">
        <div>{t.caseNo}</div>
        <div class="caseno">{view.caseNo}</div>
        <p>
          <strong>{view.title}</strong>
        </p>
        <p>
          {t.status}:{' '}
          <span class="status" data-testid="status">
            {statusText(view.status, locale)}
          </span>
          {view.flags.overdue ? <span class="flag">{t.overdue}</span> : null}
          {view.flags.escalated ? <span class="flag">{t.escalated}</span> : null}
          {view.flags.reopened ? <span class="flag">{t.reopened}</span> : null}
        </p>
        <dl>
          <dt>{t.category}</dt>
          <dd>{find(config.categories, view.category)}</dd>
          <dt>{t.township}</dt>
          <dd>{find(config.townships, view.enterprise.township)}</dd>
          {props.unit ? (
            <>
              <dt>{t.unit}</dt>
              <dd>{props.unit[locale]}</dd>
            </>
          ) : null}
          <dt>{t.filed}</dt>
          <dd>
            <time datetime={view.filedAt}>{chinaDateTime(view.filedAt)}</time>
          </dd>
        </dl>
      </div>
      {view.survey ? <SurveyInvitation survey={view.survey} locale={locale} /> : null}
      <h2>{t.history}</h2>
      <ol class="timeline">
        {view.history.map((entry) => (
          <li>
            <time datetime={entry.at}>{chinaDateTime(entry.at)}</time>
            <strong>{actionText(entry.action, locale)}</strong>
            {entry.note ? <p>{entry.note}</p> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

/** The look-up form (GET /track), and the answer when a number and key do not match. */
export function TrackLookupPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  notFound: boolean;
  caseNo?: string;
}) {
  const t = TEXT[props.locale];
  return (
    <Layout
      locale={props.locale}
      title={props.notFound ? t.notFound : t.lookup}
      office={props.config.officeName}
      path="/track"
    >
      {props.notFound ? (
        <div class="summary" role="alert">
          <h2>{t.notFound}</h2>
          <p>{t.notFoundText}</p>
        </div>
      ) : null}
      <h1>{t.lookup}</h1>
      <p>{t.lookupIntro}</p>
      <form method="get" action="/track">
        <div class="field">
          <label for="caseNo">{t.caseNo}</label>
          <input id="caseNo" name="caseNo" value={props.caseNo ?? ''} placeholder="YL-2026-000123" required />
        </div>
        <div class="field">
          <label for="k">{t.key}</label>
          <input id="k" name="k" required autocomplete="off" />
        </div>
        <button type="submit">{t.find}</button>
      </form>
    </Layout>
  );
}
