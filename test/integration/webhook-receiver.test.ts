import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookSignature } from '../../shared/app/notifier';
import type { NoticeMessage } from '../../shared/app/ports';
import { json } from '../support/http';
import { REPO } from '../support/process';
import { type TestRuntime, testRuntime } from '../support/runtime';

// The webhook receiver of the README, run as it is written, against real deliveries of the
// embedded runtime's notifier.
let rt: TestRuntime;
let dir: string;
let receiver: ChildProcess;
let receiverUrl: string;
let secret: string;
const lines: string[] = [];
const waiting: { match: RegExp; resolve: (line: string) => void }[] = [];

/** Resolves with the first line the receiver prints (from now on, or already) that matches. */
function printed(match: RegExp): Promise<string> {
  const line = lines.find((l) => match.test(l));
  if (line) return Promise.resolve(line);
  return new Promise((resolve) => waiting.push({ match, resolve }));
}

beforeAll(async () => {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const block = /<!-- webhook-receiver:start -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-receiver:end -->/.exec(
    readme,
  );
  if (!block) throw new Error('README.md has no webhook receiver example between its markers');
  dir = await mkdtemp(join(tmpdir(), 'zhuqi-receiver-'));
  await writeFile(join(dir, 'receiver.mjs'), block[1]!);

  // Real time: the receiver checks the signature's timestamp against its own clock.
  rt = await testRuntime({ start: new Date().toISOString() });
  const unit = await rt.api('PATCH', '/api/v1/office/units/power-supply', {
    as: 'office',
    body: { webhookUrl: 'http://127.0.0.1:9/not-yet' },
  });
  secret = (await json(unit)).webhookSecret;

  receiver = spawn(process.execPath, [join(dir, 'receiver.mjs')], {
    env: { ...process.env, PORT: '0', ZHUQI_WEBHOOK_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  receiver.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const w of waiting.filter((w) => w.match.test(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const port = (await printed(/^listening \d+$/)).split(' ')[1];
  receiverUrl = `http://127.0.0.1:${port}/zhuqi/notices`;
  // Pointing the webhook elsewhere keeps the secret (a new URL would issue a new one): set it directly.
  const stored = (await rt.services.access.getUnit('power-supply'))!;
  await rt.services.access.updateUnit({ ...stored, webhookUrl: receiverUrl });
});
afterAll(async () => {
  receiver?.kill();
  await rt?.close();
  await rm(dir, { recursive: true, force: true });
});

const send = (body: string, signature: string) =>
  fetch(receiverUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Zhuqi-Signature': signature },
    body,
  });

describe('the README webhook receiver', () => {
  it('accepts a real assignment notice, signed as the webhooks section documents it', async () => {
    // Act: a case assigned to the unit sends it its assignment notice (交办单).
    const { id } = await rt.file();
    const triaged = await rt.api('POST', `/api/v1/office/cases/${id}/triage`, {
      as: 'office',
      body: { level: 'department', unitId: 'power-supply' },
    });
    expect(triaged.status).toBe(200);
    await rt.settle();

    // Assess: the receiver verified it and said so; the notifier counts it delivered.
    const line = await printed(/^accepted \S+ assignment /);
    const [, noticeId, , caseNo] = line.split(' ');
    const record = await rt.get(id);
    expect(caseNo).toBe(record.caseNo);
    expect(noticeId).toBe(record.notices.find((n) => n.kind === 'assignment')!.id);
    const outbox = await json(await rt.api('GET', `/api/v1/office/outbox?caseId=${id}`, { as: 'office' }));
    expect(outbox.items).toEqual([
      expect.objectContaining({ id: noticeId, kind: 'assignment', status: 'delivered', channel: 'webhook' }),
    ]);

    // The payload it received is the documented one for its kind (closed: nothing undocumented).
    const doc = await json(await rt.api('GET', '/openapi.json'));
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi');
    const validate = ajv.compile({
      $ref: 'openapi#/webhooks/assignment/post/requestBody/content/application~1json/schema',
    });
    const sent = outbox.items[0];
    const payload: NoticeMessage = {
      id: sent.id,
      kind: sent.kind,
      caseId: sent.caseId,
      caseNo: sent.caseNo,
      recipient: sent.recipient,
      issuedAt: sent.issuedAt,
      subject: sent.subject,
      body: sent.body,
      ...(sent.link ? { link: sent.link } : {}),
    };
    expect(validate(payload), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses what Zhuqi did not sign, a changed body, and a stale signature; takes a repeat once', async () => {
    const body = JSON.stringify({ id: 'n-1', kind: 'warning', caseNo: 'YL-2026-000001' });
    const now = Math.floor(Date.now() / 1000);

    expect((await send(body, webhookSignature('another secret', now, body))).status).toBe(401);
    expect((await send(body.replace('n-1', 'n-2'), webhookSignature(secret, now, body))).status).toBe(401);
    expect((await send(body, webhookSignature(secret, now - 600, body))).status).toBe(401);
    expect((await send(body, 'garbage')).status).toBe(401);

    expect((await send(body, webhookSignature(secret, now, body))).status).toBe(204);
    expect((await send(body, webhookSignature(secret, now + 1, body))).status).toBe(204);
    expect(await printed(/^accepted n-1 /)).toBe('accepted n-1 warning YL-2026-000001');
    expect(await printed(/^repeat n-1 /)).toBe('repeat n-1 warning YL-2026-000001');
  });
});
