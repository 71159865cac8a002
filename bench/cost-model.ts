// What a case costs on AWS (issue 11, target 6): the one price list, the assumptions that are not
// counted, and the arithmetic from a case's counted usage to US$ per 1,000 cases. `npm run bench
// -- --only transitions` counts the usage in the embedded runtime and prints the result;
// docs/workflow-cost.md explains every line (test/unit/cost-model.test.ts keeps its tables equal
// to these numbers).
import { FUNCTIONS } from '../infra/stateless-stack';

/**
 * List prices of `us-east-1`, without free tiers, as published on AWS's pricing pages on the date
 * below (the network of the machine that wrote this reaches only npm: these are the prices as the
 * author knew them on that date, not fetched). The China regions are priced in CNY on
 * amazonaws.cn and are not given here.
 */
export const PRICE_LIST = {
  region: 'us-east-1',
  publishedOn: '2025-08-01',
  prices: {
    stateTransition: {
      usd: 0.025 / 1_000,
      unit: 'state transition',
      source: 'aws.amazon.com/step-functions/pricing: Standard workflows, $0.025 per 1,000 state transitions',
    },
    lambdaRequest: {
      usd: 0.2 / 1_000_000,
      unit: 'Lambda request',
      source: 'aws.amazon.com/lambda/pricing: $0.20 per 1 million requests',
    },
    lambdaGbSecond: {
      usd: 0.0000133334,
      unit: 'Lambda GB-second (arm64)',
      source: 'aws.amazon.com/lambda/pricing: Arm, $0.0000133334 per GB-second (first 7.5 billion a month)',
    },
    dynamoWrite: {
      usd: 0.625 / 1_000_000,
      unit: 'DynamoDB write request unit',
      source:
        'aws.amazon.com/dynamodb/pricing/on-demand: $0.625 per million write request units (since 2024-11-01)',
    },
    dynamoRead: {
      usd: 0.125 / 1_000_000,
      unit: 'DynamoDB read request unit',
      source:
        'aws.amazon.com/dynamodb/pricing/on-demand: $0.125 per million read request units (since 2024-11-01)',
    },
    sqsRequest: {
      usd: 0.4 / 1_000_000,
      unit: 'SQS request',
      source: 'aws.amazon.com/sqs/pricing: standard queues, $0.40 per million requests',
    },
    httpApiRequest: {
      usd: 1 / 1_000_000,
      unit: 'HTTP API request',
      source: 'aws.amazon.com/api-gateway/pricing: HTTP APIs, $1.00 per million requests (first 300 million)',
    },
    logsIngestedGb: {
      usd: 0.5,
      unit: 'GB of logs ingested',
      source: 'aws.amazon.com/cloudwatch/pricing: Logs, standard class, $0.50 per GB ingested',
    },
    xrayTrace: {
      usd: 5 / 1_000_000,
      unit: 'X-Ray trace recorded',
      source: 'aws.amazon.com/xray/pricing: $5.00 per million traces recorded',
    },
  },
} as const;

type LambdaName = 'api' | 'intake' | 'workflowTask' | 'notifier';

/**
 * What the bench cannot count in the embedded runtime, assumed. Durations are billed milliseconds
 * of a warm invocation on Lambda (the store and the queues a network hop away); since 2025-08-01
 * Lambda also bills the initialisation of a cold start, assumed for the share of invocations
 * below at the duration below (the cold-start section of the bench measures the API bundle's).
 */
export const ASSUMPTIONS = {
  warmMs: { api: 100, intake: 60, workflowTask: 80, notifier: 150 } satisfies Record<LambdaName, number>,
  coldShare: 0.5,
  initMs: 400,
  /** SQS requests per message: a send, the receive that returns it, a delete. */
  sqsRequestsPerMessage: 3,
  /** Log bytes: per Lambda invocation (START, END, REPORT and the structured lines), per HTTP access log line, per execution history event (Standard, level ALL, without data). */
  logBytes: { lambdaInvocation: 1_000, accessLogLine: 350, executionEvent: 350 },
  /** Execution history events per state transition (entered, exited, and a task's scheduled/started/succeeded). */
  eventsPerTransition: 3,
};

/** The memory each function is configured with (infra/stateless-stack.ts), in GB. */
const MEMORY_GB: Record<LambdaName, number> = {
  api: FUNCTIONS.api.memorySize / 1024,
  intake: FUNCTIONS.intake.memorySize / 1024,
  workflowTask: FUNCTIONS.workflowTask.memorySize / 1024,
  notifier: FUNCTIONS.notifier.memorySize / 1024,
};

/** What one case used, as the bench counts it. */
export interface CaseUsage {
  transitions: number;
  invocations: Record<LambdaName, number>;
  httpRequests: number;
  /** Write request units: the table's own, and its indexes' (each index an item is in pays the write again). */
  tableWriteUnits: number;
  indexWriteUnits: number;
  readUnits: number;
  queueMessages: number;
}

export interface CaseCost {
  /** US$ per 1,000 cases, by service. */
  lines: {
    stepFunctions: number;
    lambda: number;
    dynamoDb: number;
    sqs: number;
    httpApi: number;
    logs: number;
    xray: number;
  };
  total: number;
}

/** US$ per 1,000 cases from one case's usage. */
export function costPerThousand(usage: CaseUsage): CaseCost {
  const p = PRICE_LIST.prices;
  const a = ASSUMPTIONS;
  const names = Object.keys(usage.invocations) as LambdaName[];
  const invocations = names.reduce((sum, name) => sum + usage.invocations[name], 0);
  const gbSeconds = names.reduce(
    (sum, name) =>
      sum + (usage.invocations[name] * MEMORY_GB[name] * (a.warmMs[name] + a.coldShare * a.initMs)) / 1000,
    0,
  );
  const logBytes =
    invocations * a.logBytes.lambdaInvocation +
    usage.httpRequests * a.logBytes.accessLogLine +
    usage.transitions * a.eventsPerTransition * a.logBytes.executionEvent;
  // One trace per API request and per queue delivery, one per execution (its tasks are segments of it).
  const traces = usage.invocations.api + usage.invocations.intake + usage.invocations.notifier + 1;
  const perCase = {
    stepFunctions: usage.transitions * p.stateTransition.usd,
    lambda: invocations * p.lambdaRequest.usd + gbSeconds * p.lambdaGbSecond.usd,
    dynamoDb:
      (usage.tableWriteUnits + usage.indexWriteUnits) * p.dynamoWrite.usd +
      usage.readUnits * p.dynamoRead.usd,
    sqs: usage.queueMessages * a.sqsRequestsPerMessage * p.sqsRequest.usd,
    httpApi: usage.httpRequests * p.httpApiRequest.usd,
    logs: (logBytes / 1e9) * p.logsIngestedGb.usd,
    xray: traces * p.xrayTrace.usd,
  };
  const lines = Object.fromEntries(
    Object.entries(perCase).map(([name, usd]) => [name, usd * 1000]),
  ) as CaseCost['lines'];
  return { lines, total: Object.values(lines).reduce((sum, usd) => sum + usd, 0) };
}
