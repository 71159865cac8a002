import type { CaseRecord } from '../domain/case';
import { restartWorkflow, workflowRound } from '../domain/case-rules';
import { isTerminal, OPEN_STATUSES } from '../domain/case-state';
import { CaseConflictError } from './errors';
import type { ExecutionOutcome, WorkflowExecutions } from './ports';
import { ruleContext } from './rules';
import type { Services } from './services';
import { executionInput } from './workflow-tasks';

/** Outcomes after which nothing moves the case any more: the next round takes over. */
const RESTARTED_AFTER: readonly ExecutionOutcome[] = ['failed', 'timed_out', 'missing'];

/** The names of the sweeper's metrics (Powertools, namespace `Zhuqi`); the CDK alarm reads the second. */
export const RECOVERY_METRICS = {
  restarted: 'WorkflowRestarted',
  /** A case restarted a second time (or more): its workflow keeps failing, a person must look. */
  restartedAgain: 'WorkflowRestartedAgain',
} as const;

export interface RecoveryReport {
  /** Open cases whose execution was looked up because it is not among the running ones. */
  checked: number;
  restarted: { caseId: string; round: number; after: ExecutionOutcome }[];
  /** Cases restarted now whose workflow had been restarted before. */
  restartedAgain: string[];
}

/**
 * Self-recovery on AWS, run by the sweeper: every open case past intake whose execution has
 * failed, timed out or does not exist gets a new execution for its next round.
 * 1. List the running executions once.
 * 2. For each open case whose current round is not running, ask what became of that execution.
 * 3. Failed, timed out or gone: read the case again (it may have moved on meanwhile), start the next
 *    round at its phase and record the round on the case. An aborted execution was stopped by a
 *    person and is left alone. Each case is restarted at most once per sweep.
 */
export async function recoverStalledWorkflows(
  services: Services & { executions: WorkflowExecutions },
): Promise<RecoveryReport> {
  const { cases, executions, logger } = services;
  const key = (caseId: string, round: number) => `${caseId}#${round}`;
  const running = new Set((await executions.running()).map((e) => key(e.caseId, e.round)));
  const report: RecoveryReport = { checked: 0, restarted: [], restartedAgain: [] };
  const seen = new Set<string>();
  // `submitted` cases are the intake sweeper's: their first execution may not have started yet.
  for (const status of OPEN_STATUSES.filter((s) => s !== 'submitted')) {
    for await (const listed of cases.allByStatus(status)) {
      if (seen.has(listed.id)) continue; // moved to a later status partition during the sweep
      seen.add(listed.id);
      const round = workflowRound(listed);
      if (running.has(key(listed.id, round))) continue;
      report.checked++;
      const outcome = await executions.outcome(listed.id, round);
      if (!RESTARTED_AFTER.includes(outcome)) {
        if (outcome !== 'running') {
          logger.warn('an open case has no running workflow and is left alone', {
            caseId: listed.id,
            round,
            outcome,
          });
        }
        continue;
      }
      const record = await cases.get(listed.id);
      if (!record || isTerminal(record.status) || workflowRound(record) !== round) continue;
      const nextRound = round + 1;
      // Started first, recorded second: a start whose record is lost is found again by the next
      // sweep, which starts the same round (a name Step Functions refuses twice) and records it.
      await executions.startRound(record.id, nextRound, record.status, executionInput(services, record));
      await recordRound(services, record, outcome);
      logger.warn('restarted the workflow of a case', {
        caseId: record.id,
        round: nextRound,
        after: outcome,
      });
      report.restarted.push({ caseId: record.id, round: nextRound, after: outcome });
      if (nextRound > 2) report.restartedAgain.push(record.id);
    }
  }
  return report;
}

/** Records the restart on the case; the new execution's first task may have written it meanwhile. */
async function recordRound(services: Services, read: CaseRecord, outcome: ExecutionOutcome): Promise<void> {
  let record: CaseRecord | undefined = read;
  for (
    let attempt = 0;
    record && !isTerminal(record.status) && workflowRound(record) === workflowRound(read);
    attempt++
  ) {
    try {
      await services.cases.save(restartWorkflow(record, outcome, ruleContext(services, { kind: 'system' })));
      return;
    } catch (error) {
      if (!(error instanceof CaseConflictError) || attempt >= 5) throw error;
      record = await services.cases.get(read.id);
    }
  }
}
