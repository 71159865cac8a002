import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { queryAll } from './dynamo';
import { keys } from './keys';

/** One act the office's audit log keeps: who did what, when, with which parameters. */
export interface AuditEntry {
  id: string;
  at: string;
  /** The office key's prefix (or the person's name, for a workbench session). */
  by: string;
  /** What was done, e.g. `export:full_contacts`. */
  action: string;
  details: Record<string, unknown>;
}

/** The office's audit log (审计记录), by month: acts on personal data outside a single case, such as exports. */
export class AuditRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Records an entry; `month` is the China month of `entry.at` (YYYY-MM). */
  async record(month: string, entry: AuditEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.auditEntry(month, entry.at, entry.id), entity: 'audit', ...entry },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** A month's entries, newest first. */
  async list(month: string): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.auditPartition(month) },
      ScanIndexForward: false,
    };
    for await (const { pk, sk, entity, ...entry } of queryAll(this.db, query))
      entries.push(entry as unknown as AuditEntry);
    return entries;
  }
}
