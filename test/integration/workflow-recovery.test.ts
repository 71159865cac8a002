import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StepFunctionsEngine } from '../../shared/adapters/aws';
import { triageCase } from '../../shared/app/case-actions';
import { fileCase } from '../../shared/app/file-case';
import type { ExecutionOutcome, FirstWait, WorkflowExecutions } from '../../shared/app/ports';
import { recoverStalledWorkflows } from '../../shared/app/recovery';
import { ruleContext } from '../../shared/app/rules';
import type { Services } from '../../shared/app/services';
import { awaitAnswer, workflowTasks } from '../../shared/app/workflow-tasks';
import type { CaseRecord } from '../../shared/domain/case';
import { acceptCase, decideTriage, startTriage } from '../../shared/domain/case-rules';
import type { CaseStatus } from '../../shared/domain/case-state';
import { LocalWorkflowEngine } from '../../shared/embedded/local-workflow';
import { executionName } from '../../shared/workflow/definition';
import { officeCaller } from '../support/callers';
import { storeClosedCase } from '../support/closed-case';
import { validFiling } from '../support/fixtures';
import { poll } from '../support/process';
import { type TestServices, testServices } from '../support/services';

let services: TestServices;
beforeAll(async () => {
  services = await testServices();
});
afterAll(() => services.store.close());

const SYSTEM = { kind: 'system' } as const;
let filed = 0;
const file = async (title = `恢复测试问题 ${++filed}`) =>
  (
    await fileCase(services, {
      filing: { ...validFiling(), title },
      defaultChannel: 'api',
      actor: { kind: 'enterprise' },
    })
  ).record;
const triaged = async () =>
  services.cases.save(startTriage(await file(), services.config.categories, ruleContext(services, SYSTEM)));
const accepted = async () => {
  const ctx = ruleContext(services, SYSTEM);
  const record = decideTriage(await triaged(), { level: 'department', unitId: 'power-supply' }, ctx);
  return services.cases.save(acceptCase(record, ruleContext(services, { kind: 'unit', id: 'power-supply' })));
};

/** Step Functions as the sweep sees it: executions by name, each with an outcome; starts recorded. */
class FakeExecutions implements WorkflowExecutions {
  readonly outcomes = new Map<string, ExecutionOutcome>();
  readonly started: { caseId: string; round: number; status: CaseStatus }[] = [];
  async running() {
    return [...this.outcomes]
      .filter(([, outcome]) => outcome === 'running')
      .map(([name]) => {
        const [caseId, round] = name.split('-');
        return { caseId: caseId!, round: round ? Number(round) : 1 };
      });
  }
  async outcome(caseId: string, round: number) {
    return this.outcomes.get(executionName(caseId, round)) ?? 'missing';
  }
  async startRound(caseId: string, round: number, status: CaseStatus) {
    this.started.push({ caseId, round, status });
    this.outcomes.set(executionName(caseId, round), 'running');
  }
}

describe('the recovery sweep (self-recovery on AWS)', () => {
  let executions: FakeExecutions;
  const sweep = () => recoverStalledWorkflows({ ...services, executions });
  beforeEach(async () => {
    executions = new FakeExecutions();
    // Every open case already stored has a running execution, unless a test says otherwise.
    for (const status of ['triage', 'assigned', 'accepted', 'in_progress', 'resolved'] as const) {
      for (const record of await services.cases.everyByStatus(status)) {
        executions.outcomes.set(executionName(record.id, record.workflowRound ?? 1), 'running');
      }
    }
  });

  it.each(['failed', 'timed_out', 'missing'] as const)(
    'restarts a case whose execution is %s as round 2 at its phase, and records the round privately',
    async (outcome) => {
      // Prepare
      const record = await accepted();
      executions.outcomes.set(record.id, outcome);

      // Act
      const report = await sweep();

      // Assess
      expect(report.restarted).toEqual([{ caseId: record.id, round: 2, after: outcome }]);
      expect(report.restartedAgain).toEqual([]);
      expect(executions.started).toEqual([{ caseId: record.id, round: 2, status: 'accepted' }]);
      const stored = (await services.cases.get(record.id))!;
      expect(stored.workflowRound).toBe(2);
      expect(stored.status).toBe('accepted');
      expect(stored.history.at(-1)).toMatchObject({
        action: 'restartWorkflow',
        actor: { kind: 'system' },
        public: false,
        data: { round: 2, previous: outcome },
      });
    },
  );

  it('leaves running, aborted and succeeded executions, submitted and closed cases alone', async () => {
    // Prepare
    const running = await triaged();
    const aborted = await triaged();
    const succeeded = await triaged();
    const submitted = await file();
    const closed = await storeClosedCase(services, '2026-11-20T04:00:00Z', '已销号');
    executions.outcomes.set(running.id, 'running');
    executions.outcomes.set(aborted.id, 'aborted');
    executions.outcomes.set(succeeded.id, 'succeeded');

    // Act
    const report = await sweep();

    // Assess
    expect(report.restarted).toEqual([]);
    expect(executions.started).toEqual([]);
    for (const record of [running, aborted, succeeded, submitted, closed]) {
      expect((await services.cases.get(record.id))?.workflowRound, record.id).toBeUndefined();
    }
  });

  it('restarts a case at most once per sweep, and reports it when it needs a restart a second time', async () => {
    // Prepare
    const record = await triaged();
    executions.outcomes.set(record.id, 'failed');

    // Act: the first sweep restarts it; the second finds round 2 running; round 2 fails; the third restarts again.
    const first = await sweep();
    const second = await sweep();
    executions.outcomes.set(`${record.id}-2`, 'failed');
    const third = await sweep();

    // Assess
    expect(first.restarted.map((r) => r.round)).toEqual([2]);
    expect(second.restarted).toEqual([]);
    expect(third.restarted).toEqual([{ caseId: record.id, round: 3, after: 'failed' }]);
    expect(third.restartedAgain).toEqual([record.id]);
    expect(executions.started.map((s) => s.round)).toEqual([2, 3]);
    expect((await services.cases.get(record.id))?.workflowRound).toBe(3);
  });

  it('records the round although the new execution wrote the case first', async () => {
    // Prepare: the new execution's first task stores its token before the sweep records the round.
    const record = await triaged();
    executions.outcomes.set(record.id, 'failed');
    const starting = executions.startRound.bind(executions);
    executions.startRound = async (caseId, round, status) => {
      await starting(caseId, round, status);
      const current = (await services.cases.get(caseId))!;
      await services.cases.save({
        ...current,
        wait: { token: 'new-round', state: 'AwaitTriage', since: '' },
      });
    };

    // Act
    const report = await sweep();

    // Assess
    expect(report.restarted).toHaveLength(1);
    const stored = (await services.cases.get(record.id))!;
    expect(stored.workflowRound).toBe(2);
    expect(stored.wait?.token).toBe('new-round');
  });
});

