import type { ZhuqiConfig } from '../config/config';
import type { CaseFlags, CaseRecord } from '../domain/case';
import { parseCaseNo } from '../domain/case-number';
import { surveyState } from '../domain/case-rules';
import type { CaseStatus } from '../domain/case-state';
import { NOT_RATED, type SurveyAnswer, type SurveyChannel } from '../domain/survey-outcome';
import type { CaseRepository } from '../store/case-repository';
import { secretsEqual } from './secrets';

/** What the enterprise sees of its case through the tracking link: no contact data, no internal notes. */
export interface PublicCaseView {
  caseNo: string;
  status: CaseStatus;
  flags: CaseFlags;
  title: string;
  category: string;
  enterprise: { name: string; township: string };
  /** The unit handling the case, once assigned. */
  unitId?: string;
  filedAt: string;
  updatedAt: string;
  history: { at: string; action: string; status?: CaseStatus; note?: string }[];
  /** The satisfaction survey of the latest resolution, once one has been opened. */
  survey?: PublicSurvey;
}

/**
 * The survey as the enterprise sees it: while open, the invitation with its deadline and the
 * one-time link (the holder of the tracking link is the enterprise); afterwards, the outcome.
 */
export type PublicSurvey =
  | { state: 'open'; expiresAt: string; url: string }
  | {
      state: 'answered';
      answeredAt: string;
      solved: SurveyAnswer['solved'];
      satisfaction: SurveyAnswer['satisfaction'];
      channel: SurveyChannel;
      /** closed: the case is closed with this rating; reopened: it went back for a second look (回头看). */
      outcome: 'closed' | 'reopened';
    }
  | { state: 'expired'; expiresAt: string; rating: typeof NOT_RATED };

/** Where the tracking view is read: the time, and the origin links start with when no public base URL is set. */
export interface ViewContext {
  now: Date;
  origin?: string;
}

/**
 * Finds a case by number and tracking key. A wrong or missing key answers exactly like an
 * unknown number, so the link reveals nothing, not even whether the case exists.
 */
export async function trackCase(
  deps: { cases: CaseRepository; config: Pick<ZhuqiConfig, 'publicBaseUrl'> },
  caseNo: string,
  key: string | undefined,
  at: ViewContext,
): Promise<PublicCaseView | undefined> {
  if (!key || !parseCaseNo(caseNo)) return undefined;
  const record = await deps.cases.getByCaseNo(caseNo);
  if (!record || !secretsEqual(record.trackingKey, key)) return undefined;
  return publicView(record, deps.config, at);
}

function publicSurvey(
  record: CaseRecord,
  config: Pick<ZhuqiConfig, 'publicBaseUrl'>,
  at: ViewContext,
): PublicSurvey | undefined {
  const survey = record.survey;
  if (!survey) return undefined;
  switch (surveyState(record, at.now)) {
    case 'none':
      return undefined;
    case 'open':
      return { state: 'open', expiresAt: survey.expiresAt, url: surveyUrl(config, survey.token, at.origin) };
    case 'expired':
      return { state: 'expired', expiresAt: survey.expiresAt, rating: NOT_RATED };
    case 'answered': {
      const answer = survey.answer!;
      return {
        state: 'answered',
        answeredAt: survey.answeredAt!,
        solved: answer.solved,
        satisfaction: answer.satisfaction,
        channel: answer.channel ?? 'online',
        outcome: record.status === 'closed' ? 'closed' : 'reopened',
      };
    }
  }
}

export function publicView(
  record: CaseRecord,
  config: Pick<ZhuqiConfig, 'publicBaseUrl'>,
  at: ViewContext,
): PublicCaseView {
  const survey = publicSurvey(record, config, at);
  return {
    caseNo: record.caseNo,
    status: record.status,
    flags: record.flags,
    title: record.title,
    category: record.category,
    enterprise: { name: record.enterprise.name, township: record.enterprise.township },
    ...(record.unitId ? { unitId: record.unitId } : {}),
    filedAt: record.createdAt,
    updatedAt: record.updatedAt,
    history: record.history
      .filter((entry) => entry.public)
      .map((entry) => ({
        at: entry.at,
        action: entry.action,
        ...(entry.to ? { status: entry.to } : {}),
        ...(entry.note ? { note: entry.note } : {}),
      })),
    ...(survey ? { survey } : {}),
  };
}

/** The tracking link of a case, absolute when the public base URL is known. */
export function trackingUrl(
  config: Pick<ZhuqiConfig, 'publicBaseUrl'>,
  record: Pick<CaseRecord, 'caseNo' | 'trackingKey'>,
  base?: string,
) {
  return `${originOf(config, base)}/track/${record.caseNo}?k=${record.trackingKey}`;
}

/** The one-time survey link of a survey token, absolute when the public base URL is known. */
export function surveyUrl(config: Pick<ZhuqiConfig, 'publicBaseUrl'>, token: string, base?: string) {
  return `${originOf(config, base)}/survey/${token}`;
}

function originOf(config: Pick<ZhuqiConfig, 'publicBaseUrl'>, base?: string) {
  return (config.publicBaseUrl ?? base ?? '').replace(/\/$/, '');
}

/**
 * The case number and key of a tracking link as a person pastes it: whole or without its
 * scheme, with spaces around it, from any host (the link may have been written with another
 * public address). Undefined when the text is not such a link.
 */
export function parseTrackingLink(text: string): { caseNo: string; key: string } | undefined {
  const match = /\/track\/([A-Za-z0-9-]+)\/?\?(?:[^#\s]*&)?k=([A-Za-z0-9_-]+)/.exec(text.trim());
  if (!match) return undefined;
  return { caseNo: match[1]!.toUpperCase(), key: match[2]! };
}
