/** Abuse limits (防刷): how many acts of one kind one client may make in a fixed window of time. */

/** The acts that are limited, each counted per client address, filings also per credit code. */
export const LIMITED_ACTS = [
  'filingsPerAddress',
  'filingsPerCreditCode',
  'failedLookupsPerAddress',
  'surveyAnswersPerAddress',
  'failedSignInsPerAddress',
] as const;
export type LimitedAct = (typeof LIMITED_ACTS)[number];

export interface LimitRule {
  /** How many acts a window allows. */
  max: number;
  windowSeconds: number;
}

/** The fixed window `at` falls in: counters of one window are counted together and expire with it. */
export function fixedWindow(at: Date, rule: LimitRule): { start: number; end: number } {
  const seconds = Math.floor(at.getTime() / 1000);
  const start = seconds - (seconds % rule.windowSeconds);
  return { start, end: start + rule.windowSeconds };
}

/** Whole seconds until the window ends, at least one: the `Retry-After` of a refusal. */
export function retryAfterSeconds(at: Date, rule: LimitRule): number {
  return Math.max(1, Math.ceil(fixedWindow(at, rule).end - at.getTime() / 1000));
}
