/**
 * The case workflow, defined once in Amazon States Language. The CDK stack deploys this object
 * (with `${TaskFunctionArn}` and `${Partition}` substituted by CloudFormation) and the embedded
 * runtime executes the very same object with aws-local-stepfunctions.
 *
 * Every state carries `{ caseId, status, waitSeconds }`. The case item is the source of truth: a
 * callback is woken with the status the case has now (and how long its next wait may last), every
 * task reads the case again, and every callback's storing call checks that the case still waits
 * where the workflow is, so the workflow can be started at any phase (a restart, a new definition
 * version) and a lost or duplicate callback cannot take it down a wrong path. Waits for people are
 * `.waitForTaskToken` callbacks whose token is stored on the case; their timeout is the next
 * supervision checkpoint, computed by the domain rules (yellow warning, red at the deadline,
 * escalation, the end of the survey window), never longer than MAX_WAIT_SECONDS.
 *
 * It is drawn for few state transitions (Step Functions bills each one): an execution starts at
 * its first wait, whose storing call takes the filed case into triage; an answer goes straight on
 * to the wait that usually follows (triage → the unit → the survey), whose storing call hands the
 * case to the one Choice (`Route`) when it went elsewhere (solved on the spot, returned, reopened);
 * only a timeout runs a task (`Supervise…`, `CloseNotRated`) before waiting again; the assignment notice and the survey invitation are sent
 * by the storing call of the wait they open; an answer that leaves the next checkpoint where it was
 * or moves it later (a progress report, an extension granted) does not wake the workflow at all.
 * Every start therefore carries the length of that first wait (`executionInput`).
 */

/** The names of the task handlers the workflow's Lambda function (or the embedded runtime) implements. */
export const WORKFLOW_TASKS = ['awaitAnswer', 'supervise', 'closeNotRated'] as const;
export type WorkflowTask = (typeof WORKFLOW_TASKS)[number];

/**
 * Tasks of the definition's previous version (a task began triage, and the assignment notice and
 * the survey invitation had states of their own): the task function serves them while executions
 * started under that version finish (docs/workflow-cost.md, "Moving a deployed stack").
 */
export const RETIRED_TASKS = ['beginTriage', 'notifyAssignment', 'inviteSurvey'] as const;
export type RetiredTask = (typeof RETIRED_TASKS)[number];

/**
 * Waits are re-armed at least this often. Node's timers (used by the embedded runtime) overflow
 * above 2^31−1 ms (≈24.8 days), and a 30-day deadline must not fire early, so a long wait is cut
 * into slices; a slice that ends before anything is due simply waits again.
 */
export const MAX_WAIT_SECONDS = 20 * 86_400;

/** Seconds a plain task may run; the Lambda function's own timeout is a little shorter. */
export const TASK_TIMEOUT_SECONDS = 60;

/** The state the callback tasks are; the outcome (new status) comes from the case, via SendTaskSuccess. */
export const CALLBACK_STATES = ['AwaitTriage', 'AwaitUnit', 'AwaitSurvey'] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

/** CloudFormation DefinitionSubstitutions placeholders (and the embedded runtime's `substitute`). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a substitution placeholder, not a template literal
const TASK_FUNCTION = '${TaskFunctionArn}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a substitution placeholder, not a template literal
const CALLBACK_RESOURCE = 'arn:${Partition}:states:::lambda:invoke.waitForTaskToken';

const RETRY_TRANSIENT = [
  {
    // Lambda's own transient failures, as AWS recommends retrying them.
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
  {
    // A person's answer was written between the task's read and its write: read again and redo.
    ErrorEquals: ['CaseConflictError'],
    IntervalSeconds: 1,
    MaxAttempts: 10,
    BackoffRate: 1.5,
  },
];

/** Plain tasks retry any failure a few times: they only read and write the case, idempotently. */
const RETRY_TASK = [
  ...RETRY_TRANSIENT,
  { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 },
];

/**
 * A callback's own timeout (States.Timeout) must reach its Catch, so callbacks never retry the
 * States.TaskFailed wildcard; a plain failure of the storing function ("Error") is retried.
 */
