// Throughput of the main routes and of filing, beside a bare Hono route and the raw store's write
// rate measured in the same run (issue targets 3 and 7).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { consoleLogger } from '../shared/embedded/console-logger';
import { startRuntime } from '../shared/embedded/runtime';
import { bareHono, benchConfig, type Figure, fmt, load, pick, postFiling, send, sendFiling } from './support';

const CLIENTS = 32;

export async function httpFigures(): Promise<Figure[]> {
  const ms = pick(3_000, 10_000);
  const bare = await bareHono();
  const runtime = await startRuntime({
    config: benchConfig(),
    port: 0,
    dataDir: undefined,
    logger: consoleLogger({ silent: true }),
  });
  try {
    const first = (await (await postFiling(runtime.url, -1, 'http')).json()) as { trackingUrl: string };
    const tracking = new URL(first.trackingUrl);
    const trackPage = `${runtime.url}${tracking.pathname}${tracking.search}`;
    const trackJson = `${runtime.url}${tracking.pathname.replace('/track/', '/api/v1/cases/')}${tracking.search}`;

    const baseline = await load(CLIENTS, { ms }, () => send(bare.url));
    const healthz = await load(CLIENTS, { ms }, () => send(`${runtime.url}/healthz`));
    const page = await load(CLIENTS, { ms }, () => send(trackPage));
    const json = await load(CLIENTS, { ms }, () => send(trackJson));
    const form = await load(CLIENTS, { ms }, () => send(`${runtime.url}/`));
    const filings = await load(CLIENTS, { ms }, (i) => sendFiling(runtime.url, i, 'http'));
    const store = await rawWrites(runtime, ms);

    const ratio = (rps: number) => `${fmt((rps / baseline.rps) * 100, 1)}%`;
    const base = `${fmt(baseline.rps)} req/s`;
    const section = `HTTP, ${CLIENTS} clients, ${ms / 1000} s each`;
    return [
      { section, figure: 'bare Hono JSON route (baseline)', value: `${fmt(baseline.rps)} req/s` },
      { section, figure: 'GET /healthz (whole app, middleware)', value: ratio(healthz.rps), baseline: base },
      {
        section,
        figure: 'GET /track/{caseNo}?k= (tracking page)',
        value: ratio(page.rps),
        baseline: base,
        goal: '≥ 25% of baseline',
        met: page.rps >= 0.25 * baseline.rps,
      },
      {
        section,
        figure: 'GET /api/v1/cases/{caseNo}?k= (tracking JSON)',
        value: ratio(json.rps),
        baseline: base,
      },
      { section, figure: 'GET / (filing form)', value: ratio(form.rps), baseline: base },
      { section, figure: 'raw store writes (PutItem, in process)', value: `${fmt(store.rps)} /s` },
      {
        section,
        figure: 'POST /api/v1/cases, workflow running (filings/s)',
        value: `${fmt(filings.rps)} /s`,
        baseline: `store ${fmt(store.rps)} /s; ${filings.errors} errors`,
        goal: '≥ 150 /s',
        met: filings.rps >= 150,
      },
      {
        section,
        figure: 'POST /api/v1/cases p99',
        value: `${fmt(filings.p99)} ms`,
        baseline: `bare p99 ${fmt(baseline.p99, 1)} ms`,
        goal: '≤ 100 ms',
        met: filings.p99 <= 100,
      },
    ];
  } finally {
    await runtime.close();
    await bare.close();
  }
}

/** The store alone: PutItem of a case-sized item through the runtime's own client, 32 at a time. */
async function rawWrites(runtime: Awaited<ReturnType<typeof startRuntime>>, ms: number) {
  const { db, tableName } = runtime.store;
  const body = 'x'.repeat(3000);
  let n = 0;
  const put = async () => {
    const i = n++;
    await db.send(
      new PutCommand({ TableName: tableName, Item: { pk: `BENCH#${i % 64}`, sk: String(i), body } }),
    );
    return { status: 204 };
  };
  return load(CLIENTS, { ms }, put);
}
