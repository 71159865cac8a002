import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processHarness, REPO } from '../support/process';

// What a newcomer meets who types the command wrong: one line that says what is wrong and points
// to --help, exit code 2, nothing left on disk — within a bound, never a hang.

const harness = processHarness();
afterAll(() => harness.cleanUp());

/** A bound on a refused start on a busy machine (it loads the runtime's modules first), not a measurement. */
const REFUSED_WITHIN_MS = 20_000;

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `command args` in the repository with no Zhuqi variables set, killing it past the bound. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<Ended> {
  const { PORT, ZHUQI_DATA_DIR, ZHUQI_BOOTSTRAP_OFFICE_KEY, ZHUQI_CONFIG_FILE, HOST, ...inherited } =
    process.env;
  const child = spawn(command, args, {
    cwd: REPO,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const bound = setTimeout(() => child.kill('SIGKILL'), REFUSED_WITHIN_MS);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(bound);
      done({ code, stdout, stderr });
    }),
  );
}
const zhuqi = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'shared/embedded/main.ts', ...args]);

/** The one line of a refused start. */
function refusal(ended: Ended): string {
  expect(ended.code, ended.stderr).toBe(2);
  const lines = ended.stderr.trim().split('\n');
  expect(lines, ended.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^zhuqi: .+ \(npm start -- --help lists the options\)$/);
  expect(ended.stdout).not.toContain('Zhuqi is running');
  return lines[0]!;
}

describe('a start refused for its options or its data directory', () => {
  let taken: Server;
  let takenPort = 0;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    takenPort = (taken.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--port'], '--port needs a value'],
    [['--port', 'abc'], '--port must be a number from 0 to 65535, not "abc"'],
    [['--port', '70000'], '--port must be a number'],
    [['--data-dir'], '--data-dir needs a value'],
    [['somewhere'], 'unexpected argument somewhere'],
    [['--host', 'nosuch.invalid', '--port', '0'], 'cannot listen on nosuch.invalid'],
  ])('%j: one line naming the problem, exit code 2', async (args, expected) => {
    const dir = join(harness.newDataDir(), 'data');
    const line = refusal(await zhuqi(...args, ...(args.includes('--data-dir') ? [] : ['--data-dir', dir])));
    expect(line).toContain(expected);
    expect(existsSync(dir)).toBe(false);
  });

  it('says so when the data directory would be inside a file', async () => {
    const file = join(harness.newDataDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const line = refusal(await zhuqi('--data-dir', join(file, 'data'), '--port', '0'));
    expect(line).toContain(`${file} is a file, not a directory`);
  });

  it.runIf(process.platform === 'linux')(
    'says so, at once, when no directory can be made there (/proc)',
    async () => {
      const line = refusal(await zhuqi('--data-dir', '/proc/zhuqi-data', '--port', '0'));
      expect(line).toContain('cannot create /proc/zhuqi-data (ENOENT)');
    },
  );

  it('refuses a directory that holds somebody else’s files, and touches none of them', async () => {
    const dir = harness.newDataDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const line = refusal(await zhuqi('--data-dir', dir, '--port', '0'));
    expect(line).toContain('holds other files (notes.txt)');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('leaves nothing behind when the port is taken: neither a new directory nor anything in an empty one', async () => {
    const parent = harness.newDataDir();
    const fresh = join(parent, 'new', 'data');
    const empty = join(parent, 'empty');
    mkdirSync(empty);
    for (const dir of [fresh, empty]) {
      const line = refusal(await zhuqi('--data-dir', dir, '--port', String(takenPort)));
      expect(line).toContain(`port ${takenPort} is already in use`);
    }
    expect(readdirSync(parent).sort()).toEqual(['empty']);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('answers the same through npm start, where the dependency check runs first', async () => {
    const ended = await run('npm', ['start', '--', '--bogus']);
    expect(refusal(ended)).toContain('unknown option --bogus');
  });

  it('lists the options and how to stop with --help, exit code 0', async () => {
    const ended = await zhuqi('--help');
    expect(ended.code).toBe(0);
    expect(ended.stdout).toMatch(/^usage: npm start -- \[--port N\] \[--data-dir DIR\] \[--host ADDRESS\]/);
    expect(ended.stderr).toBe('');
  });
});
