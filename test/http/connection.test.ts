import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app';
import { validFiling } from '../support/fixtures';
import { type TestServices, testServices } from '../support/services';

// Over a real socket, with Node's fetch (undici), which keeps connections alive and reuses them:
// a request refused before its body was read must not break the next request of the pool.
let services: TestServices;
let server: Server;
let url: string;
beforeAll(async () => {
  services = await testServices();
  server = createAdaptorServer({ fetch: createApp(services).fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await services.store.close();
});

const filing = (body: string, type = 'application/json') =>
  fetch(`${url}/api/v1/cases`, { method: 'POST', headers: { 'Content-Type': type }, body });

describe('early refusals close the connection cleanly', () => {
  it.each([
    ['a body over the limit (413)', () => filing(`{"title":"${'x'.repeat(200_000)}"}`), 413],
    ['a body of another media type (415)', () => filing('x'.repeat(60_000), 'text/plain'), 415],
  ])('%s says Connection: close, and the next request on the pool succeeds', async (_name, send, status) => {
    for (let round = 0; round < 3; round++) {
      // Act
      const refused = await send();
      await refused.text();
      const next = await filing(JSON.stringify({ ...validFiling(), title: `连接复用${status}-${round}` }));

      // Assess
      expect(refused.status).toBe(status);
      expect(refused.headers.get('Connection')).toBe('close');
      expect(next.status).toBe(201);
    }
  });
});

describe('a body sent without its length (chunked) is counted as it streams in', () => {
  const streamed = (text: string) =>
    fetch(`${url}/api/v1/cases`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: new Blob([text]).stream(),
      duplex: 'half',
    } as RequestInit);

  it('refuses one over the limit with 413, and takes one within it', async () => {
    // Act
    const refused = await streamed(JSON.stringify({ ...validFiling(), description: 'x'.repeat(70 * 1024) }));
    const taken = await streamed(JSON.stringify({ ...validFiling(), title: '分块上传的问题' }));

    // Assess
    expect(refused.status).toBe(413);
    expect(await refused.json()).toMatchObject({ type: 'urn:zhuqi:problem:payload-too-large' });
    expect(taken.status).toBe(201);
  });
});
