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

/** Who a key lets in: office members, unit clerks, cadres (包联干部). */
export type Role = 'office' | 'unit' | 'cadre';

/** The owner of a key: the office, a unit, or a cadre. */
export interface KeyOwner {
  role: Role;
  unitId?: string;
  cadreId?: string;
}

/** A cadre (包联干部) and the enterprises assigned to them (分包), by unified social credit code. */
export interface Cadre {
  id: string;
  name: string;
  mobile?: string;
  enterprises: { creditCode: string; name?: string }[];
  createdAt: string;
  /** Optimistic-locking counter of the assignments. */
  version: number;
}

/** An API key as stored: only its SHA-256 hash, never the key. */
export interface ApiKeyRecord {
  hash: string;
  /** First characters of the key, so a person can tell keys apart in a list. */
  prefix: string;
  role: Role;
  /** The unit a unit key belongs to. */
  unitId?: string;
  /** The cadre a cadre key belongs to. */
  cadreId?: string;
  /** The person the key was issued to (their name): recorded in the history of what they do. */
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
    return (await this.everyItemOf(keys.unitsPartition)).map(stripUnit);
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

  /** Keys of one owner (the office, a unit, a cadre), newest last. */
  async listApiKeys(owner: KeyOwner): Promise<ApiKeyRecord[]> {
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

  /** Creates a cadre; false when the id is taken. */
  async createCadre(cadre: Cadre): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.cadre(cadre.id), entity: 'cadre', ...cadre },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getCadre(id: string): Promise<Cadre | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.cadre(id), ConsistentRead: true }),
    );
    return result.Item ? stripCadre(result.Item) : undefined;
  }

  /** Replaces a cadre's enterprises, unless someone changed them since `read` was read (false then). */
  async setCadreEnterprises(read: Cadre, enterprises: Cadre['enterprises']): Promise<boolean> {
    return conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.cadre(read.id), entity: 'cadre', ...read, enterprises, version: read.version + 1 },
          ConditionExpression: '#version = :read',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':read': read.version },
        }),
      ),
    );
  }

  async listCadres(): Promise<Cadre[]> {
    return (await this.everyItemOf(keys.cadresPartition)).map(stripCadre);
  }

  /** Every item of one partition, page by page (a Query, never a Scan). */
  private async everyItemOf(partition: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    };
    for await (const item of queryAll(this.db, query)) items.push(item);
    return items;
  }
}

function ownerOf(owner: KeyOwner): string {
  if (owner.role === 'office') return 'OFFICE';
  if (owner.role === 'cadre') return keys.cadreOwner(owner.cadreId ?? '');
  return keys.unitPartition(owner.unitId ?? '');
}

function stripCadre(item: Record<string, unknown>): Cadre {
  const { pk, sk, entity, ...cadre } = item;
  return cadre as unknown as Cadre;
}

function stripUnit(item: Record<string, unknown>): Unit {
  const { pk, sk, entity, ...unit } = item;
  return unit as unknown as Unit;
}

function stripKey(item: Record<string, unknown>): ApiKeyRecord {
  const { pk, sk, gsi2pk, gsi2sk, entity, ...record } = item;
  return record as unknown as ApiKeyRecord;
}
