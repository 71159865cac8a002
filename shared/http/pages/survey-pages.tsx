import type { ZhuqiConfig } from '../../config/config';
import type { CaseRecord } from '../../domain/case';
import type { FieldError } from '../../domain/filing';

import { fieldErrorText, type Locale, labelled, statusText } from '../i18n';
import { ErrorSummary, Layout } from './layout';

const TEXT = {
  zh: {
    title: '满意度回访',
    intro: (caseNo: string) =>
      `您反映的问题（${caseNo}）已办结。请告诉我们结果如何，这将决定问题是否需要重新办理。`,
    resolution: '办理结果',
    solved: '问题是否解决？',
    solvedOptions: { yes: '已解决', partly: '部分解决', no: '未解决' },
    satisfaction: '您对办理是否满意？',
    satisfactionOptions: { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' },
    comment: '意见建议（选填）',
    submit: '提交评价',
    errors: (n: number) => `提交未成功，有 ${n} 处需要修改：`,
    questions: { solved: '解决情况', satisfaction: '满意程度', comment: '意见建议' },
    thanks: '感谢您的评价',
    closed: '问题已销号。',
    reopened: '我们已将问题重新交办承办单位（回头看），并会继续跟踪。',
    track: '查看办理进度',
    done: '这份回访已经完成或已过期',
    doneText: '每个回访链接只能使用一次。如问题仍未解决，请重新提交诉求。',
  },
  en: {
    title: 'Satisfaction survey',
    intro: (caseNo: string) =>
      `The problem you reported (${caseNo}) has been resolved. Tell us how it went: your answer decides whether it is handled again.`,
    resolution: 'What was done',
    solved: 'Was the problem solved?',
    solvedOptions: { yes: 'Yes', partly: 'Partly', no: 'No' },
    satisfaction: 'Are you satisfied with how it was handled?',
    satisfactionOptions: {
      satisfied: 'Satisfied',
      basically_satisfied: 'Basically satisfied',
      dissatisfied: 'Not satisfied',
    },
    comment: 'Comments (optional)',
    submit: 'Send',
    errors: (n: number) =>
      `The answer was not sent: ${n} ${n === 1 ? 'question needs' : 'questions need'} an answer:`,
    questions: { solved: 'Solved', satisfaction: 'Satisfaction', comment: 'Comments' },
    thanks: 'Thank you',
    closed: 'The case is closed.',
    reopened: 'We have sent the problem back to the unit for a second look and will keep following it.',
    track: 'Follow the case',
    done: 'This survey has been answered or has expired',
    doneText: 'Each survey link works once. If the problem is still there, please report it again.',
  },
} as const;

function Choice(props: {
  name: string;
  legend: string;
  options: Record<string, string>;
  value?: string;
  error?: FieldError;
  locale: Locale;
}) {
  const id = `f-${props.name}`;
  return (
    <fieldset
      id={id}
      class={props.error ? 'choice invalid' : 'choice'}
      aria-describedby={props.error ? `${id}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      {Object.entries(props.options).map(([value, label]) => (
        <label>
          <input type="radio" name={props.name} value={value} checked={props.value === value} required />
          {label}
        </label>
      ))}
      {props.error ? (
        <p class="error" id={`${id}-error`}>
          {fieldErrorText(props.error, props.locale)}
        </p>
      ) : null}
    </fieldset>
  );
}

/** The one-time survey form (GET /survey/{token}). */
export function SurveyPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  record: CaseRecord;
  token: string;
  values?: Record<string, string>;
  errors?: FieldError[];
}) {
  const t = TEXT[props.locale];
  const errorOf = (field: string) => props.errors?.find((e) => e.field === field);
  const questions: Record<string, string> = t.questions;
  const errors = props.errors ?? [];
  return (
    <Layout
      locale={props.locale}
      title={t.title}
      office={props.config.officeName}
      path={`/survey/${props.token}`}
    >
      <h1>{t.title}</h1>
      {errors.length > 0 ? (
        <ErrorSummary
          heading={t.errors(errors.length)}
          items={errors.map((e) => ({
            href: `#f-${e.field}`,
            text: labelled(questions[e.field] ?? e.field, fieldErrorText(e, props.locale), props.locale),
          }))}
        />
      ) : null}
      <p>{t.intro(props.record.caseNo)}</p>
      <div class="card">
        <strong>{props.record.title}</strong>
        {props.record.resolution ? (
          <>
            <h2>{t.resolution}</h2>
            <p>{props.record.resolution}</p>
          </>
        ) : null}
      </div>
      {/* The page's own messages answer an incomplete form, not the browser's bubbles. */}
      <form method="post" action={`/survey/${props.token}`} novalidate>
        <Choice
          name="solved"
          legend={t.solved}
          options={t.solvedOptions}
          value={props.values?.solved}
          error={errorOf('solved')}
          locale={props.locale}
        />
        <Choice
          name="satisfaction"
          legend={t.satisfaction}
          options={t.satisfactionOptions}
          value={props.values?.satisfaction}
          error={errorOf('satisfaction')}
          locale={props.locale}
        />
        <div class="field">
          <label for="f-comment">{t.comment}</label>
          <textarea id="f-comment" name="comment" maxlength={500}>
            {props.values?.comment ?? ''}
          </textarea>
        </div>
        <button type="submit">{t.submit}</button>
      </form>
    </Layout>
  );
}

/** After the answer: what happens to the case now. */
export function SurveyThanksPage(props: {
  config: ZhuqiConfig;
  locale: Locale;
  record: CaseRecord;
  trackingUrl: string;
}) {
  const t = TEXT[props.locale];
  return (
    <Layout locale={props.locale} title={t.thanks} office={props.config.officeName} path="/">
      <h1>{t.thanks}</h1>
      <p role="status">{props.record.status === 'closed' ? t.closed : t.reopened}</p>
      <p>
        {statusText(props.record.status, props.locale)} · <a href={props.trackingUrl}>{t.track}</a>
      </p>
    </Layout>
  );
}

/** A link that was answered already, expired, or never existed: the same answer for all three. */
export function SurveyGonePage(props: { config: ZhuqiConfig; locale: Locale }) {
  const t = TEXT[props.locale];
  return (
    <Layout locale={props.locale} title={t.done} office={props.config.officeName} path="/">
      <h1>{t.done}</h1>
      <p>{t.doneText}</p>
    </Layout>
  );
}

/** The answers' words in a language, for pages that show an answer given. */
export function surveyChoiceText(locale: Locale) {
  return { solved: TEXT[locale].solvedOptions, satisfaction: TEXT[locale].satisfactionOptions };
}
