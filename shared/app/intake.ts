import type { Services } from './services';
import { executionInput } from './workflow-tasks';

/**
 * Takes a filed case from the intake queue to the workflow. Starting is idempotent (one execution
 * per case, however often the message is delivered), so this may run any number of times.
 */
export async function startCaseWorkflow(services: Services, caseId: string): Promise<void> {
  const record = await services.cases.get(caseId);
  if (!record) {
    services.logger.warn('intake message for an unknown case', { caseId });
    return;
  }
  await services.workflow.start(record.id, record.status, executionInput(services, record));
}

/**
 * The intake sweeper: queues again every case still `submitted` some time after filing — its
 * workflow never started (the queue was down when it was filed, or the message went to the
 * dead-letter queue). Starting is idempotent, so a case whose start is merely slow is harmless.
 *
 * Where the queue tells when its oldest waiting message was sent, a case filed after that (less
 * `olderThanMs`, the most a filing takes between storing the case and queueing it) may still be in
 * the queue behind a backlog, and is left alone: a backlog is never multiplied by the sweeper.
 */
export async function sweepIntake(services: Services, olderThanMs: number): Promise<number> {
  const now = services.clock.now().getTime();
  const oldestWaiting = await services.intake.oldestPendingSentAt?.();
  const cutoff = Math.min(now, oldestWaiting ? Date.parse(oldestWaiting) : now) - olderThanMs;
  const before = new Date(cutoff).toISOString();
  let swept = 0;
  for await (const record of services.cases.allByStatus('submitted')) {
    if (record.createdAt > before) break; // oldest first: the rest are younger still
    await services.intake.send({ caseId: record.id });
    swept++;
  }
  return swept;
}
