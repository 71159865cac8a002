import type { ZhuqiConfig } from '../config/config';
import type { WorkCalendar } from '../domain/calendar';
import type { AccessRepository } from '../store/access-repository';
import type { AuditRepository } from '../store/audit-repository';
import type { CaseRepository } from '../store/case-repository';
import type { CommonProblemRepository } from '../store/common-problem-repository';
import type { LimitRepository } from '../store/limit-repository';
import type { OutboxRepository } from '../store/outbox-repository';
import type { SessionRepository } from '../store/session-repository';
import type { Clock, IntakeMessage, Logger, MessageQueue, NoticeMessage, WorkflowEngine } from './ports';

/** Everything the HTTP app and the workflow tasks need, wired once per process by an entry point. */
export interface Services {
  config: ZhuqiConfig;
  clock: Clock;
  logger: Logger;
  cases: CaseRepository;
  access: AccessRepository;
  intake: MessageQueue<IntakeMessage>;
  notices: MessageQueue<NoticeMessage>;
  outbox: OutboxRepository;
  /** The office's audit log (exports of personal data). */
  audit: AuditRepository;
  /** The abuse limits' counters. */
  limits: LimitRepository;
  /** The common problems (共性问题) the office confirmed. */
  commonProblems: CommonProblemRepository;
  /** Workbench sessions and sign-in failure counters. */
  sessions: SessionRepository;
  workflow: WorkflowEngine;
  /** The working-day calendar: the bundled official schedule plus the configured years. */
  calendar: WorkCalendar;
  /** `ZHUQI_DAY_SECONDS`: one day of every deadline lasts this many seconds (demos and tests). */
  daySeconds?: number;
}
