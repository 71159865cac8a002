// Deadlines that fall due at the same instant: how late each notice reaches the outbox
// (issue target 5). Every triage clock of cases filed on one working day has its yellow
// checkpoint at the end of that day, so the bench sets the runtime's clock to a few seconds
// before 24:00 China time and files the cases then.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { parseConfig } from '../shared/config/config';
import { consoleLogger } from '../shared/embedded/console-logger';
import { startRuntime } from '../shared/embedded/runtime';
import { keys } from '../shared/store/keys';
import { type Figure, fmt, load, pick, postFiling, until } from './support';

export async function timerFigures(): Promise<Figure[]> {
  const count = pick(200, 1_000);
  const lead = pick(15_000, 30_000);
  // Tuesday 1 December 2026, 24:00 China time, less the lead: real milliseconds from here on.
  const instant = Date.parse('2026-12-01T16:00:00Z');
  const offset = instant - lead - Date.now();
  const clock = { now: () => new Date(Date.now() + offset) };
  const runtime = await startRuntime({
    config: parseConfig({}),
    port: 0,
    dataDir: undefined,
    clock,
    logger: consoleLogger({ silent: true }),
  });
  try {
    const filed = await load(32, { count }, (i) => postFiling(runtime.url, i, 'timers'));
    await until('every case parked', () => runtime.engine.parkedCount >= count && runtime.engine.isQuiet());
    const ids: string[] = [];
    for await (const record of runtime.services.cases.allByStatus('triage')) ids.push(record.id);
    const due = new Map<string, number>();
    for (const id of ids) {
      const record = await runtime.services.cases.get(id);
      due.set(id, Date.parse(record!.wait!.dueAt!));
    }
    const distinct = new Set(due.values());
    const last = Math.max(...due.values());
    await until('the due instant', () => clock.now().getTime() > last, lead + 60_000);
    const lateness: number[] = [];
    await until('a notice of every case in the outbox', async () => {
      lateness.length = 0;
      const seen = new Set<string>();
      // The outbox lists newest first; page through everything recorded since the instant.
      for (const entry of await allOutbox(runtime)) {
        const dueAt = due.get(entry.caseId);
        if (dueAt === undefined || seen.has(entry.caseId) || Date.parse(entry.recordedAt) < dueAt) continue;
        seen.add(entry.caseId);
        lateness.push(Date.parse(entry.recordedAt) - dueAt);
      }
      return seen.size >= ids.length;
    });
    lateness.sort((a, b) => a - b);
    const p = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(lateness.length * q))]!;
    const section = `timers, ${count} deadlines at one instant`;
    return [
      {
        section,
        figure: 'filed before the instant',
        value: `${filed.count}`,
        baseline: `${distinct.size} distinct due instant(s)`,
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

/** Every outbox entry, paged (the office's list stops at 500). */
async function allOutbox(runtime: Awaited<ReturnType<typeof startRuntime>>) {
  const { db, tableName } = runtime.store;
  const entries: { caseId: string; recordedAt: string }[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :outbox',
        ExpressionAttributeValues: { ':outbox': keys.outboxPartition },
        ExclusiveStartKey: start,
      }),
    );
    entries.push(...((page.Items ?? []) as { caseId: string; recordedAt: string }[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return entries;
}
