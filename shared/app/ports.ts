/** The small interfaces application code talks to; AWS and the embedded runtime each plug in their own. */
import type { NoticeKind, Recipient } from '../domain/case';
import type { CaseStatus } from '../domain/case-state';

/** The time, passed in so that domain rules and tests never read the wall clock themselves. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A queue with at-least-once delivery (SQS on AWS, a table-backed queue in the embedded runtime). */
export interface MessageQueue<T> {
  send(message: T): Promise<void>;
  /**
   * When the oldest message not yet acknowledged was sent, where the queue can tell (the embedded
   * queue can; SQS cannot): the intake sweeper then leaves alone every case that may still be in it.
   */
  oldestPendingSentAt?(): Promise<string | undefined>;
}

/** Asks the workflow to take up a newly filed case. */
export interface IntakeMessage {
  caseId: string;
}

/** A notice on its way to the notifier: rendered once, delivered at least once, deduplicated by id. */
export interface NoticeMessage {
  id: string;
  kind: NoticeKind;
  caseId: string;
  caseNo: string;
  recipient: Recipient;
  issuedAt: string;
  subject: string;
  body: string;
  /** The link the recipient acts on (the survey link for the enterprise). */
  link?: string;
  /** The deadline the notice names, where it names one (the survey's, for its invitation). */
  dueAt?: string;
}

/** The case workflow: Step Functions on AWS, aws-local-stepfunctions in the embedded runtime. */
/** The first wait of a new execution: seconds (as Step Functions times it) and the exact instant. */
export interface FirstWait {
  waitSeconds: number;
  wakeAt?: string;
}

export interface WorkflowEngine {
  /**
   * Starts the case's execution, unless one is already running; it begins with the wait `first`
   * describes (`executionInput`: its length, and the instant it was rounded up from), which the
   * engine works out from the case when not given.
   */
  start(caseId: string, status: CaseStatus, first?: FirstWait): Promise<void>;
  /** Wakes the execution waiting on `token` with the case's new status and the length of its next wait; a stale token is ignored. */
  wake(token: string, state: { caseId: string; status: CaseStatus; waitSeconds?: number }): Promise<void>;
}

/** What became of a case's workflow execution; Step Functions keeps a stopped one's record for 90 days. */
export type ExecutionOutcome = 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted' | 'missing';

/**
 * The case workflow's executions as the recovery sweep sees them (Step Functions on AWS; the embedded
 * runtime resumes its own on every start). Round 1 is the execution intake starts; each restart is
 * the next round, under a name of its own.
 */
export interface WorkflowExecutions {
  /** Every execution running now, by case and round. */
  running(): Promise<{ caseId: string; round: number }[]>;
  /** What became of the case's execution of that round. */
  outcome(caseId: string, round: number): Promise<ExecutionOutcome>;
  /** Starts the case's execution of `round` at the phase `status` names; one of that name already there counts as started. */
  startRound(caseId: string, round: number, status: CaseStatus, first?: FirstWait): Promise<void>;
}

/** Structured logging; Powertools' Logger on Lambda, a console logger in the embedded runtime. */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
