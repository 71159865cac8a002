// `npm run bench`: requests per second of the main routes on the embedded runtime, next to a bare
// Hono route served the same way in the same run (the baseline), so the numbers compare across machines.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { parseConfig } = await import('../shared/config/config');
const { consoleLogger } = await import('../shared/embedded/console-logger');
const { startRuntime } = await import('../shared/embedded/runtime');

const CONCURRENCY = 16;
const DURATION_MS = Number(process.env.BENCH_MS ?? 4000);

/** Runs `request` from CONCURRENCY loops for DURATION_MS; returns requests per second and the p99 latency. */
async function measure(name: string, request: (i: number) => Promise<Response>) {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const started = performance.now();
        const response = await request(i++);
        await response.arrayBuffer();
        if (response.status >= 400) errors++;
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const rps = latencies.length / (DURATION_MS / 1000);
  const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0;
  return { name, rps, p99, errors };
}

const baseline = new Hono().get('/json', (c) => c.json({ status: 'ok' }));
const bare = createAdaptorServer({ fetch: baseline.fetch });
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;

const runtime = await startRuntime({
  config: parseConfig({}),
  port: 0,
  dataDir: undefined,
  logger: consoleLogger({ silent: true }),
});

const filing = (i: number) => ({
  enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
  contact: { name: '王丽', mobile: '13812345678' },
  category: 'utilities',
  title: `基准测试问题 ${i}`,
  description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
});
const first = (await (
  await fetch(`${runtime.url}/api/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(filing(-1)),
  })
).json()) as { trackingUrl: string };
const trackPath =
  new URL(first.trackingUrl).pathname.replace('/track/', '/api/v1/cases/') +
  new URL(first.trackingUrl).search;

const results = [
  await measure('baseline: bare Hono JSON route', () => fetch(`${bareUrl}/json`)),
  await measure('GET /healthz (whole app, middleware)', () => fetch(`${runtime.url}/healthz`)),
  await measure('GET /api/v1/cases/{caseNo}?k= (tracking, one Query)', () =>
    fetch(`${runtime.url}${trackPath}`),
  ),
  await measure('GET / (filing form page)', () => fetch(`${runtime.url}/`)),
  await measure('POST /api/v1/cases (validate, counter, conditional put, queue)', (i) =>
    fetch(`${runtime.url}/api/v1/cases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `bench-${Date.now()}-${i}` },
      body: JSON.stringify(filing(i)),
    }),
  ),
];

const base = results[0]!.rps;
console.log(
  `\n${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s each, loopback, ${new Date().toISOString()}\n`,
);
console.log(
  'route'.padEnd(66),
  'req/s'.padStart(9),
  'vs baseline'.padStart(12),
  'p99 ms'.padStart(8),
  'errors'.padStart(7),
);
for (const r of results) {
  console.log(
    r.name.padEnd(66),
    r.rps.toFixed(0).padStart(9),
    `${((r.rps / base) * 100).toFixed(1)}%`.padStart(12),
    r.p99.toFixed(1).padStart(8),
    String(r.errors).padStart(7),
  );
}

await runtime.close();
bare.close();
