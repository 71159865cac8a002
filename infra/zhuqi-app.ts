import { type App, type Environment, Tags } from 'aws-cdk-lib';
import { addNagPacks, type NagPackName, readNagPacks } from './nag';
import { type DeploySettings, readDeploySettings } from './settings';
import { StatefulStack } from './stateful-stack';
import { StatelessStack } from './stateless-stack';

export interface ZhuqiStacks {
  settings: DeploySettings;
  /** The cdk-nag packs run besides AWS Solutions (`-c nagPacks=…`, both by default). */
  nagPacks: NagPackName[];
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds Zhuqi's two stacks to an app, with cdk-nag's AWS Solutions, Serverless and NIST 800-53 rev. 5
 * checks on every synth (`-c nagPacks=…` chooses among the last two): an unacknowledged finding fails it. The
 * environment comes from the CLI's credentials and region (CDK_DEFAULT_*), never from the code.
 */
export function addZhuqiStacks(
  app: App,
  env: Environment = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
): ZhuqiStacks {
  const settings = readDeploySettings(app.node);
  const nagPacks = readNagPacks(app.node);
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
    ...(settings.smsCredentialsSecret ? { smsCredentialsSecret: settings.smsCredentialsSecret } : {}),
  });

  // Event source mappings take no tags in the China regions: leave them untagged everywhere.
  const tagOptions = { excludeResourceTypes: ['AWS::Lambda::EventSourceMapping'] };
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('Project', 'zhuqi', tagOptions);
    Tags.of(stack).add('Stage', settings.stage, tagOptions);
  }
  addNagPacks(app, nagPacks);
  return { settings, nagPacks, stateful, stateless };
}
