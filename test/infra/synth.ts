import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement, type Environment, type Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/settings';
import { addZhuqiStacks } from '../../infra/zhuqi-app';

/** cdk.json's context (its feature flags), so that a test synthesizes what `cdk synth` would. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

export interface SynthOptions {
  /** No account or region (an environment-agnostic synth) unless given. */
  env?: Environment;
  context?: Record<string, unknown>;
  /** CDK's own CloudFormation checks, as `cdk synth` runs them; about 4 s, so off unless asked. */
  cloudFormationValidation?: boolean;
}

/**
 * The whole app, synthesized once, without bundling the functions (the templates do not depend on
 * the bundles' contents, only on their asset hashes), with cdk-nag registered as in `infra/app.ts`.
 */
export function synthZhuqi(options: SynthOptions = {}) {
  const app = new App({
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
    context: { ...cdkJsonContext(), stage: 'test', 'aws:cdk:bundling-stacks': [], ...options.context },
  });
  const stacks = addZhuqiStacks(app, options.env ?? {});
  const assembly = app.synth();
  return { app, assembly, ...stacks };
}

export type Resource = { Type: string; Properties: Record<string, unknown> } & Record<string, unknown>;

/** The only resource of a type in a template. */
export function onlyResource(template: Template, type: string): [string, Resource] {
  const found = Object.entries(template.findResources(type));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
}

export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/**
 * A CloudFormation value as text, with references written recognisably: `<Id>` for a Ref,
 * `<Id.Attr>` for a GetAtt, `<import:Name>` for an import; joins are joined.
 */
export function renderIntrinsic(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if ('Ref' in node) return `<${node.Ref}>`;
    if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::ImportValue' in node) return `<import:${renderIntrinsic(node['Fn::ImportValue'])}>`;
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(renderIntrinsic).join(separator);
    }
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** Statement objects of every IAM policy (inline or customer-managed) attached to a role, by its logical id. */
export function roleStatements(template: Template, roleId: string): Record<string, unknown>[] {
  return [
    ...Object.values(template.findResources('AWS::IAM::Policy')),
    ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
  ]
    .filter((policy) =>
      ((policy.Properties.Roles ?? []) as unknown[]).some((r) => renderIntrinsic(r) === `<${roleId}>`),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
