import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');
/** A bound on how long a start may take on a busy machine, not a measurement. */
export const START_WITHIN_MS = 30_000;

/** Polls `check` until it returns a value; throws after `withinMs` (a bound, not a timing assertion). */
export async function poll<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  withinMs = START_WITHIN_MS,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${withinMs} ms`);
    await new Promise((done) => setTimeout(done, everyMs));
  }
}

export interface Zhuqi {
  child: ChildProcess;
  /** Moves the child's clock (`ZHUQI_TEST_CLOCK`) to `at` and waits until its workflow has settled there. */
  advanceClock(at: string | Date): Promise<void>;
  url: string;
  stdout(): string;
  /** Everything it printed, for failure messages. */
  output(): string;
  exit: Promise<number | null>;
}

/** Child processes and data directories of one test file, cleaned up by `cleanUp` (call it in afterEach). */
export function processHarness() {
  const children: ChildProcess[] = [];
  const dataDirs: string[] = [];

  function groupAlive(pid: number): boolean {
    try {
      process.kill(-pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the whole process group — a crash, no chance to close anything. */
  async function crash(child: ChildProcess): Promise<void> {
    const pid = child.pid;
    if (pid === undefined || !groupAlive(pid)) return;
    process.kill(-pid, 'SIGKILL');
    await poll(`process group ${pid} to end`, () => (groupAlive(pid) ? undefined : true), 10_000);
  }

  return {
    newDataDir(): string {
      const dir = mkdtempSync(join(tmpdir(), 'zhuqi-test-'));
      dataDirs.push(dir);
      return dir;
    },

    /** Starts the runtime as `npm start` does (one Node process), and waits for where it listens. */
    async start(dataDir: string, env: Record<string, string> = {}): Promise<Zhuqi> {
      const {
        PORT,
        ZHUQI_DATA_DIR,
        ZHUQI_BOOTSTRAP_OFFICE_KEY,
        ZHUQI_CONFIG_FILE,
        ZHUQI_DAY_SECONDS,
        ZHUQI_TEST_CLOCK,
        ...inherited
      } = process.env;
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'shared/embedded/main.ts', '--port', '0', '--data-dir', dataDir],
        // Its own process group, so that a crash takes everything it started with it; standard
        // input carries the test's clock when ZHUQI_TEST_CLOCK is set.
        { cwd: REPO, env: { ...inherited, ...env }, detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
      );
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
      const exit = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
      const url = await poll('the "Filing form" line', () => {
        if (child.exitCode !== null) throw new Error(`zhuqi exited with ${child.exitCode}:\n${output}`);
        return /Filing form\s+(http:\/\/\S+?)\/\s/.exec(stdout)?.[1];
      });
      const advanceClock = async (at: string | Date) => {
        const instant = new Date(at).toISOString();
        const settled = `clock ${instant} settled`;
        const seen = stdout.split(settled).length - 1;
        child.stdin?.write(`advance ${instant}\n`);
        await poll(settled, () => (stdout.split(settled).length - 1 > seen ? true : undefined), 120_000, 20);
      };
      return { child, url, advanceClock, stdout: () => stdout, output: () => output, exit };
    },

    /** A clean stop: SIGTERM, and the exit code. */
    async stop(zhuqi: Zhuqi): Promise<number | null> {
      zhuqi.child.kill('SIGTERM');
      return zhuqi.exit;
    },

    crash: (zhuqi: Zhuqi) => crash(zhuqi.child),
    crashChild: crash,

    async cleanUp(): Promise<void> {
      for (const child of children.splice(0)) await crash(child);
      for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}
