import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poll, processHarness, REPO } from '../support/process';

interface Started {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
}

const harness = processHarness();
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const child of children) await harness.crashChild(child);
  await harness.cleanUp();
});
const newDataDir = () => harness.newDataDir();

/** A port nobody listens on right now: the system picks one, and it is released at once. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port was assigned');
  return address.port;
}

/** `npm start -- --port N --data-dir DIR`, as an operator types it, with no Zhuqi variables set. */
function npmStart(port: number, dataDir: string): Started {
  const {
    PORT: _port,
    ZHUQI_DATA_DIR: _dir,
    ZHUQI_BOOTSTRAP_OFFICE_KEY: _key,
    ZHUQI_CONFIG_FILE: _file,
    ...inherited
  } = process.env;
  const child = spawn('npm', ['start', '--', '--port', String(port), '--data-dir', dataDir], {
    cwd: REPO,
    env: inherited,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return { child, stdout: () => stdout, stderr: () => stderr };
}

async function formPage(url: string): Promise<{ status: number; html: string } | undefined> {
  try {
    const response = await fetch(url);
    return { status: response.status, html: await response.text() };
  } catch {
    return undefined; // not listening yet
  }
}

describe('npm start on a fresh data directory', () => {
  let port: number;
  let first: Started;

  beforeAll(async () => {
    port = await freePort();
    first = npmStart(port, newDataDir());
    await poll('the form at GET /', async () => {
      if (first.child.exitCode !== null) {
        throw new Error(`npm start exited with ${first.child.exitCode}:\n${first.stdout()}${first.stderr()}`);
      }
      return (await formPage(`http://127.0.0.1:${port}/`))?.status === 200 ? true : undefined;
    });
  });

  it('serves the filing form and says where to open it, with the office key printed once', async () => {
    // Act
    const page = await formPage(`http://127.0.0.1:${port}/`);
    const keys = await poll('the office key', () => first.stdout().match(/zq_office_\S+/g) ?? undefined);

    // Assess
    expect(page?.status).toBe(200);
    expect(page?.html).toContain('企业诉求登记');
    expect(page?.html).toContain('<form');
    expect(first.stdout()).toMatch(new RegExp(`Filing form\\s+http://127\\.0\\.0\\.1:${port}/\\s`));
    expect(first.stdout()).toContain('Office API key');
    expect(keys).toHaveLength(1);
  });

  it('refuses a second start on the same port, saying the port is already in use', async () => {
    // Act
    const second = npmStart(port, newDataDir());
    const code = await poll('the second start to exit', () => second.child.exitCode ?? undefined);

    // Assess
    expect(code).not.toBe(0);
    expect(second.stderr()).toContain('already in use');
    expect(second.stderr()).toContain(`port ${port}`);
    expect((await formPage(`http://127.0.0.1:${port}/`))?.status).toBe(200);
  });
});
