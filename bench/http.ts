// Throughput of the main routes and of filing, beside a bare Hono route and the raw store's write
// rate measured in the same run (issue targets 3 and 7). The runtime and the bare route each run in
// a Node process of their own, as `npm start` runs the server; the load generator is this process.
import {
  childEvent,
  type Figure,
  fmt,
  type Load,
  load,
  pick,
  postFiling,
  send,
  sendFiling,
  startChild,
  until,
} from './support';

const CLIENTS = 32;
/** Requests to each read route before its measured window. */
const WARM_UP = 2_000;

export async function httpFigures(): Promise<Figure[]> {
  const ms = pick(3_000, 10_000);
  const bare = startChild('bench/bare-hono-child.ts');
  const runtime = startChild('bench/runtime-child.ts');
  try {
    const served = (child: typeof bare) => childEvent<{ url: string }>(child, 'ready')?.url;
    await until('both servers to serve', () => Boolean(served(bare) && served(runtime)), 60_000);
    const bareUrl = served(bare)!;
    const url = served(runtime)!;
    const idle = () => runtime.ask<{ idle: boolean; cpuMs: number }>('idle', 'idle');

    const first = (await (await postFiling(url, -1, 'http')).json()) as { trackingUrl: string };
    const tracking = new URL(first.trackingUrl);
    const trackPage = `${url}${tracking.pathname}${tracking.search}`;
    const trackJson = `${url}${tracking.pathname.replace('/track/', '/api/v1/cases/')}${tracking.search}`;

    // Each read is measured warm, as a server that has been answering: its first requests load the
    // route's modules (compiled by tsx in the runtime) and run before V8 has optimised them.
    const warm = async (request: () => ReturnType<typeof send>) => {
      await load(CLIENTS, { count: WARM_UP }, request);
      return load(CLIENTS, { ms }, request);
    };
    const baseline = await warm(() => send(bareUrl));
    const healthz = await warm(() => send(`${url}/healthz`));
    const page = await warm(() => send(trackPage));
    const json = await warm(() => send(trackJson));
    const form = await warm(() => send(`${url}/`));
    const before = await idle();
    const filings = await load(CLIENTS, { ms }, (i) => sendFiling(url, i, 'http'));
    // The workflow of the last filings may still run: the CPU time counts it too.
    await until('the filings to reach their first wait', async () => (await idle()).idle, 600_000, 100);
    const cpuPerFiling = ((await idle()).cpuMs - before.cpuMs) / filings.count;
    const store = await runtime.ask<Load>(`writes ${ms}`, 'writes', ms + 60_000);

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
      {
        section,
        figure: 'POST /api/v1/cases CPU time of the runtime per filing',
        value: `${fmt(cpuPerFiling, 2)} ms`,
        baseline: 'its workflow to the first wait included',
      },
    ];
  } finally {
    bare.process.kill('SIGKILL');
    runtime.process.kill('SIGKILL');
  }
}
