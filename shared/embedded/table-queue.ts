import { randomUUID } from 'node:crypto';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Clock, Logger, MessageQueue } from '../app/ports';
import { conditionally } from '../store/dynamo';

export interface QueueOptions {
  /** How long a received message stays hidden before it is delivered again (SQS's visibility timeout). */
  visibilityTimeoutMs: number;
  /** Deliveries before a message moves to the dead-letter list (SQS's maxReceiveCount). */
  maxReceives: number;
  /** How often the queue is polled when nothing wakes it. */
  pollIntervalMs: number;
  /** Messages delivered at the same time (1 keeps the order they were sent in). */
  concurrency: number;
  /** Messages read per Query while delivering. */
  pageSize: number;
}

export interface QueuedMessage<T> {
  id: string;
  body: T;
  sentAt: string;
  receiveCount: number;
  lastError?: string;
}

const DEFAULTS: QueueOptions = {
  visibilityTimeoutMs: 30_000,
  maxReceives: 5,
  pollIntervalMs: 1_000,
  concurrency: 1,
  pageSize: 100,
};

/** Keeps messages sent within the same millisecond in the order they were sent (a UUID alone would not). */
let sent = 0;

/**
 * A durable queue with at-least-once delivery, kept in the same table as everything else so
 * that it survives a crash: a message is deleted only after its handler succeeded; one whose
 * handler failed or whose process died is delivered again after the visibility timeout, and
 * after `maxReceives` deliveries it moves to the dead-letter list. It stands in for SQS in the
 * embedded runtime.
 */
