import type { CaseRecord } from '../domain/case';
import {
  assignmentNotices,
  closeNotRated,
  filingReceipt,
  openSurvey,
  type RuleContext,
  startTriage,
  supervise,
} from '../domain/case-rules';
import { type CaseStatus, WITH_UNIT_STATUSES } from '../domain/case-state';
import {
  type CallbackState,
  MAX_WAIT_SECONDS,
  type TaskInput,
  type WorkflowState,
} from '../workflow/definition';
import { dispatchNotices } from './notices';
import { loadCase, ruleContext } from './rules';
import { newSecret } from './secrets';
import type { Services } from './services';

const SYSTEM = { kind: 'system' } as const;

/** What each callback state waits for: it keeps waiting only while the case's status is one of these. */
export const WAITS_WHILE: Record<CallbackState, readonly string[]> = {
  AwaitTriage: ['triage'],
  AwaitUnit: WITH_UNIT_STATUSES,
  AwaitSurvey: ['resolved'],
};

/** Seconds until `at`, at least 1 (Step Functions' minimum) and at most one wait slice. */
export function secondsUntil(at: Date | undefined, now: Date): number {
  if (!at) return MAX_WAIT_SECONDS;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000)));
}

/**
 * Brings supervision up to date, stores the case if anything changed, dispatches its notices and
 * says how long to wait before looking again. Every task ends here, so no notice is left behind.
 */
async function settle(services: Services, record: CaseRecord, ctx: RuleContext, extraWakeAt?: Date) {
  const supervised = supervise(record, ctx);
  let stored = supervised.record === record ? record : await services.cases.save(supervised.record);
  stored = await dispatchNotices(services, stored);
  const wakeAt = [supervised.nextCheckAt, extraWakeAt]
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const waitSeconds = secondsUntil(wakeAt, ctx.now);
  // Step Functions times a wait in whole seconds; the instant itself lets a runner be exact.
  const exact = wakeAt && waitSeconds < MAX_WAIT_SECONDS ? { wakeAt: wakeAt.toISOString() } : {};
  return { caseId: stored.id, status: stored.status, waitSeconds, ...exact };
}

type TaskHandler = (services: Services, input: TaskInput) => Promise<WorkflowState>;

/** The workflow's tasks; the same code runs in the Lambda function and in the embedded runtime. */
export const workflowTasks: Record<Exclude<TaskInput['task'], 'awaitAnswer'>, TaskHandler> = {
  /** 研判: the filed case enters triage with its routing suggestion and 1-day clock. */
  async beginTriage(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    let record = await loadCase(services, caseId);
    if (record.status === 'submitted') {
      let started = startTriage(record, services.config.categories, ctx);
      // The filing confirmation goes out only where a channel for it is configured (an SMS template).
      if (services.config.sms?.templates.filed) started = filingReceipt(started, ctx).record;
      record = await services.cases.save(started);
    }
    return settle(services, record, ctx);
  },

  /** 督办: yellow, red and escalation notices as deadlines pass; wakes again at the next checkpoint. */
  async supervise(services, { caseId }) {
    const record = await loadCase(services, caseId);
    return settle(services, record, ruleContext(services, SYSTEM));
  },

  /** 交办单: the assignment notice of the current round (and the leader's, on a repeated reopening). */
  async notifyAssignment(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    let record = await loadCase(services, caseId);
    const { record: withNotices } = assignmentNotices(record, ctx);
    if (withNotices !== record) record = await services.cases.save(withNotices);
    return settle(services, record, ctx);
  },

  /** 满意度回访: a one-time survey link per round, kept across retries and restarts. */
  async inviteSurvey(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    let record = await loadCase(services, caseId);
    if (record.status !== 'resolved') return settle(services, record, ctx);
    const { record: opened } = openSurvey(record, newSecret(18), ctx);
    if (opened !== record) record = await services.cases.save(opened);
    await services.cases.putSurveyLink(record.survey!.token, record.id);
    return settle(services, record, ctx, new Date(record.survey!.expiresAt));
  },

  /** The survey window passed unanswered: closed as not rated (a slice that ended early just waits again). */
  async closeNotRated(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    const record = await loadCase(services, caseId);
    const closed = closeNotRated(record, ctx);
    return settle(services, closed ? await services.cases.save(closed) : record, ctx);
  },
};

/**
 * The callback task: stores the token on the case, then checks whether the case already moved
 * on while the workflow was between states — if so, it wakes the workflow at once, because no
 * person will answer a question that has been answered.
 */
export async function awaitAnswer(services: Services, input: TaskInput): Promise<CaseStatus> {
  const state = input.state!;
  const record = await loadCase(services, input.caseId);
  const now = services.clock.now();
  const stored = await services.cases.save({
    ...record,
    wait: {
      token: input.token!,
      state,
      since: now.toISOString(),
      dueAt:
        input.wakeAt ??
        new Date(now.getTime() + (input.waitSeconds ?? MAX_WAIT_SECONDS) * 1000).toISOString(),
    },
  });
  if (!WAITS_WHILE[state].includes(stored.status)) {
    await services.workflow.wake(input.token!, { caseId: stored.id, status: stored.status });
  }
  return stored.status;
}
