import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { UnitKind } from '../config/catalog';
import { conditionally, queryAll } from './dynamo';
import { keys } from './keys';

export interface Unit {
  id: string;
  kind: UnitKind;
  zh: string;
  en: string;
  /** Where notices for this unit are pushed (a signed webhook); optional. */
  webhookUrl?: string;
  /** The HMAC key webhook deliveries are signed with; shown to the office once, when the webhook is set. */
  webhookSecret?: string;
  active: boolean;
  createdAt: string;
}

export type Role = 'office' | 'unit';

/** An API key as stored: only its SHA-256 hash, never the key. */
export interface ApiKeyRecord {
  hash: string;
  /** First characters of the key, so a person can tell keys apart in a list. */
  prefix: string;
  role: Role;
  /** The unit a unit key belongs to. */
  unitId?: string;
  label: string;
  createdAt: string;
  revokedAt?: string;
}

/** Units (承办单位) and the API keys that let the office and units in. */
export class AccessRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Creates a unit; false when the id is taken. */
  async createUnit(unit: Unit): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.unit(unit.id), entity: 'unit', ...unit },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  /** Replaces a unit's record (the office edits names, webhook, activity); false when there is no such unit. */
  async updateUnit(unit: Unit): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.unit(unit.id), entity: 'unit', ...unit },
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
    );
  }

  async getUnit(id: string): Promise<Unit | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.unit(id) }));
    return result.Item ? stripUnit(result.Item) : undefined;
  }

  async listUnits(): Promise<Unit[]> {
    const units: Unit[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.unitsPartition },
    };
    for await (const item of queryAll(this.db, query)) units.push(stripUnit(item));
    return units;
  }

  async putApiKey(record: ApiKeyRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.apiKey(record.hash),
          ...keys.apiKeyByOwner(ownerOf(record), record.createdAt),
          entity: 'apiKey',
          ...record,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async findApiKey(hash: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.apiKey(hash) }));
    return result.Item ? stripKey(result.Item) : undefined;
  }

  /** Keys of one owner (a unit id, or `OFFICE`), newest last. */
  async listApiKeys(owner: { role: Role; unitId?: string }): Promise<ApiKeyRecord[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :owner AND begins_with(gsi2sk, :key)',
        ExpressionAttributeValues: { ':owner': ownerOf(owner), ':key': 'KEY#' },
      }),
    );
    return (result.Items ?? []).map(stripKey);
  }

  /** Marks a key revoked; false when there is no such key of that owner. */
  async revokeApiKey(hash: string, at: string): Promise<boolean> {
    return conditionally(
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.apiKey(hash),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }
}

function ownerOf(owner: { role: Role; unitId?: string }): string {
  return owner.role === 'office' ? 'OFFICE' : keys.unitPartition(owner.unitId ?? '');
}

function stripUnit(item: Record<string, unknown>): Unit {
  const { pk, sk, entity, ...unit } = item;
  return unit as unknown as Unit;
}

function stripKey(item: Record<string, unknown>): ApiKeyRecord {
  const { pk, sk, gsi2pk, gsi2sk, entity, ...record } = item;
  return record as unknown as ApiKeyRecord;
}
