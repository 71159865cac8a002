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

describe('zod in a bundle, without its compiler, fromJSONSchema and JSON Schema converter (zodWithoutCompiler, zodWithoutJsonSchema)', () => {
  it('validates as zod does, in English, reads checks as zod does, and names what it left out should anything call it', async () => {
    // Prepare: zod's `z` as the routes get it, whole (@hono/zod-openapi hands it on).
    const schemas = `const text = z.string().min(2).max(40);
const count = z.number().int().min(1).max(99);
const email = z.email();`;
    const source = `import { z } from '@hono/zod-openapi';
${schemas}
const parsed = z.object({ title: z.string().min(2) }).safeParse({ title: 'x' });
const attempt = (call) => { try { call(); return 'ran'; } catch (error) { return error.message; } };
process.stdout.write(JSON.stringify({
  issues: parsed.error.issues.map((i) => i.message),
  checks: [text.minLength, text.maxLength, count.minValue, count.maxValue, count.isInt, email.format],
  compile: attempt(() => z.compile(z.string())),
  fromJSONSchema: attempt(() => z.fromJSONSchema({ type: 'string' })),
  toJSONSchema: attempt(() => z.toJSONSchema(text)),
  method: attempt(() => text.toJSONSchema()),
  standard: attempt(() => text['~standard'].jsonSchema.input({ target: 'draft-2020-12' })),
}));
`;

    // Act
    const { metafile, output } = await buildAndRun('zod', source);

    // Assess
    // The same schemas unbundled: what zod itself reads from their checks.
    const { z } = await import('@hono/zod-openapi');
    const text = z.string().min(2).max(40);
    const count = z.number().int().min(1).max(99);
    const email = z.email();
    const leftOut = (name: string, plugin: string) =>
      `zod's ${name} is not in the Lambda bundles (${plugin}, infra/bundling.ts)`;
    expect(JSON.parse(output)).toEqual({
      issues: ['Too small: expected string to have >=2 characters'],
      checks: [2, 40, 1, 99, true, 'email'],
      compile: leftOut('compile', 'zodWithoutCompiler'),
      fromJSONSchema: leftOut('fromJSONSchema', 'zodWithoutCompiler'),
      toJSONSchema: leftOut('toJSONSchema', 'zodWithoutJsonSchema'),
      method: leftOut('createToJSONSchemaMethod', 'zodWithoutJsonSchema'),
      standard: leftOut('createStandardJSONSchemaMethod', 'zodWithoutJsonSchema'),
    });
    expect([
      text.minLength,
      text.maxLength,
      count.minValue,
      count.maxValue,
      count.isInt,
      email.format,
    ]).toEqual([2, 40, 1, 99, true, 'email']);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((f) => /zod\/v4\/(core\/compile|classic\/from-json-schema)\.js$/.test(f))).toEqual(
      [
        expect.stringMatching(/^zod-without-compiler:.*compile\.js$/),
        expect.stringMatching(/^zod-without-compiler:.*from-json-schema\.js$/),
      ].sort(),
    );
    expect(
      inputs.filter((f) => /zod\/v4\/core\/(to-json-schema|json-schema-generator)\.js$/.test(f)),
    ).toEqual([
      expect.stringMatching(/^zod-without-json-schema:.*to-json-schema\.js$/),
      expect.stringMatching(/^zod-without-json-schema:.*json-schema-generator\.js$/),
    ]);
  });

  it('refuses to build what imports zod/compile', async () => {
    await expect(buildAndRun('zod-compile', "import 'zod/compile';\n")).rejects.toThrow(/zod's compiler/);
  });
});

describe('zod-to-openapi in a bundle, its generator apart (zodToOpenApiGeneratorApart)', () => {
  it('mounts documented routes at start and writes the same document from a chunk loaded on first use', async () => {
    // Prepare: routes with a named schema (kept in the registry of schemas' metadata, which the
    // generator's copy must share), and a module loaded on first use that writes the document.
    const routes = `import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
export const app = new OpenAPIHono();
const Greeting = z.object({ text: z.string().min(2).max(40) }).openapi('Greeting');
app.openapi(
  createRoute({ method: 'get', path: '/greeting', responses: { 200: { description: 'A greeting', content: { 'application/json': { schema: Greeting } } } } }),
  (c) => c.json({ text: 'hello' }),
);
`;
    writeFileSync(join(dir, 'openapi-routes.ts'), routes);
    const writer = `import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
export const write = (app) => new OpenApiGeneratorV31(app.openAPIRegistry.definitions).generateDocument({ openapi: '3.1.0', info: { title: 't', version: '1' } });
`;
    writeFileSync(join(dir, 'openapi-writer.ts'), writer);
    const source = `import { app } from './openapi-routes';
const attempt = (call) => { try { call(); return 'ran'; } catch (error) { return error.message; } };
const greeting = await (await app.request('/greeting')).json();
const hono = attempt(() => app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } }));
const document = (await import('./openapi-writer')).write(app);
process.stdout.write(JSON.stringify({ greeting, hono, document }));
`;

    // Act
    const { metafile, output } = await buildAndRun('openapi', source);

    // Assess
    const { app } = await import(join(dir, 'openapi-routes.ts'));
    const { write } = await import(join(dir, 'openapi-writer.ts'));
    const bundled = JSON.parse(output);
    expect(bundled.greeting).toEqual({ text: 'hello' });
    expect(bundled.hono).toBe(
      "zod-to-openapi's OpenApiGeneratorV31 is not in the Lambda bundles (zodToOpenApiGeneratorApart, infra/bundling.ts)",
    );
    expect(bundled.document.components.schemas.Greeting).toBeDefined();
    expect(bundled.document).toEqual(write(app));
    const { loaded } = bundleFiles(metafile);
    const atStart = loaded.flatMap((file) => Object.keys(metafile.outputs[file]!.inputs));
    const everywhere = Object.keys(metafile.inputs);
    expect(everywhere).toContainEqual(expect.stringMatching(/^zod-to-openapi-generator:/));
    expect(atStart).not.toContainEqual(expect.stringMatching(/^zod-to-openapi-generator:/));
    expect(atStart).toContainEqual(expect.stringMatching(/^zod-to-openapi-without-generator:/));
  });
});

describe("an SDK client's version in a bundle (sdkClientVersionOnly)", () => {
  it('names the client and its version in the user agent, without the rest of its package.json', async () => {
    // Prepare
    const source = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({ region: 'cn-north-1' });
process.stdout.write(JSON.stringify(await client.config.defaultUserAgentProvider()));
`;

    // Act
    const { output, code } = await buildAndRun('client-version', source);

    // Assess
    const manifest = JSON.parse(
      readFileSync(join(REPO, 'node_modules/@aws-sdk/client-dynamodb/package.json'), 'utf8'),
    );
    expect(JSON.parse(output)).toContainEqual(['api/DynamoDB', manifest.version]);
    // (A boolean: on failure, the bundle's text is not printed.)
    expect(Buffer.concat(code).toString('utf8').includes(manifest.description)).toBe(false);
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
