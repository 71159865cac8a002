import type { Actor, CaseRecord } from '../domain/case';
import { type RuleContext, RuleViolationError } from '../domain/case-rules';
import { InvalidTransitionError, NotFoundError } from './errors';
import type { Services } from './services';

/** The context the domain rules run in: now, the actor, the deadline policy and calendar. */
export function ruleContext(services: Services, actor: Actor): RuleContext {
  return {
    now: services.clock.now(),
    actor,
    policy: services.config.deadlines,
    calendar: services.calendar,
    escalationUnitId: services.config.escalationUnitId,
    ...(services.daySeconds ? { daySeconds: services.daySeconds } : {}),
  };
}

/** Runs a rule, turning its refusal into the application's 409 error. */
export function applyRule<T>(rule: () => T): T {
  try {
    return rule();
  } catch (error) {
    if (error instanceof RuleViolationError) throw new InvalidTransitionError(error.message);
    throw error;
  }
}

export async function loadCase(services: Services, caseId: string): Promise<CaseRecord> {
  const record = await services.cases.get(caseId);
  if (!record) throw new NotFoundError(`no case ${caseId}`);
  return record;
}
