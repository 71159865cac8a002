import type { CaseStatus, Channel, Level } from './case-state';
import type { Grade } from './deadlines';
import type { Rating, SurveyAnswer, SurveyChannel } from './survey-outcome';

/** Who did something to a case. */
export interface Actor {
  kind: 'enterprise' | 'cadre' | 'office' | 'unit' | 'system';
  /** Unit id, key id, or cadre name — whatever identifies the actor within its kind. */
  id?: string;
  /** The person who acted: the label of their key (their name), when a person acted with a key. */
  name?: string;
}

/** One line of a case's history (audit trail). Public entries are shown on the tracking page. */
export interface HistoryEntry {
  at: string;
  actor: Actor;
  action: string;
  from?: CaseStatus;
  to?: CaseStatus;
  /** Free text written by the actor (a progress note, a resolution, a reason). */
  note?: string;
  public: boolean;
  /** Structured details of the action (level and unit chosen, extension days, …). */
  data?: Record<string, unknown>;
}

/** The flags a case can carry, in the order lists show them. */
export const CASE_FLAGS = ['overdue', 'escalated', 'reopened'] as const;
export type CaseFlag = (typeof CASE_FLAGS)[number];

export interface CaseFlags {
  /** 超期: a deadline has passed without the expected answer. */
  overdue: boolean;
  /** 已升级: brought to the supervising leader. */
  escalated: boolean;
  /** 回头看: reopened after a negative survey. */
  reopened: boolean;
}

/** A case as stored: the enterprise's filing plus everything that has happened to it. */
export interface CaseRecord {
  id: string;
  caseNo: string;
  /** Secret of the tracking link (`/track/{caseNo}?k=…`); never listed, only compared. */
  trackingKey: string;
  /** Hash of the filing and the idempotency key it came with; a replay with another body is refused. */
  fingerprint: string;
  status: CaseStatus;
  flags: CaseFlags;
  enterprise: { name: string; creditCode: string; township: string };
  contact: { name: string; mobile: string };
  category: string;
  title: string;
  description: string;
  channel: Channel;
  cadre?: { name: string; mobile?: string };
  /** What the routing rules suggested at triage. */
  suggestion?: { level: Level; unitId?: string };
  level?: Level;
  unitId?: string;
  /** How often the case came back after a negative survey (回头看). */
  reopenCount: number;
  /** The deadlines running now (empty while the enterprise is being surveyed or the case is closed). */
  clocks: CaseClock[];
  /** Until when the assigned unit may return the case as misrouted. */
  returnBy?: string;
  resolution?: string;
  extension?: ExtensionRequest;
  survey?: SurveyRound;
  rating?: Rating;
  /** 回头看: set when the office's monthly follow-up check sampled the closed case. */
  followUp?: FollowUpCheck;
  /** Every notice issued for the case (三单: assignment, supervision, escalation; survey invitations). */
  notices: NoticeRecord[];
  /** The round of the case's workflow execution: 1 (absent) for the first, one more after each restart. */
  workflowRound?: number;
  /** The workflow's current wait: its callback token is never shown outside the office's store. */
  wait?: {
    token: string;
    state: string;
    since: string;
    /** When the wait times out at its supervision checkpoint (the embedded runtime re-arms it from this). */
    dueAt?: string;
  };
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter: every write names the version it read. */
  version: number;
  history: HistoryEntry[];
}

export type ClockId = 'triage' | 'progress' | 'resolve';

/** One running deadline of the 13710 policy, with the supervision grade it has reached. */
export interface CaseClock {
  id: ClockId;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  escalateAt: string;
  /** Some day counted lies in a year whose official holiday schedule is not known: weekdays were assumed. */
  beyondCalendar: boolean;
  /** The highest grade whose notice has been issued. */
  grade: Grade;
  /** When the expected answer came (progress reported, case resolved); a met clock is no longer supervised. */
  metAt?: string;
}

export interface ExtensionRequest {
  requestedAt: string;
  days: number;
  reason: string;
  status: 'pending' | 'granted' | 'refused';
  decidedAt?: string;
  note?: string;
}

/** One satisfaction survey (满意度回访): a one-time link per round. */
export interface SurveyRound {
  round: number;
  token: string;
  sentAt: string;
  expiresAt: string;
  answeredAt?: string;
  answer?: SurveyAnswer & {
    comment?: string;
    /** Absent on answers stored before phone callbacks existed: those came by the link. */
    channel?: SurveyChannel;
    /** The office member who took the answer on the phone (the label of their key). */
    recordedBy?: string;
  };
}

export type FollowUpResult = 'confirmed' | 'problem_found';

/** 回头看: the office's revisit of a closed case, sampled at random among the cases closed in a month. */
export interface FollowUpCheck {
  /** The month (China time, YYYY-MM) the case closed in, and was sampled for. */
  month: string;
  sampledAt: string;
  /** What the revisit found: the solution holds, or the problem is back (or never went away). */
  result?: FollowUpResult;
  note?: string;
  recordedAt?: string;
  /** Who recorded the result (the office key's prefix). */
  by?: string;
}

export const NOTICE_KINDS = [
  'assignment',
  'warning',
  'overdue',
  'escalation',
  'survey',
  'extension_decision',
  /** The filing confirmation to the enterprise, with its tracking link (only where configured). */
  'filed',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticeRecord {
  /** Deterministic: issuing the same notice twice (a retry, a restart) yields the same id, delivered once. */
  id: string;
  kind: NoticeKind;
  at: string;
  recipient: Recipient;
  clock?: ClockId;
  /** When it was handed to the notifier's queue; notices without it are dispatched by the next workflow step. */
  queuedAt?: string;
}

export type Recipient =
  | { kind: 'unit'; unitId: string }
  | { kind: 'office' }
  | { kind: 'enterprise'; mobile: string };

/** A unit saw a case's full contact data: recorded apart from the case item, so that a read never races a change. */
export interface ContactView {
  at: string;
  actor: Actor;
}

/** Masks a mobile number for anything shown outside the office: 138****5678. */
export function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '****';
}

/** Masks every mainland mobile number in a text (an error a provider answered, say) before it is logged. */
export function maskMobilesIn(text: string): string {
  return text.replace(/(?<!\d)(?:\+?86)?(1[3-9]\d{9})(?!\d)/g, (_all, mobile: string) => maskMobile(mobile));
}
