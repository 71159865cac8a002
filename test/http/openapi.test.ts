import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { PROBLEM_TYPES, problemType } from '../../shared/http/problem';
import { type OpenApiDocument, type Operation, openObjects } from '../support/contract';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
let app: App;
let doc: OpenApiDocument & {
  servers?: { url: string }[];
  tags?: { name: string }[];
  components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
};
let dir: string;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  doc = await json(await app.request('/openapi.json'));
  dir = await mkdtemp(join(tmpdir(), 'zhuqi-openapi-'));
});
afterAll(async () => {
  await services.store.close();
  await rm(dir, { recursive: true, force: true });
});

type FullOperation = Operation & {
  tags?: string[];
  security?: unknown[];
  requestBody?: unknown;
  parameters?: { name: string; in: string }[];
  description?: string;
};
const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      where: `${method.toUpperCase()} ${path}`,
      operation: operation as FullOperation,
    })),
  );

describe('the served /openapi.json', () => {
  it('passes @redocly/cli lint with the recommended ruleset: no error, no warning', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const cli = join(process.cwd(), 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    // redocly exits 1 when it finds errors; the report on stdout is what the test reads.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', file, '--extends', 'recommended', '--format', 'json'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('closes every object it answers with (and every webhook payload): no field goes undocumented', () => {
    expect(openObjects(doc)).toEqual([]);
  });

  it('names every operation, declares its tags, and has servers', () => {
    const declared = new Set((doc.tags ?? []).map((t) => t.name));
    const ids = operations().map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, operation } of operations()) {
      expect(operation.tags?.length, where).toBeGreaterThan(0);
      for (const tag of operation.tags ?? []) expect(declared.has(tag), `${where} tag ${tag}`).toBe(true);
    }
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('documents the errors every kind of operation really answers', () => {
    for (const { where, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      expect(statuses, where).toContain('500');
      if (operation.security?.length) {
        expect(statuses, `${where} takes a key`).toEqual(expect.arrayContaining(['401', '403']));
        expect(Object.keys(operation.responses['401']!.headers ?? {}), where).toContain('WWW-Authenticate');
      } else {
        expect(operation.security, `${where} is public: security []`).toEqual([]);
      }
      if (operation.requestBody) {
        expect(statuses, `${where} takes a body`).toEqual(
          expect.arrayContaining(['400', '413', '415', '422']),
        );
      }
      if (operation.parameters?.some((p) => p.name === 'cursor')) {
        expect(operation.description, `${where} is paged`).toMatch(/The last page has no `cursor`/);
      }
    }
  });

  it('holds every HTTP test to the contract: they build the app with contractApp', async () => {
    // connection.test.ts checks sockets (Connection: close after 413/415), not answers.
    const socketLevel = new Set(['connection.test.ts']);
    for (const folder of ['http', 'integration']) {
      const here = join(process.cwd(), 'test', folder);
      const files = (await readdir(here)).filter((f) => f.endsWith('.test.ts') && !socketLevel.has(f));
      for (const file of files) {
        const source = await readFile(join(here, file), 'utf8');
        expect(source, `${folder}/${file} builds the app itself`).not.toMatch(/\bcreateApp\(/);
      }
    }
  });

  it('lists and describes every problem type in the Problem schema', () => {
    const type = doc.components.schemas.Problem!.properties!.type as { enum: string[]; description: string };
    expect(type.enum).toEqual(Object.keys(PROBLEM_TYPES).map((slug) => problemType(slug as never)));
    for (const uri of type.enum) expect(type.description).toContain(uri);
    const fieldError = doc.components.schemas.FieldError!.properties!;
    expect(Object.keys(fieldError)).toEqual(['field', 'code', 'message', 'params']);
  });
});
