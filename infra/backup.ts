import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledge } from './nag';
import { LOG_RETENTION } from './settings';

/**
 * How long a daily backup of the table is kept: as long as the logs (180 days), so that any day the
 * logs still describe can be restored and compared with them.
 */
export const BACKUP_RETENTION = Duration.days(LOG_RETENTION);

/** 02:00 China time (18:00 UTC the day before), when nobody files or answers. */
export const BACKUP_SCHEDULE = { minute: '0', hour: '18' } as const;

export interface TableBackupProps {
  prefix: string;
  table: ITable;
  key: IKey;
}

/**
 * AWS Backup for the case table: a vault of its own encrypted with the data key, a daily backup kept
 * BACKUP_RETENTION, and the role AWS Backup uses to take and restore it. Point-in-time recovery on the
 * table covers the last 35 days to the second; these backups reach back six months.
 */
export class TableBackup extends Construct {
  public readonly vault: BackupVault;
  public readonly plan: BackupPlan;
  public readonly role: Role;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    this.vault = new BackupVault(this, 'Vault', {
      backupVaultName: props.prefix,
      encryptionKey: props.key,
      // Nobody, administrators included, deletes a recovery point before its retention ends.
      blockRecoveryPointDeletion: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.plan = new BackupPlan(this, 'Plan', {
      backupPlanName: props.prefix,
      backupVault: this.vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'daily',
          scheduleExpression: Schedule.cron(BACKUP_SCHEDULE),
          startWindow: Duration.hours(1),
          completionWindow: Duration.hours(6),
          deleteAfter: BACKUP_RETENTION,
        }),
      ],
    });
    const policies = ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'];
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
      description: `${props.prefix}: AWS Backup takes and restores the case table's backups`,
      managedPolicies: policies.map((name) => ManagedPolicy.fromAwsManagedPolicyName(`service-role/${name}`)),
    });
    for (const name of policies) {
      acknowledge(this.role, {
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${name}]`,
        reason:
          "AWS Backup's own service-role policy, which AWS keeps in step with the service; only AWS " +
          'Backup can assume the role, and the plan selects the case table alone.',
      });
    }
    this.plan.addSelection('Table', {
      backupSelectionName: 'case-table',
      resources: [BackupResource.fromDynamoDbTable(props.table)],
      role: this.role,
      // The role carries its policies already (the backup one and the restore one).
      disableDefaultBackupPolicy: true,
    });

    new CfnOutput(this, 'BackupVaultName', {
      value: this.vault.backupVaultName,
      description: 'The vault of the daily table backups',
    });
    new CfnOutput(this, 'BackupRoleArn', {
      value: this.role.roleArn,
      description: 'The role to restore a backup with (aws backup start-restore-job --iam-role-arn <this>)',
    });
  }
}
