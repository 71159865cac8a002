import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  deliverNotice,
  type NotifierDeps,
  webhookChannel,
  webhookSignature,
} from '../../shared/app/notifier';
import type { NoticeMessage } from '../../shared/app/ports';
import type { Recipient } from '../../shared/domain/case';
import { type TestServices, testServices } from '../support/services';

// The notifier against a real HTTP receiver on loopback, standing in for a unit's system.
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let services: TestServices;
let server: Server;
let url: string;
let received: Received[];
let answerStatus: number;
let deps: NotifierDeps;
let n = 0;

beforeAll(async () => {
  services = await testServices();
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answerStatus, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/zhuqi/notices`;
  deps = {
    outbox: services.outbox,
    access: services.access,
    channels: [webhookChannel({ clock: services.clock, timeoutMs: 5_000 })],
    clock: services.clock,
    logger: services.logger,
  };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await services.store.close();
});

let secret: string;
beforeEach(async () => {
  received = [];
  answerStatus = 204;
  secret = `whsec-${++n}-0123456789abcdef`;
  const unit = (await services.access.getUnit('power-supply'))!;
  await services.access.updateUnit({ ...unit, webhookUrl: url, webhookSecret: secret });
});

function notice(recipient: Recipient = { kind: 'unit', unitId: 'power-supply' }): NoticeMessage {
  n += 1;
  const caseNo = `YL-2026-${String(n).padStart(6, '0')}`;
  return {
    id: `notice-${n}`,
    kind: 'assignment',
    caseId: `case-${n}`,
    caseNo,
    recipient,
    issuedAt: services.clock.now().toISOString(),
    subject: '交办单',
    body: `【交办单】${caseNo}「新厂房用电增容迟迟未批」已交办至国网鄢陵县供电公司。`,
  };
}

describe('notifier', () => {
  it('posts the notice as signed JSON to the unit’s webhook and marks it delivered', async () => {
    // Prepare
    const message = notice();

    // Act
    await deliverNotice(deps, message);

    // Assess
    expect(received).toHaveLength(1);
    const [{ headers, body }] = received as [Received];
    expect(JSON.parse(body)).toEqual(message);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['zhuqi-notice-id']).toBe(message.id);
    const signature = String(headers['zhuqi-signature']);
    const timestamp = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(signature)?.[1]);
    expect(timestamp).toBe(Math.floor(services.clock.now().getTime() / 1000));
    expect(signature).toBe(webhookSignature(secret, timestamp, body));
    expect(signature).not.toBe(webhookSignature('another secret', timestamp, body));
    expect(await services.outbox.get(message.id)).toMatchObject({
      status: 'delivered',
      channel: 'webhook',
      attempts: 1,
      deliveredAt: services.clock.now().toISOString(),
    });
  });

  it('posts a message delivered twice (the queue is at-least-once) only once', async () => {
    // Prepare
    const message = notice();

    // Act
    await deliverNotice(deps, message);
    services.clock.advance(30_000);
    await deliverNotice(deps, message);

    // Assess
    expect(received).toHaveLength(1);
    expect(await services.outbox.get(message.id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('a webhook answering 500 fails the delivery; a redelivery after it recovers is delivered', async () => {
    // Prepare
    const message = notice();
    answerStatus = 500;

    // Act
    const failing = deliverNotice(deps, message);

    // Assess
    await expect(failing).rejects.toThrow(/webhook answered 500/);
    expect(await services.outbox.get(message.id)).toMatchObject({
      status: 'failed',
      channel: 'webhook',
      attempts: 1,
      lastError: expect.stringMatching(/500/),
    });

    // Act: the queue delivers the message again once the receiver is back.
    answerStatus = 200;
    services.clock.advance(30_000);
    await deliverNotice(deps, message);

    // Assess
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.headers['zhuqi-notice-id'])).toEqual([message.id, message.id]);
    expect(await services.outbox.get(message.id)).toMatchObject({
      status: 'delivered',
      attempts: 2,
      deliveredAt: services.clock.now().toISOString(),
    });
  });

  it('a webhook that cannot be reached fails the delivery', async () => {
    // Prepare
    const unit = (await services.access.getUnit('hrss'))!;
    await services.access.updateUnit({
      ...unit,
      webhookUrl: 'http://127.0.0.1:1/nothing',
      webhookSecret: secret,
    });
    const message = notice({ kind: 'unit', unitId: 'hrss' });

    // Act
    const delivering = deliverNotice(deps, message);

    // Assess
    await expect(delivering).rejects.toThrow();
    expect(await services.outbox.get(message.id)).toMatchObject({ status: 'failed', attempts: 1 });
    await services.access.updateUnit(unit);
  });

  it.each([
    ['the enterprise (no SMS channel configured)', { kind: 'enterprise', mobile: '13812345678' }],
    ['a unit without a webhook', { kind: 'unit', unitId: 'natural-resources' }],
    ['the office', { kind: 'office' }],
  ] as [string, Recipient][])(
    'keeps a notice for %s in the outbox without posting it',
    async (_name, recipient) => {
      // Prepare
      const message = notice(recipient);

      // Act
      await deliverNotice(deps, message);
      await deliverNotice(deps, message);

      // Assess
      expect(received).toEqual([]);
      expect(await services.outbox.get(message.id)).toMatchObject({
        status: 'kept',
        channel: 'outbox',
        attempts: 1,
      });
      expect((await services.outbox.list(500)).map((e) => e.id)).toContain(message.id);
    },
  );
});
