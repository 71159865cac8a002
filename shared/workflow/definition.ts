/**
 * The case workflow, defined once in Amazon States Language. The CDK stack deploys this object
 * (with `${TaskFunctionArn}` and `${Partition}` substituted by CloudFormation) and the embedded
 * runtime executes the very same object with aws-local-stepfunctions.
 *
 * Every state carries `{ caseId, status, waitSeconds }`. The case item is the source of truth:
 * after every wake-up the workflow reads the case's status again and routes on it, so it can be
 * started at any phase (a restart, a new definition version) and a lost or duplicate callback
 * cannot take it down a wrong path. Waits for people are `.waitForTaskToken` callbacks whose
 * token is stored on the case; their timeout is the next supervision checkpoint, computed by the
 * domain rules (yellow warning, red at the deadline, escalation), never longer than MAX_WAIT_SECONDS.
 */

/** The names of the task handlers the workflow's Lambda function (or the embedded runtime) implements. */
export const WORKFLOW_TASKS = [
  'beginTriage',
  'awaitAnswer',
  'supervise',
  'notifyAssignment',
  'inviteSurvey',
  'closeNotRated',
] as const;
export type WorkflowTask = (typeof WORKFLOW_TASKS)[number];

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

const choice = (rules: [string[], string][], otherwise: string) => ({
  Type: 'Choice',
  Choices: rules.map(([statuses, next]) =>
    statuses.length === 1
      ? { Variable: '$.status', StringEquals: statuses[0], Next: next }
      : { Or: statuses.map((s) => ({ Variable: '$.status', StringEquals: s })), Next: next },
  ),
  Default: otherwise,
});

const WITH_UNIT = ['assigned', 'accepted', 'in_progress'];

/** The workflow as an ASL object with `${TaskFunctionArn}` and `${Partition}` left to substitute. */
export function workflowDefinition() {
  return {
    Comment: 'Zhuqi case workflow: triage → assignment → 13710 supervision → survey → reopen or close',
    StartAt: 'Route',
    States: {
      Route: {
        Type: 'Choice',
        Comment: 'Start (or resume) at the phase the case is in.',
        Choices: [
          { Variable: '$.status', StringEquals: 'triage', Next: 'SuperviseTriage' },
          { Or: WITH_UNIT.map((s) => ({ Variable: '$.status', StringEquals: s })), Next: 'NotifyAssignment' },
          { Variable: '$.status', StringEquals: 'resolved', Next: 'InviteSurvey' },
          { Variable: '$.status', StringEquals: 'closed', Next: 'Closed' },
        ],
        Default: 'BeginTriage',
      },
      BeginTriage: task('beginTriage', 'AwaitTriage'),
      AwaitTriage: callback('AwaitTriage', 'SuperviseTriage', 'SuperviseTriage'),
      SuperviseTriage: task('supervise', 'AfterTriage'),
      AfterTriage: choice(
        [
          [['triage'], 'AwaitTriage'],
          [WITH_UNIT, 'NotifyAssignment'],
          [['resolved'], 'InviteSurvey'],
        ],
        'Route',
      ),
      NotifyAssignment: task('notifyAssignment', 'AwaitUnit'),
      AwaitUnit: callback('AwaitUnit', 'SuperviseUnit', 'SuperviseUnit'),
      SuperviseUnit: task('supervise', 'AfterUnit'),
      AfterUnit: choice(
        [
          [WITH_UNIT, 'AwaitUnit'],
          [['triage'], 'BeginTriage'],
          [['resolved'], 'InviteSurvey'],
        ],
        'Route',
      ),
      InviteSurvey: task('inviteSurvey', 'AwaitSurvey'),
      AwaitSurvey: callback('AwaitSurvey', 'AfterSurvey', 'CloseNotRated'),
      CloseNotRated: task('closeNotRated', 'AfterSurvey'),
      AfterSurvey: choice(
        [
          [['closed'], 'Closed'],
          [['assigned'], 'NotifyAssignment'],
          [['resolved'], 'InviteSurvey'],
        ],
        'Route',
      ),
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
  task: WorkflowTask;
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
