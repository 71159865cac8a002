import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { storeSurveyedCase } from '../support/closed-case';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// The survey on the enterprise's tracking link: the invitation while the survey is open, the
// outcome afterwards; the tracking key itself never answers a survey.
let services: TestServices;
let app: App;
let n = 0;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

const OPENED = '2026-11-27T02:00:00Z';

async function surveyed() {
  n += 1;
  const record = await storeSurveyedCase(services, OPENED, `评价邀请测试问题 ${n}`);
  return { record, tracking: `/api/v1/cases/${record.caseNo}?k=${record.trackingKey}` };
}

const answer = (path: string, body: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the survey on the tracking link', () => {
  it('invites the holder of the tracking link with the deadline and the one-time link', async () => {
    // Prepare
    const { record, tracking } = await surveyed();

    // Act
    const view = await json(await app.request(tracking));
    const page = await app.request(`/track/${record.caseNo}?k=${record.trackingKey}`, {
      headers: { 'Accept-Language': 'zh-CN' },
    });

    // Assess
    expect(view.status).toBe('resolved');
    expect(view.survey).toEqual({
      state: 'open',
      expiresAt: record.survey!.expiresAt,
      url: `http://localhost/survey/${record.survey!.token}`,
    });
    const html = await page.text();
    expect(html).toContain('满意度评价');
    expect(html).toContain(`href="http://localhost/survey/${record.survey!.token}"`);
    expect(html).toContain(`datetime="${record.survey!.expiresAt}"`);
  });

  it('shows the outcome instead once answered, and the link it showed works no more', async () => {
    // Prepare
    const { tracking } = await surveyed();
    const invitation = (await json(await app.request(tracking))).survey;

    // Act
    const first = await answer(new URL(invitation.url).pathname, {
      solved: 'yes',
      satisfaction: 'satisfied',
    });
    const again = await answer(new URL(invitation.url).pathname, {
      solved: 'no',
      satisfaction: 'dissatisfied',
    });
    const view = await json(await app.request(tracking));

    // Assess
    expect(first.status).toBe(200);
    expect(again.status).toBe(404);
    expect(view.status).toBe('closed');
    expect(view.survey).toEqual({
      state: 'answered',
      answeredAt: new Date(OPENED).toISOString(),
      solved: 'yes',
      satisfaction: 'satisfied',
      channel: 'online',
      outcome: 'closed',
    });
  });

  it('says a reopened case went back for a second look, and names a phone answer', async () => {
    // Prepare
    const { record, tracking } = await surveyed();

    // Act
    const phoned = await app.request(`/api/v1/office/cases/${record.id}/survey`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${services.officeKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ solved: 'partly', satisfaction: 'basically_satisfied' }),
    });
    const view = await json(await app.request(tracking));

    // Assess
    expect(phoned.status).toBe(200);
    expect(view.status).toBe('assigned');
    expect(view.survey).toMatchObject({ state: 'answered', channel: 'phone', outcome: 'reopened' });
    expect(JSON.stringify(view)).not.toContain('first office key'); // the caller's name stays inside
  });

  it('shows "not rated" once the window has passed, even before the workflow closes the case', async () => {
    // Prepare
    const { record, tracking } = await surveyed();
    services.clock.set(record.survey!.expiresAt);

    // Act
    const view = await json(await app.request(tracking));
    const page = await app.request(`/track/${record.caseNo}?k=${record.trackingKey}&lang=en`);

    // Assess
    expect(view.survey).toEqual({
      state: 'expired',
      expiresAt: record.survey!.expiresAt,
      rating: 'not_rated',
    });
    const html = await page.text();
    expect(html).toContain('Not rated');
    expect(html).not.toContain('/survey/');
  });

  it('never takes the tracking key as a survey token', async () => {
    // Prepare
    const { record, tracking } = await surveyed();

    // Act
    const response = await answer(`/survey/${record.trackingKey}`, {
      solved: 'yes',
      satisfaction: 'satisfied',
    });
    const view = await json(await app.request(tracking));

    // Assess
    expect(response.status).toBe(404);
    expect(view.survey.state).toBe('open');
    expect(record.survey!.token).not.toBe(record.trackingKey);
  });

  it('shows no survey before the case is resolved', async () => {
    // Prepare
    const { record } = await surveyed();
    const filed = await app.request('/api/v1/cases', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        enterprise: record.enterprise,
        contact: record.contact,
        category: record.category,
        title: '还没有办结的问题',
        description: record.description,
      }),
    });
    const { trackingUrl } = await json(filed);

    // Act
    const view = await json(
      await app.request(
        new URL(trackingUrl).pathname.replace('/track/', '/api/v1/cases/') + new URL(trackingUrl).search,
      ),
    );

    // Assess
    expect(view.status).toBe('submitted');
    expect(view.survey).toBeUndefined();
  });
});
