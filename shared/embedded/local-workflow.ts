import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { Logger, WorkflowEngine } from '../app/ports';
import type { Services } from '../app/services';
import { awaitAnswer, workflowTasks } from '../app/workflow-tasks';
import { type CaseStatus, isTerminal, OPEN_STATUSES } from '../domain/case-state';
import {
  CALLBACK_STATES,
  substitute,
  type TaskInput,
  type WorkflowState,
  workflowDefinition,
} from '../workflow/definition';

// aws-local-stepfunctions 3 uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    value<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** Waits `ms` of the runtime's time; tests drive it with a manual clock. */
export interface Scheduler {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** Real timers, cut into slices Node can hold (setTimeout overflows above 2^31−1 ms, ≈24.8 days). */
export const realScheduler: Scheduler = {
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      let timer: NodeJS.Timeout;
      const end = Date.now() + ms;
      const arm = () => {
        const left = end - Date.now();
        if (left <= 0) return finish();
        timer = setTimeout(arm, Math.min(left, 2 ** 31 - 1));
      };
      const finish = () => {
        signal.removeEventListener('abort', finish);
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener('abort', finish, { once: true });
      arm();
    });
  },
};

/** One step of an execution, for tracing (`ZHUQI_TRACE_WORKFLOW=1`) and for tests that check coverage of the definition. */
export interface WorkflowEvent {
  caseId: string;
  type: string;
  state?: string;
  output?: unknown;
  error?: string;
}

class StatesTimeout extends Error {
  override name = 'States.Timeout';
}

interface Waiter {
  caseId: string;
  /** The token is stored on the case: the execution is parked until a person or a timer moves it. */
  armed: boolean;
  resolve: (state: WorkflowState) => void;
}

const TASK_STATES = Object.entries(workflowDefinition().States)
  .filter(([, state]) => state.Type === 'Task')
  .map(([name]) => name);
const RETRY_INTERVAL_MS = 50;

/** The ARN the local definition carries where CloudFormation would put the task function's. */
const LOCAL_TASK_ARN = 'arn:aws:lambda:local:000000000000:function:zhuqi-workflow-task';

/**
 * The deployed definition, as the local runner must read it. Step Functions evaluates a task's
 * TimeoutSecondsPath against the state's input; aws-local-stepfunctions 3.0 evaluates it against
 * the input after Parameters, where the callback's wait sits under `Payload`. That path is the
 * only thing rewritten (test/unit/workflow-definition.test.ts holds it to that).
 */
export function localDefinition() {
  const definition = substitute(workflowDefinition(), {
    TaskFunctionArn: LOCAL_TASK_ARN,
    Partition: 'aws',
  }) as {
    States: Record<string, { TimeoutSecondsPath?: string }>;
  };
  for (const state of Object.values(definition.States)) {
    if (state.TimeoutSecondsPath === '$.waitSeconds') state.TimeoutSecondsPath = '$.Payload.waitSeconds';
  }
  return definition;
}

