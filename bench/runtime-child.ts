// The embedded runtime in a process of its own, for the memory and restart figures: it prints one
// JSON line when it serves and when it has rebuilt its waits, and answers "state" on stdin with
// its memory and how much work it has.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = performance.now();
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
process.on('warning', (warning) => say({ event: 'warning', name: warning.name, message: warning.message }));

const { benchConfig } = await import('./support');
const { consoleLogger } = await import('../shared/embedded/console-logger');
const { startRuntime } = await import('../shared/embedded/runtime');

const runtime = await startRuntime({
  config: benchConfig(),
  port: Number(process.argv[3] ?? 0),
  dataDir: process.argv[2],
  logger: consoleLogger({ silent: true }),
});
say({
  event: 'ready',
  url: runtime.url,
  ms: performance.now() - started,
  parked: runtime.engine.parkedCount,
});

createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() !== 'state') return;
  // Resident memory split as Linux counts it: anonymous (the process's own) and file-backed (LevelDB's
  // table files mapped for reading, which the kernel reclaims under pressure).
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  say({
    event: 'state',
    rss: process.memoryUsage().rss,
    anon: kb('RssAnon'),
    file: kb('RssFile'),
    heapUsed: process.memoryUsage().heapUsed,
    parked: runtime.engine.parkedCount,
    quiet: runtime.engine.isQuiet(),
    pending: (await runtime.queues.intake.pending()).length + (await runtime.queues.notices.pending()).length,
  });
});
