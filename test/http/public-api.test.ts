import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { creditCodeOf } from '../support/enterprises';
import { validFiling, withField } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
let app: App;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  app.request('/api/v1/cases', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('public API', () => {
  it('files a case: 201 with id, case number, status and a tracking link', async () => {
    const response = await post(validFiling(), { 'Idempotency-Key': 'http-1' });
    expect(response.status).toBe(201);
    const body = await json(response);
    expect(body).toEqual({
      id: expect.stringMatching(/^[a-z2-7]{20}$/),
      caseNo: expect.stringMatching(/^YL-2026-\d{6}$/),
      status: 'submitted',
      trackingUrl: expect.stringMatching(/^http:\/\/localhost\/track\/YL-2026-\d{6}\?k=[\w-]{22}$/),
    });
    expect(response.headers.get('Location')).toBe(`/api/v1/cases/${body.caseNo}`);
  });

  it('answers a repeated request with the same case and says it was replayed', async () => {
    const first = await json(await post(validFiling(), { 'Idempotency-Key': 'http-replay' }));
    const again = await post(validFiling(), { 'Idempotency-Key': 'http-replay' });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await json(again)).toEqual(first);
  });

  it('refuses an Idempotency-Key reused with another body with 422', async () => {
    await post(validFiling(), { 'Idempotency-Key': 'http-reuse' });
    const response = await post(
      { ...validFiling(), title: '不同的问题' },
      { 'Idempotency-Key': 'http-reuse' },
    );
    expect(response.status).toBe(422);
    expect((await json(response)).type).toBe('urn:zhuqi:problem:idempotency-key-reused');
  });

  it.each([
    ['enterprise.creditCode', '91350100M000100Y44', 'credit_code_check', /check character/],
    ['enterprise.creditCode', '91350100M000100Y4', 'credit_code_length', /18 characters/],
    ['enterprise.name', '', 'required', /required/],
    ['enterprise.name', 'x', 'too_short', /at least 2/],
    ['enterprise.township', 'nowhere', 'not_in_list', /one of/],
    ['contact.name', '', 'required', /required/],
    ['contact.mobile', '1381234567', 'mobile', /mobile/],
    ['category', 'weather', 'not_in_list', /one of/],
    ['title', '', 'required', /required/],
    ['description', '短', 'too_short', /at least 10/],
    ['channel', 'fax', 'not_in_list', /one of/],
    ['enterprise', undefined, 'required', /required/],
  ])(
    'answers an invalid %s (%j) with a 422 problem naming the field',
    async (field, value, code, message) => {
      const before = (await services.cases.listByStatus('submitted', { limit: 200 })).items.length;
      const response = await post(withField(validFiling(), field, value));
      expect(response.status).toBe(422);
      expect(response.headers.get('Content-Type')).toBe('application/problem+json');
      const problem = await json(response);
      expect(problem).toMatchObject({ type: 'urn:zhuqi:problem:validation', status: 422 });
      expect(problem.errors).toEqual([
        expect.objectContaining({ field, code, message: expect.stringMatching(message) }),
      ]);
      expect((await services.cases.listByStatus('submitted', { limit: 200 })).items).toHaveLength(before);
    },
  );

  it('answers malformed JSON with 400', async () => {
    const response = await post('{"enterprise": ');
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ status: 400, detail: expect.stringMatching(/JSON/) });
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(response.status).toBe(415);
    expect(await json(response)).toMatchObject({
      status: 415,
      detail: expect.stringMatching(/application\/json/),
    });
  });

  it('answers an oversize body with 413 without reading it all', async () => {
    const big = { ...validFiling(), description: 'x'.repeat(70 * 1024) };
    const response = await post(big);
    expect(response.status).toBe(413);
    expect(await json(response)).toMatchObject({ type: 'urn:zhuqi:problem:payload-too-large' });
  });

  it.each([
    ['too long', 'x'.repeat(256)],
    ['with a space', 'two words'],
  ])('refuses an Idempotency-Key %s with 400 naming the header, as documented', async (_, key) => {
    const before = (await services.cases.everyByStatus('submitted')).length;
    const response = await post(validFiling(), { 'Idempotency-Key': key });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({
      type: 'urn:zhuqi:problem:bad-request',
      errors: [{ field: 'header.idempotency-key', code: 'invalid' }],
    });
    expect((await services.cases.everyByStatus('submitted')).length).toBe(before);
  });

  it('takes an Idempotency-Key of 255 visible characters', async () => {
    const response = await post(
      { ...validFiling(), title: '最长的幂等键' },
      { 'Idempotency-Key': 'k'.repeat(255) },
    );
    expect(response.status).toBe(201);
  });

  it('shows the case by its tracking link, and nothing for a wrong or missing key', async () => {
    const { caseNo, trackingUrl } = await json(
      await post(validFiling(), { 'Idempotency-Key': 'http-track' }),
    );
    const key = new URL(trackingUrl).searchParams.get('k');
    const ok = await app.request(`/api/v1/cases/${caseNo}?k=${key}`);
    expect(ok.status).toBe(200);
    const view = await json(ok);
    expect(view).toMatchObject({
      caseNo,
      status: 'submitted',
      history: [{ action: 'file', status: 'submitted' }],
    });
    expect(JSON.stringify(view)).not.toContain('13812345678');

    const wrong = await app.request(`/api/v1/cases/${caseNo}?k=${key}x`);
    const missing = await app.request(`/api/v1/cases/${caseNo}`);
    const unknown = await app.request(`/api/v1/cases/YL-2026-999999?k=${key}`);
    for (const response of [wrong, missing, unknown]) {
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({
        type: 'urn:zhuqi:problem:not-found',
        title: 'Not found',
        status: 404,
        detail: 'no such resource',
      });
    }
  });

  it('serves the catalogue the form is built from', async () => {
    const catalog = await json(await app.request('/api/v1/catalog'));
    expect(catalog.categories.map((c: { id: string }) => c.id)).toEqual(
      services.config.categories.map((c) => c.id),
    );
    expect(catalog.townships).toHaveLength(services.config.townships.length);
    expect(catalog.levels).toEqual(['on_spot', 'department', 'task_force', 'government', 'leader']);
    expect(catalog.units).toContainEqual({
      id: 'tf-legal',
      kind: 'task_force',
      zh: '涉法涉诉专班',
      en: 'Legal Affairs Task Force',
    });
  });

  it('documents itself: /openapi.json from the same schemas, /docs to browse it', async () => {
    const doc = await json(await app.request('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/catalog',
        '/api/v1/cases',
        '/api/v1/cases/{caseNo}',
        '/survey/{token}',
      ]),
    );
    const filing = doc.components.schemas.Filing;
    expect(filing.required).toEqual(
      expect.arrayContaining(['enterprise', 'contact', 'category', 'title', 'description']),
    );
    const docs = await app.request('/docs');
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/api/v1/cases/{caseNo}');
  });

  it('answers a survey link that is unknown with a JSON problem document (404), malformed JSON with 400', async () => {
    const answer = (token: string, body: string) =>
      app.request(`/survey/${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    for (const token of ['short', 'x'.repeat(32)]) {
      const gone = await answer(token, JSON.stringify({ solved: 'yes', satisfaction: 'satisfied' }));
      expect(gone.status).toBe(404);
      expect(gone.headers.get('Content-Type')).toBe('application/problem+json');
      expect(await json(gone)).toMatchObject({ type: 'urn:zhuqi:problem:not-found', status: 404 });
    }
    const malformed = await answer('x'.repeat(32), '{"solved":');
    expect(malformed.status).toBe(400);
    expect(await json(malformed)).toMatchObject({ type: 'urn:zhuqi:problem:bad-request', status: 400 });
  });

  it('answers liveness and unknown routes', async () => {
    expect(await json(await app.request('/healthz'))).toEqual({ status: 'ok' });
    const unknown = await app.request('/api/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('Content-Type')).toBe('application/problem+json');
  });
});

describe('idempotency that leaks nothing', () => {
  it('refuses the same body again without a key with 409 and no tracking link; a new key files a new case', async () => {
    // Prepare
    const filing = { ...validFiling(), title: '无键重复提交' };
    const first = await json(await post(filing));

    // Act
    const again = await post(filing);
    const withKey = await post(filing, { 'Idempotency-Key': 'after-a-duplicate' });

    // Assess
    expect(again.status).toBe(409);
    const text = await again.text();
    expect(JSON.parse(text)).toMatchObject({ type: 'urn:zhuqi:problem:duplicate-filing', status: 409 });
    expect(text).not.toContain(first.caseNo);
    expect(text).not.toContain(new URL(first.trackingUrl).searchParams.get('k'));
    expect(withKey.status).toBe(201);
    expect((await json(withKey)).caseNo).not.toBe(first.caseNo);
  });

  it('answers a replay with the tracking link only when it carries the same Idempotency-Key', async () => {
    // Prepare
    const filing = { ...validFiling(), title: '带键重放' };
    const first = await json(await post(filing, { 'Idempotency-Key': 'owner-key' }));

    // Act
    const sameKey = await post(filing, { 'Idempotency-Key': 'owner-key' });
    const otherKey = await post(filing, { 'Idempotency-Key': 'somebody-else' });
    const noKey = await post(filing);

    // Assess
    expect((await json(sameKey)).trackingUrl).toBe(first.trackingUrl);
    expect(otherKey.status).toBe(201);
    expect((await json(otherKey)).trackingUrl).not.toBe(first.trackingUrl);
    expect(noKey.status).toBe(201); // a keyed filing is no content duplicate of an unkeyed one
    expect((await json(noKey)).trackingUrl).not.toBe(first.trackingUrl);
  });

  it('a form sent twice with its one-time token is one case; the same content from another render is refused without the link only when it has no token', async () => {
    // Prepare
    const fields = new URLSearchParams({
      'enterprise.name': validFiling().enterprise.name,
      'enterprise.creditCode': creditCodeOf(7001), // this file has used up validFiling()'s credit code for today
      'enterprise.township': 'anling',
      'contact.name': '王丽',
      'contact.mobile': '13812345678',
      category: 'utilities',
      title: '表单重复提交',
      description: validFiling().description,
    });
    const submit = (token?: string) =>
      app.request('/cases', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
        body: `${fields.toString()}${token ? `&submissionId=${token}` : ''}`,
      });

    // Act
    const first = await submit('render-token-0000000001');
    const reload = await submit('render-token-0000000001');
    const tokenless = await submit();
    const tokenlessAgain = await submit();

    // Assess: after filing, the form redirects to the confirmation, whose address carries the key.
    const firstLink = first.headers.get('Location');
    expect(first.status).toBe(303);
    expect(firstLink).toMatch(/\?k=/);
    expect(reload.headers.get('Location')).toBe(firstLink);
    expect(tokenless.status).toBe(303);
    expect(tokenlessAgain.status).toBe(409);
    expect(tokenlessAgain.headers.get('Location')).toBeNull();
    expect(await tokenlessAgain.text()).not.toMatch(/\?k=/);
  });
});
