// The embedded runtime in a process of its own, as `npm start` runs it (the memory, restart and
// HTTP figures): it prints one JSON line when it serves and when it has rebuilt its waits, and
// answers on stdin: "state" (its memory, CPU time and how much work it has), "idle" (whether it has
// none, read cheaply), "writes <ms>" (the raw store's PutItem rate, 32 at a time, through the
// runtime's own client).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const started = performance.now();
const say = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);
process.on('warning', (warning) => say({ event: 'warning', name: warning.name, message: warning.message }));

const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
const { benchConfig, load } = await import('./support');
const { consoleLogger } = await import('../shared/embedded/console-logger');
const { startRuntime } = await import('../shared/embedded/runtime');

const runtime = await startRuntime({
  config: benchConfig(),
  port: Number(process.argv[3] ?? 0),
  // No directory (or an empty argument): the store in memory.
  dataDir: process.argv[2] || undefined,
  logger: consoleLogger({ silent: true }),
});
say({
  event: 'ready',
  url: runtime.url,
  ms: performance.now() - started,
  parked: runtime.engine.parkedCount,
});

/** The store alone: PutItem of a case-sized item through the runtime's own client, 32 at a time. */
async function rawWrites(ms: number) {
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
  return load(32, { ms }, put);
}

const cpuMs = () => {
  const cpu = process.cpuUsage();
  return (cpu.user + cpu.system) / 1000;
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const [command, option] = line.trim().split(/\s+/);
  if (command === 'writes') {
    say({ event: 'writes', ...(await rawWrites(Number(option))) });
    return;
  }
  if (command === 'idle') {
    const waiting =
      (await runtime.queues.intake.oldestPendingSentAt()) ??
      (await runtime.queues.notices.oldestPendingSentAt());
    say({ event: 'idle', idle: runtime.engine.isQuiet() && waiting === undefined, cpuMs: cpuMs() });
    return;
  }
  if (command !== 'state') return;
  // "state gc": the memory after a full collection too (the child runs with --expose-gc).
  const rssBeforeGc = process.memoryUsage.rss();
  if (option === 'gc') global.gc?.();
  const memory = process.memoryUsage();
  say({
    event: 'state',
    rss: memory.rss,
    rssBeforeGc,
    ...residentMemory(),
    heapTotal: memory.heapTotal,
    heapUsed: memory.heapUsed,
    external: memory.external,
    cpuMs: cpuMs(),
    parked: runtime.engine.parkedCount,
    quiet: runtime.engine.isQuiet(),
    pending: (await runtime.queues.intake.pending()).length + (await runtime.queues.notices.pending()).length,
  });
});

/**
 * Resident memory split as Linux counts it: anonymous (the process's own: V8's heap, native
 * allocations) and file-backed, and of the file-backed what LevelDB's table files hold (mapped
 * for reading; the kernel reclaims those pages under pressure), from /proc/self/smaps.
 */
function residentMemory(): { anon: number; file: number; tables: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  let tables = 0;
  let mapping = '';
  for (const row of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(row)) mapping = row.split(/\s+/)[5] ?? '';
    else if (row.startsWith('Rss:') && mapping.endsWith('.ldb')) tables += Number(row.split(/\s+/)[1]) * 1024;
  }
  return { anon: kb('RssAnon'), file: kb('RssFile'), tables };
}
