import { describe, expect, it } from 'vitest';
import { NOT_RATED, type SurveyAnswer, surveyOutcome } from '../../shared/domain/survey-outcome';
import { surveyAnswerSchema } from '../../shared/http/schemas';

describe('surveyOutcome', () => {
  it.each([
    ['yes', 'satisfied'],
    ['yes', 'basically_satisfied'],
  ] as const)('closes a case solved (%s) and %s with that rating', (solved, satisfaction) => {
    // Prepare
    const answer: SurveyAnswer = { solved, satisfaction };

    // Act
    const outcome = surveyOutcome(answer, 0);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'close', rating: satisfaction });
  });

  it('closes a reopened case that is now solved and satisfactory', () => {
    // Act
    const outcome = surveyOutcome({ solved: 'yes', satisfaction: 'satisfied' }, 1);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'close', rating: 'satisfied' });
  });

  it.each([
    ['partly', 'satisfied'],
    ['no', 'basically_satisfied'],
    ['no', 'dissatisfied'],
    ['yes', 'dissatisfied'],
  ] as const)('reopens as 回头看 a first failure: solved %s, %s', (solved, satisfaction) => {
    // Act
    const outcome = surveyOutcome({ solved, satisfaction }, 0);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'reopen' });
  });

  it('reopens a first failure, then escalates the second one', () => {
    // Prepare
    const failure: SurveyAnswer = { solved: 'partly', satisfaction: 'dissatisfied' };

    // Act
    const first = surveyOutcome(failure, 0);
    const second = surveyOutcome(failure, 1);
    const later = surveyOutcome(failure, 3);

    // Assess
    expect(first).toStrictEqual({ kind: 'reopen' });
    expect(second).toStrictEqual({ kind: 'escalate' });
    expect(later).toStrictEqual({ kind: 'escalate' });
  });

  it('rejects an impossible reopen count', () => {
    // Act / Assess
    expect(() => surveyOutcome({ solved: 'yes', satisfaction: 'satisfied' }, -1)).toThrow(RangeError);
    expect(() => surveyOutcome({ solved: 'yes', satisfaction: 'satisfied' }, 0.5)).toThrow(RangeError);
  });

  it('names the rating of an unanswered survey so it is never mistaken for satisfied', () => {
    // Assess
    expect(NOT_RATED).toBe('not_rated');
  });
});

describe('surveyAnswerSchema', () => {
  it('accepts an answer and trims its comment', () => {
    // Act
    const result = surveyAnswerSchema.safeParse({
      solved: 'partly',
      satisfaction: 'basically_satisfied',
      comment: '  电已经通了，手续还在办。 ',
    });

    // Assess
    expect(result.success && result.data).toStrictEqual({
      solved: 'partly',
      satisfaction: 'basically_satisfied',
      comment: '电已经通了，手续还在办。',
    });
  });

  it('accepts an answer without a comment', () => {
    // Act
    const result = surveyAnswerSchema.safeParse({ solved: 'yes', satisfaction: 'satisfied' });

    // Assess
    expect(result.success).toBe(true);
  });

  it.each([
    ['an unknown solved value', { solved: 'maybe', satisfaction: 'satisfied' }],
    ['an unknown satisfaction value', { solved: 'yes', satisfaction: 'very_satisfied' }],
    ['a missing satisfaction', { solved: 'yes' }],
    [
      'a comment over 500 characters',
      { solved: 'yes', satisfaction: 'satisfied', comment: '好'.repeat(501) },
    ],
  ])('rejects %s', (_label, body) => {
    // Act
    const result = surveyAnswerSchema.safeParse(body);

    // Assess
    expect(result.success).toBe(false);
  });

  it('measures the 500-character limit after trimming', () => {
    // Act
    const result = surveyAnswerSchema.safeParse({
      solved: 'yes',
      satisfaction: 'satisfied',
      comment: ` ${'好'.repeat(500)} `,
    });

    // Assess
    expect(result.success).toBe(true);
  });
});
