// What a waiting case costs (issue target 2): N open cases waiting in a runtime of its own, its
// memory, how that memory holds while idle, and how fast it serves again after a crash.
// To iterate, BENCH_WAITING_CASES and BENCH_WAITING_IDLE_S override the mode's counts (2,000 cases
// and 20 s short, 20,000 and 1,800 s full), e.g. `BENCH_WAITING_IDLE_S=10 npm run bench -- --full
// --only waiting`; the figures against the goals are the full mode's.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Child,
  childEvent,
  type Figure,
  fmt,
  load,
  pick,
  postFiling,
  startChild,
  until,
} from './support';

/** The runtime in its process, with its memory and work; with `gc`, the memory after a full collection. */
interface RuntimeChild extends Child {
  state(gc?: 'gc'): Promise<{
    rss: number;
    rssBeforeGc: number;
    anon: number;
    file: number;
    tables: number;
    heapTotal: number;
    parked: number;
    quiet: boolean;
    pending: number;
  }>;
}

const MB = 1024 * 1024;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function startRuntimeChild(dataDir: string, port = 0): RuntimeChild {
  const child = startChild('bench/runtime-child.ts', [dataDir, String(port)], ['--expose-gc']);
  return { ...child, state: (gc) => child.ask(gc ? 'state gc' : 'state', 'state') };
}

const directorySize = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);

const ready = (child: Child) => childEvent<{ url: string; ms: number }>(child, 'ready');

export async function waitingFigures(): Promise<Figure[]> {
  const cases = Number(process.env.BENCH_WAITING_CASES ?? pick(2_000, 20_000));
  // The full run idles as long as the goal says: RSS flat over 30 minutes.
  const idleMs = Number(process.env.BENCH_WAITING_IDLE_S ?? pick(20, 1_800)) * 1000;
  const dataDir = mkdtempSync(join(tmpdir(), 'zhuqi-bench-'));
  const children: RuntimeChild[] = [];
  try {
    // 1. Fill a runtime with waiting cases.
    const first = startRuntimeChild(dataDir);
    children.push(first);
    await until('the runtime to serve', () => ready(first) !== undefined, 60_000);
    const url = ready(first)!.url;
    await load(32, { count: cases }, (i) => postFiling(url, i, 'waiting'));
    await until('every case waiting', async () => {
      const s = await first.state();
      return s.parked >= cases && s.quiet && s.pending === 0;
    });
    const full = await first.state('gc');
    const dataDirSize = directorySize(dataDir);

    // 2. Idle: the same memory some time later.
    await new Promise((r) => setTimeout(r, idleMs));
    const idle = await first.state('gc');

    // 3. Crash it, start again on the same data: when it serves, when every wait is back.
    first.process.kill('SIGKILL');
    await new Promise((r) => first.process.once('exit', r));
    const port = await freePort();
    const second = startRuntimeChild(dataDir, port);
    children.push(second);
    const firstServed = await until(
      'the restarted runtime to answer /healthz',
      async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined))?.ok === true,
      600_000,
    );
    await until('the restarted runtime to rebuild its waits', () => ready(second) !== undefined, 600_000);
    const resumed = ready(second)!;
    const after = await second.state('gc');
    const warnings = [...first.events, ...second.events].filter((e) => e.event === 'warning');

    const section = `waiting cases, ${cases} open (own process)`;
    const growth = (idle.rss - full.rss) / full.rss;
    return [
      {
        section,
        figure: `RSS with ${cases} cases waiting for triage`,
        value: `${fmt(full.rss / MB)} MB`,
        baseline: `${fmt(full.rss / cases / 1024, 1)} KB a case; ${fmt(full.rssBeforeGc / MB)} MB before a full GC`,
        goal: cases >= 20_000 ? '≤ 400 MB' : undefined,
        met: cases >= 20_000 ? full.rss <= 400 * MB : undefined,
      },
      {
        section,
        figure: `RSS growth while idle for ${idleMs / 1000} s`,
        value: `${fmt(growth * 100, 1)}%`,
        goal: '≤ 5%',
        met: growth <= 0.05,
      },
      {
        section,
        figure: 'after SIGKILL: spawn to the first /healthz 200',
        value: `${fmt(firstServed)} ms`,
        baseline: `rebuilt ${after.parked} waits in ${fmt(resumed.ms)} ms of its start`,
        goal: '≤ 2000 ms',
        met: firstServed <= 2_000,
      },
      {
        section,
        figure: 'of which anonymous / file-backed',
        value: `${fmt(full.anon / MB)} / ${fmt(full.file / MB)} MB`,
        baseline: `V8 heap ${fmt(full.heapTotal / MB)} MB; LevelDB tables mapped ${fmt(full.tables / MB)} MB`,
      },
      {
        section,
        figure: 'data directory right after filing',
        value: `${fmt(dataDirSize / MB)} MB`,
        baseline: `${fmt(dataDirSize / cases / 1024, 1)} KB a case`,
      },
      {
        section,
        figure: `RSS after the restart, the same ${cases} cases waiting`,
        value: `${fmt(after.rss / MB)} MB`,
        baseline: `anonymous ${fmt(after.anon / MB)} MB`,
        goal: cases >= 20_000 ? '≤ 400 MB' : undefined,
        met: cases >= 20_000 ? after.rss <= 400 * MB : undefined,
      },
      {
        section,
        figure: 'process warnings (e.g. MaxListenersExceeded)',
        value: String(warnings.length),
        goal: '0',
        met: warnings.length === 0,
      },
    ];
  } finally {
    for (const child of children) child.process.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
