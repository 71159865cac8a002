import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase } from '../../shared/app/file-case';
import { sweepIntake } from '../../shared/app/intake';
import { validFiling } from '../support/fixtures';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
beforeAll(async () => {
  services = await testServices();
});
afterAll(() => services.store.close());

const FIVE_MINUTES = 5 * 60_000;
const file = (title: string) =>
  fileCase(services, {
    filing: { ...validFiling(), title },
    defaultChannel: 'api',
    actor: { kind: 'enterprise' },
  });

describe('the intake sweeper', () => {
  it('queues a filed case whose intake message was lost, once it is old enough, and only cases still submitted', async () => {
    // Prepare: one case filed while the queue was down, one filed normally and already in triage
    services.intake.failNext = true;
    const { record: lost } = await file('队列故障时提交的问题');
    const { record: started } = await file('已进入研判的问题');
    await services.cases.save({ ...started, status: 'triage' });
    services.intake.sent.length = 0;

    // Act and Assess: too young to sweep
    expect(await sweepIntake(services, FIVE_MINUTES)).toBe(0);
    expect(services.intake.sent).toEqual([]);

    // Act: six minutes later
    services.clock.advance(6 * 60_000);
    const swept = await sweepIntake(services, FIVE_MINUTES);

    // Assess
    expect(swept).toBe(1);
    expect(services.intake.sent).toEqual([{ caseId: lost.id }]);
  });

  it('leaves alone the cases that may still wait in the queue behind a backlog', async () => {
    // Prepare: a case filed now
    const { record: behindBacklog } = await file('积压中排队的问题');
    services.intake.sent.length = 0;

    // Act: the case is ten minutes old, but the backlog is older than that less five minutes
    services.clock.advance(10 * 60_000);
    services.intake.oldest = new Date(services.clock.now().getTime() - 9 * 60_000).toISOString();
    await sweepIntake(services, FIVE_MINUTES);

    // Assess: not queued twice; once the backlog has moved past it, it is
    expect(services.intake.sent).not.toContainEqual({ caseId: behindBacklog.id });
    services.intake.oldest = undefined;
    await sweepIntake(services, FIVE_MINUTES);
    expect(services.intake.sent).toContainEqual({ caseId: behindBacklog.id });
  });
});
