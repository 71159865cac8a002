import { randomBytes } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import type { FirstWait, Logger, WorkflowEngine } from '../app/ports';
import type { Services } from '../app/services';
import { awaitAnswer, executionInput, WAITS_WHILE, workflowTasks } from '../app/workflow-tasks';
import type { CaseRecord } from '../domain/case';
import { type CaseStatus, isTerminal, OPEN_STATUSES } from '../domain/case-state';
import type { CaseRepository } from '../store/case-repository';
import {
  CALLBACK_STATES,
  type CallbackState,
  substitute,
  TASK_TIMEOUT_SECONDS,
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

/**
 * How a callback task leaves its execution once its token is stored: the execution ends there and
 * the engine keeps only a small record of the wait (a park), so that a waiting case costs memory for
 * its record and one timer entry, never a live execution. The name matches no Retry or Catch of the
 * definition, so the execution ends at once.
 */
const PARKED = 'Zhuqi.Parked';
class ParkedError extends Error {
  override name = PARKED;
}

/** Every park throws one: without a stack trace, which nobody reads and V8 would capture each time. */
function parkedError(): ParkedError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new ParkedError('the case waits for a person or its next supervision checkpoint');
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** A callback wait with no execution behind it: woken by its token, or timed out by the engine's one timer. */
interface Park {
  caseId: string;
  token: string;
  state: CallbackState;
  /** The runtime clock's instant (ms) at which the wait times out (its supervision checkpoint). */
  dueAt: number;
  /** The callback state's input, handed on to its Catch when the wait times out. */
  input: WorkflowState;
}

/** A callback task between storing its token and parking: a wake that comes meanwhile is kept for it. */
interface Arming {
  caseId: string;
  woken?: WorkflowState;
}

const DEFINITION = workflowDefinition();
const TASK_STATES = Object.entries(DEFINITION.States)
  .filter(([, state]) => state.Type === 'Task')
  .map(([name]) => name);
const RETRY_INTERVAL_MS = 50;
/**
 * Waits timed out together (every deadline ends at 24:00) run this many at a time up to their next
 * callback: run all at once, they would share the CPU evenly and every notice would come out at the
 * end; a few at a time, the first notices are out at once and the last no later. Their callbacks'
 * storing calls, which only arm the next wait, wait until every due wait has got that far (see
 * `noticesFirst`).
 */
const TIMEOUT_CONCURRENCY = 16;

/** Where each callback state goes on with an answer (Next) and when its wait times out (its Catch). */
const CONTINUATIONS = Object.fromEntries(
  CALLBACK_STATES.map((name) => {
    const state = DEFINITION.States[name] as { Next: string; Catch: { Next: string }[] };
    return [name, { answered: state.Next, timedOut: state.Catch[0]!.Next }];
  }),
) as Record<CallbackState, { answered: string; timedOut: string }>;

/** The ARN the local definition carries where CloudFormation would put the task function's. */
const LOCAL_TASK_ARN = 'arn:aws:lambda:local:000000000000:function:zhuqi-workflow-task';

/**
 * The deployed definition, as the local runner must read it. On AWS a callback's wait times out at
 * its TimeoutSecondsPath; here the engine keeps that wait itself (a park, see below), so the local
 * runner must not time the callback task out on its own clock: it only gives the task the time any
 * task has to store its token. That timeout is the only thing changed
 * (test/unit/workflow-definition.test.ts holds it to that).
 */
export function localDefinition() {
  const definition = substitute(workflowDefinition(), {
    TaskFunctionArn: LOCAL_TASK_ARN,
    Partition: 'aws',
  }) as {
    StartAt: string;
    States: Record<string, { TimeoutSecondsPath?: string; TimeoutSeconds?: number }>;
  };
  for (const name of CALLBACK_STATES) {
    const state = definition.States[name]!;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = TASK_TIMEOUT_SECONDS;
  }
  return definition;
}

/**
 * Runs the workflow definition in this process with aws-local-stepfunctions, with the same task
 * handlers as the Lambda function.
 *
 * A case waiting for a person holds no execution: its callback task stores the token on the case,
 * the engine records the wait (token, callback state, due time) and the execution ends. An answer
 * (`wake`) or the wait's timeout, kept by one process-wide timer, runs the same definition on from
 * the state Step Functions would go to next — the callback's Next, or its Catch. So a waiting case
 * costs its record and a timer entry, whatever the number of open cases. The case items hold
 * everything needed to rebuild the waits, which `resumeOpenCases` does on every start.
 */
export class LocalWorkflowEngine implements WorkflowEngine {
  /** The one definition, once per entry point: its start, and the states after each callback. */
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, { abort: () => void; done: Promise<void> }>();
  private readonly arming = new Map<string, Arming>();
  private readonly parks = new Map<string, Park>();
  private readonly parkByToken = new Map<string, string>();
  private readonly timers = new TimerHeap();
  /** The exact instant the last task of each running execution rounded its `waitSeconds` up from. */
  private readonly wakeAt = new Map<string, { wakeAt: string; waitSeconds: number }>();
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Ends the timer's current sleep when a wait due earlier arrives (or the engine stops). */
  private sleeping: { until: number; controller: AbortController } | undefined;
  private timerLoop: Promise<void> | undefined;
  private resuming = false;
  private services: Services | undefined;
  /** The services the tasks get: the same, with the case repository that hands records on (below). */
  private taskServices: Services | undefined;
  /** The record each running execution last read or stored, for the next read of its next step. */
  private readonly handedOn = new Map<string, CaseRecord>();
  /** Executions of timed-out waits that have not reached their next callback: called when they do. */
  private readonly supervising = new Map<string, () => void>();
  /** Callbacks holding back their storing call until a burst of timeouts has issued its notices. */
  private afterBurst: (() => void)[] = [];

  constructor(
    private readonly scheduler: Scheduler,
    private readonly logger: Logger,
    private readonly observer?: (event: WorkflowEvent) => void,
    private readonly retryDelayMs = 30_000,
  ) {
    const definition = localDefinition();
    const entries = new Set([
      definition.StartAt,
      ...Object.values(CONTINUATIONS).flatMap((c) => [c.answered, c.timedOut]),
    ]);
    for (const entry of entries) {
      // Not validated again at every start (a second of JSON-schema compiling before the server
      // serves): test/unit/workflow-definition.test.ts validates the definition, and Step Functions
      // validates it on deploy.
      this.machines.set(
        entry,
        new StateMachine({ ...definition, StartAt: entry } as never, {
          validationOptions: { noValidate: true },
        }),
      );
    }
  }

  /** The services the task handlers use (they include this engine, hence the late binding). */
  bind(services: Services): void {
    this.services = services;
    this.taskServices = { ...services, cases: this.handingOn(services.cases) };
  }

  /**
   * The services for taking a filed case to its workflow (the intake queue's handler): its read of
   * the case is handed on to the execution it starts.
   */
  get intakeServices(): Services {
    return this.boundTasks();
  }

  /**
   * The case repository as the steps of an execution see it: a step's read gets the record the step
   * before it read or stored, instead of reading it again (once; the next read goes to the store).
   * In one process nothing can tell the two apart but a write made in between, and every write of
   * a task is conditional on the version it read: a write made in between turns the task's write
   * into a CaseConflictError, which the definition retries with a fresh read. The records are
   * dropped when the execution parks or ends.
   */
  private handingOn(cases: CaseRepository): CaseRepository {
    const handedOn = this.handedOn;
    const view = Object.create(cases) as CaseRepository;
    view.get = async (id) => {
      const record = handedOn.get(id);
      if (record) {
        handedOn.delete(id);
        return record;
      }
      const read = await cases.get(id);
      if (read) handedOn.set(id, read);
      return read;
    };
    view.save = async (next) => {
      handedOn.delete(next.id);
      const stored = await cases.save(next);
      handedOn.set(stored.id, stored);
      return stored;
    };
    return view;
  }

  async start(caseId: string, status: CaseStatus, first?: FirstWait): Promise<void> {
    if (this.isRunning(caseId) || isTerminal(status)) {
      if (!this.executions.has(caseId)) this.handedOn.delete(caseId); // read for nothing
      return;
    }
    if (!first) {
      const record = await this.bound().cases.get(caseId);
      if (!record) return;
      first = executionInput(this.bound(), record);
      if (this.isRunning(caseId)) return;
    }
    const { waitSeconds, wakeAt } = first;
    this.run(caseId, DEFINITION.StartAt, { caseId, status, waitSeconds, ...(wakeAt ? { wakeAt } : {}) });
  }

  async wake(token: string, state: WorkflowState & { status: CaseStatus }): Promise<void> {
    const arming = this.arming.get(token);
    if (arming) {
      arming.woken = state; // the callback task is still storing its token: it goes on with this answer
      return;
    }
    const caseId = this.parkByToken.get(token);
    const park = caseId ? this.parks.get(caseId) : undefined;
    if (park) {
      this.unpark(park);
      this.run(park.caseId, CONTINUATIONS[park.state].answered, { ...state });
      return;
    }
    // A token from before a restart, or one already answered: nothing waits on it. While the waits
    // are being rebuilt after a start, the case may not have been reached yet: start it instead.
    if (this.resuming && !this.isRunning(state.caseId)) {
      await this.start(state.caseId, state.status);
    }
  }

  /**
   * Rebuilds the waits of every case that is not closed: a case parked at a callback whose state
   * still waits gets its wait back (same token, same due time), without running anything; any other
   * open case starts an execution at the phase its status names.
   */
  async resumeOpenCases(): Promise<number> {
    const services = this.bound();
    this.resuming = true;
    let count = 0;
    try {
      for (const status of OPEN_STATUSES) {
        for await (const listed of services.cases.allByStatus(status)) {
          if (this.controller.signal.aborted) return count;
          if (this.isRunning(listed.id)) continue;
          // The index's copy may lag the case (a write cut short by a crash): decide on the case itself.
          const record = await services.cases.get(listed.id);
          if (!record || isTerminal(record.status) || this.isRunning(record.id)) continue;
          const wait = record.wait;
          const state = wait?.state as CallbackState | undefined;
          // A case with a notice not yet handed to the notifier (a crash right after its write) runs
          // on instead, so that its wait's storing call dispatches it.
          const dispatched = record.notices.every((n) => n.queuedAt);
          if (wait?.dueAt && state && WAITS_WHILE[state]?.includes(record.status) && dispatched) {
            this.park({
              caseId: record.id,
              token: wait.token,
              state,
              dueAt: Date.parse(wait.dueAt),
              input: { caseId: record.id, status: record.status },
            });
          } else {
            await this.start(record.id, record.status, executionInput(services, record));
          }
          count++;
        }
      }
      return count;
    } finally {
      this.resuming = false;
    }
  }

  /** Whether the case's workflow is alive: an execution running, or a wait parked. */
  isRunning(caseId: string): boolean {
    return this.executions.has(caseId) || this.parks.has(caseId);
  }

  /** Whether nothing runs: every open case is parked at a wait, for a person or a timer. */
  isQuiet(): boolean {
    return this.executions.size === 0;
  }

  /** How many waits are parked (benchmarks and diagnostics). */
  get parkedCount(): number {
    return this.parks.size;
  }

  /** Resolves when the case's current execution has ended or parked (at once when none runs). */
  async settled(caseId: string): Promise<void> {
    await this.executions.get(caseId)?.done;
  }

  /** Stops every execution and the timer; their cases are resumed on the next start. */
  async stop(): Promise<void> {
    this.controller.abort();
    this.endBurstIfOver();
    this.sleeping?.controller.abort();
    for (const { abort } of this.executions.values()) abort();
    await Promise.allSettled([...this.executions.values()].map((e) => e.done));
    // An aborted execution stops between states; a task already running finishes its write first.
    await Promise.allSettled([...this.inFlight]);
    await this.timerLoop;
    this.parks.clear();
    this.parkByToken.clear();
    this.arming.clear();
  }

  /** Keeps the instant a state's `waitSeconds` was rounded up from, for the callback that follows. */
  private rememberWakeAt(caseId: string, state: WorkflowState) {
    if (state.wakeAt && state.waitSeconds !== undefined) {
      this.wakeAt.set(caseId, { wakeAt: state.wakeAt, waitSeconds: state.waitSeconds });
    } else this.wakeAt.delete(caseId);
  }

  /** Runs the definition from `entry` (its start, or the state after a callback) for one case. */
  private run(caseId: string, entry: string, input: WorkflowState & Record<string, unknown>) {
    if (this.controller.signal.aborted) return;
    // A start or an answer hands on the instant too: the wait that follows is timed by it.
    this.rememberWakeAt(caseId, input);
    const machine = this.machines.get(entry)!;
    const execution = machine.run(input as never, {
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
    });
    if (this.observer) this.observe(caseId, execution.eventLogs);
    const entryRecord: { abort: () => void; done: Promise<void> } = {
      abort: execution.abort,
      done: execution.result.then(
        () => this.finished(caseId, entryRecord),
        (error: unknown): void => {
          this.finished(caseId, entryRecord);
          if (isParked(error)) return;
          this.logger.error('workflow execution failed; it will be resumed', {
            caseId,
            error: String(error),
          });
          void this.scheduler
            .sleep(this.retryDelayMs, this.controller.signal)
            .then(() => this.resume(caseId));
        },
      ),
    };
    this.executions.set(caseId, entryRecord);
  }

  private finished(caseId: string, execution: { abort: () => void }) {
    if (this.executions.get(caseId) !== execution) return;
    this.executions.delete(caseId);
    this.handedOn.delete(caseId);
    this.reachedCallback(caseId);
  }

  /** A timed-out wait's execution got past its supervision step (or ended). */
  private reachedCallback(caseId: string) {
    const reached = this.supervising.get(caseId);
    if (!reached) return;
    this.supervising.delete(caseId);
    reached();
    this.endBurstIfOver();
  }

  /**
   * Whether waits timed out and not yet past their supervision step remain: the timed-out
   * executions still before their callback, or waits already due that have not started.
   */
  private inBurst(): boolean {
    if (this.supervising.size > 0) return true;
    const next = this.timers.peek((park) => this.parks.get(park.caseId) === park);
    return next !== undefined && next.dueAt <= this.bound().clock.now().getTime();
  }

  private endBurstIfOver() {
    if (this.afterBurst.length === 0 || (this.inBurst() && !this.controller.signal.aborted)) return;
    const waiting = this.afterBurst;
    this.afterBurst = [];
    for (const go of waiting) go();
  }

  /**
   * During a burst of timeouts (every deadline ends at 24:00), a callback's storing call — which
   * arms the next wait, nothing anyone waits for — goes after every due wait has issued its notices:
   * the notices are out in the time the supervision steps take, not the time of every step.
   */
  private noticesFirst(): Promise<void> | undefined {
    if (!this.inBurst() || this.controller.signal.aborted) return undefined;
    return new Promise((resolve) => this.afterBurst.push(resolve));
  }

  private observe(caseId: string, events: AsyncIterable<unknown>) {
    const observe = this.observer!;
    void (async () => {
      for await (const raw of events) {
        const event = raw as {
          type: string;
          state?: { name: string; output?: unknown };
          Error?: string;
          Cause?: unknown;
        };
        if (event.type === 'ExecutionFailed' && event.Error === PARKED) {
          observe({ caseId, type: 'ExecutionParked' });
          continue;
        }
        observe({
          caseId,
          type: event.type,
          ...(event.state ? { state: event.state.name, output: event.state.output } : {}),
          ...(event.Error ? { error: `${event.Error}: ${String(event.Cause)}` } : {}),
        });
      }
    })();
  }

  private park(park: Park) {
    this.handedOn.delete(park.caseId);
    this.parks.set(park.caseId, park);
    this.parkByToken.set(park.token, park.caseId);
    this.timers.push(park);
    if (!this.sleeping || park.dueAt < this.sleeping.until) this.sleeping?.controller.abort();
    this.timerLoop ??= this.keepTime();
  }

  private unpark(park: Park) {
    this.handedOn.delete(park.caseId);
    this.parks.delete(park.caseId);
    this.parkByToken.delete(park.token);
  }

  /**
   * The one timer of the engine: sleeps until the earliest parked wait is due, then runs each due
   * wait on from its callback's Catch, as a Step Functions task timeout would.
   */
  private async keepTime() {
    const clock = this.bound().clock;
    const running = new Set<Promise<void>>();
    while (!this.controller.signal.aborted) {
      const next = this.timers.peek((park) => this.parks.get(park.caseId) === park);
      const now = clock.now().getTime();
      if (next && next.dueAt <= now) {
        if (running.size >= TIMEOUT_CONCURRENCY) {
          await Promise.race(running);
          continue; // the wait may have been answered meanwhile
        }
        this.timers.pop();
        this.unpark(next);
        const reached = new Promise<void>((resolve) => this.supervising.set(next.caseId, resolve));
        this.run(next.caseId, CONTINUATIONS[next.state].timedOut, {
          ...next.input,
          timedOut: { Error: 'States.Timeout', Cause: 'the wait reached its supervision checkpoint' },
        });
        if (!this.executions.has(next.caseId)) this.reachedCallback(next.caseId);
        const done = reached;
        running.add(done);
        void done.finally(() => running.delete(done));
        continue;
      }
      this.endBurstIfOver(); // nothing more due now
      const controller = new AbortController();
      const stop = () => controller.abort();
      this.controller.signal.addEventListener('abort', stop, { once: true });
      this.sleeping = { until: next?.dueAt ?? Number.POSITIVE_INFINITY, controller };
      try {
        if (next) await this.scheduler.sleep(next.dueAt - now, controller.signal);
        else
          await new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve()));
      } finally {
        this.sleeping = undefined;
        this.controller.signal.removeEventListener('abort', stop);
      }
    }
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

  private boundTasks(): Services {
    if (!this.taskServices) throw new Error('LocalWorkflowEngine used before bind(services)');
    return this.taskServices;
  }

  /** The task handlers, one per Task state: built once, shared by every execution. */
  private readonly handlers = this.buildHandlers();

  private buildHandlers() {
    const handlers: Record<string, (input: never) => Promise<unknown>> = {};
    for (const [name, state] of Object.entries(DEFINITION.States)) {
      if (state.Type !== 'Task') continue;
      if ((CALLBACK_STATES as readonly string[]).includes(name)) {
        handlers[name] = (input: { Payload: TaskInput }) => this.awaitCallback(input.Payload);
      } else {
        handlers[name] = async (input: TaskInput) => {
          const output = await this.track(
            workflowTasks[input.task as keyof typeof workflowTasks](this.boundTasks(), input),
          );
          // The callback that follows gets the instant, not only the whole seconds (see awaitCallback).
          this.rememberWakeAt(input.caseId, output);
          return output;
        };
      }
    }
    return handlers;
  }

  /**
   * A `.waitForTaskToken` task: stores the token on the case, then either goes on at once (the case
   * moved on meanwhile) or parks the wait and ends the execution (see ParkedError).
   */
  private async awaitCallback(payload: TaskInput): Promise<WorkflowState> {
    const token = payload.token!;
    // A wait times out at the instant its checkpoint falls due, as the task before computed it; the
    // whole seconds Step Functions needs would make it up to a second late, plus the time since.
    const exact = this.wakeAt.get(payload.caseId);
    this.wakeAt.delete(payload.caseId);
    const input =
      exact && exact.waitSeconds === payload.waitSeconds ? { ...payload, wakeAt: exact.wakeAt } : payload;
    const arming: Arming = { caseId: input.caseId };
    this.arming.set(token, arming);
    this.reachedCallback(input.caseId);
    let status: CaseStatus;
    try {
      await this.noticesFirst();
      if (this.controller.signal.aborted) return new Promise<never>(() => {});
      status = await this.track(awaitAnswer(this.boundTasks(), input));
    } finally {
      this.arming.delete(token);
    }
    if (arming.woken) {
      this.rememberWakeAt(input.caseId, arming.woken);
      return arming.woken;
    }
    if (this.controller.signal.aborted) return new Promise<never>(() => {});
    this.park({
      caseId: input.caseId,
      token,
      state: input.state!,
      dueAt: input.wakeAt
        ? Date.parse(input.wakeAt)
        : this.bound().clock.now().getTime() + (input.waitSeconds ?? 1) * 1000,
      input: { caseId: input.caseId, status, waitSeconds: input.waitSeconds ?? 1 },
    });
    throw parkedError();
  }
}

function isParked(error: unknown): boolean {
  const cause = (error as { cause?: unknown })?.cause ?? error;
  return (cause as Error)?.name === PARKED;
}

/** A binary min-heap of parked waits by due time; entries of waits already gone are skipped lazily. */
class TimerHeap {
  private readonly items: Park[] = [];

  push(park: Park) {
    const items = this.items;
    items.push(park);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.dueAt <= items[i]!.dueAt) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }

  /** The earliest entry that is still `live`, dropping stale ones on the way. */
  peek(live: (park: Park) => boolean): Park | undefined {
    while (this.items.length > 0 && !live(this.items[0]!)) this.pop();
    return this.items[0];
  }

  pop(): Park | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && items[left]!.dueAt < items[smallest]!.dueAt) smallest = left;
        if (right < items.length && items[right]!.dueAt < items[smallest]!.dueAt) smallest = right;
        if (smallest === i) break;
        [items[smallest], items[i]] = [items[i]!, items[smallest]!];
        i = smallest;
      }
    }
    return top;
  }
}
