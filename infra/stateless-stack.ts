import { spawnSync } from 'node:child_process';
import {
  ArnFormat,
  AssetHashType,
  Aws,
  CfnCondition,
  CfnOutput,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpRoute, HttpRouteKey, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  type CfnFunction,
  Code,
  Function as LambdaFn,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { RECOVERY_METRICS } from '../shared/app/recovery';
import { functionEnvironment } from '../shared/config/function-env';
import { workflowDefinition } from '../shared/workflow/definition';
import { Monitoring } from './monitoring';
import {
  acknowledge,
  DATA_KEY_GRANTS,
  DEAD_LETTER_QUEUE_HAS_NO_REDRIVE,
  FUNCTION_ACKNOWLEDGEMENTS,
  noDeadLetterQueue,
  SCHEDULE_QUEUE_IS_A_DEAD_LETTER_QUEUE,
  SQS_SOURCE_HAS_NO_DESTINATION,
  type SynchronouslyInvoked,
} from './nag';
import { OwnPolicyRole } from './security';
import {
  FUNCTION_TIMEOUTS,
  LOG_RETENTION,
  QUEUE_BATCH_SIZE,
  REPO_ROOT,
  reservedConcurrency,
  SCHEDULE_RETRY,
} from './settings';
import type { StatefulResources } from './stateful-stack';

export interface StatelessStackProps extends StackProps {
  stage: string;
  stateful: StatefulResources;
  alarmEmail?: string;
  publicBaseUrl?: string;
  /** The Zhuqi configuration JSON (ZHUQI_CONFIG); the functions use the defaults without it. */
  zhuqiConfig?: string;
  /** The name of the Secrets Manager secret with the SMS provider's credentials (made by the operator). */
  smsCredentialsSecret?: string;
}

/** Steady requests per second and burst the HTTP API accepts before answering 429. */
export const API_THROTTLE = { rateLimit: 50, burstLimit: 100 };

/** Each function's reserved concurrency, from the API's throttle (see reservedConcurrency). */
export const RESERVED_CONCURRENCY = reservedConcurrency(API_THROTTLE);

/** Powertools' service name and metrics namespace: the functions publish their metrics under them. */
const SERVICE_NAME = 'zhuqi';
const METRICS_NAMESPACE = 'Zhuqi';

/** The functions, one per file in `functions/`. */
export const FUNCTIONS = {
  api: { file: 'api', memorySize: 1024, description: 'HTTP API: the Hono app (pages, JSON API, docs)' },
  intake: { file: 'intake', memorySize: 512, description: 'SQS intake: starts the workflow of a filed case' },
  notifier: { file: 'notifier', memorySize: 512, description: 'SQS notices: delivers notices and surveys' },
  workflowTask: { file: 'workflow-task', memorySize: 512, description: 'The case workflow tasks' },
  sweeper: {
    file: 'sweeper',
    memorySize: 512,
    description: 'Every 5 min: re-queues cases never started, restarts failed workflows',
  },
  followUp: {
    file: 'follow-up',
    memorySize: 512,
    description: 'Monthly: samples the closed cases of the month before for follow-up checks',
  },
} as const;
type FunctionName = keyof typeof FUNCTIONS;

/**
 * The code: the six functions, the HTTP API, the case workflow, the schedules and the alarms. It
 * holds no data, so it can be replaced or destroyed without losing a case.
 */
export class StatelessStack extends Stack {
  public readonly functions: Record<FunctionName, LambdaFn>;
  public readonly api: HttpApi;
  public readonly stateMachine: StateMachine;
  public readonly monitoring: Monitoring;
  /** Where a scheduled job's event goes when EventBridge cannot deliver it or the function keeps failing. */
  public readonly scheduleDeadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const prefix = `zhuqi-${props.stage}`;
    const { table, intakeQueue, noticeQueue, dataKey } = props.stateful;

    // Every log group: kept LOG_RETENTION, retained with the stack's deletion, encrypted with the data key.
    const logGroup = (id: string) =>
      new LogGroup(this, id, {
        retention: LOG_RETENTION,
        removalPolicy: RemovalPolicy.RETAIN,
        encryptionKey: dataKey,
      });

    // The state machine's ARN, built from its explicit name instead of read from the resource. The
    // state machine depends on the workflow-task function (its Resource, its role's invoke permission);
    // the function depends on its role's policy, which lets it answer the state machine's callbacks,
    // and its environment names the state machine. Referring to the resource there would close the
    // cycle state machine → function → policy → state machine, which CloudFormation refuses.
    const stateMachineName = `${prefix}-case-workflow`;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    // X-Ray's integration with Lambda is not offered in the China regions: there the functions only
    // pass trace headers through and Powertools' tracer stays off; everywhere else tracing is active.
    const lambdaXRay = new CfnCondition(this, 'LambdaXRayAvailable', {
      expression: Fn.conditionNot(Fn.conditionEquals(Aws.PARTITION, 'aws-cn')),
    });
    const whereLambdaXRay = (yes: string, no: string) =>
      Fn.conditionIf(lambdaXRay.logicalId, yes, no).toString();

    const environment = (publicBaseUrl: string | undefined) => ({
      ...functionEnvironment({
        TABLE_NAME: table.tableName,
        INTAKE_QUEUE_URL: intakeQueue.queueUrl,
        NOTICE_QUEUE_URL: noticeQueue.queueUrl,
        STATE_MACHINE_ARN: stateMachineArn,
        ...(props.zhuqiConfig ? { ZHUQI_CONFIG: props.zhuqiConfig } : {}),
        ...(publicBaseUrl ? { PUBLIC_BASE_URL: publicBaseUrl } : {}),
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      }),
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACE_ENABLED: whereLambdaXRay('true', 'false'),
      NODE_OPTIONS: '--enable-source-maps',
    });

    // A scheduled job's event that EventBridge could not deliver, or that its function failed on three
    // times (Lambda's asynchronous retries), waits here 14 days for an operator; an alarm watches it.
    this.scheduleDeadLetterQueue = new Queue(this, 'ScheduleDeadLetterQueue', {
      queueName: `${prefix}-schedules-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: dataKey,
      enforceSSL: true,
    });
    acknowledge(
      this.scheduleDeadLetterQueue,
      DEAD_LETTER_QUEUE_HAS_NO_REDRIVE,
      SCHEDULE_QUEUE_IS_A_DEAD_LETTER_QUEUE,
    );

    const createFunction = (
      name: FunctionName,
      publicBaseUrl: string | undefined,
      deadLetterQueue?: Queue,
    ) => {
      const spec = FUNCTIONS[name];
      const logs = logGroup(`${pascal(name)}Logs`);
      // An own role per function, writing only to its own log group (instead of the managed
      // AWSLambdaBasicExecutionRole, which may write to any log group of the account); its
      // permissions live in a customer-managed policy of its own.
      const role = new OwnPolicyRole(this, `${pascal(name)}Role`, {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
        description: `${prefix}-${spec.file}: ${spec.description}`,
      });
      logs.grantWrite(role);
      const fn = new LambdaFn(this, `${pascal(name)}Function`, {
        functionName: `${prefix}-${spec.file}`,
        description: spec.description,
        code: functionCode(spec.file),
        handler: 'index.handler',
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: spec.memorySize,
        timeout: FUNCTION_TIMEOUTS[name],
        reservedConcurrentExecutions: RESERVED_CONCURRENCY[name],
        role,
        logGroup: logs,
        tracing: Tracing.ACTIVE,
        environment: environment(publicBaseUrl),
        ...(deadLetterQueue ? { deadLetterQueue } : {}),
      });
      (fn.node.defaultChild as CfnFunction).tracingConfig = {
        mode: whereLambdaXRay('Active', 'PassThrough'),
      };
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'xray:PutTraceSegments and xray:PutTelemetryRecords (added by active tracing) support no ' +
          'resource-level permissions; AWS documents Resource "*" for them.',
      });
      acknowledge(role, ...DATA_KEY_GRANTS);
      acknowledge(fn, ...FUNCTION_ACKNOWLEDGEMENTS);
      if (deadLetterQueue) {
        // Lambda writes there with the function's role: sending, and the data key that encrypts it.
        deadLetterQueue.grantSendMessages(role);
      } else {
        acknowledge(fn, ...noDeadLetterQueue(name as SynchronouslyInvoked));
      }
      return fn;
    };

    // The API answers with the request's own origin when no public base URL is set; it cannot be
    // told the API's URL, which would make the function depend on the API that depends on it.
    const apiFunction = createFunction('api', props.publicBaseUrl);
    const apiAccessLogs = logGroup('ApiAccessLogs');
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: prefix,
      description: 'Zhuqi: filing form, tracking, survey and the JSON API',
      createDefaultStage: false,
    });
    // One catch-all route: the Hono app does the routing, as it does in the embedded runtime.
    const route = new HttpRoute(this, 'CatchAllRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('Api', apiFunction),
    });
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(apiAccessLogs),
        // No path and no query string: survey tokens travel in the path and tracking keys in the
        // query, and a log kept for six months must not hand them to whoever can read it.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            method: '$context.httpMethod',
            protocol: '$context.protocol',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    Validations.of(route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public by design: enterprises file, track and answer surveys without an account (the ' +
        'tracking and survey links carry their own secrets); office and unit routes check a ' +
        'hashed API key (Authorization: Bearer) in the application, on every request.',
    });

    const basePublicUrl = props.publicBaseUrl ?? this.api.apiEndpoint;
    const fns = {
      api: apiFunction,
      intake: createFunction('intake', basePublicUrl),
      notifier: createFunction('notifier', basePublicUrl),
      workflowTask: createFunction('workflowTask', basePublicUrl),
      sweeper: createFunction('sweeper', basePublicUrl, this.scheduleDeadLetterQueue),
      followUp: createFunction('followUp', basePublicUrl, this.scheduleDeadLetterQueue),
    };
    this.functions = fns;

    const workflowLogs = logGroup('WorkflowLogs');
    this.stateMachine = new StateMachine(this, 'CaseWorkflow', {
      stateMachineName,
      role: new OwnPolicyRole(this, 'CaseWorkflowRole', {
        assumedBy: new ServicePrincipal('states.amazonaws.com'),
        description: `${stateMachineName}: invokes the task function, logs and traces`,
      }),
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromString(JSON.stringify(workflowDefinition())),
      definitionSubstitutions: { TaskFunctionArn: fns.workflowTask.functionArn, Partition: Aws.PARTITION },
      // Every event, without inputs and outputs: callback payloads carry task tokens, which must not
      // sit in a log for six months. The execution history keeps the data for 90 days.
      logs: { destination: workflowLogs, level: LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    // The definition comes as a string, so CDK cannot see the function it invokes: allow exactly it.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fns.workflowTask.functionArn] }),
    );
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery, logs:DescribeResourcePolicies, …) and X-Ray ' +
        '(xray:PutTraceSegments, xray:GetSamplingRules, …) actions support no resource-level ' +
        'permissions; AWS documents Resource "*" for a state machine that logs and traces.',
    });

    // At most as many concurrent batches as the function has reserved: Lambda never throttles a batch.
    const consume = (name: 'intake' | 'notifier', queue: IQueue) => {
      fns[name].addEventSource(
        new SqsEventSource(queue, {
          batchSize: QUEUE_BATCH_SIZE,
          maxConcurrency: RESERVED_CONCURRENCY[name],
          reportBatchItemFailures: true,
        }),
      );
      acknowledge(fns[name], SQS_SOURCE_HAS_NO_DESTINATION);
    };
    const scheduleTarget = (name: keyof typeof SCHEDULE_RETRY) =>
      new LambdaFunction(fns[name], {
        deadLetterQueue: this.scheduleDeadLetterQueue,
        retryAttempts: SCHEDULE_RETRY[name].retryAttempts,
        maxEventAge: SCHEDULE_RETRY[name].maxEventAge,
      });

    // Least privilege, function by function, from what the code in shared/app calls.
    const answerCallbacks = (fn: LambdaFn, arn: string) =>
      fn.addToRolePolicy(new PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [arn] }));

    table.grantReadWriteData(fns.api);
    intakeQueue.grantSendMessages(fns.api);
    answerCallbacks(fns.api, this.stateMachine.stateMachineArn);

    table.grantReadData(fns.intake);
    this.stateMachine.grantStartExecution(fns.intake);
    consume('intake', intakeQueue);

    table.grantReadWriteData(fns.workflowTask);
    noticeQueue.grantSendMessages(fns.workflowTask);
    answerCallbacks(fns.workflowTask, stateMachineArn);

    table.grantReadWriteData(fns.notifier);
    consume('notifier', noticeQueue);
    if (props.smsCredentialsSecret) {
      // The SMS provider's key stays out of the template and the environment: the notifier reads it.
      const smsSecret = Secret.fromSecretNameV2(this, 'SmsCredentials', props.smsCredentialsSecret);
      smsSecret.grantRead(fns.notifier);
      fns.notifier.addEnvironment('SMS_CREDENTIALS_SECRET', props.smsCredentialsSecret);
    }

    // The sweeper also restarts the workflow of open cases whose execution failed, timed out or is
    // gone (shared/app/recovery.ts): it lists and describes executions, starts one, records the round.
    table.grantReadWriteData(fns.sweeper);
    intakeQueue.grantSendMessages(fns.sweeper);
    this.stateMachine.grantStartExecution(fns.sweeper);
    fns.sweeper.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:ListExecutions'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    const executionArns = this.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    fns.sweeper.addToRolePolicy(
      new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executionArns] }),
    );
    Validations.of(fns.sweeper.role!).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagReference(this.resolve(executionArns))}]`,
      reason:
        'The executions of the case workflow, and only of it: an execution ARN ends with a name ' +
        'chosen at start (the case id and its round), so no narrower resource can be written.',
    });
    new Rule(this, 'SweeperSchedule', {
      ruleName: `${prefix}-intake-sweeper`,
      description: 'Re-queues filed cases whose workflow has not started',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [scheduleTarget('sweeper')],
    });

    // 回头看: at 01:00 China time on the 1st, which is 17:00 UTC on the last day of the month before.
    table.grantReadWriteData(fns.followUp);
    new Rule(this, 'FollowUpSchedule', {
      ruleName: `${prefix}-follow-up-sample`,
      description: 'Samples the cases closed in the month that just ended for follow-up checks',
      schedule: Schedule.cron({ minute: '0', hour: '17', day: 'L' }),
      targets: [scheduleTarget('followUp')],
    });

    // grantRead(Write)Data adds `<table ARN>/index/*`; cdk-nag names that finding after the table's
    // ARN as this stack sees it, which for a table of another stack is the import of its export.
    const tableArn = Stack.of(table) === this ? table.tableArn : Stack.of(table).exportValue(table.tableArn);
    const tableIndexes = `AwsSolutions-IAM5[Resource::${nagReference(this.resolve(tableArn))}/index/*]`;
    for (const fn of Object.values(fns)) {
      if (!fn.role) continue;
      Validations.of(fn.role).acknowledge({
        id: tableIndexes,
        reason:
          'The indexes of the case table, and only of it: every list the product shows is a Query on ' +
          'one of the indexes TABLE_DESIGN names (status, unit and API keys, case number, filing year, closing year).',
      });
    }

    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: props.stage,
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      api: this.api,
      stateMachine: this.stateMachine,
      functions: fns,
      alarmOnErrors: ['sweeper', 'followUp'],
      workflowRestartedAgain: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: RECOVERY_METRICS.restartedAgain,
        dimensionsMap: { service: SERVICE_NAME },
      }),
      deadLetterQueues: {
        intake: props.stateful.intakeDeadLetterQueue,
        notices: props.stateful.noticeDeadLetterQueue,
        schedules: this.scheduleDeadLetterQueue,
      },
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.api.apiEndpoint,
      description: 'The HTTP API (default stage)',
    });
    new CfnOutput(this, 'StateMachineArn', { value: this.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
  }
}

