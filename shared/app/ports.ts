/** The small interfaces application code talks to; AWS and the embedded runtime each plug in their own. */

/** The time, passed in so that domain rules and tests never read the wall clock themselves. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A queue with at-least-once delivery (SQS on AWS, a table-backed queue in the embedded runtime). */
export interface MessageQueue<T> {
  send(message: T): Promise<void>;
}

/** Asks the workflow to take up a newly filed case. */
export interface IntakeMessage {
  caseId: string;
}

/** Structured logging; Powertools' Logger on Lambda, a console logger in the embedded runtime. */
export interface Logger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}
