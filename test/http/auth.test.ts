import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../shared/app/secrets';
import type { App } from '../../shared/http/app';
import { keys } from '../../shared/store/keys';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
let app: App;
let unitKey: string;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  unitKey = await services.unitKey('power-supply');
});
afterAll(() => services.store.close());

/** Every request of this file: no answer may be a 500. */
async function call(
  method: string,
  path: string,
  options: { authorization?: string; key?: string; body?: unknown } = {},
): Promise<Response> {
  const authorization = options.key ? `Bearer ${options.key}` : options.authorization;
  const response = await app.request(path, {
    method,
    headers: {
      ...(authorization !== undefined ? { Authorization: authorization } : {}),
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  expect(response.status).toBeLessThan(500);
  return response;
}

async function expectProblem(response: Response, status: number, type: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await json(response)).toMatchObject({ type: `urn:zhuqi:problem:${type}`, status });
}

async function expectUnauthenticated(response: Response) {
  expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer\b/);
  await expectProblem(response, 401, 'unauthenticated');
}

// One route of each kind per guarded sub-app: a read, and a write whose body is checked only after the key.
const OFFICE_ROUTES = [
  ['GET', '/api/v1/office/cases?status=triage'],
  ['GET', '/api/v1/office/units'],
  ['POST', '/api/v1/office/cases/abc/triage'],
] as const;
const UNIT_ROUTES = [
  ['GET', '/api/v1/unit/cases'],
  ['POST', '/api/v1/unit/cases/abc/accept'],
] as const;
const GUARDED = [...OFFICE_ROUTES, ...UNIT_ROUTES];

describe('API keys', () => {
  it.each(GUARDED)(
    '%s %s without an Authorization header is 401 with a Bearer challenge',
    async (method, path) => {
      const response = await call(method, path, { ...(method === 'POST' ? { body: {} } : {}) });
      await expectUnauthenticated(response);
    },
  );

  it.each([
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
    ['Bearer without a key', 'Bearer'],
    ['Bearer with two words', 'Bearer one two'],
    ['an empty header', ''],
  ])('a malformed header (%s) is 401 on office and unit routes', async (_name, authorization) => {
    for (const [method, path] of GUARDED) {
      await expectUnauthenticated(await call(method, path, { authorization }));
    }
  });

  it('an unknown key is 401 on office and unit routes', async () => {
    for (const [method, path] of GUARDED) {
      await expectUnauthenticated(await call(method, path, { key: 'zq_unit_not-a-key-anybody-was-given' }));
    }
  });

  it('a unit key on an office route, and the office key on a unit route, are 403', async () => {
    for (const [method, path] of OFFICE_ROUTES) {
      await expectProblem(await call(method, path, { key: unitKey }), 403, 'forbidden');
    }
    for (const [method, path] of UNIT_ROUTES) {
      await expectProblem(await call(method, path, { key: services.officeKey }), 403, 'forbidden');
    }
  });

  it('the right key of each role is let in', async () => {
    expect((await call('GET', '/api/v1/office/units', { key: services.officeKey })).status).toBe(200);
    expect((await call('GET', '/api/v1/unit/cases', { key: unitKey })).status).toBe(200);
  });

  it('issues a unit key once: the answer carries it, the list never shows it', async () => {
    // Prepare
    const office = { key: services.officeKey };

    // Act
    const issued = await call('POST', '/api/v1/office/units/hrss/keys', {
      ...office,
      body: { label: '对接系统' },
    });
    const list = await call('GET', '/api/v1/office/units/hrss/keys', office);

    // Assess
    expect(issued.status).toBe(201);
    const body = await json(issued);
    expect(body).toMatchObject({ role: 'unit', unitId: 'hrss', label: '对接系统' });
    expect(body.key).toMatch(/^zq_unit_[\w-]{20,}$/);
    expect(body.id).toBe(sha256(body.key));
    expect(body.prefix).toBe(body.key.slice(0, body.prefix.length));
    expect(body.prefix.length).toBeLessThan(body.key.length);
    expect(list.status).toBe(200);
    const text = await list.text();
    expect(text).not.toContain(body.key);
    const listed = JSON.parse(text).items.find((k: { id: string }) => k.id === body.id);
    expect(listed).toEqual({
      id: body.id,
      prefix: body.prefix,
      label: '对接系统',
      role: 'unit',
      unitId: 'hrss',
      createdAt: body.createdAt,
    });
    expect((await call('GET', '/api/v1/unit/cases', { key: body.key })).status).toBe(200);
  });

  it('stores a key only as its SHA-256 hash', async () => {
    // Prepare
    const issued = await json(
      await call('POST', '/api/v1/office/units/power-supply/keys', {
        key: services.officeKey,
        body: { label: 'hash check' },
      }),
    );

    for (const key of [issued.key as string, services.officeKey]) {
      // Act
      const record = await services.access.findApiKey(sha256(key));
      const item = await services.store.db.send(
        new GetCommand({ TableName: services.store.tableName, Key: keys.apiKey(sha256(key)) }),
      );

      // Assess
      expect(record?.hash).toBe(sha256(key));
      expect(item.Item).toBeDefined();
      for (const [field, value] of Object.entries(item.Item!)) {
        expect(String(value), `stored field ${field}`).not.toContain(key);
      }
      expect(JSON.stringify(item.Item)).not.toContain(key);
    }
  });

  it('a revoked key is 401; revoking keeps it listed with the time it was revoked', async () => {
    // Prepare
    const office = { key: services.officeKey };
    const issued = await json(
      await call('POST', '/api/v1/office/units/power-supply/keys', {
        ...office,
        body: { label: 'to revoke' },
      }),
    );
    expect((await call('GET', '/api/v1/unit/cases', { key: issued.key })).status).toBe(200);
    services.clock.advance(60_000);

    // Act
    const revoked = await call('DELETE', `/api/v1/office/units/power-supply/keys/${issued.id}`, office);

    // Assess
    expect(revoked.status).toBe(204);
    for (const [method, path] of UNIT_ROUTES) {
      await expectUnauthenticated(await call(method, path, { key: issued.key }));
    }
    const list = await json(await call('GET', '/api/v1/office/units/power-supply/keys', office));
    expect(list.items.find((k: { id: string }) => k.id === issued.id)).toMatchObject({
      revokedAt: services.clock.now().toISOString(),
    });
    // The other key of the same unit still works.
    expect((await call('GET', '/api/v1/unit/cases', { key: unitKey })).status).toBe(200);
  });

  it('revoking through another unit, or an unknown key, is 404 and leaves the key working', async () => {
    // Prepare
    const office = { key: services.officeKey };
    const issued = await json(
      await call('POST', '/api/v1/office/units/power-supply/keys', { ...office, body: { label: 'kept' } }),
    );

    // Act
    const wrongUnit = await call('DELETE', `/api/v1/office/units/hrss/keys/${issued.id}`, office);
    const unknown = await call('DELETE', `/api/v1/office/units/power-supply/keys/${'0'.repeat(64)}`, office);
    const byUnit = await call('DELETE', `/api/v1/office/units/power-supply/keys/${issued.id}`, {
      key: issued.key,
    });

    // Assess
    await expectProblem(wrongUnit, 404, 'not-found');
    await expectProblem(unknown, 404, 'not-found');
    await expectProblem(byUnit, 403, 'forbidden');
    expect((await call('GET', '/api/v1/unit/cases', { key: issued.key })).status).toBe(200);
  });
});