const RETRY_CALLBACK = [
  ...RETRY_TRANSIENT,
  { ErrorEquals: ['Error'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 },
];

function task(name: WorkflowTask, next: string) {
  return {
    Type: 'Task',
    Resource: TASK_FUNCTION,
    Parameters: { task: name, 'caseId.$': '$.caseId' },
    TimeoutSeconds: TASK_TIMEOUT_SECONDS,
    Retry: RETRY_TASK,
    Next: next,
  };
}

function callback(state: CallbackState, next: string, onTimeout: string) {
  return {
    Type: 'Task',
    Comment: 'Stores its token on the case and waits for a person (or the next supervision checkpoint).',
    Resource: CALLBACK_RESOURCE,
    Parameters: {
      FunctionName: TASK_FUNCTION,
      Payload: {
        task: 'awaitAnswer' satisfies WorkflowTask,
        state,
        'caseId.$': '$.caseId',
        'waitSeconds.$': '$.waitSeconds',
        'token.$': '$$.Task.Token',
      },
    },
    TimeoutSecondsPath: '$.waitSeconds',
    Retry: RETRY_CALLBACK,
    Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.timedOut', Next: onTimeout }],
    Next: next,
  };
}

const WITH_UNIT = ['assigned', 'accepted', 'in_progress'];

/** The workflow as an ASL object with `${TaskFunctionArn}` and `${Partition}` left to substitute. */
export function workflowDefinition() {
  return {
    Comment: 'Zhuqi case workflow: triage → assignment → 13710 supervision → survey → reopen or close',
    StartAt: 'AwaitTriage',
    States: {
      Route: {
        Type: 'Choice',
        Comment:
          'On to the wait of the phase the case is in now: after the survey, and whenever a wait finds the case elsewhere.',
        Choices: [
          { Variable: '$.status', StringEquals: 'closed', Next: 'Closed' },
          { Variable: '$.status', StringEquals: 'triage', Next: 'AwaitTriage' },
          { Or: WITH_UNIT.map((s) => ({ Variable: '$.status', StringEquals: s })), Next: 'AwaitUnit' },
          { Variable: '$.status', StringEquals: 'resolved', Next: 'AwaitSurvey' },
        ],
        Default: 'AwaitTriage', // submitted: its storing call takes it into triage
      },
      AwaitTriage: {
        ...callback('AwaitTriage', 'AwaitUnit', 'SuperviseTriage'),
        Comment:
          'The start: takes a filed case into triage (once), stores its token on the case and waits for the office; a case in another phase goes on to Route at once.',
      },
      SuperviseTriage: task('supervise', 'AwaitTriage'),
      AwaitUnit: {
        ...callback('AwaitUnit', 'AwaitSurvey', 'SuperviseUnit'),
        Comment:
          'Sends the assignment notice (once per assignment), stores its token on the case and waits for the unit (or the next supervision checkpoint).',
      },
      SuperviseUnit: task('supervise', 'AwaitUnit'),
      AwaitSurvey: {
        ...callback('AwaitSurvey', 'Route', 'CloseNotRated'),
        Comment:
          'Opens the survey of this round (once), stores its token on the case and waits for the answer (or the end of the survey window).',
      },
      CloseNotRated: task('closeNotRated', 'Route'),
      Closed: { Type: 'Succeed', Comment: '销号: followed to closure.' },
    },
  };
}

export type WorkflowDefinition = ReturnType<typeof workflowDefinition>;

/** Replaces `${Name}` placeholders the way CloudFormation's DefinitionSubstitutions do. */
export function substitute(definition: unknown, values: Record<string, string>): unknown {
  const text = JSON.stringify(definition).replace(/\$\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value to substitute for ${whole}`);
    return value;
  });
  return JSON.parse(text);
}

/**
 * The name of a case's execution: the case id for the first round (so however often intake is
 * delivered, Step Functions starts one execution per case), `<case id>-<round>` for each restart.
 */
export function executionName(caseId: string, round: number): string {
  return round <= 1 ? caseId : `${caseId}-${round}`;
}

/** The case and round an execution name stands for (case ids have no hyphen). */
export function parseExecutionName(name: string): { caseId: string; round: number } | undefined {
  const match = /^([a-z2-7]+)(?:-([1-9]\d*))?$/.exec(name);
  if (!match) return undefined;
  return { caseId: match[1]!, round: match[2] ? Number(match[2]) : 1 };
}

/** What a task handler receives (plain tasks: the Parameters; callbacks: the Payload). */
export interface TaskInput {
  task: WorkflowTask | RetiredTask;
  caseId: string;
  state?: CallbackState;
  token?: string;
  waitSeconds?: number;
  /** The instant `waitSeconds` was rounded up from (ISO): the embedded engine times its waits by it. */
  wakeAt?: string;
}

/** What every state passes on. */
export interface WorkflowState {
  caseId: string;
  status: string;
  waitSeconds?: number;
  /** The instant `waitSeconds` was rounded up from (ISO), when it is within one wait slice. */
  wakeAt?: string;
}
