import { createInterface } from 'node:readline';
import { ManualClock } from './manual-clock';
import type { Runtime } from './runtime';

/**
 * For tests only (`ZHUQI_TEST_CLOCK`, never set in production): a test that runs the embedded
 * runtime as a child process, to crash and restart it, hands the child its time. The clock stands
 * at the instant the variable names and moves only when the test writes `advance <ISO instant>` on
 * the child's standard input; the child steps to it timer by timer, letting the workflow settle
 * after each, and prints `clock <ISO instant> settled`. So no deadline depends on the real clock.
 */
export function testClockFromEnvironment(env: Record<string, string | undefined>): ManualClock | undefined {
  const start = env.ZHUQI_TEST_CLOCK;
  if (!start) return undefined;
  if (Number.isNaN(Date.parse(start))) throw new Error(`ZHUQI_TEST_CLOCK is not an instant: "${start}"`);
  return new ManualClock(start);
}

/** Follows `advance <instant>` lines on `input`; answers each on `print` once the runtime is settled. */
export function followTestClock(
  clock: ManualClock,
  runtime: Pick<Runtime, 'queues' | 'engine'>,
  input: NodeJS.ReadableStream,
  print: (line: string) => void,
): void {
  let moving = Promise.resolve();
  createInterface({ input }).on('line', (line) => {
    const [command, at] = line.trim().split(/\s+/);
    if (command !== 'advance' || !at || Number.isNaN(Date.parse(at))) return;
    moving = moving.then(async () => {
      await advanceTo(clock, runtime, new Date(at));
      print(`clock ${new Date(at).toISOString()} settled`);
    });
  });
}

/** Moves the clock to `at` timer by timer, letting the workflow run (and re-arm) after each one. */
export async function advanceTo(
  clock: ManualClock,
  runtime: Pick<Runtime, 'queues' | 'engine'>,
  at: Date,
): Promise<void> {
  await settle(runtime);
  const target = at.getTime();
  while (clock.now().getTime() < target) {
    const next = clock.nextTimerAt()?.getTime() ?? target;
    clock.advance(Math.max(0, Math.min(next, target) - clock.now().getTime()));
    await settle(runtime);
  }
}

/** Waits until every queue is drained and every execution is parked at a wait. */
export async function settle(runtime: Pick<Runtime, 'queues' | 'engine'>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let quietRounds = 0;
  while (quietRounds < 3) {
    if (Date.now() > deadline) throw new Error(`the runtime did not settle within ${withinMs} ms`);
    await runtime.queues.intake.drain();
    await runtime.queues.notices.drain();
    await new Promise((resolve) => setImmediate(resolve));
    const pending =
      (await runtime.queues.intake.pending()).length + (await runtime.queues.notices.pending()).length;
    quietRounds = runtime.engine.isQuiet() && pending === 0 ? quietRounds + 1 : 0;
    if (quietRounds === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
