import type { Child } from 'hono/jsx';
import type { CaseView } from '../../../app/case-view';
import type { CaseFlags } from '../../../domain/case';
import { chinaDateTime } from '../../../domain/china-time';
import { actionText, type Locale, statusText } from '../../i18n';
import { Due, Flash, type Frame, WorkbenchPage } from './frame';
import {
  actorText,
  CHANNEL,
  CLOCK,
  FLAG,
  FOLLOW_UP_RESULT,
  LEVEL,
  type Names,
  NOTICE,
  RATING,
  SOLVED,
} from './words';

const T = {
  zh: {
    enterprise: '企业',
    creditCode: '统一社会信用代码',
    township: '乡镇',
    category: '类别',
    channel: '渠道',
    cadre: '包联干部',
    contact: '联系人',
    filed: '提交时间',
    level: '办理层级',
    unit: '承办单位',
    description: '问题描述',
    resolution: '办结答复',
    clocks: '时限',
    clock: '时限',
    due: '到期',
    grade: '督办',
    none: '无',
    history: '办理记录',
    who: '经办人',
    when: '时间',
    what: '事项',
    notices: '已发通知',
    recipient: '接收方',
    office: '活动办',
    enterpriseRecipient: '企业',
    extension: '延期申请',
    days: (n: number) => `${n} 个工作日`,
    requested: '申请时间',
    reason: '理由',
    extensionStatus: { pending: '待审批', granted: '已同意', refused: '未同意' },
    survey: '满意度回访',
    surveySent: '回访发出',
    surveyExpires: '有效期至',
    surveyWaiting: '等待企业评价',
    solved: '是否解决',
    satisfaction: '满意度',
    rating: '评价结果',
    followUp: '回头看抽查',
    followUpMonth: '抽查月份',
    followUpResult: '结果',
    followUpPending: '待回访',
    noHistory: '暂无记录',
    noneYet: '暂无',
  },
  en: {
    enterprise: 'Enterprise',
    creditCode: 'Credit code',
    township: 'Township',
    category: 'Category',
    channel: 'Channel',
    cadre: 'Cadre',
    contact: 'Contact',
    filed: 'Filed',
    level: 'Level',
    unit: 'Unit',
    description: 'Description',
    resolution: 'Resolution',
    clocks: 'Deadlines',
    clock: 'Deadline',
    due: 'Due',
    grade: 'Supervision',
    none: 'none',
    history: 'History',
    who: 'Who',
    when: 'When',
    what: 'What',
    notices: 'Notices issued',
    recipient: 'To',
    office: 'Office',
    enterpriseRecipient: 'Enterprise',
    extension: 'Extension request',
    days: (n: number) => `${n} working day(s)`,
    requested: 'Asked',
    reason: 'Reason',
    extensionStatus: { pending: 'Waiting for a decision', granted: 'Granted', refused: 'Refused' },
    survey: 'Satisfaction survey',
    surveySent: 'Sent',
    surveyExpires: 'Open until',
    surveyWaiting: 'Waiting for the enterprise',
    solved: 'Solved',
    satisfaction: 'Satisfaction',
    rating: 'Rating',
    followUp: 'Follow-up check',
    followUpMonth: 'Month',
    followUpResult: 'Result',
    followUpPending: 'To be revisited',
    noHistory: 'Nothing yet',
    noneYet: 'none',
  },
} as const;

export function Flags(props: { flags: CaseFlags; locale: Locale }) {
  return (
    <>
      {(Object.keys(FLAG) as (keyof typeof FLAG)[])
        .filter((f) => props.flags[f])
        .map((f) => (
          <span class="flag">{FLAG[f][props.locale]}</span>
        ))}
    </>
  );
}

/** The case's number, title, status and flags: the top of every case page. */
export function CaseHeading(props: { view: CaseView; locale: Locale }) {
  const { view, locale } = props;
  return (
    <>
      <p class="caseno">{view.caseNo}</p>
      <h1>{view.title}</h1>
      <p>
        <span class="status" data-testid="status">
          {statusText(view.status, locale)}
        </span>
        <Flags flags={view.flags} locale={locale} />
      </p>
    </>
  );
}

