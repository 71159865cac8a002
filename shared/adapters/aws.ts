import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  type ExecutionStatus,
  InvalidToken,
  paginateListExecutions,
  SendTaskSuccessCommand,
  type SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  ExecutionOutcome,
  FirstWait,
  Logger,
  MessageQueue,
  WorkflowEngine,
  WorkflowExecutions,
} from '../app/ports';
import type { CaseStatus } from '../domain/case-state';
import { executionName, parseExecutionName } from '../workflow/definition';

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

const OUTCOME: Record<ExecutionStatus, ExecutionOutcome> = {
  RUNNING: 'running',
  // A redrive is under way: the execution runs again.
  PENDING_REDRIVE: 'running',
  SUCCEEDED: 'succeeded',
  FAILED: 'failed',
  TIMED_OUT: 'timed_out',
  ABORTED: 'aborted',
};

/**
 * Step Functions as the workflow engine. The first execution is named after the case, so however
 * often the intake message is delivered, Step Functions starts one execution per case; a restart
 * by the recovery sweep is named after the case and its round.
 */
export class StepFunctionsEngine implements WorkflowEngine, WorkflowExecutions {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly logger: Logger,
  ) {}

  async start(caseId: string, status: string, first?: FirstWait): Promise<void> {
    await this.startNamed(caseId, { caseId, status, waitSeconds: first?.waitSeconds ?? 1 }, status);
  }

  async startRound(caseId: string, round: number, status: CaseStatus, first?: FirstWait): Promise<void> {
    await this.startNamed(
      executionName(caseId, round),
      { caseId, status, waitSeconds: first?.waitSeconds ?? 1 },
      status,
    );
  }

  /** The first wait lasts `waitSeconds`: without it (an older caller), 1 s, after which it is armed right. */
  private async startNamed(
    name: string,
    input: { caseId: string; status: string; waitSeconds: number },
    status: string,
  ) {
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(input),
        }),
      );
    } catch (error) {
      // Same name, other input: an execution of this name exists (or existed) — that is the one.
      if (error instanceof ExecutionAlreadyExists) {
        this.logger.info('the case already has this execution', { caseId: input.caseId, name, status });
        return;
      }
      throw error;
    }
  }

  async wake(token: string, state: { caseId: string; status: string; waitSeconds?: number }): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(state) }));
    } catch (error) {
      // The wait ended already (a timer, another answer): the workflow reads the case anyway.
      if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
        return;
      throw error;
    }
  }

  async running(): Promise<{ caseId: string; round: number }[]> {
    const found: { caseId: string; round: number }[] = [];
    const pages = paginateListExecutions(
      { client: this.sfn, pageSize: 1000 },
      { stateMachineArn: this.stateMachineArn, statusFilter: 'RUNNING' },
    );
    for await (const page of pages) {
      for (const execution of page.executions ?? []) {
        const parsed = execution.name ? parseExecutionName(execution.name) : undefined;
        if (parsed) found.push(parsed);
      }
    }
    return found;
  }

  async outcome(caseId: string, round: number): Promise<ExecutionOutcome> {
    try {
      const { status } = await this.sfn.send(
        new DescribeExecutionCommand({ executionArn: this.executionArn(executionName(caseId, round)) }),
      );
      return status ? OUTCOME[status] : 'missing';
    } catch (error) {
      // Never started, or stopped more than 90 days ago, or its state machine was replaced.
      if (error instanceof ExecutionDoesNotExist) return 'missing';
      throw error;
    }
  }

  /** arn:<partition>:states:<region>:<account>:execution:<state machine name>:<execution name> */
  private executionArn(name: string): string {
    const [head, machine] = this.stateMachineArn.split(':stateMachine:');
    if (!head || !machine) throw new Error(`not a state machine ARN: ${this.stateMachineArn}`);
    return `${head}:execution:${machine}:${name}`;
  }
}
