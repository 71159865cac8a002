import type { Actor, CaseRecord } from '../domain/case';
import {
  acceptCase,
  answerSurvey,
  decideExtension,
  decideTriage,
  type RuleContext,
  type RuleResult,
  reportProgress,
  requestExtension,
  resolveCase,
  returnCase,
  type TriageDecision,
} from '../domain/case-rules';
import type { SurveyAnswer } from '../domain/survey-outcome';
import { actorOf, type Caller } from './access';
import { notTheUnitsCase } from './case-view';
import { CaseConflictError, NotFoundError, ValidationError } from './errors';
import { dispatchNotices } from './notices';
import { applyRule, loadCase, ruleContext } from './rules';
import type { Services } from './services';
import { wakeAfterAct } from './workflow-tasks';

type Change = (record: CaseRecord, ctx: RuleContext) => CaseRecord | RuleResult;

/** Whether everything written since `read` was the workflow's own bookkeeping (a token, a notice), not a person's act. */
function onlySystemWrites(read: CaseRecord, now: CaseRecord): boolean {
  return (
    now.status === read.status &&
    now.history.length >= read.history.length &&
    now.history.slice(read.history.length).every((h) => h.actor.kind === 'system')
  );
}

/**
 * A person's act on a case: read it, apply the rule, store the result with one conditional
 * write, then wake the workflow waiting on the case if the act changes what it waits for
 * (`wakeAfterAct`; its token is then taken off the case). When another person changed the case in
 * between, the loser gets CaseConflictError (409); a write by the workflow itself is no
 * conflict of persons, so the act is simply applied again to the fresh case.
 */
export async function changeCase(
  services: Services,
  caseId: string,
  actor: Actor,
  change: Change,
  authorize: (record: CaseRecord) => void = () => {},
): Promise<CaseRecord> {
  let record = await loadCase(services, caseId);
  for (let attempt = 0; ; attempt++) {
    authorize(record);
    const ctx = ruleContext(services, actor);
    const result = applyRule(() => change(record, ctx));
    const next = 'record' in result ? result.record : result;
    const wake = wakeAfterAct(next, ctx);
    const { wait, ...withoutWait } = next;
    try {
      let stored = await services.cases.save(wake ? withoutWait : next);
      if (wait && wake) {
        await services.workflow.wake(wait.token, wake).catch((error) => {
          // The workflow re-reads the case at its next checkpoint; the act itself is stored.
          services.logger.warn('could not wake the workflow', { caseId, error: String(error) });
        });
      }
      // The act's own notices (an extension decision) go out now: the workflow may not wake for it.
      if (stored.notices.some((n) => !n.queuedAt)) {
        stored = await dispatchNotices(services, stored).catch((error) => {
          // The workflow's next task dispatches what is left; the act itself is stored.
          services.logger.warn('could not dispatch the notices of an act', { caseId, error: String(error) });
          return stored;
        });
      }
      return stored;
    } catch (error) {
      if (!(error instanceof CaseConflictError) || attempt >= 5) throw error;
      const fresh = await loadCase(services, caseId);
      if (!onlySystemWrites(record, fresh)) throw error;
      record = fresh;
    }
  }
}

/** A unit sees and answers only its own cases; any other case does not exist for it. */
function ownedBy(unitId: string) {
  return (record: CaseRecord) => {
    if (record.unitId !== unitId) throw notTheUnitsCase(record.id);
  };
}

const LEVEL_UNIT_KIND = {
  department: 'department',
  task_force: 'task_force',
  government: 'government',
  leader: 'leader',
};

/** 研判交办: the office confirms or overrides the suggestion, or records the problem as solved on the spot. */
export async function triageCase(services: Services, caseId: string, decision: TriageDecision, by: Caller) {
  await checkTriageDecision(services, decision);
  return changeCase(services, caseId, actorOf(by), (record, ctx) => decideTriage(record, decision, ctx));
}