/** Enterprise, contact (with the phone: the office and the unit call it), problem, level and unit. */
export function CaseFacts(props: { view: CaseView; locale: Locale; names: Names }) {
  const { view, locale, names } = props;
  const t = T[locale];
  return (
    <section class="card" aria-labelledby="facts">
      <h2 id="facts">{t.enterprise}</h2>
      <dl class="facts">
        <dt>{t.enterprise}</dt>
        <dd>{view.enterprise.name}</dd>
        <dt>{t.creditCode}</dt>
        <dd>{view.enterprise.creditCode}</dd>
        <dt>{t.township}</dt>
        <dd>{names.township(view.enterprise.township)}</dd>
        <dt>{t.contact}</dt>
        <dd>
          {view.contact.name}{' '}
          <a href={`tel:${view.contact.mobile}`} data-testid="contact-mobile">
            {view.contact.mobile}
          </a>
        </dd>
        <dt>{t.category}</dt>
        <dd>{names.category(view.category)}</dd>
        <dt>{t.channel}</dt>
        <dd>{CHANNEL[view.channel]?.[locale] ?? view.channel}</dd>
        {view.cadre ? (
          <>
            <dt>{t.cadre}</dt>
            <dd>
              {view.cadre.name}
              {view.cadre.mobile ? ` ${view.cadre.mobile}` : ''}
            </dd>
          </>
        ) : null}
        <dt>{t.filed}</dt>
        <dd>
          <time datetime={view.createdAt}>{chinaDateTime(view.createdAt)}</time>
        </dd>
        {view.level ? (
          <>
            <dt>{t.level}</dt>
            <dd>{LEVEL[view.level][locale]}</dd>
          </>
        ) : null}
        {view.unitId ? (
          <>
            <dt>{t.unit}</dt>
            <dd>{names.unit(view.unitId)}</dd>
          </>
        ) : null}
      </dl>
      <h3>{t.description}</h3>
      <p style="white-space:pre-wrap">{view.description}</p>
      {view.resolution ? (
        <>
          <h3>{t.resolution}</h3>
          <p style="white-space:pre-wrap" data-testid="resolution">
            {view.resolution}
          </p>
        </>
      ) : null}
    </section>
  );
}