/**
 * Runs the workflow definition in this process with aws-local-stepfunctions, with the same task
 * handlers as the Lambda function. Executions live in memory; the case items hold everything
 * needed to resume them, which `resumeOpenCases` does on every start.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  private readonly machine = new StateMachine(localDefinition() as never);
  private readonly executions = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  private services: Services | undefined;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly observer?: (event: WorkflowEvent) => void,
    private readonly retryDelayMs = 30_000,
  ) {}

  /** The services the task handlers use (they include this engine, hence the late binding). */
  bind(services: Services): void {
    this.services = services;
  }

  async start(caseId: string, status: CaseStatus): Promise<void> {
    if (this.executions.has(caseId) || this.controller.signal.aborted || isTerminal(status)) return;
    const execution = this.machine.run(
      { caseId, status },
      {
        overrides: {
          taskResourceLocalHandlers: this.handlers as never,
          // In one process a failed task is a lost race on the case (retry at once) or a store that
          // is down (retrying for seconds will not help; the execution is resumed later instead).
          retryIntervalOverrides: Object.fromEntries(TASK_STATES.map((name) => [name, RETRY_INTERVAL_MS])),
        },
        // Step Functions hands every callback task a fresh token; the local runner needs to be given one.
        context: {
          Task: {
            get Token() {
              return randomBytes(24).toString('base64url');
            },
          },
        },
        noThrowOnAbort: true,
      },
    );
    if (this.observer) {
      const observe = this.observer;
      void (async () => {
        for await (const event of execution.eventLogs) {
          const state = 'state' in event ? event.state : undefined;
          observe({
            caseId,
            type: event.type,
            ...(state ? { state: state.name, output: state.output } : {}),
            ...('Error' in event ? { error: `${event.Error}: ${String(event.Cause)}` } : {}),
          });
        }
      })();
    }
    const done = execution.result.then(
      () => {
        this.executions.delete(caseId);
      },
      (error: unknown) => {
        this.executions.delete(caseId);
        this.logger.error('workflow execution failed; it will be resumed', { caseId, error: String(error) });
        void this.scheduler.sleep(this.retryDelayMs, this.controller.signal).then(() => this.resume(caseId));
      },
    );
    this.executions.set(caseId, { abort: execution.abort, done });
  }

  async wake(token: string, state: { caseId: string; status: CaseStatus }): Promise<void> {
    const waiter = this.waiters.get(token);
    if (!waiter) return; // a token from before a restart, or one already answered: nothing waits on it
    this.waiters.delete(token);
    waiter.resolve(state);
  }

  /** Starts an execution for every case that is not closed, at the phase its status names. */
  async resumeOpenCases(): Promise<number> {
    const services = this.bound();
    let count = 0;
    for (const status of OPEN_STATUSES) {
      for await (const record of services.cases.allByStatus(status)) {
        await this.start(record.id, record.status);
        count++;
      }
    }
    return count;
  }

  /** Whether an execution is running for the case (tests and the office's diagnostics). */
  isRunning(caseId: string): boolean {
    return this.executions.has(caseId);
  }

  /** Whether every running execution is parked at a callback, waiting for a person or a timer. */
  isQuiet(): boolean {
    const parked = new Set([...this.waiters.values()].filter((w) => w.armed).map((w) => w.caseId));
    return [...this.executions.keys()].every((caseId) => parked.has(caseId));
  }

  /** Stops every execution; their cases are resumed on the next start. */
  async stop(): Promise<void> {
    this.controller.abort();
    for (const { abort } of this.executions.values()) abort();
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
    // An aborted execution stops between states; a task already running finishes its write first.
    await Promise.allSettled([...this.inFlight]);
    this.waiters.clear();
  }

  /** Keeps a running task handler's promise until it settles, so that stop() can wait for it. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async resume(caseId: string) {
    const record = await this.bound().cases.get(caseId);
    if (record) await this.start(caseId, record.status);
  }

  private bound(): Services {
    if (!this.services) throw new Error('LocalWorkflowEngine used before bind(services)');
    return this.services;
  }

  /** The task handlers, one per Task state: built once, shared by every execution. */
  private readonly handlers = this.buildHandlers();

  private buildHandlers() {
    const handlers: Record<string, (input: never) => Promise<unknown>> = {};
    const definition = workflowDefinition();
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task') continue;
      if ((CALLBACK_STATES as readonly string[]).includes(name)) {
        handlers[name] = (input: { Payload: TaskInput }) => this.awaitCallback(input.Payload);
      } else {
        handlers[name] = (input: TaskInput) =>
          this.track(workflowTasks[input.task as keyof typeof workflowTasks](this.bound(), input));
      }
    }
    return handlers;
  }

  /** A `.waitForTaskToken` task: resolves when woken with the token, or fails with States.Timeout. */
  private async awaitCallback(input: TaskInput): Promise<WorkflowState> {
    const token = input.token!;
    const waiter: Waiter = { caseId: input.caseId, armed: false, resolve: () => {} };
    const woken = new Promise<WorkflowState>((resolve) => {
      waiter.resolve = resolve;
    });
    this.waiters.set(token, waiter);
    try {
      await this.track(awaitAnswer(this.bound(), input));
      waiter.armed = true;
    } catch (error) {
      this.waiters.delete(token);
      throw error;
    }
    const timer = new AbortController();
    const onStop = () => timer.abort();
    this.controller.signal.addEventListener('abort', onStop, { once: true });
    try {
      return await Promise.race([
        woken,
        this.scheduler.sleep((input.waitSeconds ?? 1) * 1000, timer.signal).then(() => {
          // Stopping ends the sleep too; the execution is gone then, and the case resumes on the next start.
          if (this.controller.signal.aborted) return new Promise<never>(() => {});
          throw new StatesTimeout('the wait reached its supervision checkpoint');
        }),
      ]);
    } finally {
      timer.abort();
      this.controller.signal.removeEventListener('abort', onStop);
      this.waiters.delete(token);
    }
  }
}
