import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  type AddToPrincipalPolicyResult,
  ManagedPolicy,
  type PolicyStatement,
  Role,
  type RoleProps,
  ServicePrincipal,
  PolicyStatement as Statement,
} from 'aws-cdk-lib/aws-iam';
import { Alias, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The platform's customer-managed KMS key: the case table, every queue, every log group and the
 * backup vault are encrypted with it. Rotated yearly by KMS, retained with the data it protects (a
 * retained table or log group must never outlive its key).
 */
export class DataKey extends Construct {
  public readonly key: Key;

  constructor(scope: Construct, id: string, props: { prefix: string }) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `${props.prefix}: encrypts the case table, the queues, the log groups and the backups`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    new Alias(this, 'Alias', { aliasName: `alias/${props.prefix}-data`, targetKey: this.key });

    const { ACCOUNT_ID: account, PARTITION: partition, REGION: region, URL_SUFFIX: urlSuffix } = Aws;
    // CloudWatch Logs encrypts with the key itself, as its regional principal (logs.<region>.amazonaws.com,
    // .com.cn in China), and only for log groups of this account and region.
    this.key.addToResourcePolicy(
      new Statement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new ServicePrincipal(`logs.${region}.${urlSuffix}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      }),
    );
    // EventBridge puts an event it could not deliver into the schedules' dead-letter queue, which this
    // key encrypts: only for the platform's own rules.
    this.key.addToResourcePolicy(
      new Statement({
        sid: 'EventBridgeDeadLettersOfThePlatformRules',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${partition}:events:${region}:${account}:rule/${props.prefix}-*` },
        },
      }),
    );
  }
}

/**
 * A role whose permissions live in a customer-managed policy of its own (NIST 800-53 AC-6 asks for
 * no inline policies): every grant CDK makes to the role lands in that policy, nowhere else.
 */
export class OwnPolicyRole extends Role {
  public readonly policy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id, props);
    this.policy = new ManagedPolicy(this, 'Policy', {
      description: props.description ? `Permissions of ${props.description}`.slice(0, 1000) : undefined,
      roles: [this],
    });
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    // Role's own constructor may add statements before this.policy exists.
    if (!this.policy) return super.addToPrincipalPolicy(statement);
    this.policy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.policy };
  }
}
