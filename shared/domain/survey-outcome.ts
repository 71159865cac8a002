/** The satisfaction survey (满意度回访) and what its answer does to the case. */

/** Was the problem solved: 已解决 / 部分解决 / 未解决. */
export const SOLVED_ANSWERS = ['yes', 'partly', 'no'] as const;
/** How satisfied the enterprise is: 满意 / 基本满意 / 不满意. */
export const SATISFACTION_LEVELS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;

/** How the answer reached the platform: the one-time link, or the office's phone callback (电话回访). */
export const SURVEY_CHANNELS = ['online', 'phone'] as const;
export type SurveyChannel = (typeof SURVEY_CHANNELS)[number];

export type SurveyAnswer = {
  solved: (typeof SOLVED_ANSWERS)[number];
  satisfaction: (typeof SATISFACTION_LEVELS)[number];
};

export type SurveyOutcome =
  | { kind: 'close'; rating: SurveyAnswer['satisfaction'] }
  | { kind: 'reopen' }
  | { kind: 'escalate' };

/** The rating of a case closed because the survey window passed unanswered — never counted as satisfied. */
export const NOT_RATED = 'not_rated';

/** The rating a closed case carries: the enterprise's answer, or NOT_RATED. */
export type Rating = SurveyAnswer['satisfaction'] | typeof NOT_RATED;

/**
 * Not solved (anything but 'yes') or dissatisfied → reopen as 回头看 to the same unit; when the case was already
 * reopened `reopenCount` ≥ 1 times, a further failure → escalate. Otherwise close with the rating.
 */
export function surveyOutcome(answer: SurveyAnswer, reopenCount: number): SurveyOutcome {
  if (!Number.isInteger(reopenCount) || reopenCount < 0) {
    throw new RangeError(`reopenCount must be a whole number ≥ 0, got ${reopenCount}`);
  }
  const failed = answer.solved !== 'yes' || answer.satisfaction === 'dissatisfied';
  if (!failed) return { kind: 'close', rating: answer.satisfaction };
  // The second failure goes to a leader (领导督办) rather than back to a unit that could not solve it.
  return reopenCount >= 1 ? { kind: 'escalate' } : { kind: 'reopen' };
}
