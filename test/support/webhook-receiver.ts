import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A unit's webhook endpoint on a loopback port: records every delivery, answers 204. */
export interface WebhookReceiver {
  url: string;
  received: { headers: IncomingHttpHeaders; body: string }[];
  /** How often the notice with this id was delivered (its `Zhuqi-Notice-Id` header). */
  deliveries(noticeId: string): number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: WebhookReceiver['received'] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zhuqi`,
    received,
    deliveries: (noticeId) => received.filter((r) => r.headers['zhuqi-notice-id'] === noticeId).length,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
