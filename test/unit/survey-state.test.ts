import { describe, expect, it } from 'vitest';
import type { CaseRecord, SurveyRound } from '../../shared/domain/case';
import { surveyState } from '../../shared/domain/case-rules';

const ROUND: SurveyRound = {
  round: 0,
  token: 'survey-token-0123456789',
  sentAt: '2026-11-27T02:00:00.000Z',
  expiresAt: '2026-12-08T16:00:00.000Z',
};

/** Only the fields surveyState reads matter; the rest of a case is irrelevant to it. */
const caseWith = (fields: Partial<CaseRecord>) =>
  ({ status: 'resolved', reopenCount: 0, survey: ROUND, ...fields }) as CaseRecord;

describe('surveyState', () => {
  it.each([
    ['no survey yet', caseWith({ survey: undefined }), '2026-11-28T00:00:00Z', 'none'],
    ['open within the window', caseWith({}), '2026-12-08T15:59:59Z', 'open'],
    ['expired at the deadline itself', caseWith({}), '2026-12-08T16:00:00Z', 'expired'],
    [
      'closed as not rated',
      caseWith({ status: 'closed', rating: 'not_rated' }),
      '2026-12-09T00:00:00Z',
      'expired',
    ],
    [
      'answered',
      caseWith({
        status: 'closed',
        survey: {
          ...ROUND,
          answeredAt: '2026-11-28T00:00:00Z',
          answer: { solved: 'yes', satisfaction: 'satisfied' },
        },
      }),
      '2026-11-29T00:00:00Z',
      'answered',
    ],
    [
      'resolved again after a reopening, before the next round opens',
      caseWith({
        reopenCount: 1,
        survey: {
          ...ROUND,
          answeredAt: '2026-11-28T00:00:00Z',
          answer: { solved: 'no', satisfaction: 'dissatisfied' },
        },
      }),
      '2026-12-01T00:00:00Z',
      'none',
    ],
  ] as const)('%s', (_name, record, now, expected) => {
    // Act
    const state = surveyState(record, new Date(now));

    // Assess
    expect(state).toBe(expected);
  });
});
