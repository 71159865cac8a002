import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStore, startLocalStore } from '../../shared/embedded/local-store';
import { createDocumentClient } from '../../shared/store/dynamo';

// The runtime's client calls dynalite in process; the SDK's client reaches the same store over its
// HTTP endpoint. Whatever one writes, the other must read back the same, and both must fail alike.
describe('the in-process store client', () => {
  let store: LocalStore;
  let sdk: ReturnType<typeof createDocumentClient>;
  beforeAll(async () => {
    store = await startLocalStore(undefined);
    sdk = createDocumentClient({
      endpoint: store.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
  });
  afterAll(async () => {
    sdk.destroy();
    await store.close();
  });

  const item = {
    pk: 'PARITY#1',
    sk: 'A',
    text: '鄢陵县 “quotes” \\ and 😀',
    count: 42,
    ratio: -0.125,
    yes: true,
    nothing: null,
    absent: undefined,
    list: [1, 'two', { three: [3] }, [], {}],
    nested: { deep: { deeper: { at: '2026-12-01T00:00:00.000Z', empty: '' } }, none: undefined },
    tags: new Set(['a', 'b']),
  };
  const expected = { ...item, nested: { deep: item.nested.deep } } as Record<string, unknown>;
  delete expected.absent;

  it('writes and reads items exactly as the SDK document client does, both ways', async () => {
    // Act
    await store.db.send(new PutCommand({ TableName: store.tableName, Item: item }));
    await sdk.send(new PutCommand({ TableName: store.tableName, Item: { ...item, sk: 'B' } }));
    const read = async (client: typeof sdk, sk: string) =>
      (await client.send(new GetCommand({ TableName: store.tableName, Key: { pk: 'PARITY#1', sk } }))).Item;

    // Assess
    for (const sk of ['A', 'B']) {
      expect(await read(store.db, sk)).toEqual({ ...expected, sk });
      expect(await read(sdk, sk)).toEqual(await read(store.db, sk));
    }
  });

  it('answers queries, updates with return values and batch writes as the SDK does', async () => {
    // Arrange
    await store.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [store.tableName]: [1, 2, 3].map((n) => ({
            PutRequest: { Item: { pk: 'PARITY#2', sk: `${n}`, n } },
          })),
        },
      }),
    );
    const query = () =>
      new QueryCommand({
        TableName: store.tableName,
        KeyConditionExpression: 'pk = :pk',
        FilterExpression: 'n >= :two',
        ExpressionAttributeValues: { ':pk': 'PARITY#2', ':two': 2 },
        Limit: 2,
      });

    // Act
    const local = await store.db.send(query());
    const remote = await sdk.send(query());
    const updated = await store.db.send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { pk: 'PARITY#2', sk: '1' },
        UpdateExpression: 'ADD n :one SET #m = :m',
        ExpressionAttributeNames: { '#m': 'map' },
        ExpressionAttributeValues: { ':one': 1, ':m': { a: [1] } },
        ReturnValues: 'ALL_NEW',
      }),
    );

    // Assess
    expect(local.Items).toEqual(remote.Items);
    expect(local.Items).toEqual([{ pk: 'PARITY#2', sk: '2', n: 2 }]);
    expect(local.LastEvaluatedKey).toEqual(remote.LastEvaluatedKey);
    expect(local.LastEvaluatedKey).toEqual({ pk: 'PARITY#2', sk: '2' });
    expect(updated.Attributes).toEqual({ pk: 'PARITY#2', sk: '1', n: 2, map: { a: [1] } });
  });

  it('throws the SDK exception classes: a failed condition, an unknown table, an invalid request', async () => {
    // Arrange
    const conditional = new DeleteCommand({
      TableName: store.tableName,
      Key: { pk: 'PARITY#1', sk: 'A' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });

    // Act
    const failed = await store.db.send(conditional).catch((error: unknown) => error);
    const missing = await store.db
      .send(new GetCommand({ TableName: 'no-such-table', Key: { pk: 'x', sk: 'y' } }))
      .catch((error: unknown) => error);
    const invalid = await store.db
      .send(new GetCommand({ TableName: store.tableName, Key: { pk: 'x' } }))
      .catch((error: unknown) => error);

    // Assess
    expect(failed).toBeInstanceOf(ConditionalCheckFailedException);
    expect((failed as Error).message).toBe('The conditional request failed');
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect((invalid as Error).name).toBe('ValidationException');
    expect((invalid as Error).message).toMatch(/key element does not match the schema/);
    expect(await sdk.send(conditional).catch((error: unknown) => (error as Error).name)).toBe(
      (failed as Error).name,
    );
  });

  it('sees a table created and deleted through the endpoint, though it keeps table descriptions in memory', async () => {
    // Arrange: a second table, used by the runtime's client until another client deletes it.
    const TableName = 'described-twice';
    await sdk.send(
      new CreateTableCommand({
        TableName,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    // dynalite makes a new table ACTIVE on its next turn of the event loop.
    while ((await sdk.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus !== 'ACTIVE')
      await new Promise((resolve) => setImmediate(resolve));
    const put = () => store.db.send(new PutCommand({ TableName, Item: { pk: 'A', n: 1 } }));
    const get = () => store.db.send(new GetCommand({ TableName, Key: { pk: 'A' } }));
    await put();
    expect((await get()).Item).toEqual({ pk: 'A', n: 1 });

    // Act
    await sdk.send(new DeleteTableCommand({ TableName }));
    const afterDelete = await put().catch((error: unknown) => error);

    // Assess
    expect(afterDelete).toBeInstanceOf(ResourceNotFoundException);
  });
});
