import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { localDefinition } from '../../shared/embedded/local-workflow';
import {
  CALLBACK_STATES,
  MAX_WAIT_SECONDS,
  substitute,
  TASK_TIMEOUT_SECONDS,
  WORKFLOW_TASKS,
  workflowDefinition,
} from '../../shared/workflow/definition';

const deployed = () =>
  substitute(workflowDefinition(), {
    TaskFunctionArn: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:zhuqi-workflow-task',
    Partition: 'aws-cn',
  }) as { States: Record<string, Record<string, unknown>>; StartAt: string };

describe('the workflow definition', () => {
  it('is valid Amazon States Language', () => {
    const result = validator(deployed() as never);
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('sets an explicit timeout on every task: a fixed one, or the next supervision checkpoint', () => {
    for (const [name, state] of Object.entries(deployed().States)) {
      if (state.Type !== 'Task') continue;
      const timeout = state.TimeoutSeconds ?? state.TimeoutSecondsPath;
      expect(timeout, name).toBeDefined();
    }
  });

  it('waits for people only through callback tasks whose token goes to the case', () => {
    const states = deployed().States;
    const callbacks = Object.entries(states).filter(([, s]) =>
      String(s.Resource).endsWith('.waitForTaskToken'),
    );
    expect(callbacks.map(([name]) => name).sort()).toEqual([...CALLBACK_STATES].sort());
    for (const [, state] of callbacks) {
      expect(state.Resource).toBe('arn:aws-cn:states:::lambda:invoke.waitForTaskToken');
      expect(state.Parameters).toMatchObject({
        Payload: { 'token.$': '$$.Task.Token', task: 'awaitAnswer' },
      });
      expect(state.TimeoutSecondsPath).toBe('$.waitSeconds');
      expect(state.Catch).toEqual([expect.objectContaining({ ErrorEquals: ['States.Timeout'] })]);
      const retried = (state.Retry as { ErrorEquals: string[] }[]).flatMap((r) => r.ErrorEquals);
      expect(retried).not.toContain('States.TaskFailed'); // it would swallow the timeout
      expect(retried).not.toContain('States.ALL');
    }
  });

  it('calls only tasks the task function implements', () => {
    const tasks = Object.values(deployed().States)
      .filter((s) => s.Type === 'Task')
      .map(
        (s) =>
          (s.Parameters as { task?: string; Payload?: { task: string } }).task ??
          (s.Parameters as { Payload: { task: string } }).Payload.task,
      );
    expect(new Set(tasks)).toEqual(new Set(WORKFLOW_TASKS));
  });

  it('can start at every phase a case can be in (it is re-entrant)', () => {
    const { States, StartAt } = deployed();
    // The start is the first wait, whose storing call reads the case: it takes a filed case into
    // triage and hands a case of another phase on to Route.
    expect(StartAt).toBe('AwaitTriage');
    const route = States.Route as { Choices: unknown[]; Default: string };
    const text = JSON.stringify(route.Choices);
    for (const status of ['triage', 'assigned', 'accepted', 'in_progress', 'resolved', 'closed']) {
      expect(text, status).toContain(`"${status}"`);
    }
    expect(route.Default).toBe('AwaitTriage'); // submitted: its storing call begins triage
  });

  it('goes from every answer to the wait that usually follows (or Route), and from every timeout to a task that reads the case', () => {
    const { States } = deployed();
    expect(CALLBACK_STATES.map((name) => States[name]!.Next)).toEqual(['AwaitUnit', 'AwaitSurvey', 'Route']);
    for (const name of CALLBACK_STATES) {
      const state = States[name] as { Catch: { Next: string }[] };
      const onTimeout = States[state.Catch[0]!.Next]!;
      expect(onTimeout.Type, name).toBe('Task');
      expect(onTimeout.Resource, name).not.toContain('waitForTaskToken');
      expect([name, 'Route'], name).toContain(onTimeout.Next);
    }
  });

  it('keeps every wait below what Node timers can hold, so a 30-day deadline never fires early', () => {
    expect(MAX_WAIT_SECONDS * 1000).toBeLessThan(2 ** 31 - 1);
  });

  it("runs locally exactly as deployed, but for the callbacks' timeout, which the local engine keeps itself", () => {
    const local = localDefinition() as { States: Record<string, Record<string, unknown>> };
    const asDeployed = substitute(workflowDefinition(), {
      TaskFunctionArn: 'arn:aws:lambda:local:000000000000:function:zhuqi-workflow-task',
      Partition: 'aws',
    }) as { States: Record<string, Record<string, unknown>> };
    for (const name of CALLBACK_STATES) {
      expect(local.States[name]!.TimeoutSeconds).toBe(TASK_TIMEOUT_SECONDS);
      expect(local.States[name]!.TimeoutSecondsPath).toBeUndefined();
      const { TimeoutSecondsPath, ...rest } = asDeployed.States[name]!;
      expect(TimeoutSecondsPath).toBe('$.waitSeconds');
      asDeployed.States[name] = { ...rest, TimeoutSeconds: TASK_TIMEOUT_SECONDS };
    }
    expect(local).toEqual(asDeployed);
  });
});
