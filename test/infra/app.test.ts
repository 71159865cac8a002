import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthZhuqi } from './synth';

interface ValidationReport {
  pluginReports: { pluginName: string; violations?: { ruleName: string; violatingResources: unknown[] }[] }[];
}

describe('the whole app', () => {
  it('synthesizes under cdk-nag AwsSolutions and CloudFormation checks, no finding unacknowledged', () => {
    // Act: a nag error would already make synth throw, with the report in the message
    const { app, assembly } = synthZhuqi({ cloudFormationValidation: true });

    // Assess: nor any warning, from cdk-nag, CloudFormation's rules or construct annotations
    const report: ValidationReport = JSON.parse(
      readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
    );
    const findings = report.pluginReports.flatMap((r) =>
      (r.violations ?? []).map(
        (v) => `${r.pluginName}: ${v.ruleName} ${JSON.stringify(v.violatingResources)}`,
      ),
    );
    expect(findings).toEqual([]);
    const nag = new AwsSolutionsChecks().validateScope(app);
    expect(
      nag.violations.map(
        (v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    // CloudFormation's checks take most of the time; two busy cores can need far more than the default.
  }, 120_000);

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
