// Deadlines that fall due at the same instant: how late each notice reaches the outbox (issue
// target 5). Every case filed on one working day has its triage deadline at 24:00 China time of
// the next working day, so the bench files the cases, lets their earlier (yellow) checkpoints pass
// by moving its clock forward, then moves it to a few seconds before that common deadline and
// measures each red notice against it, in real milliseconds.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { consoleLogger } from '../shared/embedded/console-logger';
import type { Scheduler } from '../shared/embedded/local-workflow';
import { startRuntime } from '../shared/embedded/runtime';
import { keys } from '../shared/store/keys';
import { benchConfig, type Figure, fmt, load, pick, postFiling, until } from './support';

/** Real time plus an offset the bench can move forward; sleeps follow the move. */
class MovableClock implements Scheduler {
  private offset: number;
  private readonly sleeps = new Set<{ at: number; resolve: () => void; timer?: NodeJS.Timeout }>();

  constructor(start: number) {
    this.offset = start - Date.now();
  }

  now() {
    return new Date(Date.now() + this.offset);
  }

  moveTo(at: number) {
    this.offset = at - Date.now();
    for (const sleep of this.sleeps) this.arm(sleep);
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const sleep = {
        at: this.now().getTime() + ms,
        resolve: () => {
          clearTimeout(sleep.timer);
          this.sleeps.delete(sleep);
          resolve();
        },
      } as { at: number; resolve: () => void; timer?: NodeJS.Timeout };
      if (signal.aborted) return resolve();
      signal.addEventListener('abort', sleep.resolve, { once: true });
      this.sleeps.add(sleep);
      this.arm(sleep);
    });
  }

  private arm(sleep: { at: number; resolve: () => void; timer?: NodeJS.Timeout }) {
    clearTimeout(sleep.timer);
    sleep.timer = setTimeout(
      sleep.resolve,
      Math.min(2 ** 31 - 1, Math.max(0, sleep.at - this.now().getTime())),
    );
  }
}

const TUESDAY_10H = Date.parse('2026-12-01T02:00:00Z');
const WEDNESDAY_12H = Date.parse('2026-12-02T04:00:00Z');
/** Wednesday 24:00 China time: the triage deadline of every case filed on Tuesday. */
const DEADLINE = Date.parse('2026-12-02T16:00:00Z');

export async function timerFigures(): Promise<Figure[]> {
  const count = pick(200, 1_000);
  const lead = 5_000;
  const clock = new MovableClock(TUESDAY_10H);
  const runtime = await startRuntime({
    config: benchConfig(),
    port: 0,
    dataDir: undefined,
    clock,
    scheduler: clock,
    logger: consoleLogger({ silent: true }),
  });
  const settled = () =>
    until('every case parked again', async () => {
      const pending =
        (await runtime.queues.intake.pending()).length + (await runtime.queues.notices.pending()).length;
      return pending === 0 && runtime.engine.isQuiet() && runtime.engine.parkedCount >= count;
    });
  try {
    await load(32, { count }, (i) => postFiling(runtime.url, i, 'timers'));
    await settled();
    clock.moveTo(WEDNESDAY_12H); // every yellow warning is past: they fire now, out of the measurement
    const due = new Set<number>();
    await until(
      'every case waiting for its deadline',
      async () => {
        due.clear();
        for await (const record of runtime.services.cases.allByStatus('triage')) {
          due.add(Date.parse(record.wait?.dueAt ?? '0'));
        }
        // Every yellow warning issued and every case parked again, for its red checkpoint (the
        // deadline itself); how close to it the waits are armed is printed below.
        return (
          due.size > 0 &&
          [...due].every((at) => at >= DEADLINE) &&
          runtime.engine.isQuiet() &&
          runtime.engine.parkedCount >= count
        );
      },
      600_000,
      250,
    );
    await settled();
    clock.moveTo(DEADLINE - lead);
    // The probe shares the CPU with the runtime: it counts the notices the notifier has taken off
    // its queue (no store read) and reads the outbox once they are all through.
    const since = new Date(DEADLINE - lead).toISOString();
    const delivered = runtime.queues.notices.stats.acknowledged;
    await until(
      'a red notice of every case in the outbox',
      async () =>
        runtime.queues.notices.stats.acknowledged - delivered >= count &&
        new Set((await outbox(runtime, since)).map((e) => e.caseId)).size >= count,
      600_000,
      100,
    );
    const lateness = (await outbox(runtime, since))
      .map((e) => Date.parse(e.recordedAt) - DEADLINE)
      .sort((a, b) => a - b);
    const p = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(lateness.length * q))]!;
    const section = `timers, ${count} deadlines at one instant`;
    return [
      {
        section,
        figure: 'waits due at the deadline instant',
        value: String(count),
        baseline: `armed ${fmt(Math.min(...due) - DEADLINE)}–${fmt(Math.max(...due) - DEADLINE)} ms after it`,
      },
      { section, figure: 'notice recorded in the outbox, lateness p50', value: `${fmt(p(0.5))} ms` },
      {
        section,
        figure: 'notice recorded in the outbox, lateness p99',
        value: `${fmt(p(0.99))} ms`,
        goal: '≤ 1000 ms',
        met: p(0.99) <= 1000,
      },
      {
        section,
        figure: 'notice recorded in the outbox, lateness max',
        value: `${fmt(lateness.at(-1)!)} ms`,
      },
    ];
  } finally {
    await runtime.close();
  }
}

/** Every outbox entry recorded since `since` (ISO), paged (the office's list stops at 500). */
async function outbox(runtime: Awaited<ReturnType<typeof startRuntime>>, since: string) {
  const { db, tableName } = runtime.store;
  const entries: { id: string; caseId: string; recordedAt: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :outbox AND gsi1sk >= :since',
        ExpressionAttributeValues: { ':outbox': keys.outboxPartition, ':since': since },
        ExclusiveStartKey: start,
      }),
    );
    entries.push(...((page.Items ?? []) as { id: string; caseId: string; recordedAt: string }[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return entries;
}
