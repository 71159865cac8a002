import { Logger } from '@aws-lambda-powertools/logger';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { type Logger as AppLogger, systemClock, type WorkflowExecutions } from '../app/ports';
import type { Services } from '../app/services';
import { readFunctionEnvironment } from '../config/function-env';
import { WorkCalendar } from '../domain/calendar';
import { AccessRepository } from '../store/access-repository';
import { AuditRepository } from '../store/audit-repository';
import { CaseRepository } from '../store/case-repository';
import { CommonProblemRepository } from '../store/common-problem-repository';
import { createDocumentClient } from '../store/dynamo';
import { LimitRepository } from '../store/limit-repository';
import { OutboxRepository } from '../store/outbox-repository';
import { SessionRepository } from '../store/session-repository';
import { SqsQueue, StepFunctionsEngine } from './aws';

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
  const sqs = traced(new SQSClient({}));
  const sfn = traced(new SFNClient({}));
  const workflow = new StepFunctionsEngine(sfn, vars.STATE_MACHINE_ARN, appLogger);
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
    intake: new SqsQueue(sqs, vars.INTAKE_QUEUE_URL),
    notices: new SqsQueue(sqs, vars.NOTICE_QUEUE_URL),
    workflow,
    executions: workflow,
    calendar: new WorkCalendar(config.calendar),
  };
}
