import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SendMessageCommand, SQSClient, SQSServiceException } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsQueue, StepFunctionsEngine } from '../../shared/adapters/aws';
import { consoleLogger } from '../../shared/embedded/console-logger';

// The AWS adapters against mocked SDK clients: the commands they send, with which inputs, and which
// AWS errors they absorb (the outcome is already what was asked) or rethrow (the caller must retry).
const sqsMock = mockClient(SQSClient);
const sfnMock = mockClient(SFNClient);
beforeEach(() => {
  sqsMock.reset();
  sfnMock.reset();
});

const QUEUE_URL = 'https://sqs.cn-north-1.amazonaws.com.cn/123456789012/zhuqi-prod-intake';
const MACHINE = 'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:zhuqi-prod-case-workflow';
const CASE_ID = 'abcdefghijklmnopqrst';
const metadata = { $metadata: { httpStatusCode: 400 } };
const engine = () => new StepFunctionsEngine(new SFNClient({}), MACHINE, consoleLogger({ silent: true }));

/** An error as the SDK raises one for an error code its model does not name (throttling, access). */
const serviceError = (name: string, Base = SFNServiceException) =>
  new Base({ name, $fault: 'client', message: name, ...metadata });

const absorbed = {
  ExecutionAlreadyExists: () => new ExecutionAlreadyExists({ message: 'exists', ...metadata }),
  TaskDoesNotExist: () => new TaskDoesNotExist({ message: 'gone', ...metadata }),
  TaskTimedOut: () => new TaskTimedOut({ message: 'timed out', ...metadata }),
  InvalidToken: () => new InvalidToken({ message: 'invalid', ...metadata }),
};
const rethrown = ['ThrottlingException', 'AccessDeniedException'];

describe('SqsQueue', () => {
  it('sends each message as JSON to its queue URL', async () => {
    sqsMock.on(SendMessageCommand).resolves({ MessageId: 'm-1' });

    await new SqsQueue(new SQSClient({}), QUEUE_URL).send({ caseId: CASE_ID });

    expect(sqsMock.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: QUEUE_URL, MessageBody: `{"caseId":"${CASE_ID}"}` },
    ]);
  });

  it.each(rethrown)('rethrows %s, so that the caller does not take the message as sent', async (name) => {
    sqsMock.on(SendMessageCommand).rejects(serviceError(name, SQSServiceException));

    await expect(new SqsQueue(new SQSClient({}), QUEUE_URL).send({ caseId: CASE_ID })).rejects.toThrow(name);
  });
});

