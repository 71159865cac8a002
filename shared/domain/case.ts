import type { CaseStatus, Channel, Level } from './case-state';

/** Who did something to a case. */
export interface Actor {
  kind: 'enterprise' | 'cadre' | 'office' | 'unit' | 'system';
  /** Unit id, key id, or cadre name — whatever identifies the actor within its kind. */
  id?: string;
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
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter: every write names the version it read. */
  version: number;
  history: HistoryEntry[];
}

/** Masks a mobile number for anything shown outside the office: 138****5678. */
export function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '****';
}
