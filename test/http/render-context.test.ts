import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { App } from '../../shared/http/app';
import { contractApp } from '../support/http';
import { type TestServices, testServices } from '../support/services';

// shared/http/render-context.tsx: hono/jsx would run every render in an AsyncLocalStorage, and on
// Node 20 the first run switches on async hooks for every promise of the process. Should a hono
// upgrade detect AsyncLocalStorage another way, pages would still render, only slower: this says so.
let services: TestServices;
let app: App;
const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
beforeAll(async () => {
  services = await testServices();
  app = await contractApp(services);
});
afterAll(() => services.store.close());

it('renders pages without running them in an AsyncLocalStorage', async () => {
  run.mockClear();
  const form = await app.request('/', { headers: { Accept: 'text/html' } });
  expect(form.status).toBe(200);
  expect(await form.text()).toContain('<form');
  const missing = await app.request('/no-such-page', { headers: { Accept: 'text/html' } });
  expect(missing.status).toBe(404);
  expect(await missing.text()).toContain('<html');
  expect(run).not.toHaveBeenCalled();
});