describe('StepFunctionsEngine', () => {
  describe('start (intake)', () => {
    it('starts one execution named after the case, with the case id, its status and the first wait', async () => {
      sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });

      await engine().start(CASE_ID, 'submitted', { waitSeconds: 3600 });
      await engine().start(CASE_ID, 'submitted'); // an older caller: a wait of 1 s, armed right after it

      expect(sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input)).toEqual([
        {
          stateMachineArn: MACHINE,
          name: CASE_ID,
          input: `{"caseId":"${CASE_ID}","status":"submitted","waitSeconds":3600}`,
        },
        {
          stateMachineArn: MACHINE,
          name: CASE_ID,
          input: `{"caseId":"${CASE_ID}","status":"submitted","waitSeconds":1}`,
        },
      ]);
    });

    it('takes ExecutionAlreadyExists as started: the case has its execution', async () => {
      sfnMock.on(StartExecutionCommand).rejects(absorbed.ExecutionAlreadyExists());

      await expect(engine().start(CASE_ID, 'submitted')).resolves.toBeUndefined();
    });

    it.each(rethrown)('rethrows %s, so that the intake message is retried', async (name) => {
      sfnMock.on(StartExecutionCommand).rejects(serviceError(name));

      await expect(engine().start(CASE_ID, 'submitted')).rejects.toThrow(name);
    });
  });

  describe('wake (a person answered)', () => {
    it('sends the task token and the case status as the task output', async () => {
      sfnMock.on(SendTaskSuccessCommand).resolves({});

      await engine().wake('token-1', { caseId: CASE_ID, status: 'assigned' });

      expect(sfnMock.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input)).toEqual([
        { taskToken: 'token-1', output: `{"caseId":"${CASE_ID}","status":"assigned"}` },
      ]);
    });

    it.each(['TaskDoesNotExist', 'TaskTimedOut', 'InvalidToken'] as const)(
      'absorbs %s: the wait ended already and the workflow reads the case anyway',
      async (name) => {
        sfnMock.on(SendTaskSuccessCommand).rejects(absorbed[name]());

        await expect(
          engine().wake('stale', { caseId: CASE_ID, status: 'assigned' }),
        ).resolves.toBeUndefined();
      },
    );

    it.each(rethrown)('rethrows %s', async (name) => {
      sfnMock.on(SendTaskSuccessCommand).rejects(serviceError(name));

      await expect(engine().wake('token-1', { caseId: CASE_ID, status: 'assigned' })).rejects.toThrow(name);
    });
  });

  describe('executions (the recovery sweep)', () => {
    it('lists the running executions of its state machine, every page, as case and round', async () => {
      sfnMock
        .on(ListExecutionsCommand)
        .resolvesOnce({
          executions: [
            execution(CASE_ID, 'RUNNING'),
            execution('bcdefghijklmnopqrstu-2', 'RUNNING'),
            execution('not a case execution', 'RUNNING'),
          ],
          nextToken: 'page-2',
        })
        .resolvesOnce({ executions: [execution('cdefghijklmnopqrstuv-13', 'RUNNING')] });

      const running = await engine().running();

      expect(running).toEqual([
        { caseId: CASE_ID, round: 1 },
        { caseId: 'bcdefghijklmnopqrstu', round: 2 },
        { caseId: 'cdefghijklmnopqrstuv', round: 13 },
      ]);
      // (The SDK's paginator reuses one input object, so each call is read as the paginator left it.)
      const calls = sfnMock.commandCalls(ListExecutionsCommand).map((c) => c.args[0].input);
      expect(calls).toHaveLength(2);
      for (const input of calls) {
        expect(input).toMatchObject({ stateMachineArn: MACHINE, statusFilter: 'RUNNING', maxResults: 1000 });
      }
      expect(calls[1]?.nextToken).toBe('page-2');
    });

    it.each([
      ['RUNNING', 'running'],
      ['PENDING_REDRIVE', 'running'],
      ['SUCCEEDED', 'succeeded'],
      ['FAILED', 'failed'],
      ['TIMED_OUT', 'timed_out'],
      ['ABORTED', 'aborted'],
    ] as const)('describes the execution of a round by its ARN: %s is %s', async (status, outcome) => {
      sfnMock.on(DescribeExecutionCommand).resolves({ status });

      expect(await engine().outcome(CASE_ID, 3)).toBe(outcome);
      expect(sfnMock.commandCalls(DescribeExecutionCommand)[0]?.args[0].input).toEqual({
        executionArn: `arn:aws-cn:states:cn-north-1:123456789012:execution:zhuqi-prod-case-workflow:${CASE_ID}-3`,
      });
    });

    it('names the first round after the case alone, and says an execution that does not exist is missing', async () => {
      sfnMock.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no', ...metadata }));

      expect(await engine().outcome(CASE_ID, 1)).toBe('missing');
      expect(sfnMock.commandCalls(DescribeExecutionCommand)[0]?.args[0].input.executionArn).toMatch(
        new RegExp(`:execution:zhuqi-prod-case-workflow:${CASE_ID}$`),
      );
    });

    it.each(rethrown)('rethrows %s when describing', async (name) => {
      sfnMock.on(DescribeExecutionCommand).rejects(serviceError(name));

      await expect(engine().outcome(CASE_ID, 1)).rejects.toThrow(name);
    });

    it('starts a round under the case id and the round, at the phase of the case', async () => {
      sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${MACHINE}:x`, startDate: new Date() });

      await engine().startRound(CASE_ID, 2, 'accepted', { waitSeconds: 7200 });

      expect(sfnMock.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
        stateMachineArn: MACHINE,
        name: `${CASE_ID}-2`,
        input: `{"caseId":"${CASE_ID}","status":"accepted","waitSeconds":7200}`,
      });
    });

    it('takes an existing execution of the round as started', async () => {
      sfnMock.on(StartExecutionCommand).rejects(absorbed.ExecutionAlreadyExists());

      await expect(engine().startRound(CASE_ID, 2, 'triage')).resolves.toBeUndefined();
    });

    it.each(rethrown)('rethrows %s when starting a round', async (name) => {
      sfnMock.on(StartExecutionCommand).rejects(serviceError(name));

      await expect(engine().startRound(CASE_ID, 2, 'triage')).rejects.toThrow(name);
    });
  });
});

function execution(name: string, status: 'RUNNING') {
  return {
    name,
    status,
    executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:${name}`,
    stateMachineArn: MACHINE,
    startDate: new Date('2026-11-23T02:00:00Z'),
  };
}
