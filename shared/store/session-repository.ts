import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Role } from './access-repository';
import { keys } from './keys';

/** A workbench session as stored: found by the hash of its id, never by the id the cookie carries. */
export interface SessionRecord {
  /** SHA-256 of the session id. */
  idHash: string;
  /** The key the person signed in with (its hash): a revoked key ends the session. */
  keyHash: string;
  role: Role;
  /** The token every state-changing form of this session carries (CSRF). */
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end of the session, whatever the activity. */
  expiresAt: string;
  /** Seconds since the epoch when the item may be deleted (DynamoDB time to live). */
  ttl: number;
}

/** Workbench sessions, in the single table. */
export class SessionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(session: SessionRecord): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.session(session.idHash), entity: 'session', ...session },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(idHash: string): Promise<SessionRecord | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.session(idHash), ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { pk, sk, entity, ...session } = result.Item;
    return session as SessionRecord;
  }

  /** Records activity, keeping the session alive for another idle period. */
  async touch(idHash: string, at: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(idHash),
          UpdateExpression: 'SET lastSeenAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      )
      .catch((error: unknown) => {
        // Signed out in between: nothing to keep alive.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  async delete(idHash: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.session(idHash) }));
  }
}
