import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../shared/app/secrets';
import { parseCaseNo } from '../../shared/domain/case-number';
import { startLocalStore } from '../../shared/embedded/local-store';
import { AccessRepository } from '../../shared/store/access-repository';
import { validFiling } from '../support/fixtures';
import { json } from '../support/http';

const REPO = resolve(import.meta.dirname, '../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
/** A bound on how long a start may take on a busy machine, not a measurement. */
const START_WITHIN_MS = 30_000;

interface Zhuqi {
  child: ChildProcess;
  url: string;
  stdout(): string;
  /** Everything it printed, for failure messages. */
  output(): string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
const dataDirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) await killGroup(child);
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function poll<T>(what: string, check: () => T | undefined, withinMs = START_WITHIN_MS): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills tsx and the Node process it runs (one process group), and waits until both are gone. */
async function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || !groupAlive(pid)) return;
  process.kill(-pid, 'SIGKILL');
  await poll(`process group ${pid} to end`, () => (groupAlive(pid) ? undefined : true), 10_000);
}

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'zhuqi-restart-'));
  dataDirs.push(dir);
  return dir;
}

/** Starts the runtime the way `npm start` does, and waits for the line that says where it listens. */
async function startZhuqi(dataDir: string, env: Record<string, string> = {}): Promise<Zhuqi> {
  const {
    PORT: _port,
    ZHUQI_DATA_DIR: _dir,
    ZHUQI_BOOTSTRAP_OFFICE_KEY: _key,
    ZHUQI_CONFIG_FILE: _file,
    ...inherited
  } = process.env;
  const child = spawn(TSX, ['shared/embedded/main.ts', '--port', '0', '--data-dir', dataDir], {
    cwd: REPO,
    env: { ...inherited, ...env },
    // Its own process group, so that a crash can take tsx and the Node process under it at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  // 'close' comes after the pipes are drained, so by then everything it printed has been read.
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const url = await poll('the "Filing form" line', () => {
    if (child.exitCode !== null) throw new Error(`zhuqi exited with ${child.exitCode}:\n${output}`);
    return /Filing form\s+(http:\/\/\S+?)\/\s/.exec(stdout)?.[1];
  });
  return { child, url, stdout: () => stdout, output: () => output, exit };
}

/** The Node process that tsx started to run main.ts (tsx itself only relays signals to it). */
function runtimePid(tsxPid: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (command) state ppid …": the command may hold spaces, so read after its last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === tsxPid) return Number(entry);
    } catch {
      // that process ended while we looked
    }
  }
  throw new Error(`tsx (pid ${tsxPid}) has no child process`);
}

/**
 * A clean stop: SIGTERM to the runtime's own process. Signalled itself, tsx relays the signal but
 * SIGKILLs the runtime when it does not confirm receipt within 30 ms, which a busy machine misses.
 */
async function stop(zhuqi: Zhuqi): Promise<number | null> {
  process.kill(runtimePid(zhuqi.child.pid!), 'SIGTERM');
  return zhuqi.exit;
}

/** A crash: SIGKILL to tsx and the runtime together, no chance to close anything. */
async function crash(zhuqi: Zhuqi): Promise<void> {
  await killGroup(zhuqi.child);
}

interface Filed {
  caseNo: string;
  title: string;
  key: string;
}

async function fileCase(url: string, title: string): Promise<Filed> {
  const response = await fetch(`${url}/api/v1/cases`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...validFiling(), title }),
  });
  expect(response.status).toBe(201);
  const body = await json(response);
  return { caseNo: body.caseNo, title, key: new URL(body.trackingUrl).searchParams.get('k')! };
}

async function fileThree(url: string): Promise<Filed[]> {
  const filed: Filed[] = [];
  for (const title of ['用电增容迟迟未批', '厂区道路需要修缮', '招工困难需要对接'])
    filed.push(await fileCase(url, title));
  return filed;
}

/** What the enterprise sees through its links after the restart. */
async function expectTrackable(url: string, filed: Filed): Promise<void> {
  const k = encodeURIComponent(filed.key);
  const api = await fetch(`${url}/api/v1/cases/${filed.caseNo}?k=${k}`);
  expect(api.status).toBe(200);
  expect(await json(api)).toMatchObject({ caseNo: filed.caseNo, title: filed.title });
  const page = await fetch(`${url}/track/${filed.caseNo}?k=${k}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(filed.caseNo);
  expect(html).toContain(filed.title);
}

/** The office keys kept in a data directory whose runtime has stopped. */
async function officeKeyHashes(dataDir: string): Promise<string[]> {
  const store = await startLocalStore(dataDir);
  try {
    const keys = await new AccessRepository(store.db, store.tableName).listApiKeys({ role: 'office' });
    return keys.map((k) => k.hash);
  } finally {
    await store.close();
  }
}

const OFFICE_KEY_LINE = /Office API key[^\n]*\n\s*(zq_office_\S+)/;
const sequenceOf = (caseNo: string) => parseCaseNo(caseNo)!.sequence;

describe('the embedded runtime restarted on the same data directory', () => {
  it('keeps cases, tracking links, the case numbering and the office key after a clean stop', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const dataDir = newDataDir();
    const officeKey = `zq_office_restart-test-${Date.now()}`;
    const first = await startZhuqi(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: officeKey });
    const filed = await fileThree(first.url);

    // Act
    const stopped = await stop(first);
    const second = await startZhuqi(dataDir, { ZHUQI_BOOTSTRAP_OFFICE_KEY: officeKey });
    const next = await fileCase(second.url, '停车场扩建审批');

    // Assess
    expect(stopped, first.output()).toBe(0);
    expect(first.stdout()).toContain('SIGTERM: stopping');
    for (const filedCase of filed) await expectTrackable(second.url, filedCase);
    expect(filed.map((f) => sequenceOf(f.caseNo))).toEqual([1, 2, 3]);
    expect(next.caseNo).toBe(filed[2]!.caseNo.replace(/\d{6}$/, '000004'));
    expect(await stop(second), second.output()).toBe(0);
    // A key the operator supplied is never echoed, and the second start creates no other.
    expect(first.stdout() + second.stdout()).not.toContain(officeKey);
    expect(second.stdout()).not.toContain('Office API key');
    expect(await officeKeyHashes(dataDir)).toEqual([sha256(officeKey)]);
  });

  it('keeps cases, tracking links, the case numbering and the office key after a crash', {
    timeout: 90_000,
  }, async () => {
    // Prepare
    const dataDir = newDataDir();
    const first = await startZhuqi(dataDir);
    const printedKey = await poll(
      'the generated office key',
      () => OFFICE_KEY_LINE.exec(first.stdout())?.[1],
    );
    const filed = await fileThree(first.url);

    // Act
    await crash(first);
    const second = await startZhuqi(dataDir);
    const next = await fileCase(second.url, '停车场扩建审批');

    // Assess
    for (const filedCase of filed) await expectTrackable(second.url, filedCase);
    expect(sequenceOf(next.caseNo)).toBe(sequenceOf(filed[2]!.caseNo) + 1);
    expect(await stop(second), second.output()).toBe(0);
    expect(first.stdout().match(/zq_office_/g)).toHaveLength(1);
    expect(second.stdout()).not.toContain('Office API key');
    expect(second.stdout()).not.toContain(printedKey);
    expect(await officeKeyHashes(dataDir)).toEqual([sha256(printedKey)]);
  });
});
