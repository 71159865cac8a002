import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Logger, MessageQueue, WorkflowEngine } from '../app/ports';

/** SQS as the application's message queue. */
export class SqsQueue<T> implements MessageQueue<T> {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: T): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }),
    );
  }
}

/**
 * Step Functions as the workflow engine. The execution is named after the case, so however often
 * the intake message is delivered, Step Functions starts one execution per case.
 */
export class StepFunctionsEngine implements WorkflowEngine {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly logger: Logger,
  ) {}

  async start(caseId: string, status: string): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: caseId,
          input: JSON.stringify({ caseId, status: 'submitted' }),
        }),
      );
    } catch (error) {
      // Same name, other input: an execution of this case exists (or existed) — that is the one.
      if (error instanceof ExecutionAlreadyExists) {
        this.logger.info('the case already has its execution', { caseId, status });
        return;
      }
      throw error;
    }
  }

  async wake(token: string, state: { caseId: string; status: string }): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(state) }));
    } catch (error) {
      // The wait ended already (a timer, another answer): the workflow reads the case anyway.
      if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
        return;
      throw error;
    }
  }
}
