import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triageCase } from '../../shared/app/case-actions';
import { fileCase } from '../../shared/app/file-case';
import { ruleContext } from '../../shared/app/rules';
import { restartWorkflow, startTriage, supervise } from '../../shared/domain/case-rules';
import type { App } from '../../shared/http/app';
import { officeCaller } from '../support/callers';
import { validFiling } from '../support/fixtures';
import { contractApp, json } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// What the office writes for itself (a triage note, supervision grades, a workflow restart) never
// reaches the enterprise, neither on its tracking page nor in the tracking JSON.
let services: TestServices;
let app: App;
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

const NOTE = '内部备注：该企业曾多次重复反映';

describe('private history', () => {
  it('stays off the tracking page and the tracking JSON; the public entries are there', async () => {
    // Prepare: filed, triaged with a private note, warned (private grade), its workflow restarted.
    const system = ruleContext(services, { kind: 'system' });
    const { record } = await fileCase(services, {
      filing: { ...validFiling(), title: '私密记录不外露' },
      defaultChannel: 'api',
      actor: { kind: 'enterprise' },
    });
    await services.cases.save(startTriage(record, services.config.categories, system));
    const assigned = await triageCase(
      services,
      record.id,
      { level: 'department', unitId: 'power-supply', note: NOTE },
      officeCaller(services.officeKey),
    );
    const progress = assigned.clocks.find((c) => c.id === 'progress')!;
    services.clock.set(progress.warnAt);
    const warned = supervise(assigned, ruleContext(services, { kind: 'system' })).record;
    const stored = await services.cases.save(
      restartWorkflow(warned, 'failed', ruleContext(services, { kind: 'system' })),
    );
    expect(stored.history.filter((h) => !h.public).map((h) => h.action)).toEqual([
      'triageNote',
      'supervise:yellow',
      'restartWorkflow',
    ]);
    const link = `${record.caseNo}?k=${record.trackingKey}`;

    // Act
    const page = await app.request(`/track/${link}`);
    const api = await app.request(`/api/v1/cases/${link}`);

    // Assess
    expect(page.status).toBe(200);
    expect(api.status).toBe(200);
    const html = await page.text();
    const view = await json(api);
    expect(view.history.map((h: { action: string }) => h.action)).toEqual(['file', 'startTriage', 'assign']);
    for (const text of [html, JSON.stringify(view)]) {
      expect(text).not.toContain(NOTE);
      expect(text).not.toMatch(/restartWorkflow|supervise:yellow|triageNote/);
    }
    expect(html).toContain('私密记录不外露');
  });
});

describe('the tracking page', () => {
  it('shows every change at once, in both languages and encodings, though it keeps what it rendered', async () => {
    // Prepare: a filed case whose page has been read in Chinese and English, plain and gzipped.
    const { record } = await fileCase(services, {
      filing: { ...validFiling(), title: '页面随案件更新' },
      defaultChannel: 'web',
      actor: { kind: 'enterprise' },
    });
    const link = `/track/${record.caseNo}?k=${record.trackingKey}`;
    const read = async (lang: 'zh' | 'en', gzip: boolean) => {
      const response = await app.request(`${link}&lang=${lang}`, {
        headers: gzip ? { 'Accept-Encoding': 'gzip' } : {},
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      expect(response.headers.get('Vary')).toContain('Accept-Encoding');
      expect(response.headers.get('Content-Encoding')).toBe(gzip ? 'gzip' : null);
      const body = Buffer.from(await response.arrayBuffer());
      return (gzip ? gunzipSync(body) : body).toString('utf8');
    };
    for (const gzip of [false, true]) {
      expect(await read('zh', gzip)).toContain('已提交');
      expect(await read('en', gzip)).toContain('Submitted');
    }
    expect(await read('zh', true)).toBe(await read('zh', false));

    // Act: the office takes it into triage and assigns it.
    await services.cases.save(
      startTriage(record, services.config.categories, ruleContext(services, { kind: 'system' })),
    );
    await triageCase(
      services,
      record.id,
      { level: 'department', unitId: 'power-supply' },
      officeCaller(services.officeKey),
    );

    // Assess
    for (const gzip of [false, true]) {
      const zh = await read('zh', gzip);
      const en = await read('en', gzip);
      expect(zh).toContain('已交办');
      expect(zh).not.toContain('已提交');
      expect(zh).toContain('<html lang="zh-CN">');
      expect(en).toContain('Assigned');
      expect(en).toContain('<html lang="en">');
      expect(en).toContain('Assigned to a unit');
    }
  });
});
