import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Key } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE_DESIGN } from '../shared/store/keys';
import { TableBackup } from './backup';
import { acknowledge, DEAD_LETTER_QUEUE_HAS_NO_REDRIVE } from './nag';
import { DataKey } from './security';
import { FUNCTION_TIMEOUTS, VISIBILITY_TIMEOUT_FACTOR } from './settings';

export interface StatefulStackProps extends StackProps {
  stage: string;
}

/** What the stateless stack receives: the data and the queues, which outlive any code deployment. */
export interface StatefulResources {
  /** The customer-managed key of the table, the queues, the log groups and the backups. */
  readonly dataKey: Key;
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
  public readonly dataKey: Key;
  public readonly backup: TableBackup;
  public readonly table: Table;
  public readonly intakeQueue: Queue;
  public readonly intakeDeadLetterQueue: Queue;
  public readonly noticeQueue: Queue;
  public readonly noticeDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const prefix = `zhuqi-${props.stage}`;
    this.dataKey = new DataKey(this, 'DataKey', { prefix }).key;

    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      // A fixed name: deploying again after `cdk destroy` stops at the retained table instead of
      // silently starting a second, empty one.
      tableName: prefix,
      partitionKey: key(TABLE_DESIGN.partitionKey),
      sortKey: key(TABLE_DESIGN.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The abuse limits' counters expire once their window has passed.
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // The platform's customer key: rotated, its use logged in CloudTrail, its policy ours; retained
      // like the table, so the table can never outlive it.
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
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
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.dataKey,
        enforceSSL: true,
      });
      acknowledge(deadLetterQueue, DEAD_LETTER_QUEUE_HAS_NO_REDRIVE);
      const queue = new Queue(this, `${pascal(name)}Queue`, {
        queueName: `${prefix}-${name}`,
        visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR),
        retentionPeriod: Duration.days(4),
        // SSE-KMS with the data key; each function that sends or receives is granted its use.
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.dataKey,
        enforceSSL: true,
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
      });
      return [queue, deadLetterQueue];
    };
    [this.intakeQueue, this.intakeDeadLetterQueue] = queuePair('intake', FUNCTION_TIMEOUTS.intake);
    [this.noticeQueue, this.noticeDeadLetterQueue] = queuePair('notices', FUNCTION_TIMEOUTS.notifier);

    this.backup = new TableBackup(this, 'Backup', { prefix, table: this.table, key: this.dataKey });

    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'The case table (npx tsx infra/create-office-key.ts --table <this>)',
    });
  }
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
