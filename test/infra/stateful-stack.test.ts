import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUP_RETENTION } from '../../infra/backup';
import { StatefulStack } from '../../infra/stateful-stack';
import { TABLE_DESIGN } from '../../shared/store/keys';
import { asArray, cdkJsonContext, logicalId, onlyResource, type Resource, renderIntrinsic } from './synth';

describe('stateful stack', () => {
  let template: Template;
  let stack: StatefulStack;

  beforeAll(() => {
    const app = new App({ builtinCloudFormationValidation: false, context: cdkJsonContext() });
    stack = new StatefulStack(app, 'Stateful', { stage: 'test' });
    template = Template.fromStack(stack);
  });

  const queues = () => Object.entries(template.findResources('AWS::SQS::Queue')) as [string, Resource][];
  const dataKeyId = () => logicalId(stack, stack.dataKey);

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
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(table.Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [dataKeyId(), 'Arn'] },
    });
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
      expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
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
    // The README documents these numbers; they are written here as numbers, not read from the code.
    const consumerTimeoutSeconds = { 'zhuqi-test-intake': 30, 'zhuqi-test-notices': 30 } as Record<
      string,
      number
    >;

    const names: string[] = [];
    for (const [, queue] of queues()) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [dataKeyId(), 'Arn'] });
      const name = queue.Properties.QueueName as string;
      const timeout = consumerTimeoutSeconds[name];
      if (timeout === undefined) continue;
      names.push(name);
      expect(queue.Properties.VisibilityTimeout, name).toBe(6 * timeout);
    }
    expect(names.sort()).toEqual(['zhuqi-test-intake', 'zhuqi-test-notices']);
  });

  describe('data key', () => {
    it('is one customer-managed key with yearly rotation, retained with the data it encrypts', () => {
      const [id, key] = onlyResource(template, 'AWS::KMS::Key');
      const [, alias] = onlyResource(template, 'AWS::KMS::Alias');

      expect(id).toBe(dataKeyId());
      expect(key.Properties).toMatchObject({ EnableKeyRotation: true, PendingWindowInDays: 30 });
      expect(key.DeletionPolicy).toBe('Retain');
      expect(key.UpdateReplacePolicy).toBe('Retain');
      expect(alias.Properties).toEqual({
        AliasName: 'alias/zhuqi-test-data',
        TargetKeyId: { 'Fn::GetAtt': [id, 'Arn'] },
      });
    });

    const statement = (sid: string): Record<string, unknown> => {
      const policy = onlyResource(template, 'AWS::KMS::Key')[1].Properties.KeyPolicy as {
        Statement: Record<string, unknown>[];
      };
      const found = policy.Statement.find((s) => s.Sid === sid);
      if (!found) throw new Error(`no key policy statement ${sid}`);
      return found;
    };

    it("lets CloudWatch Logs of the stack's own region and partition use it, for this account's log groups only", () => {
      const logs = statement('CloudWatchLogsOfThisAccount');

      expect(renderIntrinsic((logs.Principal as { Service: unknown }).Service)).toBe(
        'logs.<AWS::Region>.<AWS::URLSuffix>',
      );
      const condition = (logs.Condition as { ArnLike: Record<string, unknown> }).ArnLike;
      expect(Object.keys(condition)).toEqual(['kms:EncryptionContext:aws:logs:arn']);
      expect(renderIntrinsic(condition['kms:EncryptionContext:aws:logs:arn'])).toBe(
        'arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:*',
      );
    });

    it("lets EventBridge write dead letters with it only for the stage's own rules", () => {
      const events = statement('EventBridgeDeadLettersOfThePlatformRules');

      expect(events).toMatchObject({
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      });
      expect(
        renderIntrinsic((events.Condition as { ArnLike: Record<string, unknown> }).ArnLike['aws:SourceArn']),
      ).toBe('arn:<AWS::Partition>:events:<AWS::Region>:<AWS::AccountId>:rule/zhuqi-test-*');
    });
  });

  describe('backup', () => {
    it('backs the table up daily at 02:00 China time into its own vault, kept 180 days', () => {
      const [, plan] = onlyResource(template, 'AWS::Backup::BackupPlan');
      const [vaultId] = onlyResource(template, 'AWS::Backup::BackupVault');

      const rules = (plan.Properties.BackupPlan as { BackupPlanRule: Record<string, unknown>[] })
        .BackupPlanRule;
      expect(rules).toEqual([
        {
          RuleName: 'daily',
          ScheduleExpression: 'cron(0 18 * * ? *)',
          StartWindowMinutes: 60,
          CompletionWindowMinutes: 360,
          Lifecycle: { DeleteAfterDays: 180 },
          TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
        },
      ]);
      // As long as the logs: any day the logs describe can be restored and compared with them.
      expect(BACKUP_RETENTION.toDays()).toBe(180);
    });

    it('selects the case table, with a role only AWS Backup assumes, that may back up and restore', () => {
      const [, selection] = onlyResource(template, 'AWS::Backup::BackupSelection');
      const [tableId] = onlyResource(template, 'AWS::DynamoDB::Table');
      const spec = selection.Properties.BackupSelection as { Resources: unknown[]; IamRoleArn: unknown };

      expect(spec.Resources).toEqual([{ 'Fn::GetAtt': [tableId, 'Arn'] }]);
      const roleId = renderIntrinsic(spec.IamRoleArn).replace(/^<|\.Arn>$/g, '');
      const role = template.toJSON().Resources[roleId] as Resource;
      expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
        Statement: [{ Action: 'sts:AssumeRole', Principal: { Service: 'backup.amazonaws.com' } }],
      });
      expect((role.Properties.ManagedPolicyArns as unknown[]).map(renderIntrinsic).sort()).toEqual([
        'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
        'arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
      ]);
    });

    it('keeps the vault encrypted with the data key, retained, and its recovery points undeletable', () => {
      const [, vault] = onlyResource(template, 'AWS::Backup::BackupVault');

      expect(vault.Properties).toMatchObject({
        BackupVaultName: 'zhuqi-test',
        EncryptionKeyArn: { 'Fn::GetAtt': [dataKeyId(), 'Arn'] },
      });
      expect(vault.DeletionPolicy).toBe('Retain');
      expect((vault.Properties.AccessPolicy as { Statement: unknown[] }).Statement).toContainEqual({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        Resource: '*',
      });
    });
  });
});
