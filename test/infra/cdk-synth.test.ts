import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/process';

// `npx cdk synth` as an operator (and CI) runs it: offline, bundling every function with the
// locally installed esbuild, cdk-nag on. The other infra tests synthesize in-process without bundling.
const out = mkdtempSync(join(tmpdir(), 'zhuqi-cdk-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npx cdk synth', () => {
  it('synthesizes both stacks offline, with the functions bundled', { timeout: 180_000 }, () => {
    const result = spawnSync('npx', ['cdk', 'synth', '--quiet', '-c', 'stage=ci', '-o', out], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    expect(result.status, result.stderr).toBe(0);
    const templates = readdirSync(out).filter((f) => f.endsWith('.template.json'));
    expect(templates.sort()).toEqual(['Zhuqi-ci-Stateful.template.json', 'Zhuqi-ci-Stateless.template.json']);
    const bundles = readdirSync(out).filter((f) => f.startsWith('asset.'));
    for (const bundle of bundles) {
      const files = readdirSync(join(out, bundle));
      expect(files, bundle).toContain('index.mjs');
      expect(readFileSync(join(out, bundle, 'index.mjs'), 'utf8')).toContain('handler');
    }
    expect(bundles).toHaveLength(6);
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8'));
    expect(JSON.stringify(report)).not.toMatch(/"status":\s*"failure"/);
  });
});
