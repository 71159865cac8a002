import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/config';
import { LIMITED_ACTS } from '../../shared/domain/abuse-limits';
import type { App } from '../../shared/http/app';
import { creditCodeOf } from '../support/enterprises';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// Abuse limits per client address (as API Gateway and the Node socket give it) and per credit code,
// counted in the store with conditional writes: two app instances on one table (two Lambda
// instances) share them.
let services: TestServices;
let app: App;
let secondInstance: App;
const LIMIT = 3;
beforeAll(async () => {
  services = await testServices(
    parseConfig({
      abuseLimits: Object.fromEntries(LIMITED_ACTS.map((act) => [act, { max: LIMIT, windowSeconds: 600 }])),
    }),
  );
  app = await contractApp(services);
  secondInstance = await contractApp(services);
});
afterAll(() => services.store.close());

let n = 0;
/** How the Lambda adapter hands the request context to the app. */
const fromLambda = (ip: string) => ({ requestContext: { http: { sourceIp: ip } } });
/** How @hono/node-server hands the socket to the app. */
const fromSocket = (ip: string) => ({ incoming: { socket: { remoteAddress: ip } } });

function file(
  env: object,
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  on = app,
) {
  n++;
  const filing = {
    ...validFiling(),
    enterprise: { ...validFiling().enterprise, creditCode: creditCodeOf(n) },
  };
  return on.request(
    '/api/v1/cases',
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify({ ...filing, title: `第${n}个问题`, ...overrides }),
    },
    env,
  );
}

async function expectTooMany(response: Response) {
  expect(response.status).toBe(429);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await json(response)).toMatchObject({ type: 'urn:zhuqi:problem:too-many-requests', status: 429 });
  const retryAfter = Number(response.headers.get('Retry-After'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(600);
  return retryAfter;
}

describe('abuse limits', () => {
  it('refuses filings from one address over the limit with 429 and Retry-After; other addresses go on', async () => {
    // Prepare
    services.clock.set('2026-11-23T02:00:10Z');
    const address = fromLambda('198.51.100.1');
    for (let i = 0; i < LIMIT; i++) expect((await file(address)).status).toBe(201);

    // Act
    const refused = await file(address);
    const other = await file(fromLambda('198.51.100.2'));

    // Assess: the window is the ten minutes from 02:00:00; ten seconds of it have passed.
    expect(await expectTooMany(refused)).toBe(590);
    expect(other.status).toBe(201);
    services.clock.set('2026-11-23T02:10:00Z');
    expect((await file(address)).status).toBe(201);
  });

  it('counts per credit code across addresses; a repeat with the same Idempotency-Key is never refused', async () => {
    // Prepare
    services.clock.set('2026-11-23T03:00:00Z');
    const creditCode = creditCodeOf(9000);
    const sameEnterprise = { enterprise: { ...validFiling().enterprise, creditCode } };
    const repeated = { ...sameEnterprise, title: '会被重发的问题' };
    const first = await file(fromSocket('203.0.113.1'), repeated, {
      'Idempotency-Key': 'limit-replay',
    });
    for (let i = 2; i <= LIMIT; i++)
      expect((await file(fromSocket(`203.0.113.${i}`), sameEnterprise)).status).toBe(201);

    // Act
    const refused = await file(fromSocket('203.0.113.9'), sameEnterprise);
    const replay = await file(fromSocket('203.0.113.1'), repeated, {
      'Idempotency-Key': 'limit-replay',
    });

    // Assess
    expect(first.status).toBe(201);
    await expectTooMany(refused);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('is shared by every instance of the app on the table, and exact under concurrency', async () => {
    // Prepare
    services.clock.set('2026-11-23T04:00:00Z');
    const address = fromLambda('192.0.2.50');

    // Act: ten filings at once, half through each instance.
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => file(address, {}, {}, i % 2 ? app : secondInstance)),
    );

    // Assess
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(LIMIT).fill(201), ...Array(10 - LIMIT).fill(429)]);
  });

  it('stops an address that guesses tracking keys and survey tokens, even when it then has the right key', async () => {
    // Prepare
    services.clock.set('2026-11-23T05:00:00Z');
    const filed = await json(await file(fromLambda('192.0.2.1')));
    const tracking = new URL(filed.trackingUrl);
    const guesser = fromLambda('192.0.2.66');

    // Act
    const guesses = [
      await app.request(`/api/v1/cases/${filed.caseNo}?k=guess-one`, {}, guesser),
      await app.request(`/track/${filed.caseNo}?k=guess-two`, {}, guesser),
      await app.request('/survey/guessed-token-0123456789', {}, guesser),
    ];
    const blocked = await app.request(`${tracking.pathname}${tracking.search}`, {}, guesser);
    const owner = await app.request(`${tracking.pathname}${tracking.search}`, {}, fromLambda('192.0.2.1'));

    // Assess
    expect(guesses.map((r) => r.status)).toEqual([404, 404, 404]);
    await expectTooMany(blocked);
    expect(owner.status).toBe(200);
  });

  it('limits survey answers per address', async () => {
    services.clock.set('2026-11-23T06:00:00Z');
    const address = fromSocket('192.0.2.77');
    const answer = () =>
      app.request(
        '/survey/abcdefghijklmnop0123',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' },
        address,
      );
    for (let i = 0; i < LIMIT; i++) expect((await answer()).status).toBe(422);
    await expectTooMany(await answer());
  });

  it('stops an address after failed API keys; the right key from it is refused until the window passes', async () => {
    // Prepare
    services.clock.set('2026-11-23T07:00:00Z');
    const address = fromLambda('192.0.2.99');
    const as = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });

    // Act
    const wrong = [];
    for (let i = 0; i < LIMIT; i++)
      wrong.push(await app.request('/api/v1/office/units', as(`zq_office_wrong-${i}`), address));
    const blocked = await app.request('/api/v1/office/units', as(services.officeKey), address);
    const elsewhere = await app.request(
      '/api/v1/office/units',
      as(services.officeKey),
      fromLambda('192.0.2.98'),
    );
    services.clock.set('2026-11-23T07:10:00Z');
    const later = await app.request('/api/v1/office/units', as(services.officeKey), address);

    // Assess
    expect(wrong.map((r) => r.status)).toEqual(Array(LIMIT).fill(401));
    await expectTooMany(blocked);
    expect(elsewhere.status).toBe(200);
    expect(later.status).toBe(200);
  });

  it('shows a browser the refusal as a page in its language', async () => {
    services.clock.set('2026-11-23T08:00:00Z');
    const address = fromSocket('192.0.2.120');
    for (let i = 0; i < LIMIT; i++) await app.request('/track/YL-2026-999999?k=nope', {}, address);
    const page = await app.request(
      '/track/YL-2026-999999?k=nope',
      { headers: { Accept: 'text/html' } },
      address,
    );
    expect(page.status).toBe(429);
    expect(page.headers.get('Retry-After')).toBeTruthy();
    expect(await page.text()).toContain('操作过于频繁');
  });
});

describe('the default limits', () => {
  it('let an honest enterprise file several different problems in a day from one address', async () => {
    // Prepare
    const honest = await testServices();
    const defaults = await contractApp(honest);
    const address = fromLambda('198.51.100.200');

    // Act
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const response = await defaults.request(
        '/api/v1/cases',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ ...validFiling(), title: `本企业的第${i + 1}个问题` }),
        },
        address,
      );
      statuses.push(response.status);
    }
    await honest.store.close();

    // Assess
    expect(statuses).toEqual(Array(8).fill(201));
  });
});
