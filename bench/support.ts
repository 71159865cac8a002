// Shared pieces of `npm run bench`: a closed-loop load generator, the bare Hono baseline, the mode.
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { parseConfig } from '../shared/config/config';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** `npm run bench` is the short run; `npm run bench -- --full` the one recorded in docs/performance.md. */
export const FULL = process.argv.includes('--full');
export const pick = <T>(short: T, full: T): T => (FULL ? full : short);

export interface Load {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  count: number;
  errors: number;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

/** An answer whose body has been read (see `send`), or a fetch Response, whose body `load` reads. */
type Answer = { status: number; arrayBuffer?: () => Promise<unknown> };

/** Runs `request` from `clients` loops, each sending its next request when the last is answered. */
export async function load(
  clients: number,
  limit: { ms?: number; count?: number },
  request: (i: number) => Promise<Answer>,
): Promise<Load> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const end = started + (limit.ms ?? Number.POSITIVE_INFINITY);
  const max = limit.count ?? Number.POSITIVE_INFINITY;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end && next < max) {
        const i = next++;
        const t = performance.now();
        const response = await request(i);
        await response.arrayBuffer?.();
        if (response.status >= 400) errors++;
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5),
    p95: quantile(latencies, 0.95),
    p99: quantile(latencies, 0.99),
    count: latencies.length,
    errors,
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * One request as a browser sends it (`Accept-Encoding: gzip, deflate`), on a kept-alive connection,
 * its body read as bytes and not inflated: the load generator shares the process with the server,
 * so it should pay for as little client work as it can (fetch inflates every compressed page).
 */
export function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        agent,
        method: init.method ?? 'GET',
        headers: { 'Accept-Encoding': 'gzip, deflate', ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The baseline of every HTTP figure: a bare Hono JSON route on @hono/node-server, in this process. */
export async function bareHono() {
  const app = new Hono().get('/json', (c) => c.json({ status: 'ok' }));
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/json`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A bench script run in a Node process of its own, as `npm start` runs the runtime: the JSON lines it prints. */
export interface Child {
  process: ChildProcess;
  spawnedAt: number;
  events: Record<string, unknown>[];
  /** Sends a command line and waits for the next event of that name. */
  ask<T>(command: string, event: string, timeoutMs?: number): Promise<T>;
}

export function startChild(script: string, args: string[] = [], nodeOptions: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeOptions, '--import', 'tsx', resolve(script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const events: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('{')) events.push(JSON.parse(line));
  });
  const count = (event: string) => events.filter((e) => e.event === event).length;
  return {
    process: child,
    spawnedAt: performance.now(),
    events,
    async ask<T>(command: string, event: string, timeoutMs = 10_000) {
      const before = count(event);
      child.stdin!.write(`${command}\n`);
      await until(`the child to answer ${command}`, () => count(event) > before, timeoutMs);
      return events.filter((e) => e.event === event).at(-1) as T;
    },
  };
}

/** The first event of that name a child printed. */
export const childEvent = <T = Record<string, unknown>>(child: Child, event: string) =>
  child.events.find((e) => e.event === event) as T | undefined;

/** One line of the summary: a figure, its baseline from the same run, and the goal it is held to. */
export interface Figure {
  section: string;
  figure: string;
  value: string;
  baseline?: string;
  goal?: string;
  met?: boolean;
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits);

export function printFigures(figures: Figure[]) {
  const widths = [40, 62, 14, 34, 26];
  const row = (cells: string[]) =>
    console.log(
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join(' ')
        .trimEnd(),
    );
  row(['section', 'figure', 'value', 'baseline (same run)', 'goal']);
  row(widths.map((w) => '-'.repeat(w)));
  for (const f of figures) {
    row([
      f.section,
      f.figure,
      f.value,
      f.baseline ?? '',
      f.goal ? `${f.goal}${f.met === undefined ? '' : f.met ? '  met' : '  NOT met'}` : '',
    ]);
  }
}

/** A filing with a distinct title per index (the API takes the same body on one day as one case). */
export function filing(i: number) {
  return {
    enterprise: { name: '鄢陵县鼎恒纺织有限公司', creditCode: '91350100M000100Y43', township: 'anling' },
    contact: { name: '王丽', mobile: '13812345678' },
    category: 'utilities',
    title: `基准测试问题 ${i}`,
    description: '新厂房年初建成，用电增容申请已提交两个月，至今没有答复，影响投产。',
  };
}

/** A filing through `send`, for the throughput figures. */
export const sendFiling = (base: string, i: number, tag = 'bench') =>
  send(`${base}/api/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `${tag}-${process.pid}-${i}` },
    body: JSON.stringify(filing(i)),
  });

export const postFiling = (base: string, i: number, tag = 'bench') =>
  fetch(`${base}/api/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `${tag}-${process.pid}-${i}` },
    body: JSON.stringify(filing(i)),
  });

/**
 * Polls `probe` every `intervalMs` until it is true, at most `timeoutMs`; returns the milliseconds it
 * took. A probe that reads much should poll seldom: it shares the CPU with what it watches.
 */
export async function until(
  what: string,
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 600_000,
  intervalMs = 20,
) {
  const started = performance.now();
  for (;;) {
    if (await probe()) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * The default configuration with the abuse limits out of the way: the bench files thousands of
 * cases from one address with one credit code, which the limits would rightly refuse.
 */
export function benchConfig() {
  const open = { max: 1_000_000_000, windowSeconds: 60 };
  return parseConfig({
    abuseLimits: {
      filingsPerAddress: open,
      filingsPerCreditCode: open,
      failedLookupsPerAddress: open,
      surveyAnswersPerAddress: open,
      failedSignInsPerAddress: open,
    },
  });
}
