import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StatefulStack } from '../../infra/stateful-stack';
import { API_THROTTLE, type StatelessStack } from '../../infra/stateless-stack';
import { readFunctionEnvironment } from '../../shared/config/function-env';
import { CALLBACK_STATES, substitute, workflowDefinition } from '../../shared/workflow/definition';
import {
  asArray,
  logicalId,
  onlyResource,
  type Resource,
  renderIntrinsic,
  roleStatements,
  synthZhuqi,
} from './synth';

describe('stateless stack', () => {
  let stack: StatelessStack;
  let template: Template;
  let statefulTemplate: Template;
  let statefulStack: StatefulStack;

  beforeAll(() => {
    const synth = synthZhuqi({ context: { alarmEmail: 'ops@example.org' } });
    stack = synth.stateless;
    statefulStack = synth.stateful;
    template = Template.fromStack(synth.stateless);
    statefulTemplate = Template.fromStack(synth.stateful);
  });

  const fnId = (name: keyof StatelessStack['functions']) => logicalId(stack, stack.functions[name]);
  const stateMachineId = () => logicalId(stack, stack.stateMachine);
  const functionResource = (name: keyof StatelessStack['functions']) =>
    template.toJSON().Resources[fnId(name)] as Resource;
  const statementsOf = (name: keyof StatelessStack['functions']) =>
    roleStatements(
      template,
      renderIntrinsic(functionResource(name).Properties.Role).replace(/^<|\.Arn>$/g, ''),
    );
  const actionsOf = (statement: Record<string, unknown>) => asArray(statement.Action as string | string[]);

  describe('case workflow', () => {
    const deployed = () => {
      const [, machine] = onlyResource(template, 'AWS::StepFunctions::StateMachine');
      const substitutions = Object.fromEntries(
        Object.entries(machine.Properties.DefinitionSubstitutions as Record<string, unknown>).map(
          ([name, value]) => [name, renderIntrinsic(value)],
        ),
      );
      const text = renderIntrinsic(machine.Properties.DefinitionString).replace(
        /\$\{(\w+)\}/g,
        (whole, name) => {
          const value = substitutions[name];
          if (value === undefined) throw new Error(`${whole} has no DefinitionSubstitutions entry`);
          return value;
        },
      );
      return { machine, substitutions, definition: JSON.parse(text) };
    };

    it('is the shared workflow definition, with the task function and the partition substituted', () => {
      const { substitutions, definition } = deployed();

      expect(substitutions).toEqual({
        TaskFunctionArn: `<${fnId('workflowTask')}.Arn>`,
        Partition: '<AWS::Partition>',
      });
      expect(definition).toEqual(substitute(workflowDefinition(), substitutions));
    });

    it('waits for people with .waitForTaskToken callbacks that invoke the task function', () => {
      const { definition } = deployed();
      const states = definition.States as Record<string, Record<string, unknown>>;

      for (const name of CALLBACK_STATES) {
        expect(states[name]?.Resource, name).toBe(
          'arn:<AWS::Partition>:states:::lambda:invoke.waitForTaskToken',
        );
        expect(states[name]?.Parameters).toMatchObject({ FunctionName: `<${fnId('workflowTask')}.Arn>` });
      }
      for (const [name, state] of Object.entries(states)) {
        if (state.Type !== 'Task' || (CALLBACK_STATES as readonly string[]).includes(name)) continue;
        expect(state.Resource, name).toBe(`<${fnId('workflowTask')}.Arn>`);
      }
    });

    it('is a STANDARD state machine with a fixed name, logging ALL events and traced', () => {
      const { machine } = deployed();

      expect(machine.Properties).toMatchObject({
        StateMachineName: 'zhuqi-test-case-workflow',
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL' },
        TracingConfiguration: { Enabled: true },
      });
    });

    it('may invoke exactly the workflow-task function', () => {
      const { machine } = deployed();
      const roleId = renderIntrinsic(machine.Properties.RoleArn).replace(/^<|\.Arn>$/g, '');

      const invokes = roleStatements(template, roleId).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('lambda:')),
      );
      expect(invokes).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: { 'Fn::GetAtt': [fnId('workflowTask'), 'Arn'] },
        },
      ]);
    });
  });

  describe('least privilege', () => {
    it('lets the API function SendTaskSuccess on the state machine and nothing broader', () => {
      const states = statementsOf('api').filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));

      expect(states).toEqual([
        { Effect: 'Allow', Action: 'states:SendTaskSuccess', Resource: { Ref: stateMachineId() } },
      ]);
    });

    it('lets the workflow-task function SendTaskSuccess on the state machine, by the ARN of its name', () => {
      const states = statementsOf('workflowTask').filter((s) =>
        actionsOf(s).some((a) => a.startsWith('states:')),
      );

      expect(states).toHaveLength(1);
      expect(states[0]?.Action).toBe('states:SendTaskSuccess');
      expect(renderIntrinsic(states[0]?.Resource)).toBe(
        'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:zhuqi-test-case-workflow',
      );
    });

    it('grants each function only the calls its code makes', () => {
      const queueArn = (name: string) => {
        const [id] = Object.entries(statefulTemplate.findResources('AWS::SQS::Queue')).find(
          ([, q]) => q.Properties.QueueName === `zhuqi-test-${name}`,
        )!;
        return id;
      };
      const scheduleDlq = `<${logicalId(stack, stack.scheduleDeadLetterQueue)}.Arn>`;
      const summary = (name: keyof StatelessStack['functions']) => {
        const all = statementsOf(name);
        // The data key's statements, apart: CDK grants it with every table and queue grant.
        const onKey = all.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
        const statements = all.filter((s) => !onKey.includes(s));
        const resourcesOf = (action: string) =>
          statements
            .filter((s) => actionsOf(s).includes(action))
            .flatMap((s) => asArray(s.Resource).map(renderIntrinsic))
            .map((r) => r.replace(/^<import:[^:]+:ExportsOutputFnGetAtt(\w+?)Arn\w+>$/, '$1'));
        return {
          writesTable: statements.some((s) => actionsOf(s).includes('dynamodb:PutItem')),
          readsTable: statements.some((s) => actionsOf(s).includes('dynamodb:Query')),
          sendsTo: resourcesOf('sqs:SendMessage').sort(),
          receivesFrom: resourcesOf('sqs:ReceiveMessage'),
          states: statements.flatMap((s) => actionsOf(s).filter((a) => a.startsWith('states:'))),
          wildcardActions: statements.flatMap((s) => actionsOf(s).filter((a) => a.includes('*'))),
          dataKey: {
            resources: [...new Set(onKey.flatMap((s) => asArray(s.Resource).map(renderIntrinsic)))],
            actions: onKey.flatMap(actionsOf).sort(),
          },
        };
      };
      const [intake, notices] = [queueArn('intake'), queueArn('notices')];
      const dataKey = `<import:Zhuqi-test-Stateful:ExportsOutputFnGetAtt${logicalId(statefulStack, statefulStack.dataKey)}Arn`;
      const keyActions = (...actions: string[]) => ({
        resources: [expect.stringMatching(new RegExp(`^${dataKey}\\w+>$`))],
        actions: ['kms:Decrypt', 'kms:DescribeKey', ...actions].sort(),
      });
      // Writers encrypt (and DynamoDB or SQS generate data keys); readers only decrypt.
      const KEY_WRITE = keyActions('kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*');

      expect(summary('api')).toEqual({
        writesTable: true,
        readsTable: true,
        sendsTo: [intake],
        receivesFrom: [],
        states: ['states:SendTaskSuccess'],
        wildcardActions: [],
        dataKey: KEY_WRITE,
      });
      expect(summary('intake')).toEqual({
        writesTable: false,
        readsTable: true,
        sendsTo: [],
        receivesFrom: [intake],
        states: ['states:StartExecution'],
        wildcardActions: [],
        dataKey: keyActions(),
      });
      expect(summary('workflowTask')).toEqual({
        writesTable: true,
        readsTable: true,
        sendsTo: [notices],
        receivesFrom: [],
        states: ['states:SendTaskSuccess'],
        wildcardActions: [],
        dataKey: KEY_WRITE,
      });
      expect(summary('notifier')).toEqual({
        writesTable: true,
        readsTable: true,
        sendsTo: [],
        receivesFrom: [notices],
        states: [],
        wildcardActions: [],
        dataKey: KEY_WRITE,
      });
      expect(summary('sweeper')).toEqual({
        writesTable: true,
        readsTable: true,
        // Lambda writes a failed scheduled run to the schedules' dead-letter queue with the function's role.
        sendsTo: [intake, scheduleDlq].sort(),
        receivesFrom: [],
        states: ['states:ListExecutions', 'states:StartExecution', 'states:DescribeExecution'],
        wildcardActions: [],
        dataKey: KEY_WRITE,
      });
      expect(summary('followUp')).toEqual({
        writesTable: true,
        readsTable: true,
        sendsTo: [scheduleDlq],
        receivesFrom: [],
        states: [],
        wildcardActions: [],
        dataKey: KEY_WRITE,
      });
    });

    it('lets the sweeper list and start executions of the case workflow and describe only its executions', () => {
      const states = statementsOf('sweeper').flatMap((s) =>
        actionsOf(s)
          .filter((a) => a.startsWith('states:'))
          .map((action) => ({ action, resources: asArray(s.Resource).map(renderIntrinsic) })),
      );

      expect(states).toEqual(
        expect.arrayContaining([
          { action: 'states:StartExecution', resources: [`<${stateMachineId()}>`] },
          { action: 'states:ListExecutions', resources: [`<${stateMachineId()}>`] },
          {
            action: 'states:DescribeExecution',
            resources: [
              'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:zhuqi-test-case-workflow:*',
            ],
          },
        ]),
      );
      expect(states).toHaveLength(3);
    });

    it('gives every function and the workflow a role of its own, its permissions one customer-managed policy of its own', () => {
      const roles = Object.entries(template.findResources('AWS::IAM::Role'));
      const policies = Object.values(template.findResources('AWS::IAM::ManagedPolicy'));

      // No inline policy (NIST 800-53 AC-6), no AWS-managed policy.
      expect(template.findResources('AWS::IAM::Policy')).toEqual({});
      for (const [id, role] of roles) {
        expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
        expect(role.Properties.Policies, id).toBeUndefined();
        expect(
          policies.filter((p) => p.Properties.Roles.some((r: unknown) => renderIntrinsic(r) === `<${id}>`)),
          id,
        ).toHaveLength(1);
      }
      for (const policy of policies) expect(policy.Properties.Roles).toHaveLength(1);
      const roleIds = Object.keys(stack.functions).map((name) =>
        renderIntrinsic(functionResource(name as keyof StatelessStack['functions']).Properties.Role),
      );
      roleIds.push(
        renderIntrinsic(onlyResource(template, 'AWS::StepFunctions::StateMachine')[1].Properties.RoleArn),
      );
      expect(new Set(roleIds).size).toBe(roleIds.length);
      expect(roles).toHaveLength(roleIds.length);
    });
  });

  describe('functions', () => {
    it('run on arm64 with Node.js 24, source maps enabled, traced where Lambda offers X-Ray', () => {
      for (const name of Object.keys(stack.functions) as (keyof StatelessStack['functions'])[]) {
        const props = functionResource(name).Properties;
        expect(props, name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: { 'Fn::If': ['LambdaXRayAvailable', 'Active', 'PassThrough'] } },
          Environment: { Variables: { NODE_OPTIONS: '--enable-source-maps' } },
        });
      }
      expect(template.toJSON().Conditions.LambdaXRayAvailable).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] }],
      });
    });

    it('time out as documented: the queue consumers after 30 s, the workflow task within its 60 s task', () => {
      const timeouts = Object.fromEntries(
        (Object.keys(stack.functions) as (keyof StatelessStack['functions'])[]).map((name) => [
          name,
          functionResource(name).Properties.Timeout,
        ]),
      );

      expect(timeouts).toEqual({
        api: 20,
        intake: 30,
        notifier: 30,
        workflowTask: 50,
        sweeper: 120,
        followUp: 300,
      });
    });

    it('get the environment readFunctionEnvironment reads, from the one typed builder', () => {
      for (const name of Object.keys(stack.functions) as (keyof StatelessStack['functions'])[]) {
        const variables = (
          functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }
        ).Variables;
        const env = Object.fromEntries(
          Object.entries(variables).map(([key, value]) => [
            key,
            typeof value === 'object' && value && 'Fn::If' in value ? 'true' : renderIntrinsic(value),
          ]),
        );

        // The API answers with the request's origin; the others link to the API's own endpoint.
        if (name === 'api') expect(env.PUBLIC_BASE_URL).toBeUndefined();
        else expect(env.PUBLIC_BASE_URL).toBe(`<${logicalId(stack, stack.api)}.ApiEndpoint>`);
        if (env.PUBLIC_BASE_URL) env.PUBLIC_BASE_URL = 'https://api-endpoint.example';

        const { env: read } = readFunctionEnvironment(env);
        expect(read.STATE_MACHINE_ARN).toBe(
          'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:stateMachine:zhuqi-test-case-workflow',
        );
        expect(read.TABLE_NAME).toMatch(/^<import:.*Table/);
        expect(read.INTAKE_QUEUE_URL).toMatch(/^<import:.*IntakeQueue/);
        expect(read.NOTICE_QUEUE_URL).toMatch(/^<import:.*NoticesQueue/);
        expect(env).toMatchObject({
          POWERTOOLS_SERVICE_NAME: 'zhuqi',
          POWERTOOLS_METRICS_NAMESPACE: 'Zhuqi',
        });
      }
    });

    it('consume the queues with partial batch failure reporting', () => {
      const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping'));
      const consumers = mappings.map((m) => ({
        fn: renderIntrinsic(m.Properties.FunctionName),
        queue: renderIntrinsic(m.Properties.EventSourceArn).replace(
          /^.*ExportsOutputFnGetAtt(\w+?)Queue\w+>$/,
          '$1',
        ),
        responses: m.Properties.FunctionResponseTypes,
      }));

      expect(consumers).toHaveLength(2);
      expect(consumers).toEqual(
        expect.arrayContaining([
          { fn: `<${fnId('intake')}>`, queue: 'Intake', responses: ['ReportBatchItemFailures'] },
          { fn: `<${fnId('notifier')}>`, queue: 'Notices', responses: ['ReportBatchItemFailures'] },
        ]),
      );
    });

    const schedules = () =>
      Object.values(template.findResources('AWS::Events::Rule')).map((rule) => ({
        expression: rule.Properties.ScheduleExpression,
        targets: (rule.Properties.Targets as { Arn: unknown }[]).map((t) => renderIntrinsic(t.Arn)),
      }));

    it('run the intake sweeper every five minutes', () => {
      expect(schedules()).toContainEqual({
        expression: 'rate(5 minutes)',
        targets: [`<${fnId('sweeper')}.Arn>`],
      });
    });

    it('run the follow-up sampling (回头看) at 01:00 China time on the 1st: 17:00 UTC on the last day', () => {
      expect(schedules()).toContainEqual({
        expression: 'cron(0 17 L * ? *)',
        targets: [`<${fnId('followUp')}.Arn>`],
      });
      expect(schedules()).toHaveLength(2);
    });

    it('reserve concurrency per function, sized from the API throttle, and poll the queues within it', () => {
      const reserved: Record<string, number> = Object.fromEntries(
        Object.keys(stack.functions).map((name) => [
          name,
          functionResource(name as keyof StatelessStack['functions']).Properties
            .ReservedConcurrentExecutions as number,
        ]),
      );
      const pollers = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map((m) => ({
        fn: renderIntrinsic(m.Properties.FunctionName),
        batchSize: m.Properties.BatchSize,
        maxConcurrency: (m.Properties.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency,
      }));

      // The API's burst (100) at once; intake and notices: 50 messages/s in batches of 10; a task per
      // case step at the API's 50 requests/s; one sweep and one monthly sample at a time.
      expect(API_THROTTLE).toEqual({ rateLimit: 50, burstLimit: 100 });
      expect(reserved).toEqual({
        api: 100,
        intake: 5,
        notifier: 5,
        workflowTask: 50,
        sweeper: 1,
        followUp: 1,
      });
      // Lambda keeps 100 unreserved: 262 of the default 1,000 concurrent executions of an account.
      expect(Object.values(reserved).reduce((a, b) => a + b, 0) + 100).toBe(262);
      expect(pollers).toEqual(
        expect.arrayContaining([
          { fn: `<${fnId('intake')}>`, batchSize: 10, maxConcurrency: 5 },
          { fn: `<${fnId('notifier')}>`, batchSize: 10, maxConcurrency: 5 },
        ]),
      );
      expect(pollers).toHaveLength(2);
    });

    describe('schedules', () => {
      const dlqId = () => logicalId(stack, stack.scheduleDeadLetterQueue);
      const target = (ruleName: string) => {
        const rule = Object.values(template.findResources('AWS::Events::Rule')).find(
          (r) => r.Properties.Name === ruleName,
        );
        const targets = rule?.Properties.Targets as Record<string, unknown>[];
        expect(targets).toHaveLength(1);
        return targets[0];
      };

      it('send an event EventBridge cannot deliver to the schedules dead-letter queue, after retrying', () => {
        expect(target('zhuqi-test-intake-sweeper')).toMatchObject({
          Arn: { 'Fn::GetAtt': [fnId('sweeper'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
          // A sweep that cannot start is replaced by the next one, five minutes later.
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
        });
        expect(target('zhuqi-test-follow-up-sample')).toMatchObject({
          Arn: { 'Fn::GetAtt': [fnId('followUp'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId(), 'Arn'] } },
          // The monthly sample may be a day late, never lost.
          RetryPolicy: { MaximumRetryAttempts: 24, MaximumEventAgeInSeconds: 86_400 },
        });
      });

      it("send a run their function failed (Lambda's asynchronous retries) to the same queue", () => {
        for (const name of ['sweeper', 'followUp'] as const) {
          expect(functionResource(name).Properties.DeadLetterConfig, name).toEqual({
            TargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
          });
        }
        for (const name of ['api', 'intake', 'notifier', 'workflowTask'] as const) {
          expect(functionResource(name).Properties.DeadLetterConfig, name).toBeUndefined();
        }
      });

      it('keep that queue 14 days, encrypted with the data key, TLS only, writable by their two rules only', () => {
        const dlq = template.toJSON().Resources[dlqId()] as Resource;
        const [, policy] = Object.entries(template.findResources('AWS::SQS::QueuePolicy')).find(([, p]) =>
          (p.Properties.Queues as unknown[]).some((q) => renderIntrinsic(q) === `<${dlqId()}>`),
        )!;
        const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
          .Statement;

        expect(dlq.Properties).toMatchObject({
          QueueName: 'zhuqi-test-schedules-dlq',
          MessageRetentionPeriod: 1_209_600,
        });
        expect(renderIntrinsic(dlq.Properties.KmsMasterKeyId)).toMatch(
          new RegExp(
            `^<import:Zhuqi-test-Stateful:ExportsOutputFnGetAtt${logicalId(statefulStack, statefulStack.dataKey)}Arn\\w+>$`,
          ),
        );
        expect(statements).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
        const senders = statements.filter((st) => st.Effect === 'Allow');
        expect(senders.map((st) => [st.Principal, st.Action])).toEqual([
          [{ Service: 'events.amazonaws.com' }, 'sqs:SendMessage'],
          [{ Service: 'events.amazonaws.com' }, 'sqs:SendMessage'],
        ]);
        expect(
          senders
            .map((st) =>
              renderIntrinsic(
                (st.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals['aws:SourceArn'],
              ),
            )
            .sort(),
        ).toEqual([
          expect.stringMatching(/^<FollowUpSchedule\w+\.Arn>$/),
          expect.stringMatching(/^<SweeperSchedule\w+\.Arn>$/),
        ]);
      });
    });

    it('let only EventBridge invoke the follow-up function, from its schedule', () => {
      const permissions = Object.values(template.findResources('AWS::Lambda::Permission')).filter(
        (p) => renderIntrinsic(p.Properties.FunctionName) === `<${fnId('followUp')}.Arn>`,
      );

      expect(permissions).toHaveLength(1);
      expect(permissions[0]?.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
      });
      expect(renderIntrinsic(permissions[0]?.Properties.SourceArn)).toMatch(/^<FollowUpSchedule\w+\.Arn>$/);
    });
  });

  it('serves the HTTP API from a throttled default stage with access logs', () => {
    const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
    const [, route] = onlyResource(template, 'AWS::ApiGatewayV2::Route');

    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        // As the README documents: 50 requests/s, bursts of 100.
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      },
    });
    const accessLogs = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(renderIntrinsic(accessLogs.DestinationArn)).toMatch(/^<ApiAccessLogs\w+\.Arn>$/);
    expect(JSON.parse(accessLogs.Format)).toMatchObject({ requestId: '$context.requestId' });
    expect(accessLogs.Format).not.toMatch(/\$context\.path|querystring/i);
    expect(route.Properties.RouteKey).toBe('$default');
  });

  it('encrypts every log group with the data key', () => {
    const logGroups = Object.entries(template.findResources('AWS::Logs::LogGroup'));
    const dataKey = `<import:Zhuqi-test-Stateful:ExportsOutputFnGetAtt${logicalId(statefulStack, statefulStack.dataKey)}Arn`;

    expect(statefulTemplate.findResources('AWS::Logs::LogGroup')).toEqual({});
    expect(logGroups).toHaveLength(Object.keys(stack.functions).length + 2);
    for (const [id, group] of logGroups) {
      expect(renderIntrinsic(group.Properties.KmsKeyId), id).toMatch(new RegExp(`^${dataKey}\\w+>$`));
    }
  });

  it('keeps every log group 180 days; functions, API and workflow all log to one', () => {
    const logGroups = [template, statefulTemplate].flatMap((t) =>
      Object.entries(t.findResources('AWS::Logs::LogGroup')),
    );
    const ids = new Set(logGroups.map(([id]) => id));

    for (const [id, group] of logGroups) {
      expect(group.Properties.RetentionInDays, id).toBe(180);
      expect(group.DeletionPolicy, id).toBe('Retain');
    }
    for (const name of Object.keys(stack.functions) as (keyof StatelessStack['functions'])[]) {
      const target = renderIntrinsic(
        (functionResource(name).Properties.LoggingConfig as { LogGroup: unknown }).LogGroup,
      );
      expect(ids, name).toContain(target.slice(1, -1));
    }
    const [, machine] = onlyResource(template, 'AWS::StepFunctions::StateMachine');
    const machineLogs = (
      machine.Properties.LoggingConfiguration as {
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: unknown } }[];
      }
    ).Destinations.map((d) =>
      renderIntrinsic(d.CloudWatchLogsLogGroup.LogGroupArn).replace(/^<|\.Arn>$/g, ''),
    );
    const [, stage] = onlyResource(template, 'AWS::ApiGatewayV2::Stage');
    const apiLogs = renderIntrinsic(
      (stage.Properties.AccessLogSettings as { DestinationArn: unknown }).DestinationArn,
    );
    for (const target of [...machineLogs, apiLogs.replace(/^<|\.Arn>$/g, '')]) expect(ids).toContain(target);
    expect(logGroups).toHaveLength(Object.keys(stack.functions).length + 2);
  });

  describe('alarms', () => {
    const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    const metricOf = (alarm: Resource) => alarm.Properties.MetricName as string | undefined;

    it('watch dead letters, failed, timed-out and aborted executions, the API 5xx rate and throttles', () => {
      const names = alarms().map((a) => a.Properties.AlarmName);

      expect(names).toEqual(
        expect.arrayContaining([
          'zhuqi-test-intake-dlq-messages',
          'zhuqi-test-notices-dlq-messages',
          'zhuqi-test-schedules-dlq-messages',
          'zhuqi-test-workflow-failed',
          'zhuqi-test-workflow-timed-out',
          'zhuqi-test-workflow-aborted',
          'zhuqi-test-backup-failed',
          'zhuqi-test-api-5xx-rate',
          'zhuqi-test-workflow-restarted-again',
          ...Object.keys(stack.functions).map((name) => `zhuqi-test-${name}-throttles`),
        ]),
      );
      const metrics = alarms().map(metricOf);
      expect(metrics.filter((m) => m === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
      for (const m of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted'])
        expect(metrics).toContain(m);
      const backup = alarms().find((a) => a.Properties.AlarmName === 'zhuqi-test-backup-failed');
      expect(backup?.Properties).toMatchObject({
        Namespace: 'AWS/Backup',
        MetricName: 'NumberOfBackupJobsFailed',
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(metrics.filter((m) => m === 'Throttles')).toHaveLength(Object.keys(stack.functions).length);
      const rate = alarms().find((a) => a.Properties.AlarmName === 'zhuqi-test-api-5xx-rate')!;
      const queries = rate.Properties.Metrics as {
        Expression?: string;
        MetricStat?: { Metric: { MetricName: string } };
      }[];
      expect(
        queries
          .map((q) => q.MetricStat?.Metric.MetricName)
          .filter(Boolean)
          .sort(),
      ).toEqual(['5xx', 'Count']);
      expect(queries.some((q) => q.Expression?.includes('errors / requests'))).toBe(true);
    });

    it('raise the API 5xx alarm above 1% of requests, as documented', () => {
      const rate = alarms().find((a) => a.Properties.AlarmName === 'zhuqi-test-api-5xx-rate')!;

      expect(rate.Properties).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
      });
    });

    it('watch cases whose workflow the sweeper had to restart a second time', () => {
      const again = alarms().find((a) => a.Properties.AlarmName === 'zhuqi-test-workflow-restarted-again')!;

      expect(again.Properties).toMatchObject({
        Namespace: 'Zhuqi',
        MetricName: 'WorkflowRestartedAgain',
        Dimensions: [{ Name: 'service', Value: 'zhuqi' }],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
      // The sweeper publishes the metric under the namespace and service the alarm reads.
      const sweeperEnv = (
        functionResource('sweeper').Properties.Environment as { Variables: Record<string, unknown> }
      ).Variables;
      expect(sweeperEnv).toMatchObject({
        POWERTOOLS_METRICS_NAMESPACE: 'Zhuqi',
        POWERTOOLS_SERVICE_NAME: 'zhuqi',
      });
    });

    it('watch the errors of the scheduled jobs, which no queue or workflow watches', () => {
      const errors = alarms()
        .filter((a) => metricOf(a) === 'Errors')
        .map((a) => ({
          name: a.Properties.AlarmName,
          fn: renderIntrinsic((a.Properties.Dimensions as { Value: unknown }[])[0]?.Value),
        }));

      expect(errors).toEqual(
        expect.arrayContaining([
          { name: 'zhuqi-test-sweeper-errors', fn: `<${fnId('sweeper')}>` },
          { name: 'zhuqi-test-followUp-errors', fn: `<${fnId('followUp')}>` },
        ]),
      );
      expect(errors).toHaveLength(2);
    });

    it('notify an encrypted, TLS-only topic with the e-mail subscription from context', () => {
      const [topicId, topic] = onlyResource(template, 'AWS::SNS::Topic');
      const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy');
      const [, subscription] = onlyResource(template, 'AWS::SNS::Subscription');

      for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(renderIntrinsic(topic.Properties.KmsMasterKeyId)).toMatch(/^<MonitoringTopicKey\w+\.Arn>$/);
      expect((policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      expect(subscription.Properties).toMatchObject({ Protocol: 'email', Endpoint: 'ops@example.org' });
    });
  });
});

describe('stateless stack with the SMS channel', () => {
  it('lets the notifier alone read the SMS credentials secret, named in its environment', () => {
    // Act: synth throws on any cdk-nag finding nobody acknowledged
    const synth = synthZhuqi({ context: { smsCredentialsSecret: 'zhuqi/sms-tencent' } });

    // Assess
    const template = Template.fromStack(synth.stateless);
    const stack = synth.stateless;
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const functionOf = (name: keyof StatelessStack['functions']) =>
      resources[logicalId(stack, stack.functions[name])]!;
    const env = (name: keyof StatelessStack['functions']) =>
      (functionOf(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env('notifier').SMS_CREDENTIALS_SECRET).toBe('zhuqi/sms-tencent');
    expect(env('api').SMS_CREDENTIALS_SECRET).toBeUndefined();
    const reads = (name: keyof StatelessStack['functions']) =>
      roleStatements(template, renderIntrinsic(functionOf(name).Properties.Role).replace(/^<|\.Arn>$/g, ''))
        .filter((s) => asArray(s.Action as string | string[]).includes('secretsmanager:GetSecretValue'))
        .map((s) => renderIntrinsic(s.Resource));
    expect(reads('notifier')).toEqual([expect.stringContaining(':secret:zhuqi/sms-tencent-??????')]);
    for (const other of ['api', 'intake', 'workflowTask', 'sweeper', 'followUp'] as const)
      expect(reads(other)).toEqual([]);
  });
});
