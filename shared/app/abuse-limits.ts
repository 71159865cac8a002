import type { ZhuqiConfig } from '../config/config';
import { type LimitedAct, retryAfterSeconds } from '../domain/abuse-limits';
import type { LimitRepository } from '../store/limit-repository';
import { TooManyRequestsError } from './errors';
import type { Clock } from './ports';
import { sha256 } from './secrets';

export interface AbuseLimitDeps {
  config: Pick<ZhuqiConfig, 'abuseLimits'>;
  clock: Clock;
  limits: LimitRepository;
}

/** Counters are keyed by a hash: they keep no client address and no credit code. */
const subjectKey = (act: LimitedAct, subject: string) => sha256(`${act}:${subject}`).slice(0, 32);

/** Counts an act limited whether it succeeds or not (a filing, a survey answer); over the limit it is refused. */
export async function admit(deps: AbuseLimitDeps, act: LimitedAct, subject: string): Promise<void> {
  const rule = deps.config.abuseLimits[act];
  const now = deps.clock.now();
  if (!(await deps.limits.count(act, subjectKey(act, subject), rule, now)))
    throw new TooManyRequestsError(retryAfterSeconds(now, rule));
}

/** Refuses a client whose failures of this kind (guessed links, wrong keys) have reached the window's limit. */
export async function refuseWhenExhausted(
  deps: AbuseLimitDeps,
  act: LimitedAct,
  subject: string,
): Promise<void> {
  const rule = deps.config.abuseLimits[act];
  const now = deps.clock.now();
  if (await deps.limits.isExhausted(act, subjectKey(act, subject), rule, now))
    throw new TooManyRequestsError(retryAfterSeconds(now, rule));
}

/** Counts a failure (a link that does not exist, a key that is unknown). */
export async function countFailure(deps: AbuseLimitDeps, act: LimitedAct, subject: string): Promise<void> {
  const rule = deps.config.abuseLimits[act];
  await deps.limits.count(act, subjectKey(act, subject), rule, deps.clock.now(), false);
}
