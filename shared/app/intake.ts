import type { Services } from './services';

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
  await services.workflow.start(record.id, record.status);
}

/**
 * The intake sweeper: queues again every case still `submitted` some time after filing — its
 * workflow never started (the queue was down when it was filed, or the message went to the
 * dead-letter queue). Starting is idempotent, so a case whose start is merely slow is harmless.
 */
export async function sweepIntake(services: Services, olderThanMs: number): Promise<number> {
  const before = new Date(services.clock.now().getTime() - olderThanMs).toISOString();
  let swept = 0;
  for await (const record of services.cases.allByStatus('submitted')) {
    if (record.createdAt > before) break; // oldest first: the rest are younger still
    await services.intake.send({ caseId: record.id });
    swept++;
  }
  return swept;
}
