import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestRuntime, testRuntime } from '../support/runtime';
import { startWebhookReceiver } from '../support/webhook-receiver';

let rt: TestRuntime;
beforeEach(async () => {
  rt = await testRuntime();
});
afterEach(() => rt.close());

describe('exactly once, whatever the retries', () => {
  it('starts one execution for an intake message delivered many times', async () => {
    const { id } = await rt.file({ title: '重复投递的受理消息' });
    await Promise.all([1, 2, 3].map(() => rt.queues.intake.send({ caseId: id })));
    await rt.settle();
    const record = await rt.get(id);
    expect(record.history.filter((h) => h.action === 'startTriage')).toHaveLength(1);
    expect(rt.engine.isRunning(id)).toBe(true);
    expect(rt.trace.entered.has('AwaitTriage')).toBe(true);
    expect(rt.trace.failures).toEqual([]);
  });

  it('lets one of two concurrent, incompatible unit answers through and answers the other 409', async () => {
    const { id } = await rt.file({ title: '并发答复' });
    await rt.api('POST', `/api/v1/office/cases/${id}/triage`, {
      as: 'office',
      body: { level: 'department', unitId: 'power-supply' },
    });
    await rt.settle();
    const [accepted, returned] = await Promise.all([
      rt.api('POST', `/api/v1/unit/cases/${id}/accept`, { as: 'power-supply', body: {} }),
      rt.api('POST', `/api/v1/unit/cases/${id}/return`, {
        as: 'power-supply',
        body: { reason: '非本单位职责' },
      }),
    ]);
    expect([accepted.status, returned.status].sort()).toEqual([200, 409]);
    const loser = accepted.status === 409 ? accepted : returned;
    expect(loser.headers.get('Content-Type')).toBe('application/problem+json');
    await rt.settle();
    const record = await rt.get(id);
    const answers = record.history.filter((h) => h.action === 'accept' || h.action === 'returnCase');
    expect(answers).toHaveLength(1);
    expect(record.status).toBe(answers[0]!.action === 'accept' ? 'accepted' : 'triage');
  });

  it('gives each notice once: the same notice dispatched again is not delivered twice', async () => {
    // Prepare: the unit's notices go to a webhook that counts what it receives.
    const webhook = await startWebhookReceiver();
    try {
      const unit = (await rt.services.access.getUnit('power-supply'))!;
      await rt.services.access.updateUnit({ ...unit, webhookUrl: webhook.url, webhookSecret: 'whsec-once' });
      const { id } = await rt.file({ title: '通知不重复' });
      await rt.api('POST', `/api/v1/office/cases/${id}/triage`, {
        as: 'office',
        body: { level: 'department', unitId: 'power-supply' },
      });
      await rt.settle();
      const record = await rt.get(id);

      // Act: forget that the notices were queued, as a crash between queueing and recording would,
      // and let the workflow and a unit answer dispatch them again.
      await rt.services.cases.save({ ...record, notices: record.notices.map(({ queuedAt, ...n }) => n) });
      await rt.queues.intake.send({ caseId: id });
      await rt.api('POST', `/api/v1/unit/cases/${id}/accept`, { as: 'power-supply', body: {} });
      await rt.settle();

      // Assess: the unit received each of its notices exactly once.
      const toUnit = (await rt.get(id)).notices.filter((n) => n.recipient.kind === 'unit');
      expect(toUnit.map((n) => n.kind)).toContain('assignment');
      expect(toUnit.map((n) => webhook.deliveries(n.id))).toEqual(toUnit.map(() => 1));
      expect(webhook.received).toHaveLength(toUnit.length);
      expect((await rt.get(id)).notices.every((n) => n.queuedAt)).toBe(true);
    } finally {
      await webhook.close();
    }
  });
});
