import type { App } from 'aws-cdk-lib';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, type NagPack, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct, Node } from 'constructs';
import { DeploySettingsError } from './settings';

/** The cdk-nag packs `-c nagPacks=…` may name; AWS Solutions runs on every synth whatever is named. */
export const NAG_PACKS = {
  serverless: () => new ServerlessChecks(),
  nist80053r5: () => new NIST80053R5Checks(),
} as const;
export type NagPackName = keyof typeof NAG_PACKS;

/** Both packs unless `-c nagPacks=` names fewer (`-c nagPacks=none`: AWS Solutions alone). */
export function readNagPacks(node: Node): NagPackName[] {
  const value: unknown = node.tryGetContext('nagPacks');
  if (value === undefined || value === null) return Object.keys(NAG_PACKS) as NagPackName[];
  if (typeof value !== 'string') throw new DeploySettingsError('-c nagPacks must be a comma-separated list');
  const names = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n && n !== 'none');
  for (const name of names) {
    if (!(name in NAG_PACKS)) {
      throw new DeploySettingsError(
        `-c nagPacks=${value}: unknown pack ${name}; use ${Object.keys(NAG_PACKS).join(', ')} or none`,
      );
    }
  }
  return [...new Set(names)] as NagPackName[];
}

/** AWS Solutions and the packs named: every finding fails the synth unless it is acknowledged. */
export function nagPacks(names: readonly NagPackName[]): NagPack[] {
  return [new AwsSolutionsChecks(), ...names.map((name) => NAG_PACKS[name]())];
}

export function addNagPacks(app: App, names: readonly NagPackName[]): void {
  Validations.of(app).addPlugins(...nagPacks(names));
}

// Every acknowledgement the app makes, with the one sentence a reviewer reads: the findings of the
// packs that are a decision, not a gap. (Those of AWS Solutions written before stay at their resources.)

/** An acknowledged finding: the rule (with its `[finding]` when the pack names one) and why. */
export interface Acknowledgement {
  id: string;
  reason: string;
}

export function acknowledge(scope: IConstruct, ...acknowledgements: Acknowledgement[]): void {
  for (const a of acknowledgements) Validations.of(scope).acknowledge(a);
}

/** Every dead-letter queue: the Serverless pack wants a redrive policy on every queue, these included. */
export const DEAD_LETTER_QUEUE_HAS_NO_REDRIVE: Acknowledgement = {
  id: 'Serverless-SQSRedrivePolicy',
  reason:
    'A dead-letter queue is the last stop: its messages wait 14 days for an operator, an alarm fires ' +
    'at the first one, and a redrive policy of its own would move them out of the sight of that alarm.',
};

/** The schedules' dead-letter queue, which AWS Solutions expects to have a dead-letter queue itself. */
export const SCHEDULE_QUEUE_IS_A_DEAD_LETTER_QUEUE: Acknowledgement = {
  id: 'AwsSolutions-SQS3',
  reason:
    'It is itself the dead-letter queue of the two schedules and of their functions (EventBridge ' +
    'targets and Lambda asynchronous invocations name it), not a queue anything consumes.',
};

/** The SQS event source mappings of the intake and notifier functions. */
export const SQS_SOURCE_HAS_NO_DESTINATION: Acknowledgement = {
  id: 'Serverless-LambdaEventSourceMappingDestination',
  reason:
    "Lambda offers on-failure destinations for stream and Kafka sources only; an SQS source's failed " +
    "messages go to the queue's own dead-letter queue (after 5 receives), which an alarm watches.",
};

/** Functions nothing invokes asynchronously, and why a dead-letter queue has nothing to catch there. */
const NO_ASYNC_INVOCATION = {
  api: 'API Gateway invokes it synchronously: the caller receives the error, and no event is left to keep.',
  intake:
    'Its SQS event source invokes it synchronously; a failed message stays in the intake queue and ' +
    "goes to that queue's dead-letter queue after 5 receives.",
  notifier:
    'Its SQS event source invokes it synchronously; a failed message stays in the notices queue and ' +
    "goes to that queue's dead-letter queue after 5 receives.",
  workflowTask:
    'Step Functions invokes it synchronously and retries or catches every failure in the workflow; ' +
    'a failed execution raises the workflow-failed alarm.',
} as const;
export type SynchronouslyInvoked = keyof typeof NO_ASYNC_INVOCATION;

/** Both packs' dead-letter-queue rule, for a function invoked only synchronously. */
export function noDeadLetterQueue(name: SynchronouslyInvoked): Acknowledgement[] {
  const reason = NO_ASYNC_INVOCATION[name];
  return [
    { id: 'Serverless-LambdaDLQ', reason },
    { id: 'NIST.800.53.R5-LambdaDLQ', reason },
  ];
}

/** Findings every function has, for the same reason. */
export const FUNCTION_ACKNOWLEDGEMENTS: Acknowledgement[] = [
  {
    id: 'Serverless-LambdaTracing',
    reason:
      'Tracing is Active through Fn::If on the partition (Lambda has no X-Ray integration in aws-cn, ' +
      'where the function passes trace headers through), a condition the pack cannot evaluate.',
  },
  {
    id: 'NIST.800.53.R5-LambdaInsideVPC',
    reason:
      'The functions call only AWS APIs (DynamoDB, SQS, Step Functions) over TLS with signed requests ' +
      "and the units' public webhooks, and accept no inbound connection; a VPC would add NAT gateways " +
      'and interface endpoints (about $95 a month, README cost model) without closing a path an ' +
      'attacker could use.',
  },
];

/**
 * CDK grants a function the data key, for what it sends or writes, with kms:ReEncrypt* and
 * kms:GenerateDataKey*: on that one key's ARN only.
 */
export const DATA_KEY_GRANTS: Acknowledgement[] = ['kms:ReEncrypt*', 'kms:GenerateDataKey*'].map(
  (action) => ({
    id: `AwsSolutions-IAM5[Action::${action}]`,
    reason:
      `${action} on the data key alone (its ARN is the statement's only resource): the variants of the ` +
      'KMS call DynamoDB and SQS make for this function when it writes to the table or sends to a queue.',
  }),
);