/** Every deadline of the case with its due time, time left or overdue, and supervision grade. */
export function Clocks(props: { view: CaseView; frame: Frame }) {
  const { view, frame } = props;
  const t = T[frame.locale];
  if (view.clocks.length === 0) return null;
  return (
    <section aria-labelledby="clocks">
      <h2 id="clocks">{t.clocks}</h2>
      <table class="list">
        <thead>
          <tr>
            <th scope="col">{t.clock}</th>
            <th scope="col">{t.due}</th>
            <th scope="col">{t.grade}</th>
          </tr>
        </thead>
        <tbody>
          {view.clocks.map((clock) => (
            <tr data-testid={`clock-${clock.id}`}>
              <td data-label={t.clock}>{CLOCK[clock.id][frame.locale]}</td>
              <td data-label={t.due}>
                <Due at={clock.dueAt} now={frame.now} locale={frame.locale} met={clock.metAt} />
              </td>
              <td data-label={t.grade}>
                {clock.grade === 'none' ? (
                  t.none
                ) : (
                  <span class={clock.grade === 'yellow' ? 'yellow' : 'red'}>
                    {actionText(
                      clock.grade === 'escalated' ? 'escalate' : `supervise:${clock.grade}`,
                      frame.locale,
                    )}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The whole history: who (by name), when, what, and what they wrote. */
export function History(props: { view: CaseView; locale: Locale; names: Names }) {
  const { view, locale, names } = props;
  const t = T[locale];
  return (
    <section aria-labelledby="history">
      <h2 id="history">{t.history}</h2>
      <ol class="timeline" data-testid="history">
        {view.history.map((entry) => (
          <li>
            <time datetime={entry.at}>{chinaDateTime(entry.at)}</time>
            <strong>{actionText(entry.action, locale)}</strong>
            {' · '}
            <span data-testid="actor">{actorText(entry.actor, locale, names.unit)}</span>
            {entry.action === 'assign' && entry.data?.unitId ? (
              <span>
                {' → '}
                {names.unit(String(entry.data.unitId))}
              </span>
            ) : null}
            {entry.note ? <p style="white-space:pre-wrap;margin:.25rem 0 0">{entry.note}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The notices issued for the case (三单 and survey invitations). */
export function Notices(props: { view: CaseView; locale: Locale; names: Names }) {
  const { view, locale, names } = props;
  const t = T[locale];
  return (
    <section aria-labelledby="notices">
      <h2 id="notices">{t.notices}</h2>
      {view.notices.length === 0 ? (
        <p class="muted">{t.noneYet}</p>
      ) : (
        <ul>
          {view.notices.map((n) => (
            <li>
              <time datetime={n.at}>{chinaDateTime(n.at)}</time> {NOTICE[n.kind][locale]} →{' '}
              {n.recipient.kind === 'unit'
                ? names.unit(n.recipient.unitId)
                : n.recipient.kind === 'office'
                  ? t.office
                  : t.enterpriseRecipient}
              {n.clock ? `（${CLOCK[n.clock][locale]}）` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The extension request, if any (the form to decide it is the office page's). */
export function ExtensionFacts(props: { view: CaseView; locale: Locale }) {
  const x = props.view.extension;
  if (!x) return null;
  const t = T[props.locale];
  return (
    <dl class="facts">
      <dt>{t.extension}</dt>
      <dd>
        {t.days(x.days)} · {t.extensionStatus[x.status]}
      </dd>
      <dt>{t.requested}</dt>
      <dd>
        <time datetime={x.requestedAt}>{chinaDateTime(x.requestedAt)}</time>
      </dd>
      <dt>{t.reason}</dt>
      <dd>{x.reason}</dd>
    </dl>
  );
}

/** The survey: when sent, until when, and the enterprise's answer; the rating of a closed case. */
export function SurveyFacts(props: { view: CaseView; locale: Locale }) {
  const { view, locale } = props;
  const t = T[locale];
  if (!view.survey && !view.rating) return null;
  return (
    <section class="card" aria-labelledby="survey">
      <h2 id="survey">{t.survey}</h2>
      <dl class="facts">
        {view.survey ? (
          <>
            <dt>{t.surveySent}</dt>
            <dd>{chinaDateTime(view.survey.sentAt)}</dd>
            <dt>{t.surveyExpires}</dt>
            <dd>{chinaDateTime(view.survey.expiresAt)}</dd>
          </>
        ) : null}
        {view.survey?.answer ? (
          <>
            <dt>{t.solved}</dt>
            <dd>{SOLVED[view.survey.answer.solved]?.[locale]}</dd>
            <dt>{t.satisfaction}</dt>
            <dd>{RATING[view.survey.answer.satisfaction]?.[locale]}</dd>
            {view.survey.answer.comment ? (
              <>
                <dt>{T[locale].reason}</dt>
                <dd>{view.survey.answer.comment}</dd>
              </>
            ) : null}
          </>
        ) : view.status === 'resolved' ? (
          <>
            <dt>{t.rating}</dt>
            <dd>{t.surveyWaiting}</dd>
          </>
        ) : null}
        {view.rating ? (
          <>
            <dt>{t.rating}</dt>
            <dd data-testid="rating">{RATING[view.rating]?.[locale] ?? view.rating}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** 回头看: the month the case was sampled for and what the revisit found. */
export function FollowUpFacts(props: { view: CaseView; locale: Locale }) {
  const f = props.view.followUp;
  if (!f) return null;
  const t = T[props.locale];
  return (
    <dl class="facts">
      <dt>{t.followUpMonth}</dt>
      <dd>{f.month}</dd>
      <dt>{t.followUpResult}</dt>
      <dd>{f.result ? FOLLOW_UP_RESULT[f.result]?.[props.locale] : t.followUpPending}</dd>
      {f.note ? (
        <>
          <dt>{t.reason}</dt>
          <dd>{f.note}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * A case page of a workbench: heading, what was just done (or why not), the facts, deadlines and
 * history, and beside them what this workbench may do with the case.
 */
export function CasePage(props: {
  frame: Frame;
  view: CaseView;
  names: Names;
  done?: string | undefined;
  error?: string | undefined;
  actionsTitle?: string;
  children?: Child;
}) {
  const { frame, view, names } = props;
  return (
    <WorkbenchPage frame={frame} title={`${view.caseNo} ${view.title}`} current="">
      <CaseHeading view={view} locale={frame.locale} />
      <Flash done={props.done} error={props.error} />
      <div class="cols">
        <div>
          <CaseFacts view={view} locale={frame.locale} names={names} />
          <Clocks view={view} frame={frame} />
          <History view={view} locale={frame.locale} names={names} />
        </div>
        <div class="actions">
          {props.actionsTitle ? <h2>{props.actionsTitle}</h2> : null}
          {props.children}
        </div>
      </div>
    </WorkbenchPage>
  );
}
