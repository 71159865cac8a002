import { createRequire } from 'node:module';
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { checkTypesFast, memoiseExpressionParsing } from '../../shared/embedded/dynalite-shortcuts';

const require = createRequire(import.meta.url);
const validations = require('dynalite/validations') as {
  validateExpressions(data: Record<string, unknown>): string | undefined;
  checkTypes(data: object, types: object): object;
};
const types = (operation: string) =>
  (require(`dynalite/validations/${operation}`) as { types: Record<string, never> }).types;

/** A request's expression members as dynalite's validation leaves them: its message, or its parses. */
function validated(request: Record<string, unknown>) {
  const data = structuredClone(request);
  const message = validations.validateExpressions(data);
  return {
    message,
    parsed: Object.fromEntries(Object.entries(data).filter(([name]) => name.startsWith('_'))),
  };
}

let spaces = 0;
/** The same request with its expressions written another way (trailing spaces): never parsed before. */
function respaced(request: Record<string, unknown>) {
  const padding = ' '.repeat(++spaces);
  return Object.fromEntries(
    Object.entries(request).map(([name, value]) => [
      name,
      name.endsWith('Expression') ? `${value}${padding}` : value,
    ]),
  );
}

const values = (v: Record<string, unknown>) => marshall(v);

// Every expression parsed once is handed out again for other values of the same types: each answer
// must be what dynalite's parser says of that very request.
describe("dynalite's expression parsing, memoised", () => {
  memoiseExpressionParsing();

  const requests = [
    {
      UpdateExpression: 'SET #ttl = :ttl ADD hits :one',
      ConditionExpression: 'windowStart = :start AND hits < :max',
      ExpressionAttributeNames: { '#ttl': 'expiresAt' },
    },
    {
      UpdateExpression: 'SET visibleAt = :until ADD receiveCount :one',
      ConditionExpression: 'visibleAt = :seen',
    },
    { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' } },
    {
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
      FilterExpression: 'n >= :two',
    },
    { ProjectionExpression: 'pk, #s', ExpressionAttributeNames: { '#s': 'status' } },
  ];
  const valuesOf = (i: number, round: number) =>
    [
      values({ ':ttl': 100 + round, ':one': 1, ':start': 60 * round, ':max': 10 + round }),
      values({ ':until': 1_000 + round, ':one': 1, ':seen': round }),
      values({ ':read': round }),
      values({ ':pk': `P#${round}`, ':prefix': `2026-${round}`, ':two': round }),
      undefined,
    ][i];

  it('answers every request as a fresh parse of it does, with its own values', () => {
    for (const [i, request] of requests.entries()) {
      for (const round of [1, 2, 3]) {
        // Arrange
        const values = valuesOf(i, round);
        const data = { ...request, ...(values ? { ExpressionAttributeValues: values } : {}) };

        // Act
        const memoised = validated(data);
        const fresh = validated(respaced(data));

        // Assess
        expect(memoised.message).toBeUndefined();
        expect(memoised).toEqual(fresh);
      }
    }
  });

  it('hands out a copy each time: changing one parse changes no other', () => {
    // Arrange
    const data = { ...requests[2]!, ExpressionAttributeValues: values({ ':read': 7 }) };
    const first = validated(data).parsed as { _condition: { expression: { type: string } } };

    // Act
    first._condition.expression.type = 'changed';

    // Assess
    expect(validated(data)).toEqual(validated(respaced(data)));
  });

  it('still refuses what dynalite refuses: a value of another type, a value missing or unused, a name missing', () => {
    // Arrange: the successful parse of each is memoised first
    validated({ ...requests[0]!, ExpressionAttributeValues: valuesOf(0, 1) });
    const wrong = [
      {
        ...requests[0]!,
        ExpressionAttributeValues: values({ ':ttl': 1, ':one': 'one', ':start': 1, ':max': 2 }),
      },
      { ...requests[0]!, ExpressionAttributeValues: values({ ':ttl': 1, ':one': 1, ':start': 1 }) },
      {
        ...requests[0]!,
        ExpressionAttributeValues: values({ ':ttl': 1, ':one': 1, ':start': 1, ':max': 2, ':x': 3 }),
      },
      {
        ...requests[0]!,
        ExpressionAttributeNames: { '#other': 'x' },
        ExpressionAttributeValues: valuesOf(0, 1),
      },
    ];

    for (const data of wrong) {
      // Act
      const memoised = validated(data);

      // Assess
      expect(memoised.message).toMatch(/Invalid|unused|not defined/);
      expect(memoised).toEqual(validated(respaced(data)));
    }
  });

  it('parses BETWEEN every time: dynalite compares its two values', () => {
    // Arrange
    const between = { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lower AND :upper' };

    // Act
    const ordered = validated({
      ...between,
      ExpressionAttributeValues: values({ ':pk': 'p', ':lower': 'a', ':upper': 'b' }),
    });
    const reversed = validated({
      ...between,
      ExpressionAttributeValues: values({ ':pk': 'p', ':lower': 'b', ':upper': 'a' }),
    });

    // Assess
    expect(ordered.message).toBeUndefined();
    expect(reversed.message).toMatch(/BETWEEN operator requires upper bound to be greater/);
  });
});

describe("dynalite's check of JSON types, for the runtime's own requests", () => {
  const item = marshall(
    {
      pk: 'A',
      sk: 'B',
      n: 1.5,
      yes: true,
      none: null,
      list: [1, 'two', { three: [3] }],
      tags: new Set(['a']),
      empty: {},
    },
    { removeUndefinedValues: true },
  );

  it("gives what dynalite's check gives for well-typed requests", () => {
    // Arrange
    const requests: [string, Record<string, unknown>][] = [
      ['putItem', { TableName: 't', Item: item, ConditionExpression: 'attribute_not_exists(pk)', Extra: 1 }],
      [
        'query',
        {
          TableName: 't',
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: values({ ':pk': 'A' }),
          Limit: 100,
          ConsistentRead: true,
          ExclusiveStartKey: marshall({ pk: 'A', sk: 'B' }),
        },
      ],
      [
        'batchWriteItem',
        {
          RequestItems: {
            t: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: marshall({ pk: 'A', sk: 'C' }) } }],
          },
        },
      ],
      [
        'updateItem',
        {
          TableName: 't',
          Key: marshall({ pk: 'A', sk: 'B' }),
          UpdateExpression: 'ADD n :one',
          ExpressionAttributeValues: values({ ':one': 1 }),
          ReturnValues: 'ALL_NEW',
          Nothing: null,
        },
      ],
    ];

    for (const [operation, request] of requests) {
      // Act
      const fast = checkTypesFast(structuredClone(request), types(operation));

      // Assess
      expect(fast).toEqual(validations.checkTypes(structuredClone(request), types(operation)));
    }
  });

  it('leaves to dynalite what it would convert or refuse', () => {
    // Arrange
    const requests: [string, Record<string, unknown>][] = [
      ['getItem', { TableName: 't', Key: marshall({ pk: 'A', sk: 'B' }), ConsistentRead: 'true' }],
      ['query', { TableName: 't', Limit: 1.5 }],
      ['putItem', { TableName: 't', Item: { pk: { S: 1 } } }],
      ['putItem', { TableName: 't', Item: { pk: { S: 'A', N: '1' } } }],
      ['putItem', { TableName: 't', Item: { data: { B: 'AAAA' } } }],
      ['putItem', { TableName: 't', Item: 'not a map' }],
    ];

    // Act / Assess
    for (const [operation, request] of requests)
      expect(checkTypesFast(request, types(operation))).toBeUndefined();
  });
});
