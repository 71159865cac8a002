// A burst of filings, then the background work it causes until the runtime is idle again
// (issue target 1: background work proportional to the work to do).
import { consoleLogger } from '../shared/embedded/console-logger';
import { startRuntime } from '../shared/embedded/runtime';
import { benchConfig, type Figure, fmt, load, pick, postFiling, until } from './support';

export async function intakeFigures(): Promise<Figure[]> {
  const filings = pick(1_000, 5_000);
  const runtime = await startRuntime({
    config: benchConfig(),
    port: 0,
    dataDir: undefined,
    logger: consoleLogger({ silent: true }),
    // The sweeper at its production pace would not run within a short burst; run it every second.
    sweepIntervalMs: 1_000,
  });
  try {
    const burst = await load(32, { count: filings }, (i) => postFiling(runtime.url, i, 'burst'));
    const idleAfterMs = await until('the runtime to be idle after the burst', async () => {
      const pending =
        (await runtime.queues.intake.pending()).length + (await runtime.queues.notices.pending()).length;
      return pending === 0 && runtime.engine.isQuiet() && runtime.engine.parkedCount >= filings;
    });
    const perFiling = runtime.queues.intake.stats.received / filings;
    const section = `intake burst, ${filings} filings`;
    return [
      {
        section,
        figure: 'filings accepted (32 clients)',
        value: `${fmt(burst.rps)} /s`,
        baseline: `${burst.errors} errors`,
      },
      {
        section,
        figure: 'intake messages processed per filing',
        value: fmt(perFiling, 3),
        goal: '≈ 1',
        met: perFiling <= 1.05,
      },
      {
        section,
        figure: 'from the last filing to idle (queues empty, all parked)',
        value: `${fmt(idleAfterMs / 1000, 1)} s`,
      },
      {
        section,
        figure: 'cases waiting for triage (parked waits)',
        value: String(runtime.engine.parkedCount),
      },
    ];
  } finally {
    await runtime.close();
  }
}
