import { Logger } from '@aws-lambda-powertools/logger';
import { onFirstUse } from '../app/on-first-use';
import {
  type Logger as AppLogger,
  type FirstWait,
  type MessageQueue,
  systemClock,
  type WorkflowEngine,
  type WorkflowExecutions,
} from '../app/ports';
import type { Services } from '../app/services';
import { readFunctionEnvironment } from '../config/function-env';
import { WorkCalendar } from '../domain/calendar';
import type { CaseStatus } from '../domain/case-state';
import { AccessRepository } from '../store/access-repository';
import { AuditRepository } from '../store/audit-repository';
import { CaseRepository } from '../store/case-repository';
import { CommonProblemRepository } from '../store/common-problem-repository';
import { createDocumentClient } from '../store/dynamo';
import { LimitRepository } from '../store/limit-repository';
import { OutboxRepository } from '../store/outbox-repository';
import { SessionRepository } from '../store/session-repository';

export const logger = new Logger();

/** The application's logger on top of Powertools' (structured JSON, with the Lambda context). */
const appLogger: AppLogger = {
  info: (message, extra) => (extra ? logger.info(message, extra) : logger.info(message)),
  warn: (message, extra) => (extra ? logger.warn(message, extra) : logger.warn(message)),
  error: (message, extra) => (extra ? logger.error(message, extra) : logger.error(message)),
};

/**
 * Powertools' tracer (X-Ray subsegments for every AWS SDK call), loaded where tracing is on. Where the
 * stack switches it off (the China regions, whose Lambda has no X-Ray) it would do nothing, and its
 * X-Ray SDK (about 115 KB, and an async hook on every promise) is not even loaded.
 */
async function sdkTracer(env: Record<string, string | undefined>) {
  if (env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() === 'false') return undefined;
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  return new Tracer();
}

/*
 * SQS and Step Functions, their SDK clients and adapters (./aws), are loaded by the first message sent
 * or the first call to the workflow: most requests of the API only read and write the table (a page,
 * a list, a case), and their cold start need not load two clients it does not call. The Lambda bundle
 * keeps them in a chunk of their own (infra/bundling.ts).
 */
class QueueOnFirstUse<T> implements MessageQueue<T> {
  constructor(private readonly queue: () => Promise<MessageQueue<T>>) {}
  async send(message: T): Promise<void> {
    await (await this.queue()).send(message);
  }
}

class WorkflowOnFirstUse implements WorkflowEngine, WorkflowExecutions {
  constructor(private readonly engine: () => Promise<WorkflowEngine & WorkflowExecutions>) {}
  async start(caseId: string, status: CaseStatus, first?: FirstWait) {
    await (await this.engine()).start(caseId, status, first);
  }
  async wake(token: string, state: Parameters<WorkflowEngine['wake']>[1]) {
    await (await this.engine()).wake(token, state);
  }
  async running() {
    return (await this.engine()).running();
  }
  async outcome(caseId: string, round: number) {
    return (await this.engine()).outcome(caseId, round);
  }
  async startRound(caseId: string, round: number, status: CaseStatus, first?: FirstWait) {
    await (await this.engine()).startRound(caseId, round, status, first);
  }
}

/**
 * The services on AWS, built once per Lambda container from the function's environment:
 * DynamoDB, SQS and Step Functions clients traced by Powertools; Step Functions also answers the
 * recovery sweep's questions about executions.
 */
export async function awsServices(
  env: Record<string, string | undefined> = process.env,
): Promise<Services & { executions: WorkflowExecutions }> {
  const { env: vars, config } = readFunctionEnvironment(env);
  const tracer = await sdkTracer(env);
  const traced = <T>(client: T): T => (tracer ? tracer.captureAWSv3Client(client) : client);
  const dynamo = traced(createDocumentClient());
  const adapters = onFirstUse(() => import('./aws'));
  const sqs = onFirstUse(async () => traced(new (await import('@aws-sdk/client-sqs')).SQSClient({})));
  const queue = <T>(url: string) =>
    new QueueOnFirstUse<T>(onFirstUse(async () => new (await adapters()).SqsQueue<T>(await sqs(), url)));
  const workflow = new WorkflowOnFirstUse(
    onFirstUse(async () => {
      const { SFNClient } = await import('@aws-sdk/client-sfn');
      return new (await adapters()).StepFunctionsEngine(
        traced(new SFNClient({})),
        vars.STATE_MACHINE_ARN,
        appLogger,
      );
    }),
  );
  return {
    config,
    clock: systemClock,
    logger: appLogger,
    cases: new CaseRepository(dynamo, vars.TABLE_NAME),
    access: new AccessRepository(dynamo, vars.TABLE_NAME),
    outbox: new OutboxRepository(dynamo, vars.TABLE_NAME),
    audit: new AuditRepository(dynamo, vars.TABLE_NAME),
    limits: new LimitRepository(dynamo, vars.TABLE_NAME),
    commonProblems: new CommonProblemRepository(dynamo, vars.TABLE_NAME),
    sessions: new SessionRepository(dynamo, vars.TABLE_NAME),
    intake: queue(vars.INTAKE_QUEUE_URL),
    notices: queue(vars.NOTICE_QUEUE_URL),
    workflow,
    executions: workflow,
    calendar: new WorkCalendar(config.calendar),
  };
}
