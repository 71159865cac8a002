import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { CaseConflictError, ValidationError } from '../app/errors';
import { secretsEqual, sha256 } from '../app/secrets';
import type { CaseRecord } from '../domain/case';
import type { CaseStatus } from '../domain/case-state';
import { conditionally } from './dynamo';
import { type IndexName, keys } from './keys';

const ENTITY = 'case';
const SCHEMA_VERSION = 1;

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last one. */
  cursor?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** Stores cases in the single table; every state change is one conditional write on `version`. */
export class CaseRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Reserves the next number of a year's sequence (an atomic counter; a lost creation race leaves a gap). */
  async nextSequence(prefix: string, year: number): Promise<number> {
    const result = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.caseNoCounter(prefix, year),
        UpdateExpression: 'ADD #seq :one',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(result.Attributes?.seq);
  }

  /** Writes a new case unless one with its id exists; returns false when it already did. */
  async create(record: CaseRecord): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(id: string): Promise<CaseRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(id), ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async getByCaseNo(caseNo: string): Promise<CaseRecord | undefined> {
    const { gsi3pk } = keys.caseByNumber(caseNo);
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi3' satisfies IndexName,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': gsi3pk },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  /**
   * Replaces the case with `next` if nobody has written it since `next.version` was read.
   * Returns the stored case, its version one higher. A lost race throws `CaseConflictError`.
   */
  async save(next: CaseRecord): Promise<CaseRecord> {
    const stored: CaseRecord = { ...next, version: next.version + 1 };
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(stored),
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': next.version },
        }),
      ),
    );
    if (!written) throw new CaseConflictError(next.id);
    return stored;
  }

  /** Lets the one-time survey link (`/survey/{token}`) find its case; only the token's hash is a key. */
  async putSurveyLink(token: string, caseId: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.surveyLink(sha256(token)), entity: 'surveyLink', caseId },
      }),
    );
  }

  /** The case a survey link belongs to, if the token is one that was handed out. */
  async findBySurveyToken(token: string): Promise<CaseRecord | undefined> {
    const link = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.surveyLink(sha256(token)) }),
    );
    const caseId = link.Item?.caseId;
    if (typeof caseId !== 'string') return undefined;
    const record = await this.get(caseId);
    return record?.survey && secretsEqual(record.survey.token, token) ? record : undefined;
  }

  /**
   * Claims a month's follow-up sample with the ids picked for it: the first claim of a month wins,
   * and every caller gets the winning ids (a second run, a duplicate schedule, a crash half-way).
   */
  async claimFollowUpSample(month: string, caseIds: string[], at: string): Promise<string[]> {
    const claimed = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.followUpSample(month), entity: 'followUpSample', caseIds, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (claimed) return caseIds;
    const existing = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.followUpSample(month), ConsistentRead: true }),
    );
    return (existing.Item?.caseIds as string[] | undefined) ?? [];
  }

  /** Cases in one status, oldest first (the office's queues). */
  listByStatus(status: CaseStatus, page: PageRequest = {}): Promise<Page<CaseRecord>> {
    return this.query('gsi1', 'gsi1pk', keys.statusPartition(status), page);
  }

  /** Every case in one status, oldest first, page by page (a Query of the status partition, never a Scan). */
  async *allByStatus(status: CaseStatus): AsyncGenerator<CaseRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.listByStatus(status, { limit: 200, ...(cursor ? { cursor } : {}) });
      yield* page.items;
      cursor = page.cursor;
    } while (cursor);
  }

  /** Every case in one status, as one list. */
  async everyByStatus(status: CaseStatus): Promise<CaseRecord[]> {
    const records: CaseRecord[] = [];
    for await (const record of this.allByStatus(status)) records.push(record);
    return records;
  }

  /** A unit's cases, oldest first. */
  listByUnit(unitId: string, page: PageRequest = {}): Promise<Page<CaseRecord>> {
    return this.query('gsi2', 'gsi2pk', keys.unitPartition(unitId), page, { prefix: 'CASE#' });
  }

  private async query(
    indexName: IndexName,
    partitionKey: string,
    value: string,
    page: PageRequest,
    options: { prefix?: string } = {},
  ): Promise<Page<CaseRecord>> {
    const sortKey = partitionKey.replace(/pk$/, 'sk');
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: indexName,
        KeyConditionExpression: options.prefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
        ExpressionAttributeNames: options.prefix
          ? { '#pk': partitionKey, '#sk': sortKey }
          : { '#pk': partitionKey },
        ExpressionAttributeValues: options.prefix
          ? { ':pk': value, ':prefix': options.prefix }
          : { ':pk': value },
        Limit: Math.min(Math.max(page.limit ?? 50, 1), 200),
        ExclusiveStartKey: page.cursor
          ? decodeCursor(page.cursor, { partitionKey, sortKey, value, prefix: options.prefix })
          : undefined,
      }),
    );
    return {
      items: (result.Items ?? []).map(fromItem),
      cursor: result.LastEvaluatedKey ? encodeCursor(result.LastEvaluatedKey) : undefined,
    };
  }
}

function toItem(record: CaseRecord): Record<string, unknown> {
  return {
    ...keys.case(record.id),
    ...keys.caseByStatus(record.status, record.createdAt, record.id),
    ...(record.unitId ? keys.caseByUnit(record.unitId, record.createdAt, record.id) : {}),
    ...keys.caseByNumber(record.caseNo),
    entity: ENTITY,
    schemaVersion: SCHEMA_VERSION,
    ...record,
  };
}

function fromItem(item: Record<string, unknown>): CaseRecord {
  const { pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, entity, schemaVersion, ...record } = item;
  return record as unknown as CaseRecord;
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** A cursor is a start key of the same query; anything else would make DynamoDB fail (a 500), so it is a 422. */
function decodeCursor(
  cursor: string,
  query: { partitionKey: string; sortKey: string; value: string; prefix?: string | undefined },
): Record<string, unknown> {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const names = ['pk', 'sk', query.partitionKey, query.sortKey];
    if (
      key &&
      typeof key === 'object' &&
      !Array.isArray(key) &&
      Object.keys(key).length === names.length &&
      names.every((name) => typeof key[name] === 'string') &&
      key[query.partitionKey] === query.value &&
      key[query.sortKey].startsWith(query.prefix ?? '')
    )
      return key;
  } catch {}
  throw new ValidationError([
    { field: 'cursor', code: 'invalid', message: 'is not a cursor this API returned' },
  ]);
}
