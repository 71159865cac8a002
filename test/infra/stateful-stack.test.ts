import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_TIMEOUTS, VISIBILITY_TIMEOUT_FACTOR } from '../../infra/settings';
import { MAX_RECEIVE_COUNT, StatefulStack } from '../../infra/stateful-stack';
import { TABLE_DESIGN } from '../../shared/store/keys';
import { asArray, cdkJsonContext, onlyResource, type Resource, renderIntrinsic } from './synth';

describe('stateful stack', () => {
  let template: Template;
  let stack: StatefulStack;

  beforeAll(() => {
    const app = new App({ builtinCloudFormationValidation: false, context: cdkJsonContext() });
    stack = new StatefulStack(app, 'Stateful', { stage: 'test' });
    template = Template.fromStack(stack);
  });

  const queues = () => Object.entries(template.findResources('AWS::SQS::Queue')) as [string, Resource][];

  it('declares the table with the key schema and the indexes of TABLE_DESIGN', () => {
    // Prepare
    const keySchema = (hash: string, range: string) => [
      { AttributeName: hash, KeyType: 'HASH' },
      { AttributeName: range, KeyType: 'RANGE' },
    ];
    const keyNames = [
      TABLE_DESIGN.partitionKey,
      TABLE_DESIGN.sortKey,
      ...TABLE_DESIGN.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
    ];

    // Act
    const [, table] = onlyResource(template, 'AWS::DynamoDB::Table');
    const props = table.Properties;

    // Assess
    expect(props.KeySchema).toEqual(keySchema(TABLE_DESIGN.partitionKey, TABLE_DESIGN.sortKey));
    const byName = (a: { IndexName: string }, b: { IndexName: string }) =>
      a.IndexName.localeCompare(b.IndexName);
    expect([...(props.GlobalSecondaryIndexes as { IndexName: string }[])].sort(byName)).toEqual(
      TABLE_DESIGN.indexes
        .map((i) => ({
          IndexName: i.indexName,
          KeySchema: keySchema(i.partitionKey, i.sortKey),
          Projection: { ProjectionType: 'ALL' },
        }))
        .sort(byName),
    );
    expect(props.AttributeDefinitions).toEqual(
      expect.arrayContaining(keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' }))),
    );
    expect(props.AttributeDefinitions).toHaveLength(keyNames.length);
  });

  it('bills on demand, encrypts, has point-in-time recovery and deletion protection, is retained', () => {
    const [name, table] = onlyResource(template, 'AWS::DynamoDB::Table');

    expect(table.Properties).toMatchObject({
      TableName: 'zhuqi-test',
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    // SSE enabled without a key of ours: the AWS-managed aws/dynamodb KMS key.
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(stack.resolve(stack.table.tableName)).toEqual({ Ref: name });
  });

  it('gives every queue a dead-letter queue that takes a message after 5 receives', () => {
    // Act
    const all = queues();
    const deadLetterIds = new Set(
      all.flatMap(([, q]) => {
        const redrive = q.Properties.RedrivePolicy as { deadLetterTargetArn: unknown } | undefined;
        return redrive ? [renderIntrinsic(redrive.deadLetterTargetArn)] : [];
      }),
    );
    const working = all.filter(([id]) => !deadLetterIds.has(`<${id}.Arn>`));

    // Assess
    expect(working.map(([, q]) => q.Properties.QueueName).sort()).toEqual([
      'zhuqi-test-intake',
      'zhuqi-test-notices',
    ]);
    expect(deadLetterIds.size).toBe(2);
    for (const [, queue] of working) {
      expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: MAX_RECEIVE_COUNT });
    }
    for (const id of deadLetterIds) {
      expect(all.map(([queueId]) => `<${queueId}.Arn>`)).toContain(id);
    }
  });

  it('denies every queue, dead-letter queues included, to requests without TLS', () => {
    const policies = Object.values(template.findResources('AWS::SQS::QueuePolicy')) as Resource[];

    for (const [id] of queues()) {
      const statements = policies
        .filter((p) => asArray(p.Properties.Queues).some((q) => renderIntrinsic(q) === `<${id}>`))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
      expect(statements, id).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sqs:*',
        Resource: { 'Fn::GetAtt': [id, 'Arn'] },
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      });
    }
  });

  it('encrypts every queue and hides a received message for six times its consumer timeout', () => {
    const visibility = {
      'zhuqi-test-intake': FUNCTION_TIMEOUTS.intake.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
      'zhuqi-test-notices': FUNCTION_TIMEOUTS.notifier.toSeconds() * VISIBILITY_TIMEOUT_FACTOR,
    } as Record<string, number>;

    for (const [, queue] of queues()) {
      expect(queue.Properties.KmsMasterKeyId).toBe('alias/aws/sqs');
      const expected = visibility[queue.Properties.QueueName as string];
      if (expected !== undefined) expect(queue.Properties.VisibilityTimeout).toBe(expected);
    }
    expect(VISIBILITY_TIMEOUT_FACTOR).toBeGreaterThanOrEqual(6);
  });
});
