import type { CaseRecord } from '../domain/case';
import {
  assignmentNotices,
  closeNotRated,
  filingReceipt,
  nextCheckpoint,
  openSurvey,
  type RuleContext,
  startTriage,
  supervise,
  surveyRound,
} from '../domain/case-rules';
import { type CaseStatus, WITH_UNIT_STATUSES } from '../domain/case-state';
import {
  type CallbackState,
  MAX_WAIT_SECONDS,
  type TaskInput,
  type WorkflowState,
} from '../workflow/definition';
import { queueNotices } from './notices';
import { loadCase, ruleContext } from './rules';
import { derivedSecret } from './secrets';
import type { Services } from './services';

const SYSTEM = { kind: 'system' } as const;

/** What each callback state waits for: it keeps waiting only while the case's status is one of these. */
export const WAITS_WHILE: Record<CallbackState, readonly string[]> = {
  AwaitTriage: ['triage'],
  AwaitUnit: WITH_UNIT_STATUSES,
  AwaitSurvey: ['resolved'],
};

/**
 * How much later than the case's next checkpoint a wait may be armed and still be left as it is: a
 * wait is armed in whole seconds, some time after its length was computed (a hop of the workflow,
 * a cold start). Only a wait armed later than this is woken to be armed again.
 */
const WAIT_SLACK_MS = 60_000;

/** Whether a wait armed until `armedUntil` (ms) would time out too late for the checkpoint `next`. */
function armedTooLate(next: Date | undefined, armedUntil: number): boolean {
  return next !== undefined && next.getTime() + WAIT_SLACK_MS < armedUntil;
}

/** Seconds until `at`, at least 1 (Step Functions' minimum) and at most one wait slice. */
export function secondsUntil(at: Date | undefined, now: Date): number {
  if (!at) return MAX_WAIT_SECONDS;
  return Math.min(MAX_WAIT_SECONDS, Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000)));
}

/** What the workflow goes on with: the case's status and how long its next wait may last. */
function stateOf(
  record: CaseRecord,
  ctx: RuleContext,
): WorkflowState & { status: CaseStatus; waitSeconds: number } {
  const wakeAt = nextCheckpoint(record, ctx);
  const waitSeconds = secondsUntil(wakeAt, ctx.now);
  // Step Functions times a wait in whole seconds; the instant itself lets a runner be exact.
  const exact = wakeAt && waitSeconds < MAX_WAIT_SECONDS ? { wakeAt: wakeAt.toISOString() } : {};
  return { caseId: record.id, status: record.status, waitSeconds, ...exact };
}

/**
 * Brings supervision up to date on `changed` (the stored case `stored`, or what a task made of it),
 * queues its notices, stores it with one write if anything changed, and says how long to wait
 * before looking again. Every plain task ends here, so no notice is left behind.
 */
async function settle(
  services: Services,
  stored: CaseRecord,
  changed: CaseRecord,
  ctx: RuleContext,
): Promise<WorkflowState> {
  const queued = await queueNotices(services, supervise(changed, ctx).record);
  return stateOf(queued === stored ? stored : await services.cases.save(queued), ctx);
}

/** 研判: the filed case enters triage with its routing suggestion and 1-day clock (not stored here). */
function beginTriage(services: Services, record: CaseRecord, ctx: RuleContext): CaseRecord {
  if (record.status !== 'submitted') return record;
  const started = startTriage(record, services.config.categories, ctx);
  // The filing confirmation goes out only where a channel for it is configured (an SMS template).
  return services.config.sms?.templates.filed ? filingReceipt(started, ctx).record : started;
}

/**
 * The input of a new execution of the case's workflow, which starts at its first wait: the case's
 * status and the length of that wait — for a filed case, until the first checkpoint of the triage
 * that wait's storing call is about to begin.
 */
export function executionInput(
  services: Services,
  record: CaseRecord,
): WorkflowState & { status: CaseStatus; waitSeconds: number } {
  const ctx = ruleContext(services, SYSTEM);
  return { ...stateOf(beginTriage(services, record, ctx), ctx), status: record.status };
}

/**
 * What a callback does for the phase it opens before it waits: triage for a filed case, the unit's
 * assignment notice (交办单, once per assignment), the enterprise's survey link (once per round).
 * Idempotent.
 */
function openPhase(
  services: Services,
  record: CaseRecord,
  state: CallbackState,
  ctx: RuleContext,
): CaseRecord {
  if (state === 'AwaitTriage') return beginTriage(services, record, ctx);
  if (state === 'AwaitUnit') return assignmentNotices(record, ctx).record;
  if (state === 'AwaitSurvey' && record.status === 'resolved') {
    // The round's link is derived from the case's tracking key, whose holder sees it on the tracking
    // page anyway: a storing call that runs again (its write lost) queues the very link it stores.
    const token = derivedSecret(record.trackingKey, `survey#${surveyRound(record)}`);
    return openSurvey(record, token, ctx).record;
  }
  return record;
}

