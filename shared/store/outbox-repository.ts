import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { NoticeMessage } from '../app/ports';
import { conditionally } from './dynamo';
import { keys } from './keys';

/** failed: an attempt failed and the queue tries again; rejected: the channel refused it for good. */
export type DeliveryStatus = 'pending' | 'delivered' | 'kept' | 'failed' | 'rejected';

/** A notice as the notifier keeps it: the message, and what became of its delivery. */
export interface OutboxEntry extends NoticeMessage {
  recordedAt: string;
  status: DeliveryStatus;
  channel?: string;
  attempts: number;
  deliveredAt?: string;
  lastError?: string;
}

/**
 * The notifier's outbox: every notice once, by its id. It is how the notifier delivers each
 * notice once although the queue delivers at least once, and the list the office reads.
 */
export class OutboxRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records the notice unless it is there already; returns the stored entry either way. A notice
   * that no channel reaches is recorded `kept` at once, as `markOutcome` would mark it.
   */
  async record(
    message: NoticeMessage,
    at: string,
    kept = false,
  ): Promise<{ entry: OutboxEntry; created: boolean }> {
    const entry: OutboxEntry = kept
      ? { ...message, recordedAt: at, status: 'kept', channel: 'outbox', attempts: 1, deliveredAt: at }
      : { ...message, recordedAt: at, status: 'pending', attempts: 0 };
    const created = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.notice(message.id),
            ...keys.noticeInOutbox(at, message.id),
            entity: 'notice',
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (created) return { entry, created };
    const existing = await this.get(message.id);
    if (!existing) throw new Error(`notice ${message.id} is neither new nor stored`);
    return { entry: existing, created };
  }

  async get(id: string): Promise<OutboxEntry | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.notice(id), ConsistentRead: true }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  async markOutcome(
    id: string,
    outcome: { status: DeliveryStatus; channel?: string; at: string; error?: string },
  ): Promise<void> {
    const failed = outcome.status === 'failed' || outcome.status === 'rejected';
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.notice(id),
        UpdateExpression: `SET #status = :status, channel = :channel, ${
          failed ? 'lastError = :error' : 'deliveredAt = :at'
        } ADD attempts :one`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':status': outcome.status,
          ':channel': outcome.channel ?? 'outbox',
          ':one': 1,
          ...(failed ? { ':error': outcome.error ?? 'failed' } : { ':at': outcome.at }),
        },
      }),
    );
  }

  /** The most recent notices first. */
  async list(limit = 100, caseId?: string): Promise<OutboxEntry[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :outbox',
        ...(caseId
          ? {
              FilterExpression: 'caseId = :caseId',
              ExpressionAttributeValues: { ':outbox': keys.outboxPartition, ':caseId': caseId },
            }
          : { ExpressionAttributeValues: { ':outbox': keys.outboxPartition } }),
        ScanIndexForward: false,
        Limit: caseId ? undefined : Math.min(Math.max(limit, 1), 500),
      }),
    );
    return (result.Items ?? []).map(strip).slice(0, limit);
  }
}

function strip(item: Record<string, unknown>): OutboxEntry {
  const { pk, sk, gsi1pk, gsi1sk, entity, ...entry } = item;
  return entry as unknown as OutboxEntry;
}
