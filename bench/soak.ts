// `npm run soak`: the embedded runtime under a stream of filings, office triage, unit answers and
// survey answers, killed with SIGKILL at random moments and started again on the same data directory.
// At the end: every filing that was answered 2xx exists exactly once, every case is in a valid state
// with its pending wait armed, no notice and no survey link exists twice. Loopback only, bounded in
// kills and in time; prints what it did and the server's memory after each restart.
import { cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITED_ACTS } from '../shared/domain/abuse-limits';
import { CASE_STATUSES } from '../shared/domain/case-state';
import { validFiling } from '../test/support/fixtures';
import { json as jsonOf } from '../test/support/http';
import { poll, processHarness, type Zhuqi } from '../test/support/process';

export interface SoakOptions {
  /** SIGKILLs to deliver (the full run: at least 10). */
  kills: number;
  /** Random pause before each kill, in ms. */
  gapMs: [number, number];
  /** A bound on the whole run; it stops with a violation when exceeded. */
  maxMs: number;
  /** How long the runtime may take to settle at the end. */
  settleMs?: number;
  print?: (line: string) => void;
}

export interface SoakSummary {
  seconds: number;
  filings: number;
  kills: number;
  casesChecked: number;
  violations: string[];
  memoryAfterRestartMb: number[];
  /** What was seen that is no violation of the soak's checks (nothing lost, nothing twice). */
  notes: string[];
  answers: { triaged: number; unitAnswers: number; surveyAnswers: number };
}

const OFFICE_KEY = 'zq_office_soak-office-key-0123456789';
const DAY_SECONDS = '30';
/** Which wait an open case must be parked at, by its status. */
const WAIT_OF: Record<string, string> = {
  triage: 'AwaitTriage',
  assigned: 'AwaitUnit',
  accepted: 'AwaitUnit',
  in_progress: 'AwaitUnit',
  resolved: 'AwaitSurvey',
};

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const between = ([low, high]: [number, number]) => low + Math.random() * (high - low);

/** Resident memory of a process in MiB, from /proc (Linux). */
async function residentMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