/**
 * A function's code: `functions/<file>.ts` bundled by infra/bundling.ts (the same build the cold-start
 * bench measures), on this machine with the installed esbuild, hashed by its output.
 */
function functionCode(file: string): Code {
  const command = ['node', '--import', 'tsx', 'infra/bundle-function.ts', `functions/${file}.ts`];
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling either succeeds or fails the synthesis. The command is the one
      // run locally; it also keys CDK's bundling cache, which would otherwise give every function the
      // first one's bundle.
      image: DockerImage.fromRegistry('dummy'),
      command,
      local: {
        tryBundle(outputDir) {
          const [, ...args] = command;
          const run = spawnSync(process.execPath, [...args, outputDir], {
            cwd: REPO_ROOT,
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (run.status !== 0) throw new Error(`bundling functions/${file}.ts failed (exit ${run.status})`);
          return true;
        },
      },
    },
  });
}

/** A CloudFormation value flattened the way cdk-nag writes it into finding ids (`<Ref>`, `<Id.Attr>`). */
function nagReference(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Fn::ImportValue' in node) return nagReference(node['Fn::ImportValue']);
    if ('Ref' in node) return `<${nagReference(node.Ref)}>`;
    if ('Fn::GetAtt' in node) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${nagReference(resource)}.${nagReference(attribute)}>`;
    }
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(nagReference).join(separator);
    }
  }
  return JSON.stringify(value);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