/** Refuses a triage decision that no case could take: on the spot without a note, an unknown or inactive unit, a unit of another level. */
export async function checkTriageDecision(services: Services, decision: TriageDecision): Promise<void> {
  if (decision.level === 'on_spot' && !decision.note) {
    throw new ValidationError([
      { field: 'note', code: 'required', message: 'say how the problem was solved on the spot' },
    ]);
  }
  if (decision.level !== 'on_spot') {
    const unit = decision.unitId ? await services.access.getUnit(decision.unitId) : undefined;
    if (!unit?.active) {
      throw new ValidationError([
        {
          field: 'unitId',
          code: decision.unitId ? 'unknown_unit' : 'required',
          message: decision.unitId ? `no active unit ${decision.unitId}` : 'is required for this level',
        },
      ]);
    }
    if (unit.kind !== LEVEL_UNIT_KIND[decision.level]) {
      throw new ValidationError([
        {
          field: 'unitId',
          code: 'level_mismatch',
          message: `unit ${unit.id} is a ${unit.kind}, not a ${decision.level}`,
        },
      ]);
    }
  }
}

export async function decideCaseExtension(
  services: Services,
  caseId: string,
  decision: { grant: boolean; days?: number; note?: string },
  by: Caller,
) {
  return changeCase(services, caseId, actorOf(by), (record, ctx) => decideExtension(record, decision, ctx));
}

/** What each answer of a unit carries. */
export interface UnitAnswerInput {
  accept: Record<string, never>;
  return: { reason: string };
  progress: { note: string };
  extension: { days: number; reason: string };
  resolve: { resolution: string };
}
export type UnitAnswer = keyof UnitAnswerInput;

const UNIT_RULES: {
  [A in UnitAnswer]: (r: CaseRecord, input: UnitAnswerInput[A], ctx: RuleContext) => CaseRecord;
} = {
  accept: (r, _input, ctx) => acceptCase(r, ctx),
  return: (r, input, ctx) => returnCase(r, input.reason, ctx),
  progress: (r, input, ctx) => reportProgress(r, input.note, ctx),
  extension: (r, input, ctx) => requestExtension(r, input.days, input.reason, ctx),
  resolve: (r, input, ctx) => resolveCase(r, input.resolution, ctx),
};

/** A unit answers an assignment: accept, return, report progress, ask for an extension, resolve. */
export function answerAsUnit<A extends UnitAnswer>(
  services: Services,
  caseId: string,
  by: Caller & { unitId: string },
  answer: A,
  input: UnitAnswerInput[A],
): Promise<CaseRecord> {
  const rule = UNIT_RULES[answer] as (
    r: CaseRecord,
    input: UnitAnswerInput[A],
    ctx: RuleContext,
  ) => CaseRecord;
  return changeCase(services, caseId, actorOf(by), (r, ctx) => rule(r, input, ctx), ownedBy(by.unitId)).catch(
    (error) => {
      throw error instanceof NotFoundError ? notTheUnitsCase(caseId) : error;
    },
  );
}

/** The enterprise answers the survey through its one-time link. */
export async function answerCaseSurvey(
  services: Services,
  token: string,
  answer: SurveyAnswer & { comment?: string },
) {
  const record = await services.cases.findBySurveyToken(token);
  if (!record) throw new NotFoundError('this survey link is not valid');
  return changeCase(services, record.id, { kind: 'enterprise' }, (r, ctx) => {
    if (r.survey?.token !== token) throw new NotFoundError('this survey link is not valid');
    return answerSurvey(r, answer, ctx);
  });
}

/**
 * 电话回访: the office records the answer the enterprise gave on the phone, under the name of
 * the office member who called. The same rules as the link: one answer per survey round,
 * reopen or escalate on failure; whichever answer is stored first wins, the other is refused.
 */
export function recordPhoneSurvey(
  services: Services,
  caseId: string,
  answer: SurveyAnswer & { comment?: string },
  by: Caller,
): Promise<CaseRecord> {
  return changeCase(services, caseId, actorOf(by), (r, ctx) =>
    answerSurvey(r, answer, ctx, { channel: 'phone', recordedBy: by.name }),
  );
}
