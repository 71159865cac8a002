import type { PublicSurvey } from '../../app/track-case';
import { chinaDateTime } from '../../domain/china-time';
import type { Locale } from '../i18n';
import { surveyChoiceText } from './survey-pages';

const TEXT = {
  zh: {
    heading: '满意度评价',
    invite: '问题已办结。请告诉我们问题是否解决、您是否满意，评价截止：',
    gap: '',
    rate: '去评价',
    once: '评价链接只能使用一次；也可能有工作人员电话回访。',
    yours: '您的评价：',
    channel: { online: '网上评价', phone: '电话回访' },
    when: (channel: string, at: string) => `（${channel}，${at}）`,
    closed: '问题已销号。',
    reopened: '问题已重新交办（回头看），我们会继续跟踪。',
    expired: (deadline: string) => `评价期限（${deadline}）已过，未评价。未评价不计为满意。`,
    notRated: '未评价：',
  },
  en: {
    heading: 'Satisfaction survey',
    invite: 'The problem has been resolved. Tell us whether it was solved and whether you are satisfied, by',
    gap: ' ',
    rate: 'Rate the handling',
    once: 'The survey link works once; the office may also call you to ask.',
    yours: 'Your rating: ',
    channel: { online: 'online', phone: 'by phone' },
    when: (channel: string, at: string) => ` (${channel}, ${at})`,
    closed: 'The case is closed.',
    reopened: 'The problem was sent back for a second look; we keep following it.',
    expired: (deadline: string) =>
      `The survey closed on ${deadline} without an answer. A case not rated never counts as satisfied.`,
    notRated: 'Not rated: ',
  },
} as const;

/**
 * The survey block of the tracking page: while the survey is open, the invitation with its
 * deadline and the button to the one-time link; afterwards, the outcome. Self-contained, so the
 * tracking page only decides where it goes.
 */
export function SurveyInvitation(props: { survey: PublicSurvey; locale: Locale }) {
  const { survey, locale } = props;
  const t = TEXT[locale];
  let body: unknown;
  switch (survey.state) {
    case 'open':
      body = (
        <>
          <p>
            {t.invite}
            {t.gap}
            <time datetime={survey.expiresAt}>{chinaDateTime(survey.expiresAt)}</time>
          </p>
          <p>
            <a class="button" href={survey.url} data-testid="survey-link">
              {t.rate}
            </a>
          </p>
          <p class="hint">{t.once}</p>
        </>
      );
      break;
    case 'answered': {
      const choices = surveyChoiceText(locale);
      body = (
        <>
          <p data-testid="survey-outcome">
            {t.yours}
            <strong>{choices.solved[survey.solved]}</strong> ·{' '}
            <strong>{choices.satisfaction[survey.satisfaction]}</strong>
            {t.when(t.channel[survey.channel], chinaDateTime(survey.answeredAt))}
          </p>
          <p>{survey.outcome === 'closed' ? t.closed : t.reopened}</p>
        </>
      );
      break;
    }
    case 'expired':
      body = (
        <p data-testid="survey-outcome">
          <strong>{t.notRated}</strong>
          {t.expired(chinaDateTime(survey.expiresAt))}
        </p>
      );
      break;
  }
  return (
    <section class="card" aria-labelledby="survey-heading" data-testid="survey" data-state={survey.state}>
      <h2 id="survey-heading" style="margin-top:0">
        {t.heading}
      </h2>
      {body}
    </section>
  );
}
