import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFetch } from '../support/http';
import { REPO } from '../support/process';
import { OFFICE_KEY, type TestRuntime, testRuntime } from '../support/runtime';

// An integrator's client, from the served /openapi.json alone: openapi-typescript (with the
// TypeScript 5 it needs, from tools/openapi-types) generates the types, the project's compiler
// checks test/client/walkthrough.ts with --strict, and the walkthrough runs against the runtime.
const run = promisify(execFile);
const CLIENT = join(REPO, 'test', 'client');
const GENERATED = join(CLIENT, 'generated', 'zhuqi-api.d.ts');

let rt: TestRuntime;
beforeAll(async () => {
  rt = await testRuntime();
  await rm(dirname(GENERATED), { recursive: true, force: true });
  await mkdir(dirname(GENERATED), { recursive: true });
});
afterAll(() => rt.close());

async function command(args: string[]) {
  return run(process.execPath, args, { cwd: REPO }).catch((error: { stdout: string; stderr: string }) => {
    throw new Error(`${args.join(' ')} failed:\n${error.stdout}\n${error.stderr}`);
  });
}

describe('a client generated from /openapi.json', () => {
  it('generates, compiles with --strict without a cast, and runs the README walkthrough', async () => {
    // Generate: the types of every path, schema and webhook, from the document the runtime serves.
    const generator = join(
      dirname(
        createRequire(join(REPO, 'tools', 'openapi-types', 'package.json')).resolve('openapi-typescript'),
      ),
      '..',
      'bin',
      'cli.js',
    );
    await command([generator, `${rt.url}/openapi.json`, '--output', GENERATED]);
    const types = await readFile(GENERATED, 'utf8');
    expect(types).toContain('"/api/v1/office/cases/{id}/triage"');
    expect(types).toMatch(/webhooks/);

    // Compile: strict, and the walkthrough has no cast and no hand-written API type.
    const code = (await readFile(join(CLIENT, 'walkthrough.ts'), 'utf8'))
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bas (?!const\b)\w|[=(,:]\s*<\w+>|: any\b|\binterface\b|\btype \w+ =|!\./);
    await command([
      join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
      '--project',
      join(CLIENT, 'tsconfig.json'),
      '--strict',
    ]);

    // Run: office, unit and enterprise, every answer checked against the document as well.
    // Loaded by URL: the project's own type-check leaves test/client to the compile above.
    const { walkthrough } = (await import(pathToFileURL(join(CLIENT, 'walkthrough.ts')).href)) as {
      walkthrough: (options: {
        baseUrl: string;
        officeKey: string;
        settle: () => Promise<void>;
        fetch: typeof fetch;
      }) => Promise<{ noticeKinds: string[]; history: string[] }>;
    };
    const result = await walkthrough({
      baseUrl: rt.url,
      officeKey: OFFICE_KEY,
      settle: rt.settle,
      fetch: contractFetch(rt.url),
    });
    expect(result).toMatchObject({
      caseNo: expect.stringMatching(/^YL-\d{4}-\d{6}$/),
      assignedTo: 'power-supply',
      rating: 'satisfied',
      status: 'closed',
    });
    expect(result.noticeKinds).toContain('assignment');
    expect(result.history).toEqual(expect.arrayContaining(['assign', 'accept', 'resolve', 'close']));
  }, 120_000);
});