export async function runSoak(options: SoakOptions): Promise<SoakSummary> {
  const print = options.print ?? ((line: string) => console.log(line));
  const harness = processHarness();
  const started = Date.now();
  const summary: SoakSummary = {
    seconds: 0,
    filings: 0,
    kills: 0,
    casesChecked: 0,
    violations: [],
    memoryAfterRestartMb: [],
    notes: [],
    answers: { triaged: 0, unitAnswers: 0, surveyAnswers: 0 },
  };
  const dataDir = harness.newDataDir();
  // Every request comes from 127.0.0.1 with one credit code: the abuse limits would stop the load.
  const configFile = join(harness.newDataDir(), 'soak-config.json');
  const unlimited = { max: 1_000_000, windowSeconds: 60 };
  writeFileSync(
    configFile,
    JSON.stringify({ abuseLimits: Object.fromEntries(LIMITED_ACTS.map((act) => [act, unlimited])) }),
  );
  const env = {
    ZHUQI_BOOTSTRAP_OFFICE_KEY: OFFICE_KEY,
    ZHUQI_CONFIG_FILE: configFile,
    ZHUQI_DAY_SECONDS: DAY_SECONDS,
  };

  let server: Zhuqi | undefined;
  const start = async () => {
    server = await harness.start(dataDir, env);
    const { hostname } = new URL(server.url);
    if (!['localhost', '127.0.0.1', '[::1]'].includes(hostname))
      throw new Error(`not loopback: ${server.url}`);
    const mb = await residentMb(server.child.pid!);
    summary.memoryAfterRestartMb.push(mb);
    print(`  start ${summary.memoryAfterRestartMb.length}: ${server.url}, ${mb} MiB resident`);
  };

  /** A request to whichever server runs now; undefined when there is none (killed, starting). */
  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const url = server?.url;
    if (!url) return undefined;
    try {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(key ? { Authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(15_000),
      });
      if (response.status >= 500 && response.status !== 503)
        summary.violations.push(`${method} ${path} answered ${response.status}`);
      return response;
    } catch {
      return undefined; // the server was killed under the request
    }
  };
  const json = async (response: Response | undefined) => (response?.ok ? jsonOf(response) : undefined);

  try {
    await start();
    const unitKey = (
      await json(await call('POST', '/api/v1/office/units/power-supply/keys', OFFICE_KEY, { label: 'soak' }))
    )?.key as string | undefined;
    if (!unitKey) throw new Error('could not issue a unit key');

    /** Filings by Idempotency-Key: answered 2xx (with the case), or still to be sent again. */
    const filed = new Map<string, { id: string; title: string }>();
    const unanswered = new Set<string>();
    const answeredLinks = new Set<string>();
    let running = true;
    let sequence = 0;

    /** Files the case of `key` (its title names the key); true once it was answered 201. */
    const file = async (key: string) => {
      const title = `压力测试问题 ${key}`;
      const url = server?.url;
      const response = url
        ? await fetch(`${url}/api/v1/cases`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
            body: JSON.stringify({ ...validFiling(), title }),
            signal: AbortSignal.timeout(15_000),
          }).catch(() => undefined)
        : undefined;
      if (response && response.status >= 500 && response.status !== 503)
        summary.violations.push(`filing ${key} answered ${response.status}`);
      if (response?.status !== 201) return false;
      unanswered.delete(key);
      filed.set(key, { id: ((await response.json()) as { id: string }).id, title });
      return true;
    };

    const filer = async () => {
      while (running) {
        // A filing that got no answer (the server died under it) is sent again with its key first.
        const key = [...unanswered][0] ?? `soak-${++sequence}`;
        unanswered.add(key);
        if (!(await file(key))) await sleep(200);
        await sleep(50);
      }
    };

    const office = async () => {
      while (running) {
        const queue = await json(
          await call('GET', '/api/v1/office/cases?status=triage&limit=50', OFFICE_KEY),
        );
        for (const item of (queue?.items ?? []) as { id: string }[]) {
          const answer = await call('POST', `/api/v1/office/cases/${item.id}/triage`, OFFICE_KEY, {
            level: 'department',
            unitId: 'power-supply',
          });
          if (answer?.ok) summary.answers.triaged++;
        }
        await sleep(300);
      }
    };

    const unit = async () => {
      const next: Record<string, [string, unknown]> = {
        assigned: ['accept', {}],
        accepted: ['progress', { note: '已联系企业' }],
        in_progress: ['resolve', { resolution: '已协调解决' }],
      };
      while (running) {
        const list = await json(await call('GET', '/api/v1/unit/cases?limit=100', unitKey));
        for (const item of (list?.items ?? []) as { id: string; status: string }[]) {
          const step = next[item.status];
          if (!step) continue;
          const answer = await call('POST', `/api/v1/unit/cases/${item.id}/${step[0]}`, unitKey, step[1]);
          if (answer?.ok) summary.answers.unitAnswers++;
        }
        await sleep(300);
      }
    };

    const enterprise = async () => {
      const answers = ['satisfied', 'basically_satisfied', 'dissatisfied'];
      while (running) {
        const outbox = await json(await call('GET', '/api/v1/office/outbox?limit=200', OFFICE_KEY));
        for (const notice of (outbox?.items ?? []) as { kind: string; link?: string }[]) {
          if (notice.kind !== 'survey' || !notice.link || answeredLinks.has(notice.link)) continue;
          const answer = await call('POST', new URL(notice.link).pathname, undefined, {
            solved: 'yes',
            satisfaction: answers[Math.floor(Math.random() * answers.length)],
          });
          if (answer?.ok || answer?.status === 404) answeredLinks.add(notice.link);
          if (answer?.ok) summary.answers.surveyAnswers++;
        }
        await sleep(500);
      }
    };

    const load = [filer(), office(), unit(), enterprise()];
    for (let kill = 1; kill <= options.kills; kill++) {
      if (Date.now() - started > options.maxMs) {
        summary.violations.push(`the run exceeded ${options.maxMs} ms after ${summary.kills} kills`);
        break;
      }
      await sleep(between(options.gapMs));
      const victim = server!;
      server = undefined;
      await harness.crash(victim);
      summary.kills++;
      print(`  SIGKILL ${kill}/${options.kills} after ${filed.size} answered filings`);
      await start();
    }

    // Stop the load; filings never answered are sent again with their key until they are.
    running = false;
    await Promise.all(load);
    for (const key of [...unanswered]) {
      await poll(`filing ${key} to be answered`, async () => ((await file(key)) ? true : undefined));
    }
    summary.filings = filed.size;

    // Checks: let the runtime settle, then every case, its waits, its notices and survey links.
    const everyCase = async () => {
      const items: { id: string; title: string; status: string }[] = [];
      let cursor: string | undefined;
      do {
        const page = await json(
          await call(
            'GET',
            `/api/v1/office/cases?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            OFFICE_KEY,
          ),
        );
        if (!page) throw new Error('could not list the cases');
        items.push(...(page.items as typeof items));
        cursor = page.cursor as string | undefined;
      } while (cursor);
      // The ledger may list a case twice when it moves while being paged: count each case once.
      const unique = new Map(items.map((item) => [item.id, item]));
      if (unique.size < items.length)
        summary.notes.push(`the ledger listed ${items.length - unique.size} case(s) twice in one paging`);
      return [...unique.values()];
    };
    const problemsOf = async () => {
      const problems: string[] = [];
      const cases = await everyCase();
      const byTitle = new Map<string, number>();
      for (const c of cases) byTitle.set(c.title, (byTitle.get(c.title) ?? 0) + 1);
      for (const [key, { id, title }] of filed) {
        if (byTitle.get(title) !== 1) problems.push(`filing ${key} exists ${byTitle.get(title) ?? 0} times`);
        if (!cases.some((c) => c.id === id)) problems.push(`filing ${key}: its case ${id} is missing`);
      }
      for (const { id } of cases) {
        const record = await json(await call('GET', `/api/v1/office/cases/${id}`, OFFICE_KEY));
        if (!record) {
          problems.push(`case ${id} cannot be read`);
          continue;
        }
        if (!CASE_STATUSES.includes(record.status)) problems.push(`case ${id} has status ${record.status}`);
        const wait = WAIT_OF[record.status as string];
        if (record.status === 'submitted') problems.push(`case ${id} never started its workflow`);
        if (wait && record.waitingFor !== wait)
          problems.push(`case ${id} is ${record.status} but waits at ${record.waitingFor ?? 'nothing'}`);
        const notices = ((
          await json(await call('GET', `/api/v1/office/outbox?caseId=${id}&limit=200`, OFFICE_KEY))
        )?.items ?? []) as { id: string; kind: string; link?: string }[];
        // A notice is one item keyed by its id, and its place in the outbox index never moves:
        // listed twice, the index holds an entry its item does not (a torn write).
        const distinct = new Map(notices.map((n) => [n.id, n]));
        if (distinct.size < notices.length)
          problems.push(`case ${id}: the outbox index lists a notice twice`);
        const links = [...distinct.values()].filter((n) => n.kind === 'survey').map((n) => n.link);
        if (new Set(links).size !== links.length) problems.push(`case ${id} has a survey link twice`);
        if (links.length > Number(record.reopenCount) + 1)
          problems.push(
            `case ${id} has ${links.length} survey links for ${Number(record.reopenCount) + 1} rounds`,
          );
      }
      summary.casesChecked = cases.length;
      return problems;
    };
    const settle = async () => {
      let remaining: string[] = [];
      // The intake sweeper and the supervision timeouts recover what a kill interrupted: give them time.
      const settleBy = Date.now() + (options.settleMs ?? 300_000);
      for (;;) {
        remaining = await problemsOf();
        if (remaining.length === 0 || Date.now() > settleBy) return remaining;
        await sleep(1000);
      }
    };
    let remaining = await settle();
    if (remaining.length === 0) {
      // Every pending wait must be armed, not merely recorded: act once on every open case and see
      // its workflow take the act up and park at its next wait.
      const acts: Record<string, [string, string, unknown]> = {
        triage: [OFFICE_KEY, 'triage', { level: 'department', unitId: 'power-supply' }],
        assigned: [unitKey, 'accept', {}],
        accepted: [unitKey, 'progress', { note: '最后检查' }],
        in_progress: [unitKey, 'resolve', { resolution: '最后检查' }],
      };
      for (const c of await everyCase()) {
        const act = acts[c.status];
        if (act) {
          const [key, action, body] = act;
          const area = key === OFFICE_KEY ? 'office' : 'unit';
          await call('POST', `/api/v1/${area}/cases/${c.id}/${action}`, key, body);
        } else if (c.status === 'resolved') {
          const notices = ((await json(await call('GET', `/api/v1/office/outbox?caseId=${c.id}`, OFFICE_KEY)))
            ?.items ?? []) as { kind: string; link?: string }[];
          const link = notices.find((n) => n.kind === 'survey')?.link;
          if (link)
            await call('POST', new URL(link).pathname, undefined, {
              solved: 'yes',
              satisfaction: 'satisfied',
            });
        }
      }
      remaining = await settle();
    }
    summary.violations.push(...remaining);
  } finally {
    if (summary.violations.length > 0) {
      // Kept for a post-mortem: the data directory as the last server left it, and what it logged.
      const kept = join(tmpdir(), `zhuqi-soak-${Date.now()}`);
      cpSync(dataDir, join(kept, 'data'), { recursive: true });
      writeFileSync(join(kept, 'server.log'), server?.output() ?? '');
      summary.notes.push(`the data directory and the last server's log are kept in ${kept}`);
    }
    await harness.cleanUp();
  }
  summary.seconds = Math.round((Date.now() - started) / 1000);
  return summary;
}

export function formatSummary(summary: SoakSummary): string {
  return [
    `soak: ${summary.seconds} s, ${summary.kills} SIGKILLs`,
    `  filings answered 2xx  ${summary.filings}`,
    `  office triage         ${summary.answers.triaged}`,
    `  unit answers          ${summary.answers.unitAnswers}`,
    `  survey answers        ${summary.answers.surveyAnswers}`,
    `  cases checked         ${summary.casesChecked}`,
    `  violations            ${summary.violations.length}`,
    ...summary.violations.slice(0, 20).map((v) => `    - ${v}`),
    ...[...new Set(summary.notes)].map((n) => `  note: ${n}`),
    `  memory after each start (MiB resident): ${summary.memoryAfterRestartMb.join(', ')}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const kills = Number(process.env.SOAK_KILLS ?? 12);
  console.log(`soak: ${kills} SIGKILLs at random moments, loopback only`);
  const summary = await runSoak({ kills, gapMs: [1500, 6000], maxMs: 15 * 60_000 });
  console.log(formatSummary(summary));
  process.exit(summary.violations.length === 0 && summary.kills >= Math.min(kills, 10) ? 0 : 1);
}
