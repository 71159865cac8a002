import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeploySettings, readDeploySettings } from './settings';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface ZhuqiStacks {
  settings: DeploySettings;
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds Zhuqi's two stacks to an app, with cdk-nag's AWS Solutions checks on every synth. The
 * environment comes from the CLI's credentials and region (CDK_DEFAULT_*), never from the code.
 */
export function addZhuqiStacks(
  app: App,
  env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
): ZhuqiStacks {
  const settings = readDeploySettings(app.node);
  const name = `Zhuqi-${settings.stage}`;
  const stateful = new StatefulStack(app, `${name}-Stateful`, {
    env,
    stage: settings.stage,
    description: `Zhuqi (${settings.stage}): the case table and the queues (retained data)`,
  });
  const stateless = new StatelessStack(app, `${name}-Stateless`, {
    env,
    stage: settings.stage,
    stateful,
    description: `Zhuqi (${settings.stage}): functions, HTTP API, case workflow, schedules and alarms`,
    ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    ...(settings.publicBaseUrl ? { publicBaseUrl: settings.publicBaseUrl } : {}),
    ...(settings.zhuqiConfig ? { zhuqiConfig: settings.zhuqiConfig } : {}),
  });

  // Event source mappings take no tags in the China regions: leave them untagged everywhere.
  const tagOptions = { excludeResourceTypes: ['AWS::Lambda::EventSourceMapping'] };
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('Project', 'zhuqi', tagOptions);
    Tags.of(stack).add('Stage', settings.stage, tagOptions);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, stateful, stateless };
}
