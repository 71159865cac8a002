import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../shared/app/ports';
import type { App } from '../../shared/http/app';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The hostile inputs that once answered 500, one by one, and the headers of answers that carry
// secrets or personal data. The property test (fuzz.test.ts) covers every route at random.
let services: TestServices;
let app: App;
const logged: string[] = [];
beforeAll(async () => {
  const base = await testServices();
  const record = (message: string, extra?: Record<string, unknown>) =>
    logged.push(`${message} ${JSON.stringify(extra ?? {})}`);
  const logger: Logger = { info: record, warn: record, error: record };
  services = { ...base, logger };
  app = await contractApp(services);
});
afterAll(() => services.store.close());

const SECRET_BODY = 'zq-body-fragment-that-must-not-be-logged';

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('application/problem+json');
  expect(await json(response)).toMatchObject({ status });
}

const send = (path: string, type: string, body: string) =>
  app.request(path, { method: 'POST', headers: { 'Content-Type': type }, body });

describe('malformed bodies are 400 problems, never 500', () => {
  it.each([
    [
      'a multipart body without its closing boundary',
      'multipart/form-data; boundary=zq',
      `--zq\r\nContent-Disposition: form-data; name="title"\r\n\r\n${SECRET_BODY}`,
    ],
    ['a multipart body without a boundary parameter', 'multipart/form-data', `--zq\r\n${SECRET_BODY}`],
  ])('POST /cases with %s', async (_name, type, body) => {
    await expectProblem(await send('/cases', type, body), 400);
  });

  it.each([
    ['malformed JSON', `{"solved": "${SECRET_BODY}`],
    ['an empty body', ''],
    ['JSON that is not an object', `["${SECRET_BODY}"]`],
  ])('POST /survey/{token} with %s', async (_name, body) => {
    await expectProblem(await send('/survey/abcdefghijklmnop0123', 'application/json', body), 400);
  });

  it('reads a +json media type as JSON, and a form type that merely mentions json as a form', async () => {
    // Prepare
    const filing = JSON.stringify({ ...validFiling(), title: '后缀媒体类型' });

    // Act
    const suffixed = await send('/api/v1/cases', 'application/vnd.zhuqi+json', filing);
    const looseForm = await send(
      '/survey/abcdefghijklmnop0123',
      'application/x-www-form-urlencoded; x=json',
      filing,
    );
    const lookalikes = await Promise.all(
      ['text/json', 'application/jsonp', 'application/json-patch', 'application/x-json'].map((type) =>
        send('/api/v1/cases', type, filing),
      ),
    );

    // Assess: the form is read as a form (no valid answer in it: 422), not as JSON.
    expect(suffixed.status).toBe(201);
    await expectProblem(looseForm, 422);
    for (const response of lookalikes) await expectProblem(response, 415);
  });

  it('logs no fragment of any of these bodies', () => {
    expect(logged.join('\n')).not.toContain(SECRET_BODY);
    expect(logged.filter((line) => line.startsWith('unhandled'))).toEqual([]);
  });
});

describe('answers that carry secrets or personal data are neither cached nor indexed', () => {
  it('tracking, survey, office and unit answers say Cache-Control: no-store and X-Robots-Tag: noindex', async () => {
    // Prepare
    const filed = await json(await send('/api/v1/cases', 'application/json', JSON.stringify(validFiling())));
    const tracking = new URL(filed.trackingUrl);
    const unitKey = await services.unitKey('power-supply');

    // Act
    const answers = await Promise.all([
      app.request(`${tracking.pathname}${tracking.search}`),
      app.request(`/api/v1/cases/${filed.caseNo}${tracking.search}`),
      app.request(`/track?caseNo=${filed.caseNo}&k=${tracking.searchParams.get('k')}`),
      app.request('/survey/abcdefghijklmnop0123'),
      app.request(`/api/v1/office/cases/${filed.id}`, {
        headers: { Authorization: `Bearer ${services.officeKey}` },
      }),
      app.request('/api/v1/unit/cases', { headers: { Authorization: `Bearer ${unitKey}` } }),
    ]);

    // Assess
    expect(answers.map((r) => r.status)).toEqual([200, 200, 303, 404, 200, 200]);
    for (const response of answers) {
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(response.headers.get('X-Robots-Tag')).toBe('noindex');
      expect(response.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    }
  });

  it('the filing form is kept by no shared cache (it carries a one-time token) but may be indexed; the catalogue and contract may be both', async () => {
    const form = await app.request('/');
    expect(form.headers.get('Cache-Control')).toBe('private, no-cache');
    expect(form.headers.get('X-Robots-Tag')).toBeNull();
    for (const path of ['/api/v1/catalog', '/openapi.json', '/healthz']) {
      const response = await app.request(path);
      expect(response.headers.get('Cache-Control'), path).toBeNull();
      expect(response.headers.get('X-Robots-Tag'), path).toBeNull();
    }
  });
});
