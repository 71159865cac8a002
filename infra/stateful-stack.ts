import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../shared/store/keys';
import { FUNCTION_TIMEOUTS, VISIBILITY_TIMEOUT_FACTOR } from './settings';

export interface StatefulStackProps extends StackProps {
  stage: string;
}

/** What the stateless stack receives: the data and the queues, which outlive any code deployment. */
export interface StatefulResources {
  readonly table: Table;
  readonly intakeQueue: Queue;
  readonly intakeDeadLetterQueue: Queue;
  readonly noticeQueue: Queue;
  readonly noticeDeadLetterQueue: Queue;
}

/** Receives a message this often before it goes to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;

/**
 * The single table and the two queues. Kept apart from the functions so that a code deployment
 * (or a `cdk destroy` of the stateless stack) never touches the cases.
 */
export class StatefulStack extends Stack implements StatefulResources {
  public readonly table: Table;
  public readonly intakeQueue: Queue;
  public readonly intakeDeadLetterQueue: Queue;
  public readonly noticeQueue: Queue;
  public readonly noticeDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const prefix = `zhuqi-${props.stage}`;

    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      // A fixed name: deploying again after `cdk destroy` stops at the retained table instead of
      // silently starting a second, empty one.
      tableName: prefix,
      partitionKey: key(TABLE_DESIGN.partitionKey),
      sortKey: key(TABLE_DESIGN.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The AWS-managed key (aws/dynamodb) rather than one of ours: KMS-backed and visible in
      // CloudTrail, available in aws-cn too, nothing to rotate or pay for monthly, and a retained
      // table can never outlive (and be locked by) a customer key deleted with its stack.
      encryption: TableEncryption.AWS_MANAGED,
    });
    for (const index of TABLE_DESIGN.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: ProjectionType.ALL,
      });
    }

    const queuePair = (name: string, consumerTimeout: Duration): [Queue, Queue] => {
      const deadLetterQueue = new Queue(this, `${pascal(name)}DeadLetterQueue`, {
        queueName: `${prefix}-${name}-dlq`,
        retentionPeriod: Duration.days(14),
        encryption: QueueEncryption.KMS_MANAGED,
        enforceSSL: true,
      });
      const queue = new Queue(this, `${pascal(name)}Queue`, {
        queueName: `${prefix}-${name}`,
        visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
        retentionPeriod: Duration.days(4),
        // SSE-KMS with the AWS-managed key aws/sqs: the long-standing SQS encryption in aws-cn too;
        // the producers and consumers are functions of this account, which that key's policy admits.
        encryption: QueueEncryption.KMS_MANAGED,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      });
      return [queue, deadLetterQueue];
    };
    [this.intakeQueue, this.intakeDeadLetterQueue] = queuePair('intake', FUNCTION_TIMEOUTS.intake);
    [this.noticeQueue, this.noticeDeadLetterQueue] = queuePair('notices', FUNCTION_TIMEOUTS.notifier);

    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The case table (npx tsx infra/create-office-key.ts --table <this>)',
    });
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
