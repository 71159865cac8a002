import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { CommonProblemConflictError } from '../app/errors';
import { conditionally, queryAll } from './dynamo';
import { keys } from './keys';

/** A common problem (共性问题) the office confirmed: cases of several enterprises handled as one. */
export interface CommonProblemGroup {
  id: string;
  category: string;
  caseIds: string[];
  /** Cases split off the group: never suggested with its members again. */
  separated: string[];
  status: 'confirmed' | 'dissolved';
  note?: string;
  confirmedAt: string;
  confirmedBy: string;
  updatedAt: string;
  version: number;
}

/** The office's confirmed common problems, in one partition (a county has tens of them, not thousands). */
export class CommonProblemRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<CommonProblemGroup[]> {
    const groups: CommonProblemGroup[] = [];
    const query = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.commonProblemsPartition },
      ConsistentRead: true,
    };
    for await (const { pk, sk, entity, ...group } of queryAll(this.db, query))
      groups.push(group as unknown as CommonProblemGroup);
    return groups;
  }

  /** Stores a new group, or the next version of one; a lost race is CommonProblemConflictError. */
  async save(group: CommonProblemGroup): Promise<CommonProblemGroup> {
    const stored = { ...group, version: group.version + 1 };
    const written = await conditionally(
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.commonProblem(group.id), entity: 'commonProblem', ...stored },
          ConditionExpression: group.version === 0 ? 'attribute_not_exists(pk)' : '#version = :read',
          ...(group.version === 0
            ? {}
            : {
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':read': group.version },
              }),
        }),
      ),
    );
    if (!written) throw new CommonProblemConflictError(group.id);
    return stored;
  }
}
