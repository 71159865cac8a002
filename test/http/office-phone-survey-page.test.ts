import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../shared/http/app';
import { storeSurveyedCase } from '../support/closed-case';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';
import { signedIn, type WorkbenchUser } from '../support/workbench';

// 电话回访 from the office workbench: the awaiting-survey board lists the contact's phone and a form
// that records the answer with the same rules as the enterprise's link.
let services: TestServices;
let app: App;
let office: WorkbenchUser;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
  office = await signedIn(app, services, { role: 'office', label: '王芳' });
});
afterAll(() => services.store.close());

describe('the phone survey form on the awaiting-survey board', () => {
  it('lists the phone, records a satisfied answer under the person’s name, and the case closes', async () => {
    // Prepare
    const record = await storeSurveyedCase(services, '2026-11-25T02:00:00Z', '电话回访满意');
    const board = await (await office.get('/office/boards/awaiting_survey')).text();
    expect(board).toContain(record.caseNo);
    expect(board).toContain(`tel:${record.contact.mobile}`);
    expect(board).toContain(`action="/office/cases/${record.id}/phone-survey"`);

    // Act
    const answered = await office.post(`/office/cases/${record.id}/phone-survey`, {
      back: 'awaiting_survey',
      solved: 'yes',
      satisfaction: 'satisfied',
      comment: '电话中表示满意',
    });

    // Assess
    expect(answered.status).toBe(303);
    expect(answered.headers.get('Location')).toBe(`/office/boards/awaiting_survey?done=${record.caseNo}`);
    const stored = (await services.cases.get(record.id))!;
    expect(stored.status).toBe('closed');
    expect(stored.rating).toBe('satisfied');
    expect(stored.survey?.answer).toMatchObject({ channel: 'phone', recordedBy: '王芳' });
    expect(await (await office.get('/office/boards/awaiting_survey')).text()).not.toContain(record.caseNo);
  });

  it('reopens a case the enterprise says is not solved, and refuses a second answer with 409', async () => {
    const record = await storeSurveyedCase(services, '2026-11-25T03:00:00Z', '电话回访未解决');
    const first = await office.post(`/office/cases/${record.id}/phone-survey`, {
      back: 'awaiting_survey',
      solved: 'no',
      satisfaction: 'dissatisfied',
    });
    expect(first.status).toBe(303);
    expect((await services.cases.get(record.id))!.status).toBe('assigned');

    const again = await office.post(`/office/cases/${record.id}/phone-survey`, {
      solved: 'yes',
      satisfaction: 'satisfied',
    });
    expect(again.status).toBe(409);
    expect((await services.cases.get(record.id))!.status).toBe('assigned');
  });

  it('refuses a form without its CSRF token (403) and an answer outside the choices (422), changing nothing', async () => {
    const record = await storeSurveyedCase(services, '2026-11-25T04:00:00Z', '电话回访无效');
    const forged = await office.post(
      `/office/cases/${record.id}/phone-survey`,
      { solved: 'yes', satisfaction: 'satisfied' },
      { csrf: null },
    );
    expect(forged.status).toBe(403);
    const invalid = await office.post(`/office/cases/${record.id}/phone-survey`, {
      solved: 'maybe',
      satisfaction: 'satisfied',
    });
    expect(invalid.status).toBe(422);
    expect((await services.cases.get(record.id))!.status).toBe('resolved');
  });
});
