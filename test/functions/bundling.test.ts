import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFiles, bundleFunction } from '../../infra/bundling';
import { defaultProvider } from '../../shared/adapters/lambda-credentials';
import { WorkCalendar } from '../../shared/domain/calendar';
import { REPO } from '../support/process';

// What infra/bundling.ts changes in the bundles, checked on small entry points built the same way.
const dir = mkdtempSync(join(tmpdir(), 'zhuqi-bundling-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds `source` (an entry point written into the repository's tree of modules) and runs it in plain Node. */
async function buildAndRun(name: string, source: string, env: Record<string, string> = {}) {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, source);
  const metafile = await bundleFunction(entry, join(dir, name), { nodePaths: [join(REPO, 'node_modules')] });
  const output = execFileSync(process.execPath, [join(dir, name, 'index.mjs')], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  return {
    metafile,
    output: output.toString(),
    code: bundleFiles(metafile).loaded.map((f) => readFileSync(f)),
  };
}

/** Every date from 2004 (chinese-days' first year) through 2027 (a year it does not know yet). */
function everyDay(): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

describe('the official holiday data in a bundle (officialDatesOnly)', () => {
  it('answers every day from 2004 through 2027 as the calendar on the package data does, without the names', async () => {
    // Prepare: the same calendar, built into a bundle.
    const calendar = JSON.stringify(join(REPO, 'shared/domain/calendar.ts'));
    const source = `import { WorkCalendar } from ${calendar};
const calendar = new WorkCalendar({ holidays: ['2027-01-01'], workdays: [] });
const days = [];
for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2027, 11, 31); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
process.stdout.write(JSON.stringify({
  knownFrom: calendar.knownFrom, knownThrough: calendar.knownThrough,
  workdays: days.filter((d) => calendar.isWorkday(d)),
}));
`;

    // Act
    const { output, code } = await buildAndRun('calendar', source);

    // Assess
    const unbundled = new WorkCalendar({ holidays: ['2027-01-01'], workdays: [] });
    const bundled = JSON.parse(output);
    expect(bundled.knownFrom).toBe(unbundled.knownFrom);
    expect(bundled.knownThrough).toBe(unbundled.knownThrough);
    expect(bundled.workdays).toEqual(everyDay().filter((d) => unbundled.isWorkday(d)));
    const text = Buffer.concat(code).toString('utf8');
    expect(text).not.toContain('Spring Festival');
    expect(text).not.toContain('春节');
  });
});

describe('zod in a bundle, without its compiler and fromJSONSchema (zodWithoutCompiler)', () => {
  it('validates as zod does, in English, and names what it left out should anything call it', async () => {
    // Prepare: zod's `z` as the routes get it, whole (@hono/zod-openapi hands it on).
    const source = `import { z } from '@hono/zod-openapi';
const parsed = z.object({ title: z.string().min(2) }).safeParse({ title: 'x' });
const attempt = (call) => { try { call(); return 'ran'; } catch (error) { return error.message; } };
process.stdout.write(JSON.stringify({
  issues: parsed.error.issues.map((i) => i.message),
  compile: attempt(() => z.compile(z.string())),
  fromJSONSchema: attempt(() => z.fromJSONSchema({ type: 'string' })),
}));
`;

    // Act
    const { metafile, output } = await buildAndRun('zod', source);

    // Assess
    expect(JSON.parse(output)).toEqual({
      issues: ['Too small: expected string to have >=2 characters'],
      compile: "zod's compile is not in the Lambda bundles (zodWithoutCompiler, infra/bundling.ts)",
      fromJSONSchema:
        "zod's fromJSONSchema is not in the Lambda bundles (zodWithoutCompiler, infra/bundling.ts)",
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((f) => /zod\/v4\/(core\/compile|classic\/from-json-schema)\.js$/.test(f))).toEqual(
      [
        expect.stringMatching(/^zod-without-compiler:.*compile\.js$/),
        expect.stringMatching(/^zod-without-compiler:.*from-json-schema\.js$/),
      ].sort(),
    );
  });

  it('refuses to build what imports zod/compile', async () => {
    await expect(buildAndRun('zod-compile', "import 'zod/compile';\n")).rejects.toThrow(/zod's compiler/);
  });
});

describe('credentials in a bundle (the alias of @aws-sdk/credential-provider-node)', () => {
  it("signs with the environment's credentials and bundles none of the SDK's other providers", async () => {
    // Prepare: a DynamoDB client built the way the functions build it, resolving its credentials.
    const source = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
const credentials = await client.config.credentials();
process.stdout.write(JSON.stringify(credentials));
`;

    // Act
    const { metafile, output } = await buildAndRun('credentials', source, {
      AWS_REGION: 'cn-north-1',
      AWS_ACCESS_KEY_ID: 'AKIDLAMBDA',
      AWS_SECRET_ACCESS_KEY: 'lambda-secret',
      AWS_SESSION_TOKEN: 'lambda-session',
    });

    // Assess
    expect(JSON.parse(output)).toMatchObject({
      accessKeyId: 'AKIDLAMBDA',
      secretAccessKey: 'lambda-secret',
      sessionToken: 'lambda-session',
    });
    const packages = Object.keys(metafile.inputs)
      .map((f) => f.match(/node_modules\/(@[^/]+\/[^/]+)/)?.[1])
      .filter((p) => p?.startsWith('@aws-sdk/'));
    expect(new Set(packages)).not.toContain('@aws-sdk/credential-provider-node');
    for (const unused of ['ini', 'sso', 'process', 'web-identity', 'http', 'login']) {
      expect(new Set(packages)).not.toContain(`@aws-sdk/credential-provider-${unused}`);
    }
    expect(new Set(packages)).not.toContain('@aws-sdk/nested-clients');
  });

  it('fails with the name of what is missing where the environment has no credentials', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
    } finally {
      if (saved.id !== undefined) process.env.AWS_ACCESS_KEY_ID = saved.id;
      if (saved.secret !== undefined) process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    }
  });
});
