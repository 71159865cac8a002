import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { addNagPacks, nagPacks, readNagPacks } from '../../infra/nag';
import { synthZhuqi } from './synth';

interface ValidationReport {
  pluginReports: { pluginName: string; violations?: { ruleName: string; violatingResources: unknown[] }[] }[];
}

/** Every finding of AWS Solutions, Serverless and NIST 800-53 rev. 5 on the app, as `rule at path`. */
function findings(app: App): string[] {
  return nagPacks(['serverless', 'nist80053r5']).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.map(
        (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
  );
}

describe('the whole app', () => {
  it('synthesizes under cdk-nag (three packs) and CloudFormation checks, no finding unacknowledged', () => {
    // Act: a nag error would already make synth throw, with the report in the message
    const { app, assembly, nagPacks: packs } = synthZhuqi({ cloudFormationValidation: true });

    // Assess: nor any warning, from cdk-nag, CloudFormation's rules or construct annotations
    const report: ValidationReport = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    );
    expect(packs).toEqual(['serverless', 'nist80053r5']);
    const reported = report.pluginReports.flatMap((r) =>
      (r.violations ?? []).map(
        (v) => `${r.pluginName}: ${v.ruleName} ${JSON.stringify(v.violatingResources)}`,
      ),
    );
    expect(reported).toEqual([]);
    expect(findings(app)).toEqual([]);
    // CloudFormation's checks take most of the time; two busy cores can need far more than the default.
  }, 120_000);

  it.each([
    ['aws', 'us-east-1'],
    ['aws-cn', 'cn-north-1'],
  ])(
    'has no unacknowledged finding of the three packs in the %s partition (%s)',
    (_partition, region) => {
      const { app } = synthZhuqi({
        env: { account: '123456789012', region },
        // Every optional resource too: the alarm e-mail subscription, the SMS secret's grant.
        context: { alarmEmail: 'ops@example.org', smsCredentialsSecret: 'zhuqi/sms-tencent' },
      });

      expect(findings(app)).toEqual([]);
    },
    60_000,
  );

  it('fails the synth on a finding nobody acknowledged', () => {
    // Prepare: a log group without the data key, in an app checked as Zhuqi's is
    const app = new App({ builtinCloudFormationValidation: false });
    new LogGroup(new Stack(app, 'Unreviewed'), 'Plain');
    addNagPacks(app, readNagPacks(app.node));

    // Act, Assess
    expect(() => app.synth()).toThrow(/NIST\.800\.53\.R5-CloudWatchLogGroupEncrypted/);
    expect(findings(app)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^NIST\.800\.53\.R5-CloudWatchLogGroupEncrypted at Unreviewed\/Plain/),
      ]),
    );
  });

  it('synthesizes for cn-north-1 with no hard-coded aws partition', () => {
    const { assembly } = synthZhuqi({ env: { account: '123456789012', region: 'cn-north-1' } });

    const templates = assembly.stacks.map((s) => JSON.stringify(s.template));
    expect(templates).toHaveLength(2);
    for (const text of templates) expect(text).not.toContain('arn:aws:');
    // The partition is known there, and CDK writes it out: proof that ARNs were built, not pasted.
    expect(templates.join('')).toContain(
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:zhuqi-test-',
    );
  });
});

describe('the cdk-nag packs', () => {
  const packsOf = (context: Record<string, unknown>) => readNagPacks(new App({ context }).node);

  it('are Serverless and NIST 800-53 rev. 5 besides AWS Solutions unless -c nagPacks names fewer', () => {
    expect(packsOf({})).toEqual(['serverless', 'nist80053r5']);
    expect(packsOf({ nagPacks: 'nist80053r5' })).toEqual(['nist80053r5']);
    expect(packsOf({ nagPacks: 'serverless, nist80053r5,serverless' })).toEqual([
      'serverless',
      'nist80053r5',
    ]);
    expect(packsOf({ nagPacks: 'none' })).toEqual([]);
    expect(nagPacks([]).map((p) => p.readPackName)).toEqual(['AwsSolutions']);
    expect(() => packsOf({ nagPacks: 'hipaa' })).toThrow(/unknown pack hipaa/);
  });
});