describe('a failed execution on Step Functions, recovered by the sweep', () => {
  const sfn = mockClient(SFNClient);
  const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:zhuqi-prod-case-workflow';
  let engine: LocalWorkflowEngine;
  afterEach(async () => {
    sfn.reset();
    await engine?.stop();
  });

  it('continues the case: the new round waits for triage, and the office triage moves it on', async () => {
    // Prepare: round 1 took the case into triage and waited; then its execution failed (its next
    // task kept failing, say). Step Functions is mocked; the execution a StartExecution asks for is
    // run by the local runner — the same definition and task handlers — as Step Functions would.
    engine = new LocalWorkflowEngine(services.clock, services.logger);
    const withEngine: Services = { ...services, workflow: engine };
    engine.bind(withEngine);
    const record = await file('执行失败后继续办理');
    await workflowTasks.beginTriage(withEngine, { task: 'beginTriage', caseId: record.id });
    await awaitAnswer(withEngine, {
      task: 'awaitAnswer',
      state: 'AwaitTriage',
      caseId: record.id,
      token: 'round-1-token',
    });
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'none', $metadata: {} }));
    sfn
      .on(DescribeExecutionCommand, {
        executionArn: `arn:aws:states:us-east-1:123456789012:execution:zhuqi-prod-case-workflow:${record.id}`,
      })
      .resolves({ status: 'FAILED' });
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string; input: string }) => {
      const { caseId, status, waitSeconds } = JSON.parse(input.input) as {
        caseId: string;
        status: CaseStatus;
        waitSeconds: number;
      };
      await engine.start(caseId, status, { waitSeconds });
      return { executionArn: `${MACHINE}:${input.name}`, startDate: new Date() };
    });
    const stepFunctions = new StepFunctionsEngine(new SFNClient({}), MACHINE, services.logger);
    const onlyThisCase = {
      ...stepFunctions,
      running: () => stepFunctions.running(),
      outcome: (caseId: string, round: number) =>
        caseId === record.id ? stepFunctions.outcome(caseId, round) : Promise.resolve('running' as const),
      startRound: (caseId: string, round: number, status: CaseStatus, first?: FirstWait) =>
        stepFunctions.startRound(caseId, round, status, first),
    };

    // Act: the sweep restarts it; the office then triages the case.
    const report = await recoverStalledWorkflows({ ...withEngine, executions: onlyThisCase });
    const waiting = await waitFor(
      record.id,
      (r) => r.wait?.state === 'AwaitTriage' && r.wait.token !== 'round-1-token',
    );
    await triageCase(
      withEngine,
      record.id,
      { level: 'department', unitId: 'power-supply' },
      officeCaller(services.officeKey),
    );
    const assigned = await waitFor(record.id, (r) => r.wait?.state === 'AwaitUnit');

    // Assess
    expect(report.restarted).toEqual([{ caseId: record.id, round: 2, after: 'failed' }]);
    // The new round starts with the length of the wait the case is in (its triage clock's warning).
    const starts = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(starts.map(({ input, ...rest }) => rest)).toEqual([
      { stateMachineArn: MACHINE, name: `${record.id}-2` },
    ]);
    expect(JSON.parse(starts[0]!.input!)).toEqual({
      caseId: record.id,
      status: 'triage',
      waitSeconds: expect.any(Number),
    });
    expect(JSON.parse(starts[0]!.input!).waitSeconds).toBeGreaterThan(1);
    expect(waiting.workflowRound).toBe(2);
    expect(assigned.status).toBe('assigned');
    expect(assigned.notices.filter((n) => n.kind === 'assignment')).toHaveLength(1);
    expect(
      services.notices.sent.filter((n) => n.caseId === record.id && n.kind === 'assignment'),
    ).toHaveLength(1);
  });
});

/** Polls the case until the workflow (running in this process) has brought it where `done` says. */
function waitFor(id: string, done: (record: CaseRecord) => boolean): Promise<CaseRecord> {
  return poll(`case ${id}`, async () => {
    const record = await services.cases.get(id);
    return record && done(record) ? record : undefined;
  });
}
