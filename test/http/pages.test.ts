import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrackingLink } from '../../shared/app/track-case';
import type { App } from '../../shared/http/app';
import { validFiling } from '../support/fixtures';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
let app: App;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

const HTML = { Accept: 'text/html' };

/** The filing form as a browser sends it: fields named by their JSON path. */
function formBody(submissionId?: string): URLSearchParams {
  const f = validFiling();
  return new URLSearchParams({
    ...(submissionId ? { submissionId } : {}),
    'enterprise.name': f.enterprise.name,
    'enterprise.creditCode': f.enterprise.creditCode,
    'enterprise.township': f.enterprise.township,
    'contact.name': f.contact.name,
    'contact.mobile': f.contact.mobile,
    category: f.category,
    title: f.title,
    description: f.description,
  });
}
const postForm = (body: URLSearchParams) =>
  app.request('/cases', {
    method: 'POST',
    headers: { ...HTML, 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
  });

describe('the public pages over HTTP', () => {
  it('compresses pages and documents when the client asks, and only then', async () => {
    for (const path of ['/', '/docs', '/openapi.json']) {
      // Act
      const gzipped = await app.request(path, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
      const plain = await app.request(path);

      // Assess
      expect(gzipped.headers.get('Content-Encoding'), path).toBe('gzip');
      const inflated = gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString('utf8');
      const text = await plain.text();
      expect(plain.headers.get('Content-Encoding'), path).toBeNull();
      // The form is rendered with a fresh submission id each time; everything else is the same.
      const fresh = (html: string) => html.replace(/name="submissionId" value="[^"]*"/, '');
      expect(fresh(inflated)).toBe(fresh(text));
      expect(text.length).toBeGreaterThan(1024);
    }
  });

  it('serves its icon at /favicon.svg and /favicon.ico, and every page links it and describes itself', async () => {
    for (const path of ['/favicon.svg', '/favicon.ico']) {
      const icon = await app.request(path);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('Content-Type')).toBe('image/svg+xml; charset=utf-8');
      expect(await icon.text()).toMatch(/^<svg /);
    }
    for (const path of ['/', '/track', '/docs', '/?lang=en']) {
      const html = await (await app.request(path)).text();
      expect(html, path).toMatch(/^<!DOCTYPE html>/);
      expect(html, path).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml"/>');
      expect(html, path).toMatch(/<meta name="description" content="[^"]{30,}"\/>/);
    }
  });

  it('answers a filed form with 303 to a confirmation that carries the tracking key (Post/Redirect/Get)', async () => {
    // Act
    const response = await postForm(formBody('prg-submission-0000001'));

    // Assess
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('Location') ?? '', 'http://localhost');
    const caseNo = location.pathname.replace('/filed/', '');
    const record = await services.cases.getByCaseNo(caseNo);
    expect(record?.title).toBe(validFiling().title);
    expect(location.searchParams.get('k')).toBe(record?.trackingKey);
    const confirmation = await app.request(`${location.pathname}${location.search}`, { headers: HTML });
    expect(confirmation.status).toBe(200);
    const page = await confirmation.text();
    expect(page).toContain(caseNo);
    expect(page).toContain(`/track/${caseNo}?k=${record?.trackingKey}`);
    for (const wrong of ['', '?k=', '?k=not-the-key']) {
      const refused = await app.request(`/filed/${caseNo}${wrong}`, { headers: HTML });
      expect(refused.status, wrong).toBe(404);
      expect(await refused.text()).not.toContain(record?.trackingKey);
    }
  });

  it('sends the same form twice to the same case', async () => {
    const first = await postForm(formBody('prg-submission-0000002'));
    const second = await postForm(formBody('prg-submission-0000002'));
    expect(second.status).toBe(303);
    expect(second.headers.get('Location')).toBe(first.headers.get('Location'));
  });

  it('looks a case up from the whole tracking link, or from its number and key', async () => {
    const link = 'https://zhuqi.example.gov.cn/track/yl-2026-000123?k=AbC_d-9';
    for (const query of [
      `link=${encodeURIComponent(link)}`,
      `link=${encodeURIComponent(` ${link.replace('https://', '')}\n`)}`,
      'caseNo=yl-2026-000123&k=AbC_d-9',
      // The number pasted into the link field, then the number and code typed apart.
      'link=YL-2026-000123&caseNo=YL-2026-000123&k=AbC_d-9',
    ]) {
      const response = await app.request(`/track?${query}`);
      expect(response.status, query).toBe(303);
      expect(response.headers.get('Location'), query).toBe('/track/YL-2026-000123?k=AbC_d-9');
    }
    const notALink = await app.request('/track?link=YL-2026-000123', { headers: HTML });
    expect(notALink.status).toBe(400);
    expect(await notALink.text()).toContain('这不是查询链接');
  });
});

describe('parseTrackingLink', () => {
  it.each([
    ['http://127.0.0.1:3000/track/YL-2026-000001?k=abc', { caseNo: 'YL-2026-000001', key: 'abc' }],
    ['127.0.0.1:3000/track/YL-2026-000001?k=abc', { caseNo: 'YL-2026-000001', key: 'abc' }],
    ['https://x.cn/track/yl-2026-000001?lang=zh&k=A_b-c#top', { caseNo: 'YL-2026-000001', key: 'A_b-c' }],
    ['  /track/YL-2026-000001/?k=abc  ', { caseNo: 'YL-2026-000001', key: 'abc' }],
  ])('reads %s', (text, expected) => {
    expect(parseTrackingLink(text)).toEqual(expected);
  });

  it.each(['YL-2026-000001', 'https://x.cn/track/YL-2026-000001', 'https://x.cn/track?k=abc', '', 'k=abc'])(
    'refuses %j',
    (text) => {
      expect(parseTrackingLink(text)).toBeUndefined();
    },
  );
});
