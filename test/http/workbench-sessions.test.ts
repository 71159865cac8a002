import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { fileIntoTriage } from '../support/filed-cases';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';
import { form, signedIn, type WorkbenchUser } from '../support/workbench';

// Sessions, sign-in, CSRF and the separation of the workbenches, through app.request() on a real
// (in-memory dynalite) store; the workflow is played by the test.
let services: TestServices;
let app: App;
let office: WorkbenchUser;
let clerk: WorkbenchUser;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  office = await signedIn(app, services, { role: 'office', label: '李明' });
  clerk = await signedIn(app, services, { role: 'unit', unitId: 'power-supply', label: '赵强' });
});
afterAll(() => services.store.close());

const caseInTriage = () => fileIntoTriage(services);

const stored = async (id: string) => (await services.cases.get(id))!;

describe('pages and forms need a session', () => {
  it.each([
    ['GET', '/office'],
    ['GET', '/office/cases/aaaaaaaaaaaaaaaaaaaa'],
    ['GET', '/unit'],
    ['GET', '/unit/cases/aaaaaaaaaaaaaaaaaaaa'],
  ])('%s %s redirects to the sign-in page', async (method, path) => {
    const response = await app.request(path, { method });
    expect(response.status).toBe(303);
    const base = path.split('/')[1];
    expect(response.headers.get('Location')).toBe(`/${base}/sign-in?next=${encodeURIComponent(path)}`);
  });

  it('a form posted without a session changes nothing and leads to sign-in', async () => {
    const record = await caseInTriage();
    const response = await app.request(`/office/cases/${record.id}/triage`, {
      method: 'POST',
      ...form({ level: 'department', unitId: 'power-supply' }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/office/sign-in');
    expect(await stored(record.id)).toEqual(record);
  });

  it('shows the sign-in page with a password field', async () => {
    const response = await app.request('/office/sign-in', { headers: { 'Accept-Language': 'zh-CN' } });
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('type="password"');
    expect(html).toContain('活动办工作台');
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, scoped to its workbench, and not Secure over plain HTTP', async () => {
    const { issueApiKey } = await import('../../shared/app/access');
    const { key } = await issueApiKey(services, { role: 'unit', unitId: 'hrss', label: '钱芳' });
    const response = await app.request('/unit/sign-in', { method: 'POST', ...form({ key }) });
    const cookie = response.headers.get('Set-Cookie') ?? '';
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/unit');
    expect(cookie).toMatch(/^zq_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/unit');
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    expect(cookie).not.toContain('Secure');
  });

  it('is Secure when the request came over HTTPS', async () => {
    const { issueApiKey } = await import('../../shared/app/access');
    const { key } = await issueApiKey(services, { role: 'office', label: '孙丽' });
    const direct = await app.request('https://zhuqi.example.gov.cn/office/sign-in', {
      method: 'POST',
      ...form({ key }),
    });
    const proxied = await app.request('/office/sign-in', {
      method: 'POST',
      body: form({ key }).body,
      headers: { ...form({ key }).headers, 'X-Forwarded-Proto': 'https' },
    });
    for (const response of [direct, proxied]) {
      expect(response.status).toBe(303);
      expect(response.headers.get('Set-Cookie')).toMatch(/; Secure/);
    }
  });

  it('never stores the session id itself', async () => {
    const { sha256 } = await import('../../shared/app/secrets');
    expect(await services.sessions.get(office.cookie)).toBeUndefined();
    expect((await services.sessions.get(sha256(office.cookie)))?.role).toBe('office');
  });
});

describe('the workbenches are apart', () => {
  it('a unit session cannot open office pages', async () => {
    const record = await caseInTriage();
    const page = await clerk.get('/office', { Accept: 'text/html' });
    const casePage = await clerk.get(`/office/cases/${record.id}`);
    expect(page.status).toBe(403);
    expect(casePage.status).toBe(403);
  });

  it('an office session cannot open the unit workbench, and a unit sees only its own cases', async () => {
    const record = await caseInTriage();
    expect((await office.get('/unit')).status).toBe(403);
    await office.post(`/office/cases/${record.id}/triage`, { level: 'department', unitId: 'hrss' });
    expect((await clerk.get(`/unit/cases/${record.id}`)).status).toBe(404);
    const accept = await clerk.post(`/unit/cases/${record.id}/accept`);
    expect(accept.status).toBe(404);
    expect((await stored(record.id)).status).toBe('assigned');
  });

  it('the sign-in of one workbench refuses a key of another', async () => {
    const response = await app.request('/office/sign-in', { method: 'POST', ...form({ key: clerk.key }) });
    expect(response.status).toBe(403);
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });
});

describe('CSRF', () => {
  it('a POST without the token is refused with 403 and the case is unchanged', async () => {
    const record = await caseInTriage();
    const response = await office.post(
      `/office/cases/${record.id}/triage`,
      { level: 'department', unitId: 'power-supply' },
      { csrf: null },
    );
    expect(response.status).toBe(403);
    expect(await stored(record.id)).toEqual(record);
  });

  it('a POST with a wrong token, or another session’s token, is refused with 403 and the case is unchanged', async () => {
    const record = await caseInTriage();
    const other = await signedIn(app, services, { role: 'office', label: '周敏' });
    for (const csrf of ['x'.repeat(32), await other.csrf()]) {
      const response = await office.post(
        `/office/cases/${record.id}/triage`,
        { level: 'department', unitId: 'power-supply' },
        { csrf },
      );
      expect(response.status).toBe(403);
    }
    expect(await stored(record.id)).toEqual(record);
  });

  it('a POST from another origin is refused even with the right token', async () => {
    const record = await caseInTriage();
    const response = await office.post(
      `/office/cases/${record.id}/triage`,
      { level: 'department', unitId: 'power-supply' },
      { headers: { Origin: 'https://evil.example' } },
    );
    const crossSite = await office.post(
      `/office/cases/${record.id}/triage`,
      { level: 'department', unitId: 'power-supply' },
      { headers: { 'Sec-Fetch-Site': 'cross-site' } },
    );
    expect(response.status).toBe(403);
    expect(crossSite.status).toBe(403);
    expect(await stored(record.id)).toEqual(record);
  });

  it('with the token, the triage is done and recorded under the person’s name', async () => {
    const record = await caseInTriage();
    const response = await office.post(
      `/office/cases/${record.id}/triage`,
      { level: 'department', unitId: 'power-supply' },
      { headers: { Origin: 'http://localhost' } },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe(`/office/cases/${record.id}?done=triaged`);
    const after = await stored(record.id);
    expect(after.status).toBe('assigned');
    expect(after.history.at(-1)).toMatchObject({
      action: 'assign',
      actor: { kind: 'office', name: '李明' },
    });
    const accepted = await clerk.post(`/unit/cases/${record.id}/accept`);
    expect(accepted.status).toBe(303);
    expect((await stored(record.id)).history.at(-1)).toMatchObject({
      action: 'accept',
      actor: { kind: 'unit', id: 'power-supply', name: '赵强' },
    });
  });
});

describe('session lifetime', () => {
  it('ends after the idle timeout, and activity keeps it alive until its absolute lifetime', async () => {
    const start = services.clock.now();
    const user = await signedIn(app, services, { role: 'office', label: '吴刚' });
    const idle = await signedIn(app, services, { role: 'office', label: '郑洁' });
    // Active every 20 minutes: alive for 11 h 40 min, past 30 idle minutes many times over.
    for (let minutes = 20; minutes <= 700; minutes += 20) {
      services.clock.set(new Date(start.getTime() + minutes * 60_000));
      expect((await user.get('/office')).status, `after ${minutes} minutes`).toBe(200);
    }
    expect((await idle.get('/office')).status).toBe(303);
    services.clock.set(new Date(start.getTime() + 12 * 3600_000 + 1000));
    const late = await user.get('/office');
    expect(late.status).toBe(303);
    expect(late.headers.get('Location')).toBe('/office/sign-in?next=%2Foffice');
    services.clock.set(start);
  });

  it('a revoked key ends its sessions on their next request', async () => {
    const user = await signedIn(app, services, { role: 'office', label: '王五' });
    expect((await user.get('/office')).status).toBe(200);
    const { sha256 } = await import('../../shared/app/secrets');
    await services.access.revokeApiKey(sha256(user.key), services.clock.now().toISOString());
    const response = await user.get('/office');
    expect(response.status).toBe(303);
    expect(await services.sessions.get(sha256(user.cookie))).toBeUndefined();
  });

  it('sign-out ends the session and clears the cookie', async () => {
    const user = await signedIn(app, services, { role: 'unit', unitId: 'power-supply', label: '陈一' });
    const response = await user.post('/unit/sign-out');
    expect(response.status).toBe(303);
    expect(response.headers.get('Location')).toBe('/unit/sign-in?out=1');
    expect(response.headers.get('Set-Cookie')).toMatch(/^zq_session=;.*Max-Age=0/);
    expect((await user.get('/unit')).status).toBe(303);
  });
});

describe('failed sign-ins are limited', () => {
  it('counts them under the abuse limit shared with the API keys: 429 with Retry-After, the right key let in once the window is over', async () => {
    const { issueApiKey } = await import('../../shared/app/access');
    const { key } = await issueApiKey(services, { role: 'office', label: '冯七' });
    const rule = services.config.abuseLimits.failedSignInsPerAddress;
    const attempt = (k: string) => app.request('/office/sign-in', { method: 'POST', ...form({ key: k }) });
    // Start at the beginning of a window, so that the whole window lies ahead.
    const now = services.clock.now().getTime();
    services.clock.advance(rule.windowSeconds * 1000 - (now % (rule.windowSeconds * 1000)));
    for (let i = 0; i < rule.max - 1; i++) {
      expect((await attempt(`zq_office_wrong-${i}`)).status).toBe(401);
    }
    // A wrong key sent to the API counts against the same limit.
    const api = await app.request('/api/v1/office/cases', {
      headers: { Authorization: 'Bearer zq_office_wrong-api' },
    });
    expect(api.status).toBe(401);

    const throttled = await attempt(key);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('Retry-After'))).toBe(rule.windowSeconds);
    expect(throttled.headers.get('Set-Cookie')).toBeNull();
    expect(await throttled.text()).toContain(String(rule.windowSeconds));
    expect(
      (await app.request('/api/v1/office/cases', { headers: { Authorization: `Bearer ${key}` } })).status,
    ).toBe(429);

    services.clock.advance(rule.windowSeconds * 1000);
    const ok = await attempt(key);
    expect(ok.status).toBe(303);
  });
});
