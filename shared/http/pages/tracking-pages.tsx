import type { PublicCaseView } from '../../app/track-case';
import type { Label } from '../../config/catalog';
import type { ZhuqiConfig } from '../../config/config';
import { isTerminal } from '../../domain/case-state';
import { chinaDateTime } from '../../domain/china-time';
import { actionText, type Locale, labelled, statusText } from '../i18n';
import { ErrorSummary, Layout } from './layout';
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
    lookupIntro: '提交成功时，我们给了您一个查询链接。把整个链接粘贴到下面即可查看办理进度。',
    link: '查询链接',
    linkHint: '例如 https://…/track/YL-2026-000123?k=…',
    byNumber: '只有诉求编号和查询码？',
    key: '查询码',
    keyHint: '查询链接中 k= 之后的部分',
    find: '查询',
    notFound: '没有找到这个诉求',
    notFoundText: '诉求编号或查询链接不正确。请核对提交成功时保存的链接。',
    notALink: '这不是查询链接',
    notALinkText: '请粘贴提交成功时保存的完整链接（含 /track/ 和 k=），或在下面填写诉求编号和查询码。',
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
      'When you filed, you were given a tracking link. Paste the whole link below to see how your case is going.',
    link: 'Tracking link',
    linkHint: 'for example https://…/track/YL-2026-000123?k=…',
    byNumber: 'Only have the case number and the code?',
    key: 'Tracking code',
    keyHint: 'the part after k= in the tracking link',
    find: 'Find',
    notFound: 'No such case',
    notFoundText:
      'The case number or the tracking link is not right. Check the link you saved when you filed.',
    notALink: 'This is not a tracking link',
    notALinkText:
      'Paste the whole link you saved when you filed (with /track/ and k=), or enter the case number and the code below.',
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
  // Overdue, escalated, second look describe the work in hand; a closed case shows them in its history only.
  const flags = isTerminal(view.status) ? undefined : view.flags;
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
          {labelled(t.status, '', locale)}
          <span class="status" data-testid="status">
            {statusText(view.status, locale)}
          </span>
          {flags?.overdue ? <span class="flag">{t.overdue}</span> : null}
          {flags?.escalated ? <span class="flag">{t.escalated}</span> : null}
          {flags?.reopened ? <span class="flag">{t.reopened}</span> : null}
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

/** Why the look-up found nothing: no such case for that number and code, or the text pasted is no link. */
export type LookupProblem = 'notFound' | 'notALink';

/**
 * The look-up form (GET /track): the whole tracking link pasted in one field, or the case number
 * and code typed apart; and the answer when they lead nowhere.
 */
export function TrackLookupPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  problem?: LookupProblem;
  link?: string;
  caseNo?: string;
}) {
  const t = TEXT[props.locale];
  const title =
    props.problem === 'notFound' ? t.notFound : props.problem === 'notALink' ? t.notALink : t.lookup;
  return (
    <Layout locale={props.locale} title={title} office={props.config.officeName} path="/track">
      <h1>{t.lookup}</h1>
      {props.problem ? (
        <ErrorSummary
          heading={title}
          items={[
            {
              href: '#link',
              text: props.problem === 'notALink' ? t.notALinkText : t.notFoundText,
            },
          ]}
        />
      ) : null}
      <p>{t.lookupIntro}</p>
      <form method="get" action="/track">
        <div class="field">
          <label for="link">{t.link}</label>
          <span class="hint" id="link-hint">
            {t.linkHint}
          </span>
          <input
            id="link"
            name="link"
            inputmode="url"
            value={props.link ?? ''}
            autocomplete="off"
            spellcheck={false}
            aria-describedby="link-hint"
            aria-invalid={props.problem === 'notALink' ? 'true' : undefined}
          />
        </div>
        <details class="lookup" open={props.caseNo ? true : undefined}>
          <summary>{t.byNumber}</summary>
          <div class="field">
            <label for="caseNo">{t.caseNo}</label>
            <input id="caseNo" name="caseNo" value={props.caseNo ?? ''} placeholder="YL-2026-000123" />
          </div>
          <div class="field">
            <label for="k">{t.key}</label>
            <span class="hint" id="k-hint">
              {t.keyHint}
            </span>
            <input id="k" name="k" autocomplete="off" spellcheck={false} aria-describedby="k-hint" />
          </div>
        </details>
        <button type="submit">{t.find}</button>
      </form>
    </Layout>
  );
}
