import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { fixedWindow, type LimitRule } from '../domain/abuse-limits';
import { conditionally } from './dynamo';
import { keys, TABLE_DESIGN } from './keys';

/**
 * Fixed-window counters in the case table, one item per act and client: every Lambda instance
 * (and the embedded runtime) counts in the same item, with conditional writes, so the limits hold
 * however many instances run. The item keeps the current window's start and its count; the first
 * act of a new window resets it. It expires (DynamoDB TTL) when its window has passed.
 */
export class LimitRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Counts one act unless the window's count has reached `rule.max` (then nothing is written):
   * true when the act is allowed. Without `rule.max` (failures, counted after the fact) always counts.
   */
  async count(act: string, subject: string, rule: LimitRule, at: Date, enforce = true): Promise<boolean> {
    const window = fixedWindow(at, rule);
    const key = keys.abuseCounter(act, subject);
    const values = { ':start': window.start, ':one': 1, ':ttl': window.end };
    const names = { '#ttl': TABLE_DESIGN.timeToLiveAttribute };
    const add = () =>
      conditionally(
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'SET #ttl = :ttl ADD hits :one',
            ConditionExpression: enforce ? 'windowStart = :start AND hits < :max' : 'windowStart = :start',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: { ...values, ...(enforce ? { ':max': rule.max } : {}) },
          }),
        ),
      );
    if (await add()) return true;
    // No item yet, or one of an earlier window: start this window's count.
    const reset = await conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET windowStart = :start, hits = :one, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart < :start',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (reset) return true;
    // Another request started this window in between: count in it.
    return add();
  }

  /** Whether the window's count has reached `rule.max` (for acts counted only when they fail). */
  async isExhausted(act: string, subject: string, rule: LimitRule, at: Date): Promise<boolean> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.abuseCounter(act, subject) }),
    );
    const item = result.Item as { windowStart?: number; hits?: number } | undefined;
    return item?.windowStart === fixedWindow(at, rule).start && (item.hits ?? 0) >= rule.max;
  }
}