/** With a survey round open, its link's lookup item (again on every storing call: a retry must not miss it). */
async function putSurveyLink(services: Services, record: CaseRecord) {
  if (record.status === 'resolved' && record.survey?.round === surveyRound(record)) {
    await services.cases.putSurveyLink(record.survey.token, record.id);
  }
}

type TaskHandler = (services: Services, input: TaskInput) => Promise<WorkflowState>;
type PlainTask = Exclude<TaskInput['task'], 'awaitAnswer'>;

/**
 * The workflow's plain tasks, and those of its previous version (`RETIRED_TASKS`); the same code
 * runs in the Lambda function and in the embedded runtime.
 */
export const workflowTasks: Record<PlainTask, TaskHandler> = {
  /** 督办: yellow, red and escalation notices as deadlines pass; wakes again at the next checkpoint. */
  async supervise(services, { caseId }) {
    const record = await loadCase(services, caseId);
    return settle(services, record, record, ruleContext(services, SYSTEM));
  },

  /** The survey window passed unanswered: closed as not rated (a slice that ended early just waits again). */
  async closeNotRated(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    const record = await loadCase(services, caseId);
    return settle(services, record, closeNotRated(record, ctx) ?? record, ctx);
  },

  // The previous version's tasks: what AwaitTriage, AwaitUnit and AwaitSurvey now do when they open.
  async beginTriage(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    const record = await loadCase(services, caseId);
    return settle(services, record, beginTriage(services, record, ctx), ctx);
  },
  async notifyAssignment(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    const record = await loadCase(services, caseId);
    return settle(services, record, openPhase(services, record, 'AwaitUnit', ctx), ctx);
  },
  async inviteSurvey(services, { caseId }) {
    const ctx = ruleContext(services, SYSTEM);
    const record = await loadCase(services, caseId);
    const opened = openPhase(services, record, 'AwaitSurvey', ctx);
    const state = await settle(services, record, opened, ctx);
    await putSurveyLink(services, opened);
    return state;
  },
};

/**
 * The callback task. When the case still waits where the workflow is, it opens the phase (triage
 * for a filed case, the assignment notice, the survey link), brings supervision up to date, queues
 * the notices and stores them with the token on the case, in one write. It wakes the workflow at once when no
 * person will answer: the case moved on while the workflow was between states (a restart at
 * another phase, an answer that came meanwhile), or the wait was armed for longer than the case's
 * next checkpoint allows.
 */
export async function awaitAnswer(services: Services, input: TaskInput): Promise<CaseStatus> {
  const state = input.state!;
  const token = input.token!;
  const ctx = ruleContext(services, SYSTEM);
  const record = await loadCase(services, input.caseId);
  const opens = state === 'AwaitTriage' && record.status === 'submitted'; // an execution's start
  if (!opens && !WAITS_WHILE[state].includes(record.status)) {
    await services.workflow.wake(token, stateOf(record, ctx));
    return record.status;
  }
  const dueAt = input.wakeAt
    ? new Date(input.wakeAt)
    : new Date(ctx.now.getTime() + (input.waitSeconds ?? MAX_WAIT_SECONDS) * 1000);
  const opened = supervise(openPhase(services, record, state, ctx), ctx).record;
  const waiting = {
    ...opened,
    wait: { token, state, since: ctx.now.toISOString(), dueAt: dueAt.toISOString() },
  };
  const stored = await services.cases.save(await queueNotices(services, waiting));
  await putSurveyLink(services, stored);
  if (armedTooLate(nextCheckpoint(stored, ctx), dueAt.getTime())) {
    await services.workflow.wake(token, stateOf(stored, ctx));
  }
  return stored.status;
}

/**
 * What a person's act on a case means for the workflow waiting on it: the state to wake it with
 * when the act moved the case out of the wait's phase, or brought its next checkpoint before the
 * time the wait is armed for; nothing when the wait stays right as it is (a progress report, an
 * accepted assignment, an extension granted), since the wait times out at a checkpoint that is
 * still due or earlier than needed, and supervision then simply finds nothing to do yet.
 */
export function wakeAfterAct(
  record: CaseRecord,
  ctx: RuleContext,
): (WorkflowState & { status: CaseStatus }) | undefined {
  const wait = record.wait;
  if (!wait) return undefined;
  const stillWaiting = WAITS_WHILE[wait.state as CallbackState]?.includes(record.status) ?? false;
  const armedUntil = wait.dueAt ? Date.parse(wait.dueAt) : Number.POSITIVE_INFINITY;
  if (stillWaiting && !armedTooLate(nextCheckpoint(record, ctx), armedUntil)) return undefined;
  return stateOf(record, ctx);
}