export class TableQueue<T> implements MessageQueue<T> {
  private readonly options: QueueOptions;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private draining: Promise<void> | undefined;
  /** The pass whose end arms the next poll. */
  private pollAfter: Promise<void> | undefined;
  private wakeAgain = false;
  private handler: ((body: T) => Promise<void>) | undefined;
  /** Deliveries since this queue object was made: leased (a handler was called) and acknowledged. */
  readonly stats = { received: 0, acknowledged: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    readonly name: string,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: Partial<QueueOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  async send(body: T): Promise<void> {
    const id = `${this.clock.now().toISOString()}#${String(sent++).padStart(12, '0')}#${randomUUID()}`;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: this.partition,
          sk: id,
          entity: 'queueMessage',
          body,
          sentAt: this.clock.now().toISOString(),
          visibleAt: 0,
          receiveCount: 0,
        },
      }),
    );
    this.wake();
  }

  /** Starts delivering messages to `handler`, `concurrency` at a time, in the order they were sent. */
  start(handler: (body: T) => Promise<void>): void {
    this.handler = handler;
    this.running = true;
    this.wake();
  }

  /** Stops polling and waits for the delivery in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.draining;
  }

  /** Delivers every message that is visible now; resolves when none is left. */
  async drain(): Promise<void> {
    if (this.draining) {
      this.wakeAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        // A message sent during a pass sorts after every message that pass read (ids begin with
        // the time they were sent), so the next pass goes on from there instead of reading again
        // what was read: a burst of sends would otherwise cost a read of the whole queue each.
        // From the start again at the poll interval: a failed message becomes visible again.
        let after: Record<string, unknown> | undefined;
        let fromStart = this.clock.now().getTime();
        do {
          this.wakeAgain = false;
          if (this.clock.now().getTime() - fromStart >= this.options.pollIntervalMs) {
            after = undefined;
            fromStart = this.clock.now().getTime();
          }
          after = (await this.deliverVisible(after)) ?? after;
        } while (this.wakeAgain && this.running);
      } finally {
        this.draining = undefined;
      }
    })();
    return this.draining;
  }

  /** Messages waiting for delivery (including ones received and not yet acknowledged). */
  pending(): Promise<QueuedMessage<T>[]> {
    return this.list(this.partition);
  }

  /** Messages that failed `maxReceives` times (the dead-letter list). */
  deadLetters(): Promise<QueuedMessage<T>[]> {
    return this.list(`${this.partition}#dead`);
  }

  private get partition() {
    return `QUEUE#${this.name}`;
  }

  private wake() {
    if (!this.running) return;
    clearTimeout(this.timer);
    // Joins the pass in progress (which then goes on) or starts one. One poll is armed per pass: a
    // burst of sends used to arm one each, and a second later as many passes ran for nothing.
    const drained = this.drain();
    if (drained === this.pollAfter) return;
    this.pollAfter = drained;
    void drained
      .catch((error) =>
        this.logger.error('queue delivery failed', { queue: this.name, error: String(error) }),
      )
      .finally(() => {
        if (!this.running) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.wake(), this.options.pollIntervalMs);
      });
  }

  /**
   * Delivers what is visible after `after` (from the start without it), a page at a time,
   * `concurrency` messages at once: a backlog costs one read of each message, never a read of the
   * whole queue per delivery. Returns the key of the last message read.
   */
  private async deliverVisible(
    after?: Record<string, unknown>,
  ): Promise<Record<string, unknown> | undefined> {
    let start = after;
    let last: Record<string, unknown> | undefined;
    do {
      const page = await this.page(this.partition, start, this.options.pageSize);
      const end = page.items.at(-1);
      if (end) last = { pk: end.pk, sk: end.sk };
      const visible = page.items.filter((item) => Number(item.visibleAt) <= this.clock.now().getTime());
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(this.options.concurrency, visible.length) }, async () => {
          while (next < visible.length && this.running && this.handler) await this.deliver(visible[next++]!);
        }),
      );
      start = page.next;
    } while (start && this.running);
    return last;
  }

  private async deliver(item: Record<string, unknown>) {
    if (!(await this.lease(item))) return;
    this.stats.received++;
    const receiveCount = Number(item.receiveCount) + 1;
    try {
      await this.handler!(item.body as T);
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
      this.stats.acknowledged++;
    } catch (error) {
      this.logger.warn('message handler failed; it will be delivered again', {
        queue: this.name,
        messageId: item.sk,
        receiveCount,
        error: String(error),
      });
      await this.recordFailure(item, receiveCount, String(error));
    }
  }

  /** When the oldest message still in the queue (delivered or not, but not yet acknowledged) was sent. */
  async oldestPendingSentAt(): Promise<string | undefined> {
    const { items } = await this.page(this.partition, undefined, 1);
    return items[0] ? String(items[0].sentAt) : undefined;
  }

  /** Hides the message for the visibility timeout, unless another consumer took it first. */
  private async lease(item: Record<string, unknown>): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET visibleAt = :until ADD receiveCount :one',
          ConditionExpression: 'visibleAt = :seen',
          ExpressionAttributeValues: {
            ':until': this.clock.now().getTime() + this.options.visibilityTimeoutMs,
            ':seen': item.visibleAt,
            ':one': 1,
          },
        }),
      ),
    );
  }

  private async recordFailure(item: Record<string, unknown>, receiveCount: number, lastError: string) {
    if (receiveCount >= this.options.maxReceives) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, pk: `${this.partition}#dead`, receiveCount, lastError },
        }),
      );
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
      this.logger.error('message moved to the dead-letter list', { queue: this.name, messageId: item.sk });
      return;
    }
    // Back off exponentially, as an SQS redrive with growing visibility timeouts would.
    const delay = Math.min(this.options.visibilityTimeoutMs, 500 * 2 ** (receiveCount - 1));
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET visibleAt = :at, lastError = :error',
        ExpressionAttributeValues: { ':at': this.clock.now().getTime() + delay, ':error': lastError },
      }),
    );
  }

  private async page(partition: string, start: Record<string, unknown> | undefined, limit?: number) {
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    return { items: page.Items ?? [], next: page.LastEvaluatedKey };
  }

  private async items(partition: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.page(partition, start);
      items.push(...page.items);
      start = page.next;
    } while (start);
    return items;
  }

  private async list(partition: string): Promise<QueuedMessage<T>[]> {
    return (await this.items(partition)).map((item) => ({
      id: String(item.sk),
      body: item.body as T,
      sentAt: String(item.sentAt),
      receiveCount: Number(item.receiveCount),
      ...(item.lastError ? { lastError: String(item.lastError) } : {}),
    }));
  }
}
