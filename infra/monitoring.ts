import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface MonitoringProps {
  stage: string;
  alarmEmail?: string;
  api: HttpApi;
  stateMachine: IStateMachine;
  /** Every function, by the short name used in alarm names. */
  functions: Record<string, IFunction>;
  /** Functions nothing else watches (no queue, no workflow behind them): their errors alarm too. */
  alarmOnErrors: string[];
  deadLetterQueues: Record<string, IQueue>;
  /** Cases whose workflow the sweeper restarted a second time or more (shared/app/recovery.ts). */
  workflowRestartedAgain: Metric;
}

/** Percent of API requests answered 5xx over five minutes that raises the alarm; the design allows none. */
export const API_5XX_RATE_THRESHOLD = 1;

const FIVE_MINUTES = Duration.minutes(5);

const DEAD_LETTER_DESCRIPTIONS: Record<string, string> = {
  intake:
    'Messages of the intake queue failed to start a workflow five times and wait in its dead-letter queue.',
  notices: 'Messages of the notices queue failed delivery five times and wait in its dead-letter queue.',
  schedules:
    'A scheduled run (intake sweeper or follow-up sampling) could not be delivered or failed three times; ' +
    'its event waits in the schedules dead-letter queue.',
};

/**
 * The alarms an operator needs and the topic they go to: a message in a dead-letter queue, a failed,
 * timed-out or aborted execution, a case whose workflow had to be restarted twice, a failed backup,
 * API 5xx responses, throttled functions, a failing scheduled job. The README's operations section
 * says what to do.
 */
export class Monitoring extends Construct {
  public readonly topic: Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const prefix = `zhuqi-${props.stage}`;

    // CloudWatch can publish to an encrypted topic only with a customer key whose policy admits it;
    // the AWS-managed aws/sns key cannot be shared with CloudWatch.
    const key = new Key(this, 'TopicKey', {
      description: `${prefix}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // Alarm notifications are not kept anywhere: nothing stays encrypted under this key.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      topicName: `${prefix}-alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      Validations.of(this.topic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The alarm itself is the record: it stays in ALARM, in the CloudWatch console and API, until ' +
          'its cause is gone, so an e-mail that cannot be delivered loses no information.',
      });
    }
    const action = new SnsAction(this.topic);

    const alarm = (name: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, name, {
        alarmName: `${prefix}-${name}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}-dlq-messages`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        0,
        DEAD_LETTER_DESCRIPTIONS[name] ??
          `Messages of the ${name} queue failed five times and wait in its dead-letter queue.`,
      );
    }

    const executions = { period: FIVE_MINUTES, statistic: 'Sum' };
    alarm('workflow-failed', props.stateMachine.metricFailed(executions), 0, 'A case workflow failed.');
    alarm(
      'workflow-timed-out',
      props.stateMachine.metricTimedOut(executions),
      0,
      'A case workflow timed out.',
    );
    alarm(
      'workflow-aborted',
      props.stateMachine.metricAborted(executions),
      0,
      'A case workflow was aborted.',
    );

    // AWS Backup's count over the account and region (its only aggregation every job is counted in):
    // the table's daily backup is the platform's job there.
    alarm(
      'backup-failed',
      new Metric({
        namespace: 'AWS/Backup',
        metricName: 'NumberOfBackupJobsFailed',
        statistic: 'Sum',
        period: Duration.hours(1),
      }),
      0,
      'A backup job of AWS Backup failed in this account and region: the daily backup of the case table is missing.',
    );

    alarm(
      'workflow-restarted-again',
      props.workflowRestartedAgain.with({ period: FIVE_MINUTES, statistic: 'Sum' }),
      0,
      'The sweeper restarted the workflow of a case whose workflow it had restarted before.',
    );

    alarm(
      'api-5xx-rate',
      new MathExpression({
        label: 'API 5xx rate (%)',
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
      }),
      API_5XX_RATE_THRESHOLD,
      `More than ${API_5XX_RATE_THRESHOLD}% of API requests were answered with a 5xx status.`,
    );

    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(
        `${name}-throttles`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
        0,
        `Invocations of the ${name} function were throttled.`,
      );
    }
    for (const name of props.alarmOnErrors) {
      const fn = props.functions[name];
      if (!fn) throw new Error(`no function named ${name} to alarm on`);
      alarm(
        `${name}-errors`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        0,
        `The ${name} function failed.`,
      );
    }
  }
}
